// Arazzo runtime expressions (`$statusCode`, `$response.body#/id`, `$steps.s.outputs.x`), the
// strings that embed them (`"Bearer {$inputs.token}"`), and the simple condition language of
// success criteria (`$statusCode == 200 && $response.body#/ok != false`). Parsed to a small AST
// with the offset of any error, and evaluated against an EvalContext that the runner provides.
//
// The language is Arazzo's, so it keeps that namespace; it lives among the expression engines
// because three modules read it: the recipe parser (a recipe's `expect.criteria` and runtime
// expression extracts), the executor that evaluates them, and src/arazzo/.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/status.h"

namespace verity::arazzo {

enum class Source {
  kUrl,
  kMethod,
  kStatusCode,
  kRequestHeader,
  kRequestQuery,
  kRequestPath,
  kRequestBody,
  kResponseHeader,
  kResponseBody,
  kInputs,
  kOutputs,
  kSteps,               // $steps.<id>.<field>.<name>
  kWorkflows,           // $workflows.<id>.<field>.<name>
  kSourceDescriptions,  // $sourceDescriptions.<id>.<name>
  kComponents,          // $components.<field>.<name>
};

struct Expression {
  Source source = Source::kUrl;
  std::string id;  // step, workflow or source description name
  // "outputs" or "inputs" (steps, workflows; empty when other text follows the id, which then
  // is all in `name`); "parameters"… (components).
  std::string field;
  std::string name;  // header, query or path name; input or output name
  bool has_pointer = false;
  std::string pointer;  // after '#', a JSON Pointer
  std::string text;     // as written
};

struct ExpressionError {
  size_t offset = 0;  // bytes into the parsed text
  std::string message;
};

/// Parses one whole runtime expression.
std::optional<Expression> ParseExpression(std::string_view text, ExpressionError* error);

/// A string value with `{$…}` parts: literal text and expressions, in order.
struct TemplatePart {
  bool is_expression = false;
  std::string literal;
  Expression expression;
};
std::optional<std::vector<TemplatePart>> ParseTemplate(std::string_view text,
                                                       ExpressionError* error);

/// A simple condition: literals, runtime expressions, `! && || == != < <= > >=` and parentheses.
struct Condition {
  enum class Kind { kLiteral, kExpression, kNot, kAnd, kOr, kCompare };
  Kind kind = Kind::kLiteral;
  Json literal;
  Expression expression;
  std::string op;  // kCompare
  std::vector<Condition> operands;
};
std::optional<Condition> ParseCondition(std::string_view text, ExpressionError* error);

/// What an expression's value is at run time; the runner implements it. Returns the value before
/// any JSON Pointer is applied (the whole body for `$response.body#/x`), or nullopt when unknown.
class EvalContext {
 public:
  virtual ~EvalContext() = default;
  virtual std::optional<Json> Value(const Expression& expression) const = 0;
};

/// The expression's value, its pointer applied. NotFound when the context or pointer has none.
Result<Json> Evaluate(const Expression& expression, const EvalContext& context);
/// A template's text, each expression replaced by its value (strings as they are, others as JSON).
Result<std::string> EvaluateTemplate(const std::vector<TemplatePart>& parts,
                                     const EvalContext& context);
/// A condition's truth. Strings compare case-insensitively, as Arazzo requires; numbers as numbers;
/// an ordering between values of different types is an error.
Result<bool> EvaluateCondition(const Condition& condition, const EvalContext& context);

/// A success criterion of type regex (RE2, searched in the context's text) or jsonpath (RFC 9535:
/// true when the query selects something). `type` is "simple", "regex", "jsonpath" or "xpath".
Result<bool> EvaluateCriterion(std::string_view type, std::string_view condition,
                               const Json& context_value, const EvalContext& context);

}  // namespace verity::arazzo
