#include "doc/templates.h"

#include <fmt/format.h>

#include "expr/template.h"

namespace verity::doc {

bool ParsePlaceholder(std::string_view expr, Placeholder* out, std::string* error) {
  expr::TemplateError e;
  Result<expr::Placeholder> p = expr::ParsePlaceholder(expr, &e);
  if (!p.ok()) {
    *error = std::move(e.message);
    return false;
  }
  out->name = std::move(p->name);
  out->filters.clear();
  for (expr::FilterCall& f : p->filters) out->filters.push_back(std::move(f.name));
  return true;
}

void ScanTemplates(std::string_view text, std::string_view where, SourcePos start, bool single_line,
                   std::vector<TemplateRef>* refs, DiagnosticSink* sink) {
  for (expr::PlaceholderSpan& span : expr::ScanPlaceholders(text)) {
    // Diagnostics point at the "{{", where the reader starts looking.
    SourcePos pos = start;
    if (single_line && start.known()) pos.col += span.column - 1;
    if (!span.terminated) {
      sink->Error(std::string(expr::kTemplateSyntax),
                  fmt::format("unterminated placeholder in {}: \"{{{{\" without \"}}}}\"", where),
                  pos);
      return;
    }
    if (!span.placeholder) {
      sink->Error(std::string(expr::kTemplateSyntax),
                  fmt::format("{} in {}", span.error->message, where), pos);
      continue;
    }
    expr::Placeholder& p = *span.placeholder;
    std::vector<std::string> filters;
    for (expr::FilterCall& f : p.filters) filters.push_back(std::move(f.name));
    refs->push_back(
        {std::move(p.expr), std::move(p.name), std::move(filters), std::string(where), pos});
  }
}

}  // namespace verity::doc
