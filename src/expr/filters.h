// The filters of `{{ name | filter }}`, and the text form of a JSON value used wherever a value is
// put into a string. The parser asks FindFilter whether a name exists; the renderer calls
// ApplyFilter. docs/templates.md lists what each filter accepts.
#pragma once

#include <string>
#include <string_view>

#include "base/json.h"
#include "base/status.h"
#include "expr/template.h"

namespace verity::expr {

struct FilterSpec {
  std::string_view name;
  FilterKind kind;
  int min_args;
  int max_args;
};

/// The filter called `name` (aliases included: upcase, downcase, url_encode), or nullptr.
const FilterSpec* FindFilter(std::string_view name);

/// Applies one filter to a present value (a missing variable never reaches a filter other than
/// `default`, which the renderer handles). A failure's message says what the filter needed, e.g.
/// "slice needs a string, a number, a boolean or an array, got an object".
Result<Json> ApplyFilter(const FilterCall& filter, const Json& value);

/// The text of a value inside a larger string: strings as they are, numbers and booleans as JSON
/// text, null as "null", objects and arrays as compact JSON.
std::string ToText(const Json& value);

/// Compact JSON text. Invalid UTF-8 in strings becomes U+FFFD instead of an exception.
std::string CompactJson(const Json& value);

/// Percent-encodes every byte of `text` except ASCII letters, digits, "-._~" (RFC 3986 unreserved)
/// and the characters in `also_keep`. Hex digits are upper case.
std::string PercentEncode(std::string_view text, std::string_view also_keep = {});

/// RFC 4648 base64 with padding.
std::string Base64Encode(std::string_view bytes);

}  // namespace verity::expr
