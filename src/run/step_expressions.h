// What Arazzo runtime expressions (expr/arazzo_expression.h) read when a step is judged: its
// request and answer (`$url`, `$method`, `$statusCode`, `$request.*`, `$response.*`) and the
// variables of its frame, where a workflow's values live under the names its recipe gives them:
// `$inputs.x` is `inputs.x`, `$steps.s.outputs.o` is `steps.s.outputs.o`, `$outputs.o` (what a
// called workflow handed back) is `outputs.o`, `$workflows.w.outputs.o` is
// `workflows.w.outputs.o`.
#pragma once

#include <optional>
#include <string>

#include "base/json.h"
#include "doc/model.h"
#include "expr/arazzo_expression.h"
#include "expr/extract.h"
#include "expr/predicate.h"
#include "expr/variables.h"
#include "http/request.h"

namespace verity::run {

class StepExpressions : public arazzo::EvalContext {
 public:
  /// Every pointer may be null: what it would give is then unknown. `response_body` is the
  /// answer's body parsed as JSON (null when it is not JSON: `$response.body` is then its text).
  StepExpressions(const http::HttpRequest* request, const http::HttpResponse* response,
                  const Json* response_body, const expr::Scope* scope)
      : request_(request), response_(response), response_body_(response_body), scope_(scope) {}

  std::optional<Json> Value(const arazzo::Expression& expression) const override;

 private:
  const http::HttpRequest* request_;
  const http::HttpResponse* response_;
  const Json* response_body_;
  const expr::Scope* scope_;
};

/// A criterion's verdict: whether it holds and, when it does not, what was seen: the value of every
/// runtime expression in it ("$statusCode = 404, $response.body#/status = \"sold\""), or why it
/// could not be evaluated.
struct CriterionVerdict {
  bool passed = false;
  std::string seen;
  std::string why;  // empty when it passed
};

/// Evaluates one criterion: `type` simple, regex or jsonpath; `context` a runtime expression
/// (empty: none, for a simple condition). Values shown are cut to `max_chars` and passed through
/// `mask` (may be empty).
CriterionVerdict EvaluateCriterion(std::string_view type, std::string_view context,
                                   std::string_view condition, const arazzo::EvalContext& values,
                                   size_t max_chars, const expr::TextMask& mask);

/// A step's extracts written as runtime expressions (doc::Extract::expression), evaluated against
/// `values` in the order written, after the JSONPath ones: a value found, or else the extract's
/// default, goes to `extraction->values`; a miss of an optional one to `optional_misses`; any
/// other to `failures` (EXTRACT_MISS, like a JSONPath that selects nothing), its message through
/// `mask`.
void ExtractExpressions(const doc::Step& step, const arazzo::EvalContext& values,
                        const expr::TextMask& mask, expr::Extraction* extraction);

/// The value of header `name` (any case); several fields of that name are one list, joined with
/// ", " (RFC 9110 §5.3). nullopt when there is none.
std::optional<std::string> HeaderValue(const http::Headers& headers, std::string_view name);

}  // namespace verity::run
