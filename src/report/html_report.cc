#include "report/html_report.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/json.h"
#include "base/strings.h"
#include "base/timestamp.h"
#include "doc/naming.h"
#include "http/mask.h"
#include "report/report_file.h"
#include "report/summary.h"
#include "report/text.h"
#include "run/checks.h"

namespace verity::report {
namespace {

// No `<` and no `&` in here: the page must stay well-formed XML.
constexpr const char* kStyle = R"(
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #ffffff; --soft: #f6f8fa;
  --pass: #1a7f37; --warn: #9a6700; --error: #bc4c00; --fail: #cf222e; --skip: #59636e; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --bg: #0d1117; --soft: #151b23;
    --pass: #3fb950; --warn: #d29922; --error: #f0883e; --fail: #f85149; --skip: #9198a1; } }
body { font: 14px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg);
  margin: 0 auto; padding: 1em 2em; max-width: 1400px; }
h1 { font-size: 1.5em; margin: 0.2em 0; } h2 { font-size: 1.2em; margin-top: 1.6em; }
h3, h4 { font-size: 1em; margin: 1em 0 0.4em; }
table { border-collapse: collapse; margin: 0.4em 0; }
th, td { border: 1px solid var(--line); padding: 0.25em 0.6em; text-align: left;
  vertical-align: top; overflow-wrap: anywhere; }
th { background: var(--soft); } td.n { text-align: right; font-variant-numeric: tabular-nums; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.92em; }
pre { background: var(--soft); border: 1px solid var(--line); padding: 0.6em; overflow: auto;
  max-height: 32em; white-space: pre-wrap; overflow-wrap: anywhere; }
.counts { display: flex; flex-wrap: wrap; gap: 0.6em; padding: 0; list-style: none; }
.counts li { border: 1px solid var(--line); border-radius: 6px; padding: 0.3em 0.9em; }
.counts b { font-size: 1.3em; margin-right: 0.3em; }
.badge { display: inline-block; min-width: 3.6em; text-align: center; border-radius: 4px;
  padding: 0 0.4em; color: #fff; font-weight: 600; font-size: 0.85em; }
.badge.pass { background: var(--pass); } .badge.warn { background: var(--warn); }
.badge.error { background: var(--error); } .badge.fail { background: var(--fail); }
.badge.skip { background: var(--skip); }
.source { border: 1px solid var(--line); border-radius: 4px; padding: 0 0.3em; font-size: 0.8em;
  color: var(--muted); }
.verdict.passed { color: var(--pass); } .verdict.failed { color: var(--fail); }
.muted, .note { color: var(--muted); } .note { font-style: italic; margin: 0.2em 0; }
details { border: 1px solid var(--line); border-radius: 6px; margin: 0.4em 0; padding: 0 0.8em; }
details[open] { padding-bottom: 0.6em; }
summary { cursor: pointer; padding: 0.4em 0; }
details.result.fail { border-left: 4px solid var(--fail); }
details.result.error { border-left: 4px solid var(--error); }
details.result.warn { border-left: 4px solid var(--warn); }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.15em 1em; margin: 0.4em 0; }
dt { color: var(--muted); } dd { margin: 0; overflow-wrap: anywhere; }
.exchange { display: grid; grid-template-columns: repeat(auto-fit, minmax(24em, 1fr)); gap: 1em; }
.nested { margin-left: 1.2em; }
tr.check.pass td:first-child { color: var(--pass); } tr.check.fail td:first-child { color: var(--fail); }
)";

std::string H(std::string_view s) { return HtmlEscape(s); }
std::string Code(std::string_view s) { return "<code>" + HtmlEscape(s) + "</code>"; }

const char* OutcomeClass(run::Outcome outcome) {
  switch (outcome) {
    case run::Outcome::kPass:
      return "pass";
    case run::Outcome::kSkip:
      return "skip";
    case run::Outcome::kWarn:
      return "warn";
    case run::Outcome::kError:
      return "error";
    case run::Outcome::kFail:
      return "fail";
  }
  return "skip";
}

std::string Badge(run::Outcome outcome) {
  return fmt::format("<span class=\"badge {}\">{}</span>", OutcomeClass(outcome),
                     run::OutcomeName(outcome));
}

