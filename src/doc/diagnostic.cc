#include "doc/diagnostic.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

namespace verity::doc {

std::string FormatDiagnostic(const Diagnostic& d) {
  std::string where = d.file.empty() ? "<input>" : d.file;
  if (d.pos.known()) where += fmt::format(":{}:{}", d.pos.line, d.pos.col);
  return fmt::format("{}: {}: {} [{}]", where, d.is_error() ? "error" : "warning", d.message,
                     d.code);
}

Json DiagnosticToJson(const Diagnostic& d) {
  return Json{{"file", d.file},   {"line", d.pos.line},
              {"col", d.pos.col}, {"severity", d.is_error() ? "error" : "warning"},
              {"code", d.code},   {"message", d.message}};
}

void SortDiagnostics(std::vector<Diagnostic>* diagnostics) {
  std::stable_sort(diagnostics->begin(), diagnostics->end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     return std::tie(a.file, a.pos.line, a.pos.col, a.code) <
                            std::tie(b.file, b.pos.line, b.pos.col, b.code);
                   });
}

}  // namespace verity::doc
