#include "report/junit_report.h"

#include <fmt/format.h>

#include <map>
#include <vector>

#include "doc/naming.h"
#include "report/report_file.h"
#include "report/summary.h"
#include "report/text.h"

namespace verity::report {
namespace {

std::string Attr(std::string_view s) { return XmlEscape(s, true); }

// JUnit times are seconds; milliseconds keep three decimals.
std::string Seconds(double ms) { return fmt::format("{:.3f}", ms <= 0 ? 0.0 : ms / 1000.0); }

std::string Label(const run::DocumentResult& d) {
  if (!d.endpoint.empty()) return doc::RecipeLabel(d.endpoint, d.variant);
  if (!d.method.empty() || !d.path.empty())
    return doc::RecipeLabel(d.method + " " + d.path, d.variant);
  return d.file;
}

// CI pages show a case's name and rarely its properties, so the name says when no recipe was
// run: a result of the spec's request is not evidence about a curated recipe.
std::string CaseName(const run::DocumentResult& d) {
  return d.source == "spec" ? Label(d) + " (from spec)" : Label(d);
}

std::string Headline(const run::DocumentResult& d) {
  std::string reason = d.reason.empty() ? run::OutcomeName(d.outcome) : d.reason;
  return d.message.empty() ? reason : reason + ": " + d.message;
}

void AppendIssue(const run::Issue& issue, const std::string& indent, std::string& out) {
  out += indent + "issue: " + issue.code;
  if (!issue.pointer.empty()) out += " at " + issue.pointer;
  if (!issue.message.empty()) out += ": " + issue.message;
  if (!issue.schema_location.empty()) out += " (schema " + issue.schema_location + ")";
  out += "\n";
}

// A `use:` step's inner steps show their errors, not their warnings: those belong to the used
// document and are reported there.
void AppendSteps(const std::vector<run::StepResult>& steps, const std::string& indent, bool nested,
                 std::string& out) {
  for (const run::StepResult& step : steps) {
    out += fmt::format("{}{:<5} {}", indent, run::OutcomeName(step.outcome), step.id);
    if (!step.section.empty()) out += " [" + step.section + "]";
    if (!step.reason.empty()) out += " " + step.reason;
    if (!step.message.empty()) out += ": " + step.message;
    out += "\n";
    std::string more = indent + "      ";
    if (step.request) out += more + "request: " + RequestLine(*step.request) + "\n";
    if (step.response) out += more + fmt::format("status: {}\n", step.response->status);
    for (const run::Attempt& attempt : step.attempts) {
      if (attempt.retry_reason.empty()) continue;
      out += more + "retried: " + attempt.retry_reason + "\n";
    }
    // A failed check is listed with its expected and seen values; its CHECK_FAILED issue, which
    // says the same in one sentence, is left out.
    for (const run::CheckResult* check : FailedChecks(step))
      out += more + "check failed: " + CheckLine(*check) + "\n";
    for (const run::Issue& issue : step.issues) {
      if (IsCheckIssueOf(issue, &step)) continue;
      if (!nested || issue.severity != "warning") AppendIssue(issue, more, out);
    }
    if (!step.nested.empty()) {
      out += more + "use: " + step.used_document + "\n";
      AppendSteps(step.nested, more, true, out);
    }
  }
}

// The body of <failure>/<error>: everything a CI page needs to see without opening the JSON.
std::string FailureText(const run::DocumentResult& d) {
  std::string out = CaseName(d) + " (" + d.file + ")\n" + Headline(d) + "\n";
  if (!d.suggestion.empty()) out += "Suggestion: " + d.suggestion + "\n";
  if (!d.steps.empty()) {
    out += "Steps:\n";
    AppendSteps(d.steps, "  ", false, out);
  }
  for (const run::Issue* issue : DocumentLevelIssues(d)) AppendIssue(*issue, "", out);
  return out;
}

std::string WarningText(const run::DocumentResult& d) {
  std::string out = "WARN " + Headline(d) + "\n";
  if (!d.suggestion.empty()) out += "Suggestion: " + d.suggestion + "\n";
  for (const run::Issue* issue : DocumentIssues(d)) AppendIssue(*issue, "  ", out);
  return out;
}

// A failed write-back does not change the test's outcome; it is said beside it (the run's exit
// code, 3, is what fails the CI job).
std::string WriteBackText(const run::DocumentResult& d) {
  std::string out;
  for (const run::WriteBackFailure& f : d.write_back_failures) {
    out += fmt::format("{} {}: {}\n", run::reason::kWriteBackFailed, f.file, f.error);
  }
  return out;
}

void AppendTestCase(const run::DocumentResult& d, std::string& out) {
  std::string domain = DomainOf(d);
  out += fmt::format(R"(    <testcase classname="{}" name="{}" file="{}" time="{}")", Attr(domain),
                     Attr(CaseName(d)), Attr(d.file), Seconds(d.duration_ms));
  std::string reason = d.reason.empty() ? run::OutcomeName(d.outcome) : d.reason;
  std::string write_back = WriteBackText(d);
  if (!write_back.empty()) {
    write_back = fmt::format("      <system-err>{}</system-err>\n", XmlEscape(write_back));
  }
  // Only a case built from the spec carries properties, so a recipe's case reads as before.
  std::string properties;
  if (d.source == "spec") {
    properties = fmt::format(
        "      <properties>\n        <property name=\"source\" value=\"{}\"/>\n      "
        "</properties>\n",
        Attr(d.source));
  }
  if (d.outcome == run::Outcome::kPass && write_back.empty() && properties.empty()) {
    out += "/>\n";
    return;
  }
  out += ">\n" + properties;
  switch (d.outcome) {
    case run::Outcome::kPass:
      break;
    case run::Outcome::kSkip:
      out += fmt::format("      <skipped message=\"{}\"/>\n", Attr(Headline(d)));
      break;
    case run::Outcome::kWarn:
      out += fmt::format("      <system-out>{}</system-out>\n", XmlEscape(WarningText(d)));
      break;
    case run::Outcome::kFail:
    case run::Outcome::kError: {
      const char* element = d.outcome == run::Outcome::kFail ? "failure" : "error";
      out += fmt::format("      <{0} message=\"{1}\" type=\"{2}\">{3}</{0}>\n", element,
                         Attr(Headline(d)), Attr(reason), XmlEscape(FailureText(d)));
      break;
    }
  }
  out += write_back;
  out += "    </testcase>\n";
}

std::string Counts(const run::Totals& t) {
  // JUnit has no "warned": a WARN is a passing test.
  return fmt::format(R"(tests="{}" failures="{}" errors="{}" skipped="{}")", t.total, t.failed,
                     t.errored, t.skipped);
}

}  // namespace

std::string JunitReportXml(const run::RunResult& result) {
  const run::RunSummary& s = result.summary;
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"verity\" {} time=\"{}\">\n", Counts(s.totals),
                     Seconds(s.duration_ms));
  std::map<std::string, std::vector<const run::DocumentResult*>> by_domain;
  for (const run::DocumentResult& d : result.documents) by_domain[DomainOf(d)].push_back(&d);
  for (const DomainTotals& dt : TotalsByDomain(result.documents)) {
    const std::vector<const run::DocumentResult*>& documents = by_domain[dt.domain];
    // Documents run concurrently, so a suite's time is the sum of its cases, not wall time.
    double ms = 0;
    for (const run::DocumentResult* d : documents) ms += d->duration_ms;
    out += fmt::format("  <testsuite name=\"{}\" {} time=\"{}\">\n", Attr(dt.domain),
                       Counts(dt.totals), Seconds(ms));
    out += "    <properties>\n";
    for (const auto& [name, value] :
         {std::pair<const char*, const std::string&>{"run_id", s.run_id},
          {"environment", s.environment},
          {"base_url", s.base_url}}) {
      out += fmt::format("      <property name=\"{}\" value=\"{}\"/>\n", name, Attr(value));
    }
    out += "    </properties>\n";
    for (const run::DocumentResult* d : documents) AppendTestCase(*d, out);
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

Status WriteJunitReport(FileSystem& fs, const std::string& path, const run::RunResult& result) {
  return WriteReportFile(fs, path, JunitReportXml(result));
}

}  // namespace verity::report