std::string Endpoint(const run::DocumentResult& d) {
  return doc::RecipeLabel(d.endpoint.empty() ? d.method + " " + d.path : d.endpoint, d.variant);
}

// A result of a request built from the spec: no recipe was run, so none was updated.
std::string SourceTag(const run::DocumentResult& d) {
  return d.source == "spec" ? " <span class=\"source\">from spec</span>" : "";
}

std::string Bytes(size_t n) {
  if (n < 1024) return fmt::format("{} bytes", n);
  if (n < 1024 * 1024) return fmt::format("{:.1f} KiB", static_cast<double>(n) / 1024.0);
  return fmt::format("{:.1f} MiB", static_cast<double>(n) / (1024.0 * 1024.0));
}

// What came back for the step: the status, or the transport error when nothing did.
std::string StepStatus(const run::StepResult& step) {
  if (step.response) return std::to_string(step.response->status);
  for (auto it = step.attempts.rbegin(); it != step.attempts.rend(); ++it) {
    if (it->status != 0) return std::to_string(it->status);
    if (!it->error_code.empty()) return it->error_code;
  }
  return "";
}

// One <dt>/<dd> pair; nothing when there is nothing to say. `value_html` is already markup.
void Fact(const char* name, const std::string& value_html, std::string& out) {
  if (value_html.empty()) return;
  out += fmt::format("<dt>{}</dt><dd>{}</dd>\n", name, value_html);
}

std::string TextOrEmpty(const std::string& s) { return s.empty() ? "" : H(s); }
std::string CodeOrEmpty(const std::string& s) { return s.empty() ? "" : Code(s); }

void AppendHeader(const run::RunResult& result, std::string& out) {
  const run::RunSummary& s = result.summary;
  const run::Totals& t = s.totals;
  bool passed = RunPassed(s);
  out += fmt::format(
      "<header>\n<h1><span class=\"verdict {}\">{}</span> Verity run: {}/{} passed ({})</h1>\n",
      passed ? "passed" : "failed", passed ? "PASSED" : "FAILED", t.passed + t.warned,
      t.total - t.skipped, FormatPassRate(t.PassRate()));
  std::vector<std::string> flags;
  if (s.dry_run) flags.push_back("dry run: nothing was sent");
  if (s.stopped) flags.push_back("stopped before the end");
  if (s.strict) flags.push_back("strict: warnings fail the run");
  if (s.write_back_failed > 0) {
    flags.push_back(fmt::format("knowledge base not updated for {} document{} ({})",
                                s.write_back_failed, s.write_back_failed == 1 ? "" : "s",
                                run::reason::kWriteBackFailed));
  }
  if (!flags.empty()) out += "<p class=\"muted\">" + H(Join(flags, " · ")) + "</p>\n";

  out += "<ul class=\"counts\">\n";
  out += fmt::format("<li><b>{}</b>total</li>\n", t.total);
  for (const auto& [outcome, count] :
       {std::pair{run::Outcome::kPass, t.passed}, std::pair{run::Outcome::kWarn, t.warned},
        std::pair{run::Outcome::kError, t.errored}, std::pair{run::Outcome::kFail, t.failed},
        std::pair{run::Outcome::kSkip, t.skipped}}) {
    out += fmt::format("<li class=\"{}\"><b>{}</b>{}</li>\n", OutcomeClass(outcome), count,
                       Badge(outcome));
  }
  out += fmt::format("<li><b>{}</b>pass rate</li>\n</ul>\n", FormatPassRate(t.PassRate()));

  size_t fallback = 0;
  for (const run::DocumentResult& d : result.documents) fallback += d.used_fallback ? 1 : 0;
  out += "<dl>\n";
  Fact("Environment", TextOrEmpty(s.environment), out);
  Fact("Base URL", CodeOrEmpty(s.base_url), out);
  Fact("Fallback URL", CodeOrEmpty(s.fallback_url), out);
  Fact("Fallback used by", fmt::format("{} document{}", fallback, fallback == 1 ? "" : "s"), out);
  Fact("Run", CodeOrEmpty(s.run_id), out);
  Fact("Started", s.started_at_ms == 0 ? "" : FormatIso8601(s.started_at_ms), out);
  Fact("Finished", s.finished_at_ms == 0 ? "" : FormatIso8601(s.finished_at_ms), out);
  Fact("Duration", FormatDuration(s.duration_ms), out);
  out += "</dl>\n</header>\n";
}

