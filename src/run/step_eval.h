// Judging one answer: the status against `expect.status` (or the document's expectedOutcome, or
// any 2xx), then the extract rules, then expect's checks, then the body against the operation's
// response schema. Pure:
// it sends nothing and writes nothing, so every rule is tested without a server.
#pragma once

#include <string>
#include <vector>

#include "base/json.h"
#include "doc/model.h"
#include "expr/variables.h"
#include "http/mask.h"
#include "http/request.h"
#include "run/result.h"
#include "spec/operation.h"
#include "spec/spec_set.h"
#include "spec/validation_knobs.h"

namespace verity::run {

struct StepVerdict {
  Outcome outcome = Outcome::kPass;
  std::string reason;
  std::string message;
  std::string suggestion;
  std::vector<std::pair<std::string, Json>> extracted;  // to put in the scope (unredacted)
  std::vector<CheckResult> checks;                      // expect's checks, in order
  std::vector<Issue> issues;                            // schema and extraction findings
  std::vector<Issue> documentation_issues;              // WARN material for the document
};

struct EvalContext {
  const doc::Document* document = nullptr;
  const doc::Step* step = nullptr;
  bool is_test_request = false;                // schema errors fail only the test request's steps
  const spec::Operation* operation = nullptr;  // nullptr: not in any loaded spec
  spec::SpecSet* specs = nullptr;              // nullptr: no specs loaded
  bool on_fallback = false;
  bool fallback_available = false;
  std::string token_type;
  /// Warn about a test request whose operation names no token types in prose and declares no
  /// `security` (the vcita conventions, run/config.h).
  bool wants_token_documentation = false;
  int64_t timeout_ms = 30000;
  /// Masks the answer's words in messages before they are cut (null: nothing to mask).
  const http::SecretRedactor* redactor = nullptr;
  /// The step's variables, for extract entries that copy one (null: none are known).
  const expr::Scope* scope = nullptr;
  /// The JSON body the step sent, for checks that compare with it (`{{request.body.name}}`);
  /// null when it sent none or not JSON.
  const Json* request_body = nullptr;
  /// The request as sent, for what Arazzo runtime expressions read of it (`$url`, `$request.*`);
  /// may be null.
  const http::HttpRequest* request = nullptr;
  /// How strictly the answer is held to the spec: RunSettings::validation for this operation.
  spec::ValidationKnobs validation;
};

StepVerdict EvaluateOutcome(const EvalContext& context, const http::HttpOutcome& outcome);

/// The statuses a step accepts, for messages: "200", "200, 201", "2xx".
std::string ExpectedText(const std::vector<int>& expected);

/// What a result may show of a request: secrets masked in headers and redacted from URL and body;
/// the body cut at `max_body` bytes after it was redacted (RedactThenCap).
RequestRecord RecordRequest(const http::HttpRequest& request, const std::string& base,
                            const http::SecretRedactor& redactor, size_t max_body = 64 * 1024);
ResponseRecord RecordResponse(const http::HttpResponse& response,
                              const http::SecretRedactor& redactor, size_t max_body = 64 * 1024);

/// `text` redacted, then cut to at most `max` bytes on a UTF-8 boundary. In that order: a cut
/// through a secret would leave a piece the redactor no longer recognises. Only the part that can
/// be kept is searched (a body of megabytes costs what one of `max` does); `truncated` says the
/// text was already cut short on receipt, so a secret at its very end may be incomplete.
std::string RedactThenCap(std::string_view text, size_t max, bool truncated,
                          const http::SecretRedactor& redactor);

/// A copy of `value` whose strings have every known secret redacted.
Json RedactJson(const Json& value, const http::SecretRedactor& redactor);

}  // namespace verity::run
