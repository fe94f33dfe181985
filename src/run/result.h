// What a run found, as plain values: per step the request that was sent (tokens masked), the
// response (capped), the checks and the extracted variables; per document its outcome, reason and
// suggestion; per run the totals. Reports, the console, the dashboard and the history store read
// these and nothing else, so everything in here is already safe to show: the executor masks
// headers and redacts every known secret before a value lands in a result.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/json.h"
#include "http/request.h"
#include "run/outcome.h"

namespace verity::run {

/// A finding about a response or a document: a schema issue, a documentation issue, an
/// extraction miss. `pointer` is a JSON Pointer into the response body when there is one.
struct Issue {
  std::string code;
  std::string severity = "error";  // "error" or "warning"
  std::string message;
  std::string pointer = {};
  std::string schema_location = {};  // "file#/json/pointer" of the schema that disagreed
};

/// One check of a step's `expect` (doc::Check) and what it found. `expected` and `actual` are JSON
/// texts, masked and cut; `actual` is "(nothing)" when the path selected nothing or the header is
/// absent, and names the count or length a `count`/`length` check measured.
struct CheckResult {
  std::string subject;  // "body", "header", "duration", "content_type"
  std::string target;   // the JSONPath or header name; empty for duration and content type
  std::string op;       // "equals", "count", …; for count/length with a comparison, "count gt"
  std::string expected;
  std::string actual;
  bool passed = false;
  std::string message;  // why it failed; empty when it passed
  int line = 0;         // of the check in the document
  int col = 0;
};

/// The request as sent, safe to show: secrets masked in headers, redacted in URL and body.
struct RequestRecord {
  std::string method;
  std::string url;
  http::Headers headers;
  std::string body;                          // capped; multipart requests list their parts instead
  std::vector<std::string> multipart_parts;  // "name=value" or "name=@file (filename)"
  std::string base;  // which base URL: "primary", "fallback" or a named base
};

struct ResponseRecord {
  int status = 0;
  http::Headers headers;
  std::string body;             // capped and redacted
  bool body_truncated = false;  // the record holds only the body's first bytes
  size_t body_bytes = 0;        // the body's full size
  http::Timings timings;
  std::string http_version;
};

/// One send of a step's request. A step has several when it was retried (429, 503, timeout) or
/// resent to the fallback base URL after a gateway failure.
struct Attempt {
  std::string base;          // "primary", "fallback", a named base
  int status = 0;            // 0 when no response came
  std::string error_code;    // TIMEOUT, NETWORK_ERROR, ... when no response came
  std::string retry_reason;  // why another attempt followed ("429 Retry-After 2s"); empty if last
  double duration_ms = 0;
};

struct StepResult {
  std::string id;
  std::string section;  // "prerequisites", "test_request", "cleanup", "use"
  std::string description;
  std::string
      endpoint;  // "POST /platform/v1/clients" as written in the step (templates unrendered)
  Outcome outcome = Outcome::kPass;
  std::string reason;   // a reason:: code; empty for a clean PASS
  std::string message;  // one line for people
  std::string suggestion;
  std::string token_type;  // the token type the step used ("staff"), never its value
  std::optional<RequestRecord> request;
  std::optional<ResponseRecord> response;
  std::vector<Attempt> attempts;
  bool used_fallback = false;
  Json extracted = Json::object();  // variable → value (redacted strings)
  std::vector<CheckResult> checks;  // in the order written; empty when the step has none
  std::vector<Issue> issues;
  double duration_ms = 0;
  std::string used_document;  // for a `use:` step: the file it ran
  /// For a shared read (doc::Step::shared) answered by another document's request: that
  /// document and step. Nothing was sent for this step.
  std::string shared_from;
  std::vector<StepResult> nested;  // for a `use:` step: the steps of the document it ran
};

/// A knowledge-base file the run could not update (reason WRITE_BACK_FAILED): read-only, a full
/// disk, an owner that cannot be kept, a link out of the knowledge base. `error` is the message of
/// the operating system or of the confinement: a path and an errno text, never a file's content.
struct WriteBackFailure {
  std::string file;
  std::string error;
};

/// One try of a request built from the spec, when a heal (run/heal.h) tried it again: what this
/// try changed from the one before ("as built", "credential `api_key`", "the fallback base URL")
/// and how it ended.
struct HealAttempt {
  std::string change;
  Outcome outcome = Outcome::kPass;
  std::string reason;
  int http_status = 0;  // the failing step's answer; 0 when none came
  std::string message;
  size_t requests = 0;  // sent by this try, retries and every step's included
};

struct DocumentResult {
  std::string file;
  std::string endpoint;  // "GET /business/payments/v1/client_packages/{uid}"
  std::string variant;   // the recipe's variant ("missing-key"); empty for the primary recipe
  std::string method;
  std::string path;
  std::string domain;
  std::string title;
  std::string swagger;
  /// "recipe": a knowledge-base document; "spec": a request chain built from the spec for an
  /// operation without one (doc::Document::from_spec).
  std::string source = "recipe";
  Outcome outcome = Outcome::kPass;
  std::string reason;
  std::string message;
  std::string suggestion;
  std::string token_type;
  bool used_fallback = false;
  int http_status = 0;  // the test request's final status, 0 when none
  std::vector<StepResult> steps;
  std::vector<Issue> documentation_issues;
  int64_t started_at_ms = 0;
  double duration_ms = 0;
  /// Knowledge-base updates this run made (or would make): "status: verified", ...
  std::vector<std::string> kb_updates;
  /// Updates that failed: the document's own, or timesReused of a document it used.
  std::vector<WriteBackFailure> write_back_failures;
  /// Every try, the last one included, of a request built from the spec that was healed; empty
  /// when it was tried once.
  std::vector<HealAttempt> heal_attempts;
};

/// The step a failed document ended on: its first failed step (FAIL or ERROR), or inside a
/// `use:` step the step that failed there; null when none failed.
const StepResult* FailedStep(const std::vector<StepResult>& steps);

struct Totals {
  size_t total = 0;
  size_t passed = 0;
  size_t warned = 0;
  size_t errored = 0;
  size_t failed = 0;
  size_t skipped = 0;
  void Add(Outcome outcome);
  /// passed (+ warned) / (total - skipped), in percent; nullopt when nothing was testable.
  std::optional<double> PassRate() const;
};

struct RunSummary {
  std::string run_id;
  std::string environment;
  std::string base_url;
  std::string fallback_url;
  int64_t started_at_ms = 0;
  int64_t finished_at_ms = 0;
  double duration_ms = 0;
  std::string rate_limit;  // RateLimit::EffectiveText(), for the console's header
  bool dry_run = false;
  bool strict = false;
  bool stopped = false;  // the deadline passed or someone stopped the run
  Totals totals;
  size_t write_back_failed = 0;  // documents with a WriteBackFailure
  /// Setup and teardown documents that failed (FAIL or ERROR). They are not in `totals`, which
  /// count the plan's documents, but a failed fixture fails the run.
  size_t fixtures_failed = 0;
  /// Why the plan did not run: the setup document and step that failed. Empty when setup passed.
  std::string setup_failure;
};

/// A setup or teardown document's run (docs/run.md, "Setup and teardown").
struct FixtureResult {
  std::string kind;  // "setup", "cleanup" (a shared cleanup deferred to the run's end), "teardown"
  std::string name;  // as verity.yaml names it; a cleanup: its document and step
  DocumentResult result;
};

struct RunResult {
  RunSummary summary;
  std::vector<DocumentResult> documents;  // in plan order
  std::vector<FixtureResult> fixtures;    // in the order they ran: setup, then teardown
};

/// 0 when the run passed (WARN allowed unless strict), 1 otherwise; 3 when the knowledge base
/// could not be updated for some document, whatever the outcomes: the run's findings were lost.
int ExitCodeFor(const RunResult& result);
/// The same from the summary alone (reports that hold only a summary).
int ExitCodeFor(const RunSummary& summary);

}  // namespace verity::run