std::string CountCells(const run::Totals& t) {
  return fmt::format(
      "<td class=\"n\">{}</td><td class=\"n\">{}/{}</td><td class=\"n\">{}</td>"
      "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
      "<td class=\"n\">{}</td><td class=\"n\">{}</td>",
      t.total, t.passed + t.warned, t.total - t.skipped, t.passed, t.warned, t.errored, t.failed,
      t.skipped, FormatPassRate(t.PassRate()));
}

void AppendSummaries(const run::RunResult& result, std::string& out) {
  std::vector<DomainTotals> domains = TotalsByDomain(result.documents);
  if (!domains.empty()) {
    out +=
        "<section id=\"by-domain\">\n<h2>By domain</h2>\n<table>\n<thead><tr><th>Domain</th>"
        "<th>Total</th><th>Passed/testable</th><th>PASS</th><th>WARN</th><th>ERROR</th>"
        "<th>FAIL</th><th>SKIP</th><th>Pass rate</th></tr></thead>\n<tbody>\n";
    for (const DomainTotals& dt : domains) {
      out += "<tr><td>" + H(dt.domain) + "</td>" + CountCells(dt.totals) + "</tr>\n";
    }
    out += "</tbody>\n</table>\n</section>\n";
  }
  std::vector<std::pair<std::string, size_t>> reasons = CountByReason(result.documents);
  if (!reasons.empty()) {
    out +=
        "<section id=\"by-reason\">\n<h2>By reason</h2>\n<table>\n<thead><tr><th>Reason</th>"
        "<th>Documents</th></tr></thead>\n<tbody>\n";
    for (const auto& [reason, count] : reasons) {
      out += fmt::format("<tr><td>{}</td><td class=\"n\">{}</td></tr>\n", Code(reason), count);
    }
    out += "</tbody>\n</table>\n</section>\n";
  }
}

// Failures first, then errors, warnings, skips and passes (the outcomes' own order, by how much a
// reader must care); plan order within each.
std::vector<size_t> FailuresFirst(const std::vector<run::DocumentResult>& documents) {
  std::vector<size_t> order(documents.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return static_cast<int>(documents[a].outcome) > static_cast<int>(documents[b].outcome);
  });
  return order;
}

void AppendResultsTable(const run::RunResult& result, const std::vector<size_t>& order,
                        std::string& out) {
  out += fmt::format(
      "<section id=\"results\">\n<h2>Results ({})</h2>\n<table>\n<thead><tr><th>Outcome</th>"
      "<th>Endpoint</th><th>Document</th><th>Reason</th><th>Message</th><th>Suggestion</th>"
      "<th>Duration</th></tr></thead>\n<tbody>\n",
      result.documents.size());
  for (size_t index : order) {
    const run::DocumentResult& d = result.documents[index];
    out += fmt::format(
        "<tr class=\"{}\"><td>{}</td><td><a href=\"#r-{}\">{}</a></td><td>{}</td><td>{}</td>"
        "<td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>\n",
        OutcomeClass(d.outcome), Badge(d.outcome), index, Code(Endpoint(d)) + SourceTag(d),
        CodeOrEmpty(d.file), CodeOrEmpty(d.reason), TextOrEmpty(d.message),
        TextOrEmpty(d.suggestion), FormatDuration(d.duration_ms));
  }
  out += "</tbody>\n</table>\n</section>\n";
}

void AppendIssues(const std::vector<const run::Issue*>& issues, std::string& out) {
  if (issues.empty()) return;
  out +=
      "<table class=\"issues\">\n<thead><tr><th>Severity</th><th>Code</th><th>Pointer</th>"
      "<th>Message</th><th>Schema</th></tr></thead>\n<tbody>\n";
  for (const run::Issue* issue : issues) {
    out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                       H(issue->severity), Code(issue->code), CodeOrEmpty(issue->pointer),
                       TextOrEmpty(issue->message), CodeOrEmpty(issue->schema_location));
  }
  out += "</tbody>\n</table>\n";
}

