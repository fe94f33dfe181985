// The function extensions of RFC 9535 §2.4: their signatures (for compile-time type checking)
// and their evaluation.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "expr/jsonpath_ast.h"

namespace verity::expr::jsonpath_detail {

enum class ParamType : uint8_t { kValue, kNodes };
enum class ResultType : uint8_t { kValue, kLogical, kNodes };

struct FunctionInfo {
  std::string_view name;
  FunctionId id;
  std::vector<ParamType> params;
  ResultType result;
};

/// Null for a name that is not a known function.
const FunctionInfo* FindFunction(std::string_view name);
std::string_view FunctionName(FunctionId id);

/// An instance of ValueType: a JSON value or Nothing. Values are borrowed from the document or
/// the query; the numbers that length() and count() compute are held inline, so evaluating a
/// filter never allocates a Json.
struct FilterValue {
  const Json* ref = nullptr;
  bool is_number = false;
  int64_t number = 0;

  bool nothing() const { return ref == nullptr && !is_number; }
  static FilterValue Nothing() { return {}; }
  static FilterValue Of(const Json* v) { return {v, false, 0}; }
  static FilterValue Number(int64_t n) { return {nullptr, true, n}; }
};

/// Where a filter is being evaluated: the current node `@`, the root `$` and the query (for its
/// regex cache).
struct FilterContext {
  const Json* current;
  const Json* root;
  const Query* query;
};

/// A function whose declared result is ValueType.
FilterValue CallValueFunction(const Expr& call, const FilterContext& ctx);
/// A function whose declared result is LogicalType (or NodesType, tested for being non-empty).
bool CallLogicalFunction(const Expr& call, const FilterContext& ctx);

}  // namespace verity::expr::jsonpath_detail
