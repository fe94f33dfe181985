#include "expr/arazzo_expression.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <cctype>
#include <cmath>

#include "base/strings.h"
#include "expr/jsonpath.h"

namespace verity::arazzo {

namespace {

bool Fail(ExpressionError* error, size_t offset, std::string message) {
  if (error != nullptr) *error = {offset, std::move(message)};
  return false;
}

// RFC 6901: '~' only as "~0" or "~1".
bool ValidPointer(std::string_view p, size_t base, ExpressionError* error) {
  if (!p.empty() && p[0] != '/')
    return Fail(error, base, "a JSON Pointer after '#' starts with '/'");
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '~' && (i + 1 == p.size() || (p[i + 1] != '0' && p[i + 1] != '1')))
      return Fail(error, base + i, "'~' in a JSON Pointer is written ~0 or ~1");
  }
  return true;
}

bool TokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Splits "a.b" at its first '.', at `offset` bytes into the whole expression.
bool TakeSegment(std::string_view& rest, size_t& offset, std::string* out, std::string_view what,
                 ExpressionError* error) {
  size_t dot = rest.find('.');
  if (dot == std::string_view::npos || dot == 0)
    return Fail(error, offset, fmt::format("expected {} followed by '.'", what));
  *out = std::string(rest.substr(0, dot));
  rest.remove_prefix(dot + 1);
  offset += dot + 1;
  return true;
}

// After "$request." or "$response.": header.NAME, query.NAME, path.NAME (requests only), body#/ptr.
bool ParseMessageTail(std::string_view rest, size_t offset, Expression& e, ExpressionError* error) {
  bool response = e.source == Source::kResponseHeader;
  auto named = [&](size_t prefix, Source source, std::string_view what) {
    rest.remove_prefix(prefix);
    offset += prefix;
    if (rest.empty()) return Fail(error, offset, fmt::format("expected {}", what));
    e.source = source;
    e.name = std::string(rest);
    return true;
  };
  if (rest.starts_with("header.")) {
    for (size_t i = 7; i < rest.size(); ++i)
      if (!TokenChar(rest[i])) return Fail(error, offset + i, "not a header name character");
    return named(7, e.source, "a header name");
  }
  if (rest.starts_with("query.") || rest.starts_with("path.")) {
    bool query = rest.starts_with("query.");
    if (response)
      return Fail(error, offset,
                  fmt::format("a response has no {} parameters", query ? "query" : "path"));
    return query ? named(6, Source::kRequestQuery, "a query parameter name")
                 : named(5, Source::kRequestPath, "a path parameter name");
  }
  if (!rest.starts_with("body"))
    return Fail(error, offset, "expected header., query., path. or body");
  e.source = response ? Source::kResponseBody : Source::kRequestBody;
  rest.remove_prefix(4);
  offset += 4;
  if (rest.empty()) return true;
  if (rest[0] != '#') return Fail(error, offset, "expected '#' and a JSON Pointer after body");
  e.has_pointer = true;
  e.pointer = std::string(rest.substr(1));
  return ValidPointer(rest.substr(1), offset + 1, error);
}

// After "$steps." or "$workflows.": ID.outputs.NAME (or a workflow's ID.inputs.NAME).
bool ParseRunTail(std::string_view& rest, size_t& offset, Expression& e, ExpressionError* error) {
  if (!TakeSegment(rest, offset, &e.id, e.source == Source::kSteps ? "a step id" : "a workflow id",
                   error))
    return false;
  // The ABNF lets any name follow the id; only `outputs.` (and a workflow's `inputs.`) name
  // something, which lint checks, so other text is kept whole in `name`.
  for (std::string_view field : {"outputs.", "inputs."}) {
    if (field == "inputs." && e.source == Source::kSteps) continue;
    if (rest.starts_with(field)) {
      e.field = std::string(field.substr(0, field.size() - 1));
      rest.remove_prefix(field.size());
      offset += field.size();
      break;
    }
  }
  return true;
}

