#include "expr/jsonpath_functions.h"

#include <re2/re2.h>

#include "base/strings.h"
#include "expr/jsonpath_eval.h"
#include "expr/jsonpath_iregexp.h"

namespace verity::expr::jsonpath_detail {
namespace {

const std::vector<FunctionInfo>& Functions() {
  static const std::vector<FunctionInfo> kFunctions = {
      {"length", FunctionId::kLength, {ParamType::kValue}, ResultType::kValue},
      {"count", FunctionId::kCount, {ParamType::kNodes}, ResultType::kValue},
      {"match", FunctionId::kMatch, {ParamType::kValue, ParamType::kValue}, ResultType::kLogical},
      {"search", FunctionId::kSearch, {ParamType::kValue, ParamType::kValue}, ResultType::kLogical},
      {"value", FunctionId::kValue, {ParamType::kNodes}, ResultType::kValue},
  };
  return kFunctions;
}

// The string a ValueType argument holds, or null for Nothing and every other type.
const std::string* StringOf(const FilterValue& v) {
  if (v.ref == nullptr || !v.ref->is_string()) return nullptr;
  return &v.ref->get_ref<const std::string&>();
}

FilterValue Length(const Expr& call, const FilterContext& ctx) {
  FilterValue arg = EvalValue(*call.operands[0], ctx);
  if (arg.ref == nullptr) return FilterValue::Nothing();  // Nothing, or a computed number
  const Json& v = *arg.ref;
  if (v.is_string()) {
    return FilterValue::Number(CodePointCount(v.get_ref<const std::string&>()));
  }
  if (v.is_array() || v.is_object()) return FilterValue::Number(static_cast<int64_t>(v.size()));
  return FilterValue::Nothing();
}

FilterValue Count(const Expr& call, const FilterContext& ctx) {
  const PathQuery& q = call.operands[0]->query;
  if (q.singular) return FilterValue::Number(SelectSingular(q, ctx) != nullptr ? 1 : 0);
  std::vector<const Json*> nodes;
  SelectValues(q, ctx, &nodes);
  return FilterValue::Number(static_cast<int64_t>(nodes.size()));
}

FilterValue Value(const Expr& call, const FilterContext& ctx) {
  const PathQuery& q = call.operands[0]->query;
  if (q.singular) return FilterValue::Of(SelectSingular(q, ctx));
  std::vector<const Json*> nodes;
  SelectValues(q, ctx, &nodes);
  return nodes.size() == 1 ? FilterValue::Of(nodes[0]) : FilterValue::Nothing();
}

bool Regex(const Expr& call, const FilterContext& ctx, bool whole) {
  const std::string* text = StringOf(EvalValue(*call.operands[0], ctx));
  if (text == nullptr) return false;
  if (call.regex_is_literal) return RegexMatches(call.regex.get(), *text, whole);
  const std::string* pattern = StringOf(EvalValue(*call.operands[1], ctx));
  if (pattern == nullptr) return false;
  std::shared_ptr<const re2::RE2> regex = ctx.query->regex_cache.Get(*pattern);
  return RegexMatches(regex.get(), *text, whole);
}

}  // namespace

const FunctionInfo* FindFunction(std::string_view name) {
  for (const FunctionInfo& f : Functions()) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::string_view FunctionName(FunctionId id) {
  for (const FunctionInfo& f : Functions()) {
    if (f.id == id) return f.name;
  }
  return "?";
}

FilterValue CallValueFunction(const Expr& call, const FilterContext& ctx) {
  switch (call.function) {
    case FunctionId::kLength:
      return Length(call, ctx);
    case FunctionId::kCount:
      return Count(call, ctx);
    case FunctionId::kValue:
      return Value(call, ctx);
    default:
      return FilterValue::Nothing();
  }
}

bool CallLogicalFunction(const Expr& call, const FilterContext& ctx) {
  switch (call.function) {
    case FunctionId::kMatch:
      return Regex(call, ctx, /*whole=*/true);
    case FunctionId::kSearch:
      return Regex(call, ctx, /*whole=*/false);
    default:
      return false;
  }
}

}  // namespace verity::expr::jsonpath_detail
