// Moving data out of a response: a step's `extract` entries are JSONPath queries whose results
// become variables. One match gives that value; several give the first (what existing recipes
// rely on); no match is a failure of the step (EXTRACT_MISS) unless the entry is optional or has a
// default. An entry may instead copy another variable.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/json.h"
#include "expr/jsonpath.h"

namespace verity::expr {

struct ExtractRule {
  std::string name;  // the variable
  std::string path;  // JSONPath text; unused when copy_of is set
  bool optional = false;
  /// The value when `path` selects nothing or null: the entry then never fails.
  std::optional<Json> default_value = std::nullopt;
  /// Non-empty: the entry copies this variable (a dotted name) instead of reading the response.
  std::string copy_of = {};
  /// Non-empty: the entry reads this response header (`Location`) instead of the body; `match`,
  /// an RE2 expression, keeps its first group (or what it matched, without one).
  std::string header = {};
  std::string match = {};
};

/// What an extract entry's text says. Besides a JSONPath it may be one of two forms real
/// knowledge bases write: `$.path || 'literal'` (a default, as JavaScript's `||` reads; the
/// canonical spelling is `{path: …, default: …}`), or exactly one placeholder `{{name}}`, a copy
/// of another variable.
struct ExtractText {
  std::string path;                   // the JSONPath part; empty for a copy
  std::optional<Json> default_value;  // from the `||` shorthand
  std::string copy_of;                // the copied variable's name
};
ExtractText ReadExtractText(std::string_view text);

/// A variable's value by dotted name (expr::Scope::Lookup), for entries that copy one.
using VariableLookup = std::function<std::optional<Json>(std::string_view name)>;

/// Why an entry produced no value: EXTRACT_MISS (the query selected nothing) or EXTRACT_INVALID
/// (the query does not compile). The message names the variable and the expression and, for a
/// miss, shows a short excerpt of the response.
struct ExtractFailure {
  std::string code;
  std::string variable;
  std::string expression;
  std::string message;
};

struct Extraction {
  std::vector<std::pair<std::string, Json>> values;  // in rule order
  std::vector<ExtractFailure> failures;              // entries that are not optional
  std::vector<std::string> optional_misses;          // optional entries that selected nothing
  bool ok() const { return failures.empty(); }
};

/// What an excerpt's text goes through before it is cut (the run masks secrets with it: cut first,
/// a secret could be left in part, which no longer looks like it).
using ExcerptMask = std::function<std::string(std::string_view text)>;

/// A response header's value by name (any case); nullopt when the response has none.
using HeaderLookup = std::function<std::optional<std::string>(std::string_view name)>;

/// Copies see the variables `lookup` knows and the values of earlier entries of `rules`; without a
/// lookup only the latter. Header entries read `headers`; without it, no header is there.
Extraction Extract(const std::vector<ExtractRule>& rules, const Json& response,
                   const JsonPathOptions& options = {}, const ExcerptMask& mask = {},
                   const VariableLookup& lookup = {}, const HeaderLookup& headers = {});

/// Why `match` is not a valid RE2 expression; empty when it is (or is empty).
std::string MatchError(const std::string& match);

/// Compact JSON text of `value` (through `mask` when given), cut to about `max_chars` code points
/// with "…".
std::string Excerpt(const Json& value, size_t max_chars = 160, const ExcerptMask& mask = {});

}  // namespace verity::expr
