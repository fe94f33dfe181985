// A run as the executor would report it, built by hand: one document of each outcome over two
// domains, with the details each writer must show (a failing step with a request and issues, a
// fallback suggestion, documentation issues) and the hostile text each must neutralise (markup,
// control characters, a token the producer forgot to mask).
#pragma once

#include <string>
#include <vector>

#include "run/events.h"
#include "run/result.h"

namespace verity::report::testing {

inline constexpr const char* kSecret = "sekret-token-123456789";
inline constexpr const char* kHostileMessage =
    "Token rejected | <img src=x onerror=alert(1)> & \"quotes\" \x01 end";

inline run::RunResult SampleRun() {
  run::RunResult result;
  run::RunSummary& s = result.summary;
  s.run_id = "run-20260301-0001";
  s.environment = "staging";
  s.base_url = "https://api.example.com";
  s.fallback_url = "https://fallback.example.com";
  s.started_at_ms = 1772323200000;  // 2026-03-01T00:00:00.000Z
  s.finished_at_ms = s.started_at_ms + 3200;
  s.duration_ms = 3200;

  run::DocumentResult pass;
  pass.file = "kb/crm/get_platform_v1_clients.md";
  pass.endpoint = "GET /platform/v1/clients";
  pass.method = "GET";
  pass.path = "/platform/v1/clients";
  pass.domain = "crm";
  pass.title = "List clients";
  pass.swagger = "specs/crm.json";
  pass.outcome = run::Outcome::kPass;
  pass.token_type = "staff";
  pass.http_status = 200;
  pass.duration_ms = 123.4;
  pass.started_at_ms = s.started_at_ms + 10;
  pass.kb_updates = {"status: verified"};
  {
    run::StepResult step;
    step.id = "list_clients";
    step.section = "test_request";
    step.endpoint = "GET /platform/v1/clients";
    step.token_type = "staff";
    step.request = run::RequestRecord{"GET",
                                      "https://api.example.com/platform/v1/clients",
                                      {{"Accept", "application/json"}},
                                      "",
                                      {},
                                      "primary"};
    run::ResponseRecord response;
    response.status = 200;
    response.headers = {{"content-type", "application/json"}};
    response.body = R"({"data":[{"uid":"c1"}]})";
    response.body_bytes = response.body.size();
    response.http_version = "2";
    step.response = response;
    step.attempts = {{"primary", 200, "", "", 120}};
    step.extracted = {{"client_uid", "c1"}};
    step.duration_ms = 120;
    pass.steps.push_back(step);
  }

  run::DocumentResult warn;
  warn.file = "kb/crm/get_platform_v1_clients_uid.md";
  warn.endpoint = "GET /platform/v1/clients/{uid}";
  warn.method = "GET";
  warn.path = "/platform/v1/clients/{uid}";
  warn.domain = "crm";
  warn.outcome = run::Outcome::kWarn;
  warn.reason = "UNDOCUMENTED_FIELD";
  warn.message = "The response has a field the spec does not document";
  warn.http_status = 200;
  warn.duration_ms = 80;
  warn.documentation_issues = {
      {"MISSING_TOKEN_DOCUMENTATION", "warning", "The operation names no token", "", ""}};
  {
    run::StepResult step;
    step.id = "get_client";
    step.section = "test_request";
    step.outcome = run::Outcome::kWarn;
    step.reason = "UNDOCUMENTED_FIELD";
    step.request = run::RequestRecord{
        "GET", "https://api.example.com/platform/v1/clients/c1", {}, "", {}, "primary"};
    run::ResponseRecord response;
    response.status = 200;
    response.body = R"({"data":{"uid":"c1","nickname":"Al"}})";
    step.response = response;
    step.issues = {{"UNDOCUMENTED_FIELD", "warning", "nickname is not in the schema",
                    "/data/nickname", "specs/crm.json#/components/schemas/Client"}};
    warn.steps.push_back(step);
  }

  run::DocumentResult fail;
  fail.file = "kb/crm/post_platform_v1_clients.md";
  fail.endpoint = "POST /platform/v1/clients";
  fail.method = "POST";
  fail.path = "/platform/v1/clients";
  fail.domain = "crm";
  fail.outcome = run::Outcome::kFail;
  fail.reason = "AUTH_FAILED";
  fail.message = kHostileMessage;
  fail.suggestion = "Set useFallbackApi: true; the fallback URL accepts this token";
  fail.token_type = "staff";
  fail.used_fallback = true;
  fail.http_status = 401;
  fail.duration_ms = 1500;
  {
    run::StepResult login;
    login.id = "login";
    login.section = "prerequisites";
    login.request =
        run::RequestRecord{"POST", "https://api.example.com/auth", {}, "", {}, "primary"};
    run::ResponseRecord ok;
    ok.status = 200;
    login.response = ok;
    fail.steps.push_back(login);

    run::StepResult step;
    step.id = "create_client";
    step.section = "test_request";
    step.endpoint = "POST /platform/v1/clients";
    step.outcome = run::Outcome::kFail;
    step.reason = "AUTH_FAILED";
    step.message = "401 from the fallback";
    step.token_type = "staff";
    step.used_fallback = true;
    // The producer should have masked this; the writers must not rely on it.
    step.request = run::RequestRecord{
        "POST",
        "https://fallback.example.com/platform/v1/clients",
        {{"Authorization", std::string("Bearer ") + kSecret}, {"Content-Type", "application/json"}},
        R"({"name":"Ada"})",
        {},
        "fallback"};
    run::ResponseRecord response;
    response.status = 401;
    response.headers = {{"content-type", "application/json"}};
    response.body = R"({"error":"unauthorized"})";
    step.response = response;
    step.attempts = {{"primary", 502, "", "502 Bad Gateway: resent to the fallback", 40},
                     {"fallback", 401, "", "", 60}};
    step.issues = {{"AUTH_FAILED", "error", "The token was rejected", "/error", ""},
                   {"TYPE_MISMATCH", "error", "expected object", "/data", ""},
                   {"MISSING_REQUIRED_FIELD", "error", "uid is required", "/data/uid", ""},
                   {"SCHEMA_MISMATCH", "error", "fourth issue", "/meta", ""}};
    step.duration_ms = 100;
    fail.steps.push_back(step);
  }

  run::DocumentResult error;
  error.file = "kb/sales/get_business_payments_v1_invoices_uid.md";
  error.endpoint = "GET /business/payments/v1/invoices/{uid}";
  error.method = "GET";
  error.path = "/business/payments/v1/invoices/{uid}";
  error.domain = "sales";
  error.outcome = run::Outcome::kError;
  error.reason = "RESOURCE_NOT_FOUND";
  error.message = "Invoice not found\x07\x1b[31m";
  error.suggestion = "The endpoint works; the test data is missing";
  error.http_status = 404;
  error.duration_ms = 60;
  {
    run::StepResult step;
    step.id = "get_invoice";
    step.section = "test_request";
    step.outcome = run::Outcome::kError;
    step.reason = "RESOURCE_NOT_FOUND";
    step.request = run::RequestRecord{
        "GET", "https://api.example.com/business/payments/v1/invoices/i9", {}, "", {}, "primary"};
    run::ResponseRecord response;
    response.status = 404;
    step.response = response;
    error.steps.push_back(step);
  }

  run::DocumentResult skip;
  skip.file = "kb/sales/delete_business_payments_v1_invoices_uid.md";
  skip.endpoint = "DELETE /business/payments/v1/invoices/{uid}";
  skip.method = "DELETE";
  skip.path = "/business/payments/v1/invoices/{uid}";
  skip.domain = "sales";
  skip.outcome = run::Outcome::kSkip;
  skip.reason = "DELETE_DISABLED";
  skip.message = "Delete operations disabled by configuration";

  result.documents = {pass, warn, fail, error, skip};
  for (const run::DocumentResult& d : result.documents) s.totals.Add(d.outcome);
  return result;
}

/// The events a run of `result` publishes: one document a second.
inline std::vector<run::RunEvent> EventsOf(const run::RunResult& result) {
  std::vector<run::RunEvent> events;
  run::RunStarted started;
  started.summary = result.summary;
  started.summary.totals = {};
  started.summary.totals.total = result.documents.size();
  for (const run::DocumentResult& d : result.documents) started.endpoints.push_back(d.endpoint);
  events.emplace_back(started);
  run::Totals so_far;
  for (size_t i = 0; i < result.documents.size(); ++i) {
    const run::DocumentResult& d = result.documents[i];
    events.emplace_back(run::DocumentStarted{i, d.endpoint, d.file});
    for (const run::StepResult& step : d.steps) events.emplace_back(run::StepFinished{i, step});
    so_far.Add(d.outcome);
    events.emplace_back(run::DocumentFinished{i, d, so_far, result.documents.size(),
                                              1000.0 * static_cast<double>(i + 1)});
  }
  events.emplace_back(run::RunFinished{result.summary});
  return events;
}

}  // namespace verity::report::testing
