// Evaluation of compiled queries. Nodelists hold pointers into the document; normalized paths are
// only built when the caller asks for them (JsonPath::Evaluate), never for the queries inside
// filters.
#pragma once

#include <vector>

#include "base/json.h"
#include "expr/jsonpath.h"
#include "expr/jsonpath_ast.h"
#include "expr/jsonpath_functions.h"

namespace verity::expr::jsonpath_detail {

/// The nodes `query` selects from `ctx` (`@` or `$` by query.absolute), appended to `out`.
void SelectValues(const PathQuery& query, const FilterContext& ctx, std::vector<const Json*>* out);
/// A singular query's node, or null when it selects nothing.
const Json* SelectSingular(const PathQuery& query, const FilterContext& ctx);
/// The number of nodes `query` selects (for count()), stopping early past `limit`.
size_t CountNodes(const PathQuery& query, const FilterContext& ctx, size_t limit);

/// The member (key and value) of `object` that name selector `s` names, or null.
const Json::object_t::value_type* FindMember(const Json::object_t& object, const Selector& s);

/// The logical value of a filter expression for the current node.
bool FilterMatches(const Expr& expr, const FilterContext& ctx);
/// A comparable or ValueType argument: a literal, a singular query or a value function.
FilterValue EvalValue(const Expr& expr, const FilterContext& ctx);

/// What `queries[i]` selects from `root`, for every i, exactly as EvaluateValues would give it.
/// Queries of the shape <singular prefix><one wildcard or filter child segment><singular suffix>
/// that share their prefix visit its children in one pass together: ten checks over one list of
/// 20 000 items walk it once, not ten times. Any other query is evaluated on its own.
std::vector<std::vector<const Json*>> EvaluateValuesTogether(
    const std::vector<const Query*>& queries, const Json& root);
/// The whole query against `root`, values only.
std::vector<const Json*> EvaluateValues(const Query& query, const Json& root);
/// The whole query against `root`, with normalized paths.
std::vector<JsonPathNode> EvaluateNodes(const Query& query, const Json& root);

}  // namespace verity::expr::jsonpath_detail
