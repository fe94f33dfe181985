// Finding `{{ … }}` placeholders in step values. The syntax (evaluation is the expression
// engine's):
//   {{ name }}  {{ a.b.c }}  {{ name | filter }}  {{ name | filter: arg1, arg2 | filter2 }}
// where a name segment is [A-Za-z_][A-Za-z0-9_-]* or a decimal index.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "doc/diagnostic.h"
#include "doc/model.h"

namespace verity::doc {

struct Placeholder {
  std::string name;
  std::vector<std::string> filters;
};

/// Parses the text between the braces. On failure returns false and sets `error`.
bool ParsePlaceholder(std::string_view expr, Placeholder* out, std::string* error);

/// Appends every placeholder of `text` to `refs`. `start` is the position of text[0]; columns of
/// later placeholders are exact when `single_line` (the text sits on one source line unescaped).
/// Malformed placeholders are reported as TEMPLATE_SYNTAX errors.
void ScanTemplates(std::string_view text, std::string_view where, SourcePos start, bool single_line,
                   std::vector<TemplateRef>* refs, DiagnosticSink* sink);

}  // namespace verity::doc
