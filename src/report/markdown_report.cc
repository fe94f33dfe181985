#include "report/markdown_report.h"

#include <fmt/format.h>

#include "base/timestamp.h"
#include "doc/naming.h"
#include "report/report_file.h"
#include "report/summary.h"
#include "report/text.h"
#include "run/checks.h"

namespace verity::report {
namespace {

constexpr size_t kMaxIssues = 3;

const char* OutcomeIcon(run::Outcome outcome) {
  switch (outcome) {
    case run::Outcome::kPass:
      return "✅";
    case run::Outcome::kSkip:
      return "⏭️";
    case run::Outcome::kWarn:
      return "⚠️";
    case run::Outcome::kError:
      return "💥";
    case run::Outcome::kFail:
      return "❌";
  }
  return "";
}

std::string Text(std::string_view s) { return MarkdownText(s); }
std::string Code(std::string_view s) { return MarkdownCode(s); }
std::string CellCode(std::string_view s) { return MarkdownCode(s, true); }

std::string Endpoint(const run::DocumentResult& d) {
  return doc::RecipeLabel(d.endpoint.empty() ? d.method + " " + d.path : d.endpoint, d.variant);
}

// A result of a request built from the spec: no recipe was run, so none was updated.
std::string SourceTag(const run::DocumentResult& d) {
  return d.source == "spec" ? " *(from spec)*" : "";
}

// What came back for the step: the status, or the transport error when nothing did.
std::string StepStatus(const run::StepResult& step) {
  if (step.response) return std::to_string(step.response->status);
  for (auto it = step.attempts.rbegin(); it != step.attempts.rend(); ++it) {
    if (it->status != 0) return std::to_string(it->status);
    if (!it->error_code.empty()) return it->error_code;
  }
  return "no response";
}

// `body $.name equals "Ada"`: the values differ; expected `"Ada"`, got `"Bob"` (line 12). The
// label and the values are code, so a value's Markdown punctuation shows as written.
std::string CheckItem(const run::CheckResult& check) {
  std::string out = Code(run::CheckLabel(check));
  if (!check.message.empty()) out += ": " + Text(check.message);
  out += "; expected " + Code(check.expected.empty() ? "(nothing)" : check.expected) + ", got " +
         Code(check.actual.empty() ? "(nothing)" : check.actual);
  if (check.line > 0) out += fmt::format(" (line {})", check.line);
  return out;
}

void AppendHeader(const run::RunResult& result, std::string& out) {
  const run::RunSummary& s = result.summary;
  const run::Totals& t = s.totals;
  std::optional<double> rate = t.PassRate();
  out += fmt::format("## {} Verity: {}/{} passed ({})", PassRateDot(rate), t.passed + t.warned,
                     t.total - t.skipped, FormatPassRate(rate));
  if (s.dry_run) out += " — dry run";
  if (s.stopped) out += " — stopped early";
  if (s.write_back_failed > 0) out += " — knowledge base not updated";
  out += "\n\n";
  out += "| Environment | Base URL | Started | Duration |\n|---|---|---|---|\n";
  std::string base = s.base_url.empty() ? "" : CellCode(s.base_url);
  if (!s.fallback_url.empty()) base += " (fallback " + CellCode(s.fallback_url) + ")";
  out += fmt::format("| {} | {} | {} | {} |\n\n", Text(s.environment), base,
                     s.started_at_ms == 0 ? "" : FormatIso8601(s.started_at_ms),
                     FormatDuration(s.duration_ms));
}

std::string CountsRow(const run::Totals& t) {
  return fmt::format("{} | {} | {} | {} | {} | {} | {} {}", t.total, t.passed, t.warned, t.failed,
                     t.errored, t.skipped, PassRateDot(t.PassRate()), FormatPassRate(t.PassRate()));
}

void AppendTables(const run::RunResult& result, std::string& out) {
  out += "### Summary\n\n";
  out +=
      "| Total | ✅ Passed | ⚠️ Warned | ❌ Failed | 💥 Errored | ⏭️ Skipped | Pass "
      "rate "
      "|\n";
  out += "|---:|---:|---:|---:|---:|---:|---|\n";
  out += "| " + CountsRow(result.summary.totals) + " |\n\n";
  std::vector<DomainTotals> domains = TotalsByDomain(result.documents);
  if (domains.empty()) return;
  out += "### By domain\n\n";
  out += "| Domain | Total | Passed | Warned | Failed | Errored | Skipped | Pass rate |\n";
  out += "|---|---:|---:|---:|---:|---:|---:|---|\n";
  for (const DomainTotals& dt : domains) {
    out += "| " + Text(dt.domain) + " | " + CountsRow(dt.totals) + " |\n";
  }
  out += "\n";
}

void AppendBlock(const run::DocumentResult& d, std::string& out) {
  out += fmt::format("#### {} {} {}\n\n", OutcomeIcon(d.outcome), run::OutcomeName(d.outcome),
                     Code(Endpoint(d)) + SourceTag(d));
  if (!d.reason.empty()) out += "- **Reason:** " + Code(d.reason) + "\n";
  if (!d.message.empty()) out += "- **Message:** " + Text(d.message) + "\n";
  if (!d.suggestion.empty()) out += "- **Suggestion:** " + Text(d.suggestion) + "\n";
  if (!d.file.empty()) out += "- **File:** " + Code(d.file) + "\n";
  const run::StepResult* deciding = DecidingStep(d);
  if (deciding) {
    out += "- **Step:** " + Code(deciding->id);
    if (deciding->request) out += " — " + Code(RequestLine(*deciding->request));
    out += " → " + Text(StepStatus(*deciding)) + "\n";
    std::vector<const run::CheckResult*> failed = FailedChecks(*deciding);
    if (!failed.empty()) out += "- **Failed checks:**\n";
    for (const run::CheckResult* check : failed) out += "  - " + CheckItem(*check) + "\n";
  }
  // The deciding step's failed checks are listed above; their CHECK_FAILED issues would repeat
  // them.
  std::vector<const run::Issue*> issues;
  for (const run::Issue* issue : DocumentIssues(d)) {
    if (!IsCheckIssueOf(*issue, deciding)) issues.push_back(issue);
  }
  if (!issues.empty()) {
    out += "- **Issues:**\n";
    for (size_t i = 0; i < issues.size() && i < kMaxIssues; ++i) {
      const run::Issue& issue = *issues[i];
      out += "  - ";
      if (!issue.pointer.empty()) out += Code(issue.pointer) + " ";
      out += Code(issue.code);
      if (!issue.message.empty()) out += ": " + Text(issue.message);
      out += "\n";
    }
    if (issues.size() > kMaxIssues) {
      out += fmt::format("  - … and {} more\n", issues.size() - kMaxIssues);
    }
  }
  out += "\n";
}

// Listed whole, before the failures: the run's findings did not reach the knowledge base.
void AppendWriteBackFailures(const run::RunResult& result, std::string& out) {
  if (result.summary.write_back_failed == 0) return;
  out += fmt::format("### ❗ Knowledge base not updated ({})\n\n", result.summary.write_back_failed);
  for (const run::DocumentResult& d : result.documents) {
    for (const run::WriteBackFailure& f : d.write_back_failures) {
      out += "- " + Code(f.file) + ": " + Code(std::string(run::reason::kWriteBackFailed)) + " " +
             Text(f.error) + "\n";
    }
  }
  out += "\n";
}

void AppendBlocks(const std::vector<const run::DocumentResult*>& documents, const char* title,
                  size_t max, std::string& out) {
  if (documents.empty()) return;
  out += fmt::format("### {} ({})\n\n", title, documents.size());
  for (size_t i = 0; i < documents.size() && i < max; ++i) AppendBlock(*documents[i], out);
  if (documents.size() > max) {
    out += fmt::format("… and {} more; the JSON report has them all.\n\n", documents.size() - max);
  }
}

void AppendFolded(const std::vector<const run::DocumentResult*>& documents, size_t passed,
                  size_t skipped, size_t max, std::string& out) {
  if (documents.empty()) return;
  out += fmt::format("<details>\n<summary>Passed ({}) and skipped ({})</summary>\n\n", passed,
                     skipped);
  out += "| Status | Endpoint | Domain | Time | Note |\n|---|---|---|---:|---|\n";
  for (size_t i = 0; i < documents.size() && i < max; ++i) {
    const run::DocumentResult& d = *documents[i];
    std::string note;
    if (d.outcome == run::Outcome::kSkip) {
      if (!d.reason.empty()) note = CellCode(d.reason) + (d.message.empty() ? "" : ": ");
      note += Text(d.message);
    }
    out += fmt::format("| {} {} | {} | {} | {} | {} |\n", OutcomeIcon(d.outcome),
                       run::OutcomeName(d.outcome), CellCode(Endpoint(d)) + SourceTag(d),
                       Text(DomainOf(d)), FormatDuration(d.duration_ms), note);
  }
  if (documents.size() > max) out += fmt::format("\n… and {} more.\n", documents.size() - max);
  out += "\n</details>\n\n";
}

}  // namespace

const char* PassRateDot(std::optional<double> percent) {
  if (!percent) return "⚪";
  if (*percent >= 90) return "🟢";
  if (*percent >= 70) return "🟡";
  if (*percent >= 50) return "🟠";
  return "🔴";
}

std::string MarkdownReport(const run::RunResult& result, const MarkdownOptions& options) {
  std::vector<const run::DocumentResult*> broken, warned, rest;
  size_t passed = 0, skipped = 0;
  for (const run::DocumentResult& d : result.documents) {
    switch (d.outcome) {
      case run::Outcome::kFail:
      case run::Outcome::kError:
        broken.push_back(&d);
        break;
      case run::Outcome::kWarn:
        warned.push_back(&d);
        break;
      case run::Outcome::kPass:
        ++passed;
        rest.push_back(&d);
        break;
      case run::Outcome::kSkip:
        ++skipped;
        rest.push_back(&d);
        break;
    }
  }
  std::string out;
  AppendHeader(result, out);
  AppendTables(result, out);
  AppendWriteBackFailures(result, out);
  AppendBlocks(broken, "Failures and errors", options.max_detailed, out);
  AppendBlocks(warned, "Warnings", options.max_detailed, out);
  AppendFolded(rest, passed, skipped, options.max_listed, out);
  if (!result.summary.run_id.empty()) {
    out += "<sub>Verity run " + Code(result.summary.run_id) + "</sub>\n";
  }
  return out;
}

Status WriteMarkdownReport(FileSystem& fs, const std::string& path, const run::RunResult& result,
                           const MarkdownOptions& options) {
  return WriteReportFile(fs, path, MarkdownReport(result, options));
}

}  // namespace verity::report