bool ParseTail(std::string_view rest, size_t offset, Expression& e, ExpressionError* error) {
  switch (e.source) {
    case Source::kUrl:
    case Source::kMethod:
    case Source::kStatusCode:
      return rest.empty() || Fail(error, offset, "unexpected text after the expression");
    case Source::kRequestHeader:
    case Source::kResponseHeader:
      return ParseMessageTail(rest, offset, e, error);
    case Source::kSteps:
    case Source::kWorkflows:
      if (!ParseRunTail(rest, offset, e, error)) return false;
      break;
    case Source::kComponents:
      if (!TakeSegment(rest, offset, &e.field, "a component kind", error)) return false;
      if (e.field != "parameters" && e.field != "inputs" && e.field != "successActions" &&
          e.field != "failureActions")
        return Fail(error, offset - e.field.size() - 1,
                    fmt::format("unknown component kind '{}'", e.field));
      break;
    case Source::kSourceDescriptions:
      if (!TakeSegment(rest, offset, &e.id, "a source description name", error)) return false;
      break;
    default:
      break;
  }
  size_t hash = rest.find('#');
  if (hash != std::string_view::npos) {
    e.has_pointer = true;
    e.pointer = std::string(rest.substr(hash + 1));
    if (!ValidPointer(e.pointer, offset + hash + 1, error)) return false;
    rest = rest.substr(0, hash);
  }
  if (rest.empty()) return Fail(error, offset, "expected a name");
  e.name = std::string(rest);
  return true;
}

}  // namespace

std::optional<Expression> ParseExpression(std::string_view text, ExpressionError* error) {
  static constexpr std::pair<std::string_view, Source> kRoots[] = {
      {"$url", Source::kUrl},
      {"$method", Source::kMethod},
      {"$statusCode", Source::kStatusCode},
      {"$request.", Source::kRequestHeader},
      {"$response.", Source::kResponseHeader},
      {"$inputs.", Source::kInputs},
      {"$outputs.", Source::kOutputs},
      {"$steps.", Source::kSteps},
      {"$workflows.", Source::kWorkflows},
      {"$sourceDescriptions.", Source::kSourceDescriptions},
      {"$components.", Source::kComponents},
  };
  if (text.empty() || text[0] != '$') {
    Fail(error, 0, "a runtime expression starts with '$'");
    return std::nullopt;
  }
  for (const auto& [prefix, source] : kRoots) {
    if (!text.starts_with(prefix)) continue;
    Expression e;
    e.source = source;
    e.text = std::string(text);
    if (!ParseTail(text.substr(prefix.size()), prefix.size(), e, error)) return std::nullopt;
    return e;
  }
  size_t end = 1;
  while (end < text.size() && std::isalpha(static_cast<unsigned char>(text[end]))) ++end;
  Fail(error, 0, fmt::format("unknown runtime expression '{}'", text.substr(0, end)));
  return std::nullopt;
}

std::optional<std::vector<TemplatePart>> ParseTemplate(std::string_view text,
                                                       ExpressionError* error) {
  std::vector<TemplatePart> parts;
  size_t at = 0;
  while (at < text.size()) {
    size_t open = text.find("{$", at);
    if (open == std::string_view::npos) open = text.size();
    if (open > at) parts.push_back({false, std::string(text.substr(at, open - at)), {}});
    if (open == text.size()) break;
    size_t close = text.find('}', open);
    if (close == std::string_view::npos) {
      Fail(error, open, "'{$' without its closing '}'");
      return std::nullopt;
    }
    ExpressionError inner;
    std::optional<Expression> e = ParseExpression(text.substr(open + 1, close - open - 1), &inner);
    if (!e) {
      Fail(error, open + 1 + inner.offset, inner.message);
      return std::nullopt;
    }
    parts.push_back({true, "", std::move(*e)});
    at = close + 1;
  }
  return parts;
}

namespace {

// A recursive-descent parser over the condition text. Depth is bounded: conditions come from
// documents, and nesting must not exhaust the stack.
class ConditionParser {
 public:
  ConditionParser(std::string_view text, ExpressionError* error) : text_(text), error_(error) {}

  std::optional<Condition> Parse() {
    std::optional<Condition> c = Or();
    if (!c) return std::nullopt;
    Skip();
    if (at_ < text_.size()) return Error("unexpected text");
    return c;
  }

 private:
  static constexpr int kMaxDepth = 64;

