// From a step's rendered params to the query string the API expects. An operation's spec says how
// it reads a list or an object in the query (Swagger 2.0 `collectionFormat`, OpenAPI 3
// `style`/`explode`), and an API that does not understand the form sent usually ignores the
// parameter without a word: a filtered list comes back unfiltered and the recipe still passes. So
// the spec's form wins; only a parameter the spec does not describe falls back to the
// environment's `array_format`.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "base/json.h"
#include "run/config.h"
#include "spec/operation.h"

namespace verity::run {

/// How one query parameter is written, as its spec describes it.
struct QueryStyle {
  enum class Kind { kForm, kSpaceDelimited, kPipeDelimited, kTabDelimited, kDeepObject };
  Kind kind = Kind::kForm;
  bool explode = true;
  bool operator==(const QueryStyle&) const = default;
};

/// Query parameter name → its style.
using QueryStyles = std::map<std::string, QueryStyle, std::less<>>;

/// The styles of the operation's query parameters. Swagger 2.0: `collectionFormat` (default
/// `csv`; `multi` repeats the key). OpenAPI 3: `style` (default `form`) and `explode` (default
/// true for `form`, else false). A parameter with a style this code does not know is left out,
/// so it falls back like an undescribed one.
QueryStyles QueryStylesOf(const spec::Operation& operation);

/// The query string for rendered params: scalars as text; arrays and objects as `styles` says for
/// their name, else arrays as `fallback` says and objects as `k[a]=v`. Null values are left out.
/// Empty for no params.
std::string EncodeQuery(const Json& params, const QueryStyles& styles = {},
                        ArrayFormat fallback = ArrayFormat::kBrackets);

/// `text` (a path with its query) with every byte a URL may not hold raw percent-encoded: spaces
/// and other controls, `"`, `<`, `>`, `\`, `^`, `` ` ``, `{`, `|`, `}`, `#` and non-ASCII bytes,
/// and a `%` that does not start an escape. Existing `%XX` escapes are kept as they are, so text
/// already encoded is not encoded twice.
std::string EscapeUrlText(std::string_view text);

}  // namespace verity::run
