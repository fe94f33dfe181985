// Filter evaluation: logical operators, existence tests and comparisons (RFC 9535 §2.3.5.2).
#include <utility>

#include "expr/jsonpath_eval.h"

namespace verity::expr::jsonpath_detail {
namespace {

bool IsNumber(const Json& v) { return v.is_number(); }

// -1, 0 or 1. Integers are compared exactly (an int64 beyond 2^53 would lose precision as a
// double); anything involving a float is compared as doubles.
int CompareNumbers(const Json& a, const Json& b) {
  auto sign = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
  if (a.is_number_float() || b.is_number_float()) {
    return sign(a.get<double>(), b.get<double>());
  }
  bool a_unsigned = a.is_number_unsigned();
  bool b_unsigned = b.is_number_unsigned();
  if (a_unsigned && b_unsigned) return sign(a.get<uint64_t>(), b.get<uint64_t>());
  if (!a_unsigned && !b_unsigned) return sign(a.get<int64_t>(), b.get<int64_t>());
  if (a_unsigned) {
    int64_t y = b.get<int64_t>();
    return y < 0 ? 1 : sign(a.get<uint64_t>(), static_cast<uint64_t>(y));
  }
  int64_t x = a.get<int64_t>();
  return x < 0 ? -1 : sign(static_cast<uint64_t>(x), b.get<uint64_t>());
}

bool ScalarEqual(const Json& a, const Json& b) {
  if (IsNumber(a) && IsNumber(b)) return CompareNumbers(a, b) == 0;
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case Json::value_t::string:
      return a.get_ref<const std::string&>() == b.get_ref<const std::string&>();
    case Json::value_t::boolean:
      return a.get<bool>() == b.get<bool>();
    case Json::value_t::null:
      return true;
    default:
      return false;
  }
}

// Deep equality with objects compared as unordered maps. Iterative, because both sides may come
// from a document nested deeper than the call stack could follow.
bool DeepEqual(const Json& a, const Json& b) {
  // Most comparisons in a filter are of two scalars (`@.status == 'active'`): no work list.
  if (!a.is_structured() || !b.is_structured()) return ScalarEqual(a, b);
  std::vector<std::pair<const Json*, const Json*>> pending{{&a, &b}};
  while (!pending.empty()) {
    auto [x, y] = pending.back();
    pending.pop_back();
    if (x->is_array()) {
      if (!y->is_array() || x->size() != y->size()) return false;
      const auto& xs = x->get_ref<const Json::array_t&>();
      const auto& ys = y->get_ref<const Json::array_t&>();
      for (size_t i = 0; i < xs.size(); ++i) pending.emplace_back(&xs[i], &ys[i]);
    } else if (x->is_object()) {
      if (!y->is_object() || x->size() != y->size()) return false;
      const auto& ym = y->get_ref<const Json::object_t&>();
      for (const auto& [key, value] : x->get_ref<const Json::object_t&>()) {
        auto it = ym.find(key);
        if (it == ym.end()) return false;
        pending.emplace_back(&value, &it->second);
      }
    } else if (!ScalarEqual(*x, *y)) {
      return false;
    }
  }
  return true;
}

// Nothing equals only Nothing.
bool Equal(const Json* a, const Json* b) {
  if (a == nullptr || b == nullptr) return a == b;
  return DeepEqual(*a, *b);
}

// Only numbers with numbers and strings with strings are ordered; anything else is never less.
bool Less(const Json* a, const Json* b) {
  if (a == nullptr || b == nullptr) return false;
  if (IsNumber(*a) && IsNumber(*b)) return CompareNumbers(*a, *b) < 0;
  if (a->is_string() && b->is_string()) {
    // Byte order of UTF-8 is code point order, which is what RFC 9535 §2.3.5.2.2 asks for.
    return a->get_ref<const std::string&>() < b->get_ref<const std::string&>();
  }
  return false;
}

bool CompareNodes(CompareOp op, const Json* a, const Json* b) {
  switch (op) {
    case CompareOp::kEq:
      return Equal(a, b);
    case CompareOp::kNe:
      return !Equal(a, b);
    case CompareOp::kLt:
      return Less(a, b);
    case CompareOp::kLe:
      return Less(a, b) || Equal(a, b);
    case CompareOp::kGt:
      return Less(b, a);
    case CompareOp::kGe:
      return Less(b, a) || Equal(a, b);
  }
  return false;
}

bool Compare(CompareOp op, const FilterValue& left, const FilterValue& right) {
  if (!left.is_number && !right.is_number) return CompareNodes(op, left.ref, right.ref);
  // Numbers computed by length() and count() become Json only here, on the stack; a filter over
  // a long list compares nodes far more often, and builds no temporaries for them.
  Json left_number = left.is_number ? Json(left.number) : Json();
  Json right_number = right.is_number ? Json(right.number) : Json();
  return CompareNodes(op, left.is_number ? &left_number : left.ref,
                      right.is_number ? &right_number : right.ref);
}

}  // namespace

FilterValue EvalValue(const Expr& expr, const FilterContext& ctx) {
  switch (expr.kind) {
    case Expr::Kind::kLiteral:
      return FilterValue::Of(&expr.literal);
    case Expr::Kind::kQuery:
      return FilterValue::Of(SelectSingular(expr.query, ctx));
    case Expr::Kind::kFunction:
      return CallValueFunction(expr, ctx);
    default:
      return FilterValue::Nothing();
  }
}

bool FilterMatches(const Expr& expr, const FilterContext& ctx) {
  switch (expr.kind) {
    case Expr::Kind::kOr:
      for (const auto& operand : expr.operands) {
        if (FilterMatches(*operand, ctx)) return true;
      }
      return false;
    case Expr::Kind::kAnd:
      for (const auto& operand : expr.operands) {
        if (!FilterMatches(*operand, ctx)) return false;
      }
      return true;
    case Expr::Kind::kNot:
      return !FilterMatches(*expr.operands[0], ctx);
    case Expr::Kind::kCompare:
      return Compare(expr.op, EvalValue(*expr.operands[0], ctx), EvalValue(*expr.operands[1], ctx));
    case Expr::Kind::kQuery: {
      if (expr.query.singular) return SelectSingular(expr.query, ctx) != nullptr;
      std::vector<const Json*> nodes;
      SelectValues(expr.query, ctx, &nodes);
      return !nodes.empty();
    }
    case Expr::Kind::kFunction:
      return CallLogicalFunction(expr, ctx);
    case Expr::Kind::kLiteral:
      return false;  // the parser only lets literals appear in comparisons
  }
  return false;
}

}  // namespace verity::expr::jsonpath_detail