  std::optional<Condition> Error(std::string message) {
    if (!failed_) Fail(error_, at_, std::move(message));
    failed_ = true;
    return std::nullopt;
  }
  void Skip() {
    while (at_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[at_]))) ++at_;
  }
  bool Eat(std::string_view op) {
    Skip();
    if (!text_.substr(at_).starts_with(op)) return false;
    at_ += op.size();
    return true;
  }
  std::optional<Condition> Binary(Condition::Kind kind, std::string_view op,
                                  std::optional<Condition> (ConditionParser::*next)()) {
    std::optional<Condition> left = (this->*next)();
    while (left && Eat(op)) {
      std::optional<Condition> right = (this->*next)();
      if (!right) return std::nullopt;
      Condition c;
      c.kind = kind;
      c.operands = {std::move(*left), std::move(*right)};
      left = std::move(c);
    }
    return left;
  }
  std::optional<Condition> Or() {
    return Binary(Condition::Kind::kOr, "||", &ConditionParser::And);
  }
  std::optional<Condition> And() {
    return Binary(Condition::Kind::kAnd, "&&", &ConditionParser::Compare);
  }
  std::optional<Condition> Compare() {
    std::optional<Condition> left = Unary();
    if (!left) return std::nullopt;
    for (std::string_view op : {"==", "!=", "<=", ">=", "<", ">"}) {
      if (!Eat(op)) continue;
      std::optional<Condition> right = Unary();
      if (!right) return std::nullopt;
      Condition c;
      c.kind = Condition::Kind::kCompare;
      c.op = std::string(op);
      c.operands = {std::move(*left), std::move(*right)};
      return c;
    }
    return left;
  }
  std::optional<Condition> Unary() {
    if (++depth_ > kMaxDepth) return Error("the condition nests too deeply");
    std::optional<Condition> c = Primary();
    --depth_;
    return c;
  }
  std::optional<Condition> Primary() {
    Skip();
    if (at_ == text_.size()) return Error("expected a value");
    char c = text_[at_];
    if (c == '!' && !text_.substr(at_).starts_with("!=")) {
      ++at_;
      std::optional<Condition> inner = Unary();
      if (!inner) return std::nullopt;
      Condition n;
      n.kind = Condition::Kind::kNot;
      n.operands.push_back(std::move(*inner));
      return n;
    }
    if (c == '(') {
      ++at_;
      std::optional<Condition> inner = Or();
      if (!inner) return std::nullopt;
      if (!Eat(")")) return Error("expected ')'");
      return inner;
    }
    if (c == '\'') return StringLiteral();
    if (c == '$') return ExpressionOperand();
    size_t start = at_;
    while (at_ < text_.size() && !std::isspace(static_cast<unsigned char>(text_[at_])) &&
           std::string_view("=!<>&|()").find(text_[at_]) == std::string_view::npos)
      ++at_;
    std::string word(text_.substr(start, at_ - start));
    Condition lit;
    if (word == "null" || word == "true" || word == "false") {
      lit.literal = word == "null" ? Json(nullptr) : Json(word == "true");
      return lit;
    }
    Result<Json> number = ParseJson(word);
    if (!word.empty() && number.ok() && number->is_number()) {
      lit.literal = std::move(*number);
      return lit;
    }
    at_ = start;
    return Error(word.empty() ? "expected a value" : fmt::format("unknown value '{}'", word));
  }
  std::optional<Condition> StringLiteral() {
    std::string value;
    for (size_t i = at_ + 1; i < text_.size(); ++i) {
      if (text_[i] != '\'') {
        value += text_[i];
      } else if (i + 1 < text_.size() && text_[i + 1] == '\'') {  // '' is a quote
        value += '\'';
        ++i;
      } else {
        at_ = i + 1;
        Condition lit;
        lit.literal = value;
        return lit;
      }
    }
    return Error("a string without its closing quote");
  }
  std::optional<Condition> ExpressionOperand() {
    size_t start = at_;
    while (at_ < text_.size() && !std::isspace(static_cast<unsigned char>(text_[at_])) &&
           std::string_view("=!<>&|()").find(text_[at_]) == std::string_view::npos)
      ++at_;
    ExpressionError inner;
    std::optional<Expression> e = ParseExpression(text_.substr(start, at_ - start), &inner);
    if (!e) {
      at_ = start + inner.offset;
      return Error(inner.message);
    }
    Condition c;
    c.kind = Condition::Kind::kExpression;
    c.expression = std::move(*e);
    return c;
  }

  std::string_view text_;
  ExpressionError* error_;
  size_t at_ = 0;
  int depth_ = 0;
  bool failed_ = false;
};

}  // namespace

std::optional<Condition> ParseCondition(std::string_view text, ExpressionError* error) {
  return ConditionParser(text, error).Parse();
}

Result<Json> Evaluate(const Expression& expression, const EvalContext& context) {
  std::optional<Json> value = context.Value(expression);
  if (!value) return Status::NotFound(fmt::format("{} has no value", expression.text));
  if (!expression.has_pointer || expression.pointer.empty()) return std::move(*value);
  try {
    Json::json_pointer pointer(expression.pointer);
    if (value->contains(pointer)) return value->at(pointer);
  } catch (const std::exception&) {
  }
  return Status::NotFound(
      fmt::format("{}: the value has nothing at {}", expression.text, expression.pointer));
}

