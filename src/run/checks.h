// Evaluating a step's checks (doc::Check) against its answer: body checks through JSONPath,
// header checks by name (case-insensitive), the transfer's duration, the media type, and Arazzo
// success criteria (run/step_expressions.h). Every
// predicate is expr/predicate.h's; this file only finds each check's subject and renders its
// operand. Pure: nothing is sent or written, so every check is tested without a server.
#pragma once

#include <optional>
#include <utility>
#include <vector>

#include "base/json.h"
#include "doc/model.h"
#include "expr/variables.h"
#include "http/mask.h"
#include "http/request.h"
#include "run/result.h"

namespace verity::run {

struct CheckContext {
  /// The answer's body when it is JSON; null otherwise (body checks then fail and say so).
  const Json* body = nullptr;
  /// The step's variables, for operands with placeholders; null: none are known.
  const expr::Scope* scope = nullptr;
  /// What this step extracted: operands may name it too ("Location matches /clients/{{id}}").
  const std::vector<std::pair<std::string, Json>>* extracted = nullptr;
  /// The JSON body the step sent: operands see it as `request.body` ("the name we sent").
  const Json* request_body = nullptr;
  /// The request as sent, for criteria that read `$url`, `$method` or `$request.*`; may be null.
  const http::HttpRequest* request = nullptr;
  /// Masks every value shown (null: nothing to mask).
  const http::SecretRedactor* redactor = nullptr;
  std::string step_id;
};

/// One result per check, in the order written.
std::vector<CheckResult> RunChecks(const std::vector<doc::Check>& checks,
                                   const http::HttpResponse& response, const CheckContext& context);

/// "body $.data.name equals \"Ada\"": how a check is named in messages.
std::string CheckLabel(const CheckResult& check);

/// The one line a failed check gives its step: what was checked, where, and what was seen.
std::string CheckFailureMessage(const CheckResult& check);

}  // namespace verity::run
