// Moving data out of a response: a step's `extract` entries are JSONPath queries whose results
// become variables. One match gives that value; several give the first (what existing recipes
// rely on); no match is a failure of the step (EXTRACT_MISS) unless the entry is optional.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/json.h"
#include "expr/jsonpath.h"

namespace verity::expr {

struct ExtractRule {
  std::string name;  // the variable
  std::string path;  // JSONPath text
  bool optional = false;
};

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

Extraction Extract(const std::vector<ExtractRule>& rules, const Json& response,
                   const JsonPathOptions& options = {}, const ExcerptMask& mask = {});

/// Compact JSON text of `value` (through `mask` when given), cut to about `max_chars` code points
/// with "…".
std::string Excerpt(const Json& value, size_t max_chars = 160, const ExcerptMask& mask = {});

}  // namespace verity::expr