// Every check of a step in the order written, passed ones too: a passing check says what the
// answer held, which is what a reader compares a failed one with.
void AppendChecks(const std::vector<run::CheckResult>& checks, std::string& out) {
  if (checks.empty()) return;
  out +=
      "<table class=\"checks\">\n<thead><tr><th></th><th>Line</th><th>Check</th>"
      "<th>Expected</th><th>Got</th><th>Why</th></tr></thead>\n<tbody>\n";
  for (const run::CheckResult& c : checks) {
    out += fmt::format(
        "<tr class=\"check {}\"><td>{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td>"
        "<td>{}</td><td>{}</td></tr>\n",
        c.passed ? "pass" : "fail", c.passed ? "✓" : "✗", c.line > 0 ? std::to_string(c.line) : "",
        Code(run::CheckLabel(c)), CodeOrEmpty(c.expected), CodeOrEmpty(c.actual),
        TextOrEmpty(c.message));
  }
  out += "</tbody>\n</table>\n";
}

// Masked again here, as the JSON report does, so a producer that forgot cannot leak a token; a
// header sent twice is one row with its values joined by ", ", as in the JSON report.
void AppendHeaders(const http::Headers& headers, std::string& out) {
  if (headers.empty()) return;
  http::Headers joined;
  for (const auto& header : http::MaskHeaders(headers)) {
    const auto& [name, value] = header;
    auto same = std::find_if(joined.begin(), joined.end(),
                             [&](const auto& seen) { return seen.first == header.first; });
    if (same == joined.end()) {
      joined.emplace_back(name, value);
    } else {
      same->second += ", " + value;
    }
  }
  out += "<table class=\"headers\">\n<tbody>\n";
  for (const auto& [name, value] : joined) {
    out += "<tr><th>" + H(name) + "</th><td>" + Code(value) + "</td></tr>\n";
  }
  out += "</tbody>\n</table>\n";
}

bool LooksLikeJson(std::string_view body) {
  size_t first = body.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && (body[first] == '{' || body[first] == '[');
}

// The body as recorded, JSON re-indented (a recorded prefix of a longer JSON body too), cut at
// the page's limit. Only whitespace is changed, never an escape sequence: see IndentJsonText().
void AppendBody(std::string_view body, bool recorded_prefix, size_t full_bytes,
                const HtmlOptions& options, std::string& out) {
  if (body.empty()) {
    out += "<p class=\"note\">No body.</p>\n";
    return;
  }
  bool json = LooksLikeJson(body) && (recorded_prefix || ParseJson(body).ok());
  bool cut = false;
  std::string text;
  if (json) {
    text = IndentJsonText(body, options.max_body_bytes, &cut);
  } else {
    text = Utf8Prefix(body, options.max_body_bytes);
    cut = text.size() < body.size();
  }
  out += "<pre class=\"body\">" + H(text) + "</pre>\n";
  if (cut) {
    out += fmt::format(
        "<p class=\"note\">Cut here: the page shows the first {} of this body; the JSON report "
        "holds all {} recorded.</p>\n",
        Bytes(options.max_body_bytes), Bytes(body.size()));
  }
  if (recorded_prefix && full_bytes > body.size()) {
    out += fmt::format(
        "<p class=\"note\">The response body had {}; Verity recorded the first {}.</p>\n",
        Bytes(full_bytes), Bytes(body.size()));
  }
}

void AppendRequest(const run::RequestRecord& request, const HtmlOptions& options,
                   std::string& out) {
  out += "<section class=\"request\">\n<h4>Request</h4>\n<p>" + Code(RequestLine(request));
  if (!request.base.empty()) out += " <span class=\"muted\">(" + H(request.base) + ")</span>";
  out += "</p>\n";
  AppendHeaders(request.headers, out);
  if (!request.multipart_parts.empty()) {
    out += "<p>Multipart parts:</p>\n<ul>\n";
    for (const std::string& part : request.multipart_parts) out += "<li>" + Code(part) + "</li>\n";
    out += "</ul>\n";
  } else if (!request.body.empty()) {
    AppendBody(request.body, false, request.body.size(), options, out);
  }
  out += "</section>\n";
}

