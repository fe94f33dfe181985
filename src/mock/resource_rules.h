// What a rules file says of a collection's resources beyond what the spec can (docs/mock-rules.md,
// "Resources"): fields the API computes when it creates one, a DELETE that marks a resource
// instead of removing it, and list filters written in a query language of the API's own
// (`filter=team="storage"`), which no schema describes.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "expr/jsonpath.h"
#include "expr/predicate.h"

namespace re2 {
class RE2;
}

namespace verity::mock {

/// One list filter: each value of `param` that `pattern` matches whole asks that the item hold
/// `path` by the predicate `op` with `operand`, after the pattern's named groups are put in for
/// `{{name}}` in both (inside the path as the text of a JSONPath string literal).
struct QueryFilter {
  std::string param;
  std::shared_ptr<const re2::RE2> pattern;
  std::string path;  // a JSONPath template
  std::string op;    // an operator of expr/predicate.h
  Json operand;      // strings may hold {{name}}
  uint32_t line = 0;
};

struct ResourceRule {
  std::string path;          // a path of the collection as the spec spells it, list or item
  Json on_create = nullptr;  // laid over every created resource; null: nothing
  Json on_delete = nullptr;  // laid over a deleted resource, which stays; null: DELETE removes
  std::vector<QueryFilter> filters;
  std::string file;  // the rules file, for messages
  uint32_t line = 0;
};

/// A filter with one value of its parameter put in: what each item of the list is judged by.
struct BoundFilter {
  expr::JsonPath path;
  expr::Predicate predicate;
};

/// Nullopt when the value asks nothing: the pattern does not match it, or the path or the operand
/// does not compile once filled in. Done once per request, not once per item.
std::optional<BoundFilter> BindFilter(const QueryFilter& filter, std::string_view value);
/// Whether `item` holds what the bound value asks for.
bool FilterHolds(const BoundFilter& bound, const Json& item);

/// The filters that apply to one list request: each with the values of its parameter, and those
/// that ask something bound.
struct AppliedFilter {
  const QueryFilter* filter = nullptr;
  std::vector<std::string> values;
  std::vector<BoundFilter> bound;
};

}  // namespace verity::mock
