#include "doc/templates.h"

#include <fmt/format.h>

#include "base/strings.h"

namespace verity::doc {

namespace {

bool IsNameStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9') || c == '-'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool ValidSegment(std::string_view seg) {
  if (seg.empty()) return false;
  if (IsDigit(seg[0])) {
    for (char c : seg)
      if (!IsDigit(c)) return false;
    return true;
  }
  if (!IsNameStart(seg[0])) return false;
  for (char c : seg)
    if (!IsNameChar(c)) return false;
  return true;
}

}  // namespace

bool ParsePlaceholder(std::string_view expr, Placeholder* out, std::string* error) {
  std::vector<std::string_view> parts = Split(expr, '|');
  std::string_view name = Trim(parts[0]);
  if (name.empty()) {
    *error = "empty placeholder: a variable name is missing";
    return false;
  }
  for (std::string_view seg : Split(name, '.')) {
    if (!ValidSegment(seg)) {
      *error = fmt::format("invalid variable name \"{}\"", name);
      return false;
    }
  }
  out->name = std::string(name);
  out->filters.clear();
  for (size_t i = 1; i < parts.size(); ++i) {
    std::string_view filter = Trim(parts[i]);
    std::string_view filter_name = Trim(filter.substr(0, filter.find(':')));
    if (!ValidSegment(filter_name) || IsDigit(filter_name[0])) {
      *error = fmt::format("invalid filter \"{}\" in \"{}\"", filter, Trim(expr));
      return false;
    }
    out->filters.emplace_back(filter_name);
  }
  return true;
}

void ScanTemplates(std::string_view text, std::string_view where, SourcePos start, bool single_line,
                   std::vector<TemplateRef>* refs, DiagnosticSink* sink) {
  size_t i = 0;
  while ((i = text.find("{{", i)) != std::string_view::npos) {
    SourcePos pos = start;
    if (single_line && start.known()) pos.col += CodePointCount(text.substr(0, i));
    size_t close = text.find("}}", i + 2);
    if (close == std::string_view::npos) {
      sink->Error("TEMPLATE_SYNTAX",
                  fmt::format("unterminated placeholder in {}: \"{{{{\" without \"}}}}\"", where),
                  pos);
      return;
    }
    std::string_view expr = Trim(text.substr(i + 2, close - i - 2));
    Placeholder p;
    std::string error;
    if (ParsePlaceholder(expr, &p, &error)) {
      refs->push_back(
          {std::string(expr), std::move(p.name), std::move(p.filters), std::string(where), pos});
    } else {
      sink->Error("TEMPLATE_SYNTAX", fmt::format("{} in {}", error, where), pos);
    }
    i = close + 2;
  }
}

}  // namespace verity::doc