Result<std::string> EvaluateTemplate(const std::vector<TemplatePart>& parts,
                                     const EvalContext& context) {
  std::string out;
  for (const TemplatePart& part : parts) {
    if (!part.is_expression) {
      out += part.literal;
      continue;
    }
    Result<Json> value = Evaluate(part.expression, context);
    if (!value.ok()) return value.status();
    out += value->is_string() ? value->get<std::string>() : value->dump();
  }
  return out;
}

namespace {

Result<Json> Operand(const Condition& c, const EvalContext& context) {
  if (c.kind == Condition::Kind::kLiteral) return c.literal;
  if (c.kind == Condition::Kind::kExpression) {
    Result<Json> value = Evaluate(c.expression, context);
    // A member that is absent compares as null: `$response.body#/error == null` holds then.
    if (!value.ok() && value.status().code() == StatusCode::kNotFound) return Json(nullptr);
    return value;
  }
  Result<bool> truth = EvaluateCondition(c, context);
  if (!truth.ok()) return truth.status();
  return Json(*truth);
}

// -1, 0, 1, or nullopt when the two cannot be ordered.
std::optional<int> Order(const Json& a, const Json& b) {
  if (a.is_number() && b.is_number()) {
    double x = a.get<double>(), y = b.get<double>();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (a.is_string() && b.is_string()) {
    std::string x = ToLower(a.get<std::string>()), y = ToLower(b.get<std::string>());
    return x < y ? -1 : x > y ? 1 : 0;
  }
  // A number written as text in a header compares with a number literal as that number.
  if ((a.is_string() && b.is_number()) || (a.is_number() && b.is_string())) {
    Result<Json> parsed = ParseJson(a.is_string() ? a.get<std::string>() : b.get<std::string>());
    if (!parsed.ok() || !parsed->is_number()) return std::nullopt;
    return a.is_string() ? Order(*parsed, b) : Order(a, *parsed);
  }
  return std::nullopt;
}

}  // namespace

Result<bool> EvaluateCondition(const Condition& c, const EvalContext& context) {
  switch (c.kind) {
    case Condition::Kind::kNot: {
      Result<bool> inner = EvaluateCondition(c.operands[0], context);
      if (!inner.ok()) return inner.status();
      return !*inner;
    }
    case Condition::Kind::kAnd:
    case Condition::Kind::kOr: {
      Result<bool> left = EvaluateCondition(c.operands[0], context);
      if (!left.ok()) return left.status();
      if (*left == (c.kind == Condition::Kind::kOr)) return *left;
      return EvaluateCondition(c.operands[1], context);
    }
    case Condition::Kind::kCompare: {
      Result<Json> a = Operand(c.operands[0], context);
      if (!a.ok()) return a.status();
      Result<Json> b = Operand(c.operands[1], context);
      if (!b.ok()) return b.status();
      std::optional<int> order = Order(*a, *b);
      if (c.op == "==" || c.op == "!=") {
        bool equal = order ? *order == 0 : *a == *b;
        return c.op == "==" ? equal : !equal;
      }
      if (!order)
        return Status::InvalidArgument(
            fmt::format("cannot order {} and {}", a->type_name(), b->type_name()));
      if (c.op == "<") return *order < 0;
      if (c.op == "<=") return *order <= 0;
      if (c.op == ">") return *order > 0;
      return *order >= 0;
    }
    default: {
      Result<Json> value = Operand(c, context);
      if (!value.ok()) return value.status();
      if (!value->is_boolean())
        return Status::InvalidArgument(
            fmt::format("a condition needs a boolean, got {}", value->type_name()));
      return value->get<bool>();
    }
  }
}

Result<bool> EvaluateCriterion(std::string_view type, std::string_view condition,
                               const Json& context_value, const EvalContext& context) {
  if (type == "simple") {
    ExpressionError error;
    std::optional<Condition> parsed = ParseCondition(condition, &error);
    if (!parsed)
      return Status::InvalidArgument(fmt::format("column {}: {}", error.offset + 1, error.message));
    return EvaluateCondition(*parsed, context);
  }
  if (type == "regex") {
    RE2 re(std::string(condition), RE2::Quiet);
    if (!re.ok()) return Status::InvalidArgument("invalid regex: " + re.error());
    std::string text =
        context_value.is_string() ? context_value.get<std::string>() : context_value.dump();
    return RE2::PartialMatch(text, re);
  }
  if (type == "jsonpath") {
    expr::JsonPathError error;
    Result<expr::JsonPath> query = expr::JsonPath::Compile(condition, {}, &error);
    if (!query.ok()) return Status::InvalidArgument("invalid JSONPath: " + error.ToString());
    return !query->Select(context_value).empty();
  }
  return Status::InvalidArgument(fmt::format("criteria of type '{}' are not supported", type));
}

}  // namespace verity::arazzo
