// Finding `{{ … }}` placeholders in step values, so that lint can check every name has a source and
// a malformed placeholder is an error at its file position before anything runs. The syntax and
// its parser are the expression engine's (expr/template.h, docs/templates.md):
//   {{ name }}  {{ a.b.c }}  {{ name | filter }}  {{ name | filter: arg1, arg2 | filter2 }}
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "doc/diagnostic.h"
#include "doc/limits.h"
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
/// Malformed placeholders, unknown filters and wrong filter arguments are reported as
/// TEMPLATE_SYNTAX errors at the position of their "{{". Each placeholder, malformed or not, takes
/// one from `budget`; the first past it is a PLACEHOLDER_LIMIT error at its "{{", and the scan of
/// this document's placeholders ends there.
void ScanTemplates(std::string_view text, std::string_view where, SourcePos start, bool single_line,
                   std::vector<TemplateRef>* refs, DiagnosticSink* sink, Budget* budget);

/// `where` for the placeholders under a mapping key: "body/items" + "/" + key, with a key longer
/// than 64 bytes cut (a 1 000-byte key 100 levels deep must not be copied into each placeholder
/// below it), and the whole at most 256 bytes.
std::string ChildWhere(std::string_view where, std::string_view key);

}  // namespace verity::doc