void AppendResponse(const run::ResponseRecord& response, const HtmlOptions& options,
                    std::string& out) {
  out +=
      fmt::format("<section class=\"response\">\n<h4>Response</h4>\n<p><b>{}</b>", response.status);
  if (!response.http_version.empty()) out += " HTTP/" + H(response.http_version);
  const http::Timings& t = response.timings;
  if (t.total_ms > 0) {
    out += fmt::format(
        " <span class=\"muted\">connect {:.0f} ms · TLS {:.0f} ms · first byte {:.0f} ms · total "
        "{:.0f} ms</span>",
        t.connect_ms, t.tls_ms, t.ttfb_ms, t.total_ms);
  }
  out += "</p>\n";
  AppendHeaders(response.headers, out);
  AppendBody(response.body, response.body_truncated, response.body_bytes, options, out);
  out += "</section>\n";
}

void AppendAttempts(const std::vector<run::Attempt>& attempts, std::string& out) {
  if (attempts.empty()) return;
  out +=
      "<table class=\"attempts\">\n<thead><tr><th>Attempt</th><th>Base</th><th>Status</th>"
      "<th>Time</th><th>Then</th></tr></thead>\n<tbody>\n";
  for (size_t i = 0; i < attempts.size(); ++i) {
    const run::Attempt& a = attempts[i];
    std::string status = a.status != 0 ? std::to_string(a.status) : H(a.error_code);
    out += fmt::format(
        "<tr><td class=\"n\">{}</td><td>{}</td><td>{}</td><td "
        "class=\"n\">{}</td><td>{}</td></tr>\n",
        i + 1, TextOrEmpty(a.base), status, FormatDuration(a.duration_ms),
        TextOrEmpty(a.retry_reason));
  }
  out += "</tbody>\n</table>\n";
}

// Whether `target` is `step` or one of the steps of the document it used.
bool Holds(const run::StepResult& step, const run::StepResult* target) {
  if (&step == target) return true;
  for (const run::StepResult& inner : step.nested) {
    if (Holds(inner, target)) return true;
  }
  return false;
}

void AppendSteps(const std::vector<run::StepResult>& steps, const run::StepResult* deciding,
                 const HtmlOptions& options, std::string& out) {
  for (const run::StepResult& step : steps) {
    // The way to the step that decided the outcome is unfolded; everything else stays folded.
    bool open = Holds(step, deciding);
    out += fmt::format("<details class=\"step {}\"{}>\n<summary>{} ", OutcomeClass(step.outcome),
                       open ? " open=\"\"" : "", Badge(step.outcome));
    if (!step.section.empty()) out += "<span class=\"muted\">" + H(step.section) + "</span> ";
    out += Code(step.id);
    if (step.request) {
      out += " — " + Code(RequestLine(*step.request));
    } else if (!step.endpoint.empty()) {
      out += " — " + Code(step.endpoint);
    }
    std::string status = StepStatus(step);
    if (!status.empty()) out += " → " + H(status);
    out += " <span class=\"muted\">" + FormatDuration(step.duration_ms) + "</span></summary>\n";

    out += "<dl>\n";
    Fact("Endpoint", CodeOrEmpty(step.endpoint), out);
    Fact("Description", TextOrEmpty(step.description), out);
    Fact("Reason", CodeOrEmpty(step.reason), out);
    Fact("Message", TextOrEmpty(step.message), out);
    Fact("Suggestion", TextOrEmpty(step.suggestion), out);
    Fact("Token type", TextOrEmpty(step.token_type), out);
    Fact("Fallback", step.used_fallback ? "resent to the fallback base URL" : "", out);
    Fact("Uses", CodeOrEmpty(step.used_document), out);
    if (step.extracted.is_object() && !step.extracted.empty()) {
      // Names only: a value is redacted already, but a name is all a reader needs to follow it.
      std::vector<std::string> names;
      for (const auto& [name, value] : step.extracted.items()) names.push_back(Code(name));
      Fact("Extracted", Join(names, ", "), out);
    }
    out += "</dl>\n";
    AppendAttempts(step.attempts, out);
    if (step.request || step.response) {
      out += "<div class=\"exchange\">\n";
      if (step.request) AppendRequest(*step.request, options, out);
      if (step.response) AppendResponse(*step.response, options, out);
      out += "</div>\n";
    }
    AppendChecks(step.checks, out);
    // A failed check's CHECK_FAILED issue says in a sentence what its row in the table says.
    std::vector<const run::Issue*> issues;
    for (const run::Issue& issue : step.issues) {
      if (!IsCheckIssueOf(issue, &step)) issues.push_back(&issue);
    }
    AppendIssues(issues, out);
    if (!step.nested.empty()) {
      out += "<div class=\"nested\">\n";
      AppendSteps(step.nested, deciding, options, out);
      out += "</div>\n";
    }
    out += "</details>\n";
  }
}

