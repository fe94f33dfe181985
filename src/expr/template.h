// `{{ … }}` placeholders: the syntax, shared by the document model (which records them for lint)
// and the renderer (which fills them in). docs/templates.md is the reference.
//
//   {{ name }}   {{ a.b.0.c }}   {{ name | filter }}   {{ name | filter: arg, arg | filter2 }}
//
// A name segment is [A-Za-z_][A-Za-z0-9_-]* or a decimal index. An argument is a number, a quoted
// string ('…' or "…", backslash escapes the next character), true/false/null, or a bare word, which
// is a string. Parsing never throws; errors carry a stable code and a 1-based column.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/status.h"

namespace verity::expr {

/// Stable error codes, for reports and tests.
inline constexpr std::string_view kTemplateSyntax = "TEMPLATE_SYNTAX";
inline constexpr std::string_view kTemplateUnresolved = "TEMPLATE_UNRESOLVED";
inline constexpr std::string_view kTemplateFilter = "TEMPLATE_FILTER";

/// One failure of parsing or rendering a template.
struct TemplateError {
  std::string code;     // kTemplateSyntax, kTemplateUnresolved or kTemplateFilter
  std::string message;  // complete, e.g. `unresolved variable "x" in step "s" (body/id)`
  uint32_t column = 0;  // 1-based code-point column in the text parsed; 0 when not known
  std::string name;     // the variable, when there is one
  std::string where;    // the part of the step ("path", "body/items/0/id"), when rendering
  /// "TEMPLATE_SYNTAX: column 7: unknown filter …"
  std::string ToString() const;
};

enum class FilterKind { kSlice, kDefault, kUpper, kLower, kUrlEncode, kJson, kBase64 };

struct FilterCall {
  FilterKind kind = FilterKind::kDefault;
  std::string name;        // as written: "upcase" is an alias of upper, and stays "upcase"
  std::vector<Json> args;  // numbers, strings, booleans or null
  uint32_t column = 0;     // of the filter name, in the text parsed
};

struct Placeholder {
  std::string expr;               // the text between the braces, trimmed
  std::string name;               // the dotted variable name, "config.params.client_uid"
  std::vector<std::string> path;  // its segments, {"config", "params", "client_uid"}
  std::vector<FilterCall> filters;
};

/// Parses the text between the braces. Columns in `error` (and in the filters) count from the
/// first character of `expr`.
Result<Placeholder> ParsePlaceholder(std::string_view expr, TemplateError* error = nullptr);

/// One `{{` of a text and what followed it.
struct PlaceholderSpan {
  size_t begin = 0;        // byte offset of "{{"
  size_t end = 0;          // byte offset just past "}}"; text.size() if unterminated
  uint32_t column = 1;     // code-point column of "{{" in the text, 1-based
  bool terminated = true;  // false: no "}}" follows, and the scan stopped here
  std::optional<Placeholder> placeholder;  // set when the expression parsed
  std::optional<TemplateError> error;      // set otherwise; columns count in the whole text
};

/// Every placeholder of `text`, in order, malformed ones included, or the first `max` of them. A
/// quoted argument cannot contain "}}": the first "}}" after "{{" closes the placeholder.
std::vector<PlaceholderSpan> ScanPlaceholders(std::string_view text, size_t max = SIZE_MAX);

/// True when `text` is one placeholder and nothing else ("{{ price }}", not " {{price}}"), the
/// case in which rendering keeps the value's JSON type.
bool IsSinglePlaceholder(std::string_view text);

}  // namespace verity::expr
