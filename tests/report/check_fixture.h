// A run whose one document failed its checks, as step_eval.cc reports it: the step's message is
// the first failed check's, and each failed check is also a CHECK_FAILED issue. One check passed,
// one failed on a value, one failed on a header with text a writer must escape.
#pragma once

#include "run/checks.h"
#include "run/result.h"

namespace verity::report::testing {

inline run::CheckResult PassedCheck() {
  run::CheckResult c;
  c.subject = "header";
  c.target = "Location";
  c.op = "exists";
  c.expected = "true";
  c.actual = "\"/clients/c42\"";
  c.passed = true;
  c.line = 12;
  c.col = 9;
  return c;
}

inline run::CheckResult ValueCheck() {
  run::CheckResult c;
  c.subject = "body";
  c.target = "$.data.client.name";
  c.op = "equals";
  c.expected = "\"Ada\"";
  c.actual = "\"Bob\"";
  c.message = "the values differ";
  c.line = 14;
  c.col = 11;
  return c;
}

inline run::CheckResult HostileCheck() {
  run::CheckResult c;
  c.subject = "header";
  c.target = "X-Note";
  c.op = "matches";
  c.expected = "\"^<b>ok</b>$\"";
  c.actual = "\"<img src=x onerror=alert(1)> & more\"";
  c.message = "the value does not match";
  c.line = 16;
  c.col = 11;
  return c;
}

inline run::RunResult CheckedRun() {
  run::RunResult result;
  result.summary.run_id = "run-checks";
  result.summary.base_url = "http://127.0.0.1:1";
  result.summary.started_at_ms = 1772323200000;
  result.summary.finished_at_ms = result.summary.started_at_ms + 50;
  result.summary.duration_ms = 50;

  run::StepResult step;
  step.id = "read_back";
  step.section = "test_request";
  step.endpoint = "GET /platform/v1/clients/{{client_id}}";
  step.outcome = run::Outcome::kFail;
  step.reason = std::string(run::reason::kCheckFailed);
  step.checks = {PassedCheck(), ValueCheck(), HostileCheck()};
  step.message = run::CheckFailureMessage(step.checks[1]) + " (and 1 more failed check)";
  step.suggestion = "compare the check with the response";
  for (size_t i = 1; i < step.checks.size(); ++i) {
    step.issues.push_back({std::string(run::reason::kCheckFailed), "error",
                           run::CheckFailureMessage(step.checks[i])});
  }
  step.request = run::RequestRecord{
      "GET", "http://127.0.0.1:1/platform/v1/clients/c42", {}, "", {}, "primary"};
  run::ResponseRecord response;
  response.status = 200;
  response.body = R"({"data":{"client":{"name":"Bob"}}})";
  response.body_bytes = response.body.size();
  step.response = response;
  step.duration_ms = 20;

  run::DocumentResult d;
  d.file = "kb/crm/get_platform_v1_clients_uid.md";
  d.endpoint = "GET /platform/v1/clients/{uid}";
  d.method = "GET";
  d.path = "/platform/v1/clients/{uid}";
  d.domain = "crm";
  d.outcome = run::Outcome::kFail;
  d.reason = step.reason;
  d.message = step.message;
  d.suggestion = step.suggestion;
  d.http_status = 200;
  d.duration_ms = 25;
  d.steps.push_back(step);
  result.documents.push_back(d);
  result.summary.totals.Add(d.outcome);
  return result;
}

}  // namespace verity::report::testing