void AppendResult(const run::DocumentResult& d, size_t index, const HtmlOptions& options,
                  std::string& out) {
  bool broken = d.outcome == run::Outcome::kFail || d.outcome == run::Outcome::kError;
  out += fmt::format("<details id=\"r-{}\" class=\"result {}\"{}>\n<summary>{} {}", index,
                     OutcomeClass(d.outcome), broken ? " open=\"\"" : "", Badge(d.outcome),
                     Code(Endpoint(d)) + SourceTag(d));
  if (!d.reason.empty()) out += " " + Code(d.reason);
  out += "</summary>\n<dl>\n";
  Fact("Document", CodeOrEmpty(d.file), out);
  Fact("Domain", H(DomainOf(d)), out);
  Fact("Title", TextOrEmpty(d.title), out);
  Fact("Spec", CodeOrEmpty(d.swagger), out);
  Fact("Reason", CodeOrEmpty(d.reason), out);
  Fact("Message", TextOrEmpty(d.message), out);
  Fact("Suggestion", TextOrEmpty(d.suggestion), out);
  Fact("HTTP status", d.http_status == 0 ? "" : std::to_string(d.http_status), out);
  Fact("Token type", TextOrEmpty(d.token_type), out);
  Fact("Fallback", d.used_fallback ? "a request went to the fallback base URL" : "", out);
  Fact("Started", d.started_at_ms == 0 ? "" : FormatIso8601(d.started_at_ms), out);
  Fact("Duration", FormatDuration(d.duration_ms), out);
  std::vector<std::string> updates;
  for (const std::string& update : d.kb_updates) updates.push_back(Code(update));
  Fact("Knowledge base", Join(updates, ", "), out);
  std::vector<std::string> failures;
  for (const run::WriteBackFailure& f : d.write_back_failures) {
    failures.push_back(Code(std::string(run::reason::kWriteBackFailed)) + " " + Code(f.file) +
                       ": " + H(f.error));
  }
  Fact("Not updated", Join(failures, "<br>"), out);
  out += "</dl>\n";
  std::vector<const run::Issue*> issues = DocumentIssues(d);
  if (!issues.empty()) {
    out += fmt::format("<h3>Issues ({})</h3>\n", issues.size());
    AppendIssues(issues, out);
  }
  if (!d.steps.empty()) {
    out += fmt::format("<h3>Steps ({})</h3>\n", d.steps.size());
    AppendSteps(d.steps, DecidingStep(d), options, out);
  }
  out += "</details>\n";
}

}  // namespace

std::string HtmlReport(const run::RunResult& result, const HtmlOptions& options) {
  const run::Totals& t = result.summary.totals;
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'\"/>\n";
  out += fmt::format("<title>Verity run{}: {}/{} passed</title>\n",
                     result.summary.run_id.empty() ? "" : " " + H(result.summary.run_id),
                     t.passed + t.warned, t.total - t.skipped);
  out += std::string("<style>") + kStyle + "</style>\n</head>\n<body>\n";
  AppendHeader(result, out);
  out += "<main>\n";
  AppendSummaries(result, out);
  std::vector<size_t> order = FailuresFirst(result.documents);
  AppendResultsTable(result, order, out);
  if (!order.empty()) {
    out += "<section id=\"details\">\n<h2>Details</h2>\n";
    for (size_t index : order) AppendResult(result.documents[index], index, options, out);
    out += "</section>\n";
  }
  out += "</main>\n</body>\n</html>\n";
  return out;
}

Status WriteHtmlReport(FileSystem& fs, const std::string& path, const run::RunResult& result,
                       const HtmlOptions& options) {
  return WriteReportFile(fs, path, HtmlReport(result, options));
}

}  // namespace verity::report
