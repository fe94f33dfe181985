#include "doc/templates.h"

#include <fmt/format.h>

#include "base/strings.h"
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
                   std::vector<TemplateRef>* refs, DiagnosticSink* sink, Budget* budget) {
  if (budget->placeholders_reported) return;
  // One more than the budget, to see where it runs out.
  for (expr::PlaceholderSpan& span : expr::ScanPlaceholders(text, budget->placeholders + 1)) {
    // Diagnostics point at the "{{", where the reader starts looking.
    SourcePos pos = start;
    if (single_line && start.known()) pos.col += span.column - 1;
    if (budget->placeholders == 0) {
      sink->Error("PLACEHOLDER_LIMIT",
                  fmt::format("more than {} placeholders in the document; the rest are not read",
                              budget->options.max_placeholders),
                  pos);
      budget->placeholders_reported = true;
      return;
    }
    --budget->placeholders;
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

std::string ChildWhere(std::string_view where, std::string_view key) {
  constexpr size_t kMaxKey = 64, kMaxWhere = 256;
  std::string out = fmt::format("{}/{}", where, Abbreviate(key, kMaxKey));
  return out.size() > kMaxWhere ? Abbreviate(out, kMaxWhere) : out;
}

}  // namespace verity::doc
