#include "run/step_expressions.h"

#include <fmt/format.h>

#include "base/strings.h"

namespace verity::run {

namespace {

std::optional<Json> Variable(const expr::Scope* scope, std::string dotted) {
  if (scope == nullptr) return std::nullopt;
  return scope->Lookup(dotted);
}

// "$steps.s.outputs.o" → "steps.s.outputs.o"; an id or a name with a dot in it cannot be told
// apart from the path, which is why the recipe keeps these names whole.
std::string ScopedName(const arazzo::Expression& e, std::string_view root) {
  std::string out(root);
  if (!e.id.empty()) out += "." + e.id;
  if (!e.field.empty()) out += "." + e.field;
  if (!e.name.empty()) out += "." + e.name;
  return out;
}

// The request's query string, parsed.
std::optional<std::string> QueryValue(const std::string& url, std::string_view name) {
  size_t q = url.find('?');
  if (q == std::string::npos) return std::nullopt;
  std::string_view query = std::string_view(url).substr(q + 1);
  query = query.substr(0, query.find('#'));
  for (const auto& [n, v] : ParseQuery(query))
    if (n == name) return v;
  return std::nullopt;
}

void CollectExpressions(const arazzo::Condition& c, std::vector<const arazzo::Expression*>* out) {
  if (c.kind == arazzo::Condition::Kind::kExpression) {
    for (const arazzo::Expression* seen : *out)
      if (seen->text == c.expression.text) return;
    out->push_back(&c.expression);
  }
  for (const arazzo::Condition& operand : c.operands) CollectExpressions(operand, out);
}

}  // namespace

std::optional<Json> StepExpressions::Value(const arazzo::Expression& e) const {
  using arazzo::Source;
  switch (e.source) {
    case Source::kUrl:
      if (request_) return Json(request_->url);
      break;
    case Source::kMethod:
      if (request_) return Json(request_->method);
      break;
    case Source::kStatusCode:
      if (response_) return Json(response_->status);
      break;
    case Source::kRequestHeader:
      if (request_)
        if (auto v = HeaderValue(request_->headers, e.name)) return Json(*v);
      break;
    case Source::kRequestQuery:
      if (request_)
        if (auto v = QueryValue(request_->url, e.name)) return Json(*v);
      break;
    case Source::kRequestBody:
      if (request_ && !request_->body.empty()) {
        Json parsed = Json::parse(request_->body, nullptr, false);
        return parsed.is_discarded() ? Json(request_->body) : parsed;
      }
      break;
    case Source::kResponseHeader:
      if (response_)
        if (auto v = HeaderValue(response_->headers, e.name)) return Json(*v);
      break;
    case Source::kResponseBody:
      if (response_body_) return *response_body_;
      if (response_) return Json(response_->body);
      break;
    case Source::kInputs:
      return Variable(scope_, "inputs." + e.name);
    case Source::kOutputs:
      return Variable(scope_, "outputs." + e.name);
    case Source::kSteps:
      return Variable(scope_, ScopedName(e, "steps"));
    case Source::kWorkflows:
      return Variable(scope_, ScopedName(e, "workflows"));
    case Source::kRequestPath:  // a recipe's path is a template, not named parameters
    case Source::kSourceDescriptions:
    case Source::kComponents:  // both resolved when the workflow became a recipe
      break;
  }
  return std::nullopt;
}

CriterionVerdict EvaluateCriterion(std::string_view type, std::string_view context,
                                   std::string_view condition, const arazzo::EvalContext& values,
                                   size_t max_chars, const expr::TextMask& mask) {
  auto show = [&](const Json& value) { return expr::BoundedExcerpt(value, max_chars, mask); };
  CriterionVerdict out;
  arazzo::ExpressionError error;
  Json context_value;
  if (type == "simple") {
    std::optional<arazzo::Condition> parsed = arazzo::ParseCondition(condition, &error);
    if (!parsed) {
      out.why = fmt::format("the condition does not parse (column {}): {}", error.offset + 1,
                            error.message);
      return out;
    }
    std::vector<const arazzo::Expression*> expressions;
    CollectExpressions(*parsed, &expressions);
    for (const arazzo::Expression* e : expressions) {
      Result<Json> value = arazzo::Evaluate(*e, values);
      out.seen += fmt::format("{}{} {}", out.seen.empty() ? "" : ", ", e->text,
                              value.ok() ? "= " + show(*value) : "has no value");
    }
    Result<bool> held = arazzo::EvaluateCondition(*parsed, values);
    if (!held.ok()) {
      out.why = held.status().message();
      return out;
    }
    out.passed = *held;
    if (!out.passed) out.why = "the condition is false";
    return out;
  }
  std::optional<arazzo::Expression> parsed = arazzo::ParseExpression(context, &error);
  if (!parsed) {
    out.why = fmt::format("the context {} does not parse: {}", Quoted(context), error.message);
    return out;
  }
  Result<Json> value = arazzo::Evaluate(*parsed, values);
  if (!value.ok()) {
    out.seen = fmt::format("{} has no value", context);
    out.why = value.status().message();
    return out;
  }
  out.seen = fmt::format("{} = {}", context, show(*value));
  Result<bool> held = arazzo::EvaluateCriterion(type, condition, *value, values);
  if (!held.ok()) {
    out.why = held.status().message();
    return out;
  }
  out.passed = *held;
  if (!out.passed)
    out.why = type == "regex" ? "the pattern does not match" : "the JSONPath selects nothing";
  return out;
}

void ExtractExpressions(const doc::Step& step, const arazzo::EvalContext& values,
                        const expr::TextMask& mask, expr::Extraction* extraction) {
  for (const doc::Extract& e : step.extract) {
    if (e.expression.empty()) continue;
    arazzo::ExpressionError error;
    std::optional<arazzo::Expression> parsed = arazzo::ParseExpression(e.expression, &error);
    Result<Json> value = parsed ? arazzo::Evaluate(*parsed, values)
                                : Result<Json>(Status::InvalidArgument(error.message));
    if (value.ok()) {
      extraction->values.emplace_back(e.name, std::move(*value));
    } else if (e.default_value) {
      extraction->values.emplace_back(e.name, *e.default_value);
    } else if (e.optional) {
      extraction->optional_misses.push_back(e.name);
    } else {
      std::string message = fmt::format("extract {}: {}", e.name, value.status().message());
      extraction->failures.push_back(
          {"EXTRACT_MISS", e.name, e.expression, mask ? mask(message) : message});
    }
  }
}

std::optional<std::string> HeaderValue(const http::Headers& headers, std::string_view name) {
  std::optional<std::string> joined;
  for (const auto& [n, v] : headers) {
    if (!IEquals(n, name)) continue;
    joined = joined ? *joined + ", " + v : v;
  }
  return joined;
}

}  // namespace verity::run
