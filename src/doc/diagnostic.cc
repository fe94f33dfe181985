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

void AddBounded(std::vector<Diagnostic>* out, size_t max, Diagnostic d) {
  if (out->size() < max) {
    out->push_back(std::move(d));
  } else if (out->size() == max) {
    std::string file = d.file;
    out->push_back({Severity::kError, "DIAGNOSTIC_LIMIT",
                    fmt::format("more than {} diagnostics; the rest are not shown", max), d.pos,
                    std::move(file)});
  }
}

void DiagnosticSink::YamlErrors(const std::vector<yaml::Error>& errors, std::string_view prefix) {
  for (const yaml::Error& e : errors) {
    std::string message = e.message;
    if (e.code == "YAML_DUPLICATE_KEY" && e.first_defined.known())
      message = fmt::format("duplicate key \"{}\" (first defined at line {})", e.key,
                            Map(e.first_defined).line);
    Error(e.code, std::string(prefix) + message, e.pos);
  }
}

}  // namespace verity::doc
