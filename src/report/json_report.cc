#include "report/json_report.h"

#include "base/timestamp.h"
#include "http/mask.h"
#include "report/report_file.h"
#include "report/summary.h"
#include "report/text.h"
#include "run/totals_json.h"

namespace verity::report {
namespace {

Json StringOrNull(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

// An object, one member per header name, so a script reads `headers["Content-Type"]`. A header
// sent twice is joined with ", " (RFC 9110 §5.3), which keeps one member per name.
Json HeadersJson(const http::Headers& headers) {
  Json out = Json::object();
  for (const auto& [name, value] : http::MaskHeaders(headers)) {
    auto it = out.find(name);
    if (it == out.end()) {
      AppendMember(out, name, value);
    } else {
      *it = it->get<std::string>() + ", " + value;
    }
  }
  return out;
}

Json RequestJson(const run::RequestRecord& request) {
  Json j = Json::object();
  j["method"] = request.method;
  j["url"] = request.url;
  j["base"] = StringOrNull(request.base);
  j["headers"] = HeadersJson(request.headers);
  j["body"] = request.body;
  j["multipartParts"] = request.multipart_parts;
  return j;
}

Json ResponseJson(const run::ResponseRecord& response) {
  Json j = Json::object();
  j["status"] = response.status;
  j["httpVersion"] = StringOrNull(response.http_version);
  j["headers"] = HeadersJson(response.headers);
  j["body"] = response.body;
  j["bodyTruncated"] = response.body_truncated;
  j["bodyBytes"] = response.body_bytes;
  Json timings = Json::object();
  timings["connectMs"] = response.timings.connect_ms;
  timings["tlsMs"] = response.timings.tls_ms;
  timings["ttfbMs"] = response.timings.ttfb_ms;
  timings["totalMs"] = response.timings.total_ms;
  j["timings"] = std::move(timings);
  return j;
}

Json IssueJson(const run::Issue& issue) {
  Json j = Json::object();
  j["code"] = issue.code;
  j["severity"] = issue.severity;
  j["message"] = issue.message;
  j["pointer"] = StringOrNull(issue.pointer);
  // `path` is the older name of the same JSON Pointer, kept for scripts that read it.
  j["path"] = StringOrNull(issue.pointer);
  j["schemaLocation"] = StringOrNull(issue.schema_location);
  return j;
}

Json AttemptJson(const run::Attempt& attempt) {
  Json j = Json::object();
  j["base"] = StringOrNull(attempt.base);
  j["status"] = attempt.status == 0 ? Json(nullptr) : Json(attempt.status);
  j["errorCode"] = StringOrNull(attempt.error_code);
  j["retryReason"] = StringOrNull(attempt.retry_reason);
  j["durationMs"] = RoundMs(attempt.duration_ms);
  return j;
}

Json CheckJson(const run::CheckResult& check) {
  Json j = Json::object();
  j["subject"] = check.subject;
  j["target"] = StringOrNull(check.target);
  j["op"] = check.op;
  j["expected"] = check.expected;
  j["actual"] = check.actual;
  j["passed"] = check.passed;
  j["message"] = StringOrNull(check.message);
  j["line"] = check.line;
  j["col"] = check.col;
  return j;
}

Json StepJson(const run::StepResult& step) {
  Json j = Json::object();
  j["id"] = step.id;
  j["section"] = step.section;
  j["description"] = StringOrNull(step.description);
  j["endpoint"] = step.endpoint;
  j["status"] = run::OutcomeName(step.outcome);
  j["reason"] = StringOrNull(step.reason);
  j["message"] = StringOrNull(step.message);
  j["suggestion"] = StringOrNull(step.suggestion);
  j["tokenUsed"] = StringOrNull(step.token_type);
  j["duration"] = FormatDuration(step.duration_ms);
  j["durationMs"] = RoundMs(step.duration_ms);
  j["usedFallback"] = step.used_fallback;
  if (!step.shared_from.empty()) j["sharedFrom"] = step.shared_from;
  j["request"] = step.request ? RequestJson(*step.request) : Json(nullptr);
  j["response"] = step.response ? ResponseJson(*step.response) : Json(nullptr);
  Json attempts = Json::array();
  for (const run::Attempt& a : step.attempts) attempts.push_back(AttemptJson(a));
  j["attempts"] = std::move(attempts);
  j["extracted"] = step.extracted.is_object() ? step.extracted : Json::object();
  // Only a step with checks has the member, so reports of recipes without checks read as before.
  if (!step.checks.empty()) {
    Json checks = Json::array();
    for (const run::CheckResult& check : step.checks) checks.push_back(CheckJson(check));
    j["checks"] = std::move(checks);
  }
  Json issues = Json::array();
  for (const run::Issue& issue : step.issues) issues.push_back(IssueJson(issue));
  j["issues"] = std::move(issues);
  j["usedDocument"] = StringOrNull(step.used_document);
  Json nested = Json::array();
  for (const run::StepResult& inner : step.nested) nested.push_back(StepJson(inner));
  j["steps"] = std::move(nested);
  return j;
}

Json DetailsJson(const run::DocumentResult& d) {
  const run::StepResult* key = KeyStep(d);
  Json j = Json::object();
  j["reason"] = StringOrNull(d.reason);
  j["friendlyMessage"] = StringOrNull(d.message);
  Json errors = Json::array();
  for (const run::Issue* issue : DocumentIssues(d)) errors.push_back(IssueJson(*issue));
  j["errors"] = std::move(errors);
  j["suggestion"] = StringOrNull(d.suggestion);
  j["step"] = key ? Json(key->id) : Json(nullptr);
  j["request"] = key && key->request ? RequestJson(*key->request) : Json(nullptr);
  j["response"] = key && key->response ? ResponseJson(*key->response) : Json(nullptr);
  return j;
}

Json WriteBackErrorsJson(const run::DocumentResult& d) {
  Json out = Json::array();
  for (const run::WriteBackFailure& f : d.write_back_failures) {
    out.push_back(
        Json{{"file", f.file}, {"reason", run::reason::kWriteBackFailed}, {"message", f.error}});
  }
  return out;
}

Json ResultJson(const run::DocumentResult& d) {
  Json j = Json::object();
  j["endpoint"] = d.endpoint;
  j["variant"] = StringOrNull(d.variant);
  j["domain"] = DomainOf(d);
  j["method"] = d.method;
  j["path"] = d.path;
  j["summary"] = StringOrNull(d.title);
  j["swaggerFile"] = StringOrNull(d.swagger);
  j["status"] = run::OutcomeName(d.outcome);
  j["httpStatus"] = d.http_status == 0 ? Json(nullptr) : Json(d.http_status);
  j["duration"] = FormatDuration(d.duration_ms);
  j["durationMs"] = RoundMs(d.duration_ms);
  j["tokenUsed"] = StringOrNull(d.token_type);
  j["details"] = DetailsJson(d);
  j["file"] = d.file;
  j["source"] = d.source;
  j["usedFallback"] = d.used_fallback;
  Json heals = Json::array();
  for (const run::HealAttempt& t : d.heal_attempts) {
    heals.push_back(Json{{"change", t.change},
                         {"status", run::OutcomeName(t.outcome)},
                         {"reason", StringOrNull(t.reason)},
                         {"httpStatus", t.http_status == 0 ? Json(nullptr) : Json(t.http_status)},
                         {"message", StringOrNull(t.message)},
                         {"requests", t.requests}});
  }
  j["healAttempts"] = std::move(heals);
  j["startedAt"] = d.started_at_ms == 0 ? Json(nullptr) : Json(FormatIso8601(d.started_at_ms));
  Json doc_issues = Json::array();
  for (const run::Issue& issue : d.documentation_issues) doc_issues.push_back(IssueJson(issue));
  j["documentationIssues"] = std::move(doc_issues);
  j["kbUpdates"] = d.kb_updates;
  j["writeBackErrors"] = WriteBackErrorsJson(d);
  Json steps = Json::array();
  for (const run::StepResult& step : d.steps) steps.push_back(StepJson(step));
  j["steps"] = std::move(steps);
  return j;
}

void PutTotals(Json& j, const run::Totals& t) {
  run::AppendTotals(t, j);
  j["passRate"] = FormatPassRate(t.PassRate());
  j["passRatePercent"] = run::PassRatePercentJson(t);
}

Json SummaryJson(const run::RunSummary& s) {
  Json j = Json::object();
  j["timestamp"] = FormatIso8601(s.started_at_ms);
  j["environment"] = s.environment;
  j["baseUrl"] = s.base_url;
  PutTotals(j, s.totals);
  j["duration"] = FormatDuration(s.duration_ms);
  j["durationMs"] = RoundMs(s.duration_ms);
  j["runId"] = s.run_id;
  j["fallbackUrl"] = StringOrNull(s.fallback_url);
  j["startedAt"] = FormatIso8601(s.started_at_ms);
  j["finishedAt"] = s.finished_at_ms == 0 ? Json(nullptr) : Json(FormatIso8601(s.finished_at_ms));
  j["dryRun"] = s.dry_run;
  j["strict"] = s.strict;
  j["stopped"] = s.stopped;
  j["testable"] = s.totals.total - s.totals.skipped;
  j["writeBackFailed"] = s.write_back_failed;
  j["fixturesFailed"] = s.fixtures_failed;
  j["setupFailure"] = StringOrNull(s.setup_failure);
  j["verdict"] = RunPassed(s) ? "passed" : "failed";
  j["exitCode"] = run::ExitCodeFor(s);
  return j;
}

}  // namespace

run::CheckResult CheckFromJson(const Json& j) {
  run::CheckResult c;
  if (!j.is_object()) return c;
  auto text = [&j](const char* name) {
    auto it = j.find(name);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  auto number = [&j](const char* name) {
    auto it = j.find(name);
    return it != j.end() && it->is_number_integer() ? it->get<int>() : 0;
  };
  c.subject = text("subject");
  c.target = text("target");
  c.op = text("op");
  c.expected = text("expected");
  c.actual = text("actual");
  auto passed = j.find("passed");
  c.passed = passed != j.end() && passed->is_boolean() && passed->get<bool>();
  c.message = text("message");
  c.line = number("line");
  c.col = number("col");
  return c;
}

std::vector<run::CheckResult> StepChecksFromJson(const Json& step) {
  std::vector<run::CheckResult> out;
  if (!step.is_object()) return out;
  auto checks = step.find("checks");
  if (checks == step.end() || !checks->is_array()) return out;
  for (const Json& check : *checks) out.push_back(CheckFromJson(check));
  return out;
}

Json DocumentReportJson(const run::DocumentResult& document) { return ResultJson(document); }
Json StepReportJson(const run::StepResult& step) { return StepJson(step); }
Json SummaryReportJson(const run::RunSummary& summary) { return SummaryJson(summary); }

Json RunReportJson(const run::RunResult& result) {
  Json report = Json::object();
  report["format"] = kJsonReportFormat;
  report["version"] = kJsonReportVersion;
  report["summary"] = SummaryJson(result.summary);

  Json documentation_issues = Json::array();
  for (const run::DocumentResult& d : result.documents) {
    for (const run::Issue& issue : d.documentation_issues) {
      Json j = Json::object();
      j["endpoint"] = d.endpoint;
      j["variant"] = StringOrNull(d.variant);
      j["issue"] = issue.code;
      j["message"] = issue.message;
      j["severity"] = issue.severity;
      j["pointer"] = StringOrNull(issue.pointer);
      j["file"] = d.file;
      documentation_issues.push_back(std::move(j));
    }
  }
  report["documentationIssues"] = std::move(documentation_issues);

  Json results = Json::array();
  for (const run::DocumentResult& d : result.documents) results.push_back(ResultJson(d));
  report["results"] = std::move(results);

  Json fixtures = Json::array();
  for (const run::FixtureResult& f : result.fixtures)
    fixtures.push_back(Json{{"kind", f.kind}, {"name", f.name}, {"result", ResultJson(f.result)}});
  report["fixtures"] = std::move(fixtures);

  Json by_domain = Json::object();
  for (const DomainTotals& dt : TotalsByDomain(result.documents)) {
    Json j = Json::object();
    PutTotals(j, dt.totals);
    AppendMember(by_domain, dt.domain, std::move(j));  // sorted and unique names
  }
  report["byDomain"] = std::move(by_domain);
  return report;
}

std::string RunReportText(const run::RunResult& result) {
  return RunReportJson(result).dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

Status WriteJsonReport(FileSystem& fs, const std::string& path, const run::RunResult& result) {
  return WriteReportFile(fs, path, RunReportText(result));
}

}  // namespace verity::report
