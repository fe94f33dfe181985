// Filter expressions (RFC 9535 §2.3.5) and function extensions (§2.4), type-checked as they are
// parsed.
#include <fmt/format.h>

#include <algorithm>

#include "base/strings.h"
#include "expr/jsonpath_functions.h"
#include "expr/jsonpath_parser.h"

namespace verity::expr::jsonpath_detail {
namespace {

std::unique_ptr<Expr> Combine(Expr::Kind kind, std::unique_ptr<Expr> first) {
  auto e = std::make_unique<Expr>();
  e->kind = kind;
  e->operands.push_back(std::move(first));
  return e;
}

bool StartsOperand(char c) {
  return c == '@' || c == '$' || c == '\'' || c == '"' || c == '-' || (c >= '0' && c <= '9') ||
         (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool IsComparisonStart(char c, char d) {
  return c == '<' || c == '>' || (c == '=' && d == '=') || (c == '!' && d == '=');
}

const char* Ordinal(size_t n) {
  switch (n) {
    case 1:
      return "first";
    case 2:
      return "second";
    default:
      return "third";
  }
}

}  // namespace

std::unique_ptr<Expr> Parser::LogicalOr() {
  std::unique_ptr<Expr> first = LogicalAnd();
  if (!first) return nullptr;
  std::unique_ptr<Expr> result;
  while (true) {
    size_t save = lex_.pos();
    lex_.SkipBlank();
    if (!lex_.Consume("||")) {
      lex_.set_pos(save);
      break;
    }
    lex_.SkipBlank();
    std::unique_ptr<Expr> next = LogicalAnd();
    if (!next) return nullptr;
    if (!result) result = Combine(Expr::Kind::kOr, std::move(first));
    result->operands.push_back(std::move(next));
  }
  return result ? std::move(result) : std::move(first);
}

std::unique_ptr<Expr> Parser::LogicalAnd() {
  std::unique_ptr<Expr> first = Basic();
  if (!first) return nullptr;
  std::unique_ptr<Expr> result;
  while (true) {
    size_t save = lex_.pos();
    lex_.SkipBlank();
    if (!lex_.Consume("&&")) {
      lex_.set_pos(save);
      break;
    }
    lex_.SkipBlank();
    std::unique_ptr<Expr> next = Basic();
    if (!next) return nullptr;
    if (!result) result = Combine(Expr::Kind::kAnd, std::move(first));
    result->operands.push_back(std::move(next));
  }
  return result ? std::move(result) : std::move(first);
}

std::unique_ptr<Expr> Parser::Basic() {
  size_t at = lex_.pos();
  if (lex_.Consume('!')) {
    if (!Enter(at)) return nullptr;
    lex_.SkipBlank();
    std::unique_ptr<Expr> inner;
    if (lex_.Peek() == '!') {
      lex_.Fail(lex_.pos(), "'!' cannot follow '!' directly; write !(!…)");
      return nullptr;
    }
    if (lex_.Peek() == '(') {
      inner = Parenthesized();
    } else {
      Operand operand;
      if (!Primary(&operand) || !CheckTestable(operand)) return nullptr;
      inner = std::move(operand.expr);
      size_t after = lex_.pos();
      lex_.SkipBlank();
      if (IsComparisonStart(lex_.Peek(), lex_.Peek(1))) {
        lex_.Fail(at, "'!' cannot negate a comparison directly; write !(… == …)");
        return nullptr;
      }
      lex_.set_pos(after);
    }
    if (!inner) return nullptr;
    Leave();
    return Combine(Expr::Kind::kNot, std::move(inner));
  }
  if (lex_.Peek() == '(') return Parenthesized();

  Operand left;
  if (!Primary(&left)) return nullptr;
  size_t save = lex_.pos();
  lex_.SkipBlank();
  CompareOp op;
  if (!ComparisonOperator(&op)) {
    if (lex_.failed()) return nullptr;
    lex_.set_pos(save);
    if (!CheckTestable(left)) return nullptr;
    return std::move(left.expr);
  }
  if (!CheckComparable(left)) return nullptr;
  std::string_view op_text = lex_.text().substr(save, lex_.pos() - save);
  op_text.remove_prefix(std::min(op_text.find_first_not_of(" \t\n\r"), op_text.size()));
  lex_.SkipBlank();
  if (!StartsOperand(lex_.Peek())) {
    lex_.Fail(lex_.pos(), fmt::format("expected a value to compare after '{}', found {}", op_text,
                                      lex_.Describe(lex_.pos())));
    return nullptr;
  }
  Operand right;
  if (!Primary(&right) || !CheckComparable(right)) return nullptr;
  save = lex_.pos();
  lex_.SkipBlank();
  CompareOp again;
  if (ComparisonOperator(&again)) {
    lex_.Fail(save, "comparisons cannot be chained; join them with &&");
    return nullptr;
  }
  lex_.set_pos(save);
  auto e = std::make_unique<Expr>();
  e->kind = Expr::Kind::kCompare;
  e->op = op;
  e->operands.push_back(std::move(left.expr));
  e->operands.push_back(std::move(right.expr));
  return e;
}

std::unique_ptr<Expr> Parser::Parenthesized() {
  size_t open = lex_.pos();
  lex_.Consume('(');
  if (!Enter(open)) return nullptr;
  lex_.SkipBlank();
  std::unique_ptr<Expr> e = LogicalOr();
  if (!e) return nullptr;
  lex_.SkipBlank();
  if (!lex_.Consume(')')) {
    lex_.Fail(
        lex_.pos(),
        fmt::format("expected ')' to close the parenthesis at column {}, found {}",
                    CodePointCount(lex_.text().substr(0, open)) + 1, lex_.Describe(lex_.pos())));
    return nullptr;
  }
  Leave();
  e->parenthesized = true;
  return e;
}

bool Parser::ComparisonOperator(CompareOp* op) {
  char c = lex_.Peek();
  char d = lex_.Peek(1);
  if (c == '=' && d == '=') {
    *op = CompareOp::kEq;
  } else if (c == '!' && d == '=') {
    *op = CompareOp::kNe;
  } else if (c == '<' && d == '=') {
    *op = CompareOp::kLe;
  } else if (c == '>' && d == '=') {
    *op = CompareOp::kGe;
  } else if (c == '<' || c == '>') {
    *op = c == '<' ? CompareOp::kLt : CompareOp::kGt;
    lex_.Consume(c);
    return true;
  } else if (c == '=') {
    return lex_.Fail(lex_.pos(), "'=' is not an operator; compare with '=='");
  } else {
    return false;
  }
  lex_.Consume(std::string_view(lex_.text().substr(lex_.pos(), 2)));
  return true;
}

bool Parser::Primary(Operand* out) {
  size_t at = lex_.pos();
  out->at = at;
  char c = lex_.Peek();
  if (c == '@' || c == '$') return RelativeOrAbsoluteQuery(out);
  if (c == '\'' || c == '"' || c == '-' || Lexer::IsDigit(c)) return Literal(out);
  if (c >= 'a' && c <= 'z') {
    std::string_view name = lex_.LowerName();
    if (lex_.Peek() == '(') return Function(name, at, out);
    if (name == "true" || name == "false" || name == "null") {
      lex_.set_pos(at);
      return Literal(out);
    }
    size_t after = lex_.pos();
    lex_.SkipBlank();
    if (lex_.Peek() == '(' && FindFunction(name) != nullptr) {
      return lex_.Fail(after, "blank space between a function name and '(' is not allowed");
    }
    return lex_.Fail(at, fmt::format("unknown name '{}': expected a query, a literal or a function "
                                     "call",
                                     name));
  }
  if (c >= 'A' && c <= 'Z') {
    std::string word;
    while (Lexer::IsNameFirst(lex_.Peek()) || Lexer::IsDigit(lex_.Peek())) {
      word.push_back(lex_.Peek());
      lex_.set_pos(lex_.pos() + 1);
    }
    if (word == "True" || word == "False" || word == "Null" || word == "TRUE" || word == "FALSE" ||
        word == "NULL") {
      return lex_.Fail(at, "literals are lowercase: true, false, null");
    }
    return lex_.Fail(at, fmt::format("unknown name '{}': expected a query, a literal or a function "
                                     "call",
                                     word));
  }
  return lex_.Fail(at, fmt::format("expected a query, a literal or a function call, found {}",
                                   lex_.Describe(at)));
}

bool Parser::RelativeOrAbsoluteQuery(Operand* out) {
  auto e = std::make_unique<Expr>();
  e->kind = Expr::Kind::kQuery;
  e->query.absolute = lex_.Peek() == '$';
  lex_.set_pos(lex_.pos() + 1);
  if (!Segments(&e->query, /*top_level=*/false)) return false;
  out->expr = std::move(e);
  out->type = Type::kNodes;
  return true;
}

bool Parser::Literal(Operand* out) {
  auto e = std::make_unique<Expr>();
  e->kind = Expr::Kind::kLiteral;
  char c = lex_.Peek();
  if (c == '\'' || c == '"') {
    std::string s;
    if (!lex_.StringLiteral(&s)) return false;
    e->literal = std::move(s);
  } else if (c == '-' || Lexer::IsDigit(c)) {
    if (!lex_.Number(&e->literal)) return false;
  } else if (lex_.Consume("true")) {
    e->literal = true;
  } else if (lex_.Consume("false")) {
    e->literal = false;
  } else {
    lex_.Consume("null");
    e->literal = nullptr;
  }
  out->expr = std::move(e);
  out->type = Type::kValue;
  return true;
}

bool Parser::Function(std::string_view name, size_t at, Operand* out) {
  const FunctionInfo* info = FindFunction(name);
  if (info == nullptr) return lex_.Fail(at, fmt::format("unknown function {}()", name));
  lex_.Consume('(');
  if (!Enter(at)) return false;
  lex_.SkipBlank();
  std::vector<Operand> args;
  if (!lex_.Consume(')')) {
    while (true) {
      Operand arg;
      if (!Argument(name, args.size() + 1, &arg)) return false;
      args.push_back(std::move(arg));
      lex_.SkipBlank();
      if (lex_.Consume(',')) {
        lex_.SkipBlank();
        continue;
      }
      if (lex_.Consume(')')) break;
      return lex_.Fail(lex_.pos(), fmt::format("expected ',' or ')' in the arguments of {}(), "
                                               "found {}",
                                               name, lex_.Describe(lex_.pos())));
    }
  }
  Leave();
  if (args.size() != info->params.size()) {
    return lex_.Fail(at, fmt::format("function {}() expects {} argument{}", name,
                                     info->params.size(), info->params.size() == 1 ? "" : "s"));
  }
  auto e = std::make_unique<Expr>();
  e->kind = Expr::Kind::kFunction;
  e->function = info->id;
  for (size_t i = 0; i < args.size(); ++i) {
    Operand& arg = args[i];
    const Expr& a = *arg.expr;
    if (info->params[i] == ParamType::kNodes) {
      if (a.kind != Expr::Kind::kQuery) {
        return lex_.Fail(
            arg.at, fmt::format("the {} argument of {}() must be a query", Ordinal(i + 1), name));
      }
    } else if (arg.type == Type::kLogical) {
      return lex_.Fail(arg.at, fmt::format("the {} argument of {}() must be a value, not a logical "
                                           "result",
                                           Ordinal(i + 1), name));
    } else if (a.kind == Expr::Kind::kQuery && !a.query.singular) {
      return lex_.Fail(arg.at, fmt::format("the {} argument of {}() must be a singular query "
                                           "(names and indices only) or a value",
                                           Ordinal(i + 1), name));
    }
    e->operands.push_back(std::move(arg.expr));
  }
  if ((info->id == FunctionId::kMatch || info->id == FunctionId::kSearch) &&
      e->operands[1]->kind == Expr::Kind::kLiteral) {
    // A literal pattern is compiled once, here, instead of per node.
    e->regex_is_literal = true;
    const Json& pattern = e->operands[1]->literal;
    if (pattern.is_string()) e->regex = CompileIRegexp(pattern.get_ref<const std::string&>());
  }
  out->expr = std::move(e);
  out->type = info->result == ResultType::kLogical ? Type::kLogical
              : info->result == ResultType::kNodes ? Type::kNodes
                                                   : Type::kValue;
  return true;
}

bool Parser::Argument(std::string_view function, size_t index, Operand* out) {
  size_t at = lex_.pos();
  auto logical = [&](size_t where) {
    return lex_.Fail(where, fmt::format("the {} argument of {}() cannot be a logical expression",
                                        Ordinal(index), function));
  };
  if (lex_.Peek() == '!' || lex_.Peek() == '(') return logical(at);
  if (!Primary(out)) return false;
  size_t save = lex_.pos();
  lex_.SkipBlank();
  char c = lex_.Peek();
  if (c == '=' || c == '!' || c == '<' || c == '>' || lex_.Consume("&&") || lex_.Consume("||")) {
    return logical(save);
  }
  lex_.set_pos(save);
  return true;
}

bool Parser::CheckComparable(const Operand& operand) {
  const Expr& e = *operand.expr;
  if (e.kind == Expr::Kind::kQuery && !e.query.singular) {
    return lex_.Fail(operand.at,
                     "a query in a comparison must be singular (names and indices only)");
  }
  if (e.kind == Expr::Kind::kFunction && operand.type != Type::kValue) {
    return lex_.Fail(
        operand.at, fmt::format("the result of {}() cannot be compared", FunctionName(e.function)));
  }
  return true;
}

bool Parser::CheckTestable(const Operand& operand) {
  const Expr& e = *operand.expr;
  if (e.kind == Expr::Kind::kLiteral) {
    return lex_.Fail(operand.at, "a literal must be compared with something");
  }
  if (e.kind == Expr::Kind::kFunction && operand.type == Type::kValue) {
    return lex_.Fail(operand.at,
                     fmt::format("the result of {}() must be compared", FunctionName(e.function)));
  }
  return true;
}

}  // namespace verity::expr::jsonpath_detail
