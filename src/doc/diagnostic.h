// A finding about a document: a stable code, a severity, a message and where it is. Diagnostics are
// data, never exceptions: one broken document produces diagnostics, and every other document in the
// knowledge base is still read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/source_pos.h"
#include "base/yaml.h"

namespace verity::doc {

enum class Severity { kError, kWarning };

struct Diagnostic {
  Severity severity = Severity::kError;
  std::string code;  // stable, SCREAMING_SNAKE_CASE; see docs/workflow-format.md
  std::string message;
  SourcePos pos;
  std::string file;  // filled in by whoever knows the file name

  bool is_error() const { return severity == Severity::kError; }
};

/// `file:line:col: error: message [CODE]` (line and column omitted when unknown).
std::string FormatDiagnostic(const Diagnostic& d);
Json DiagnosticToJson(const Diagnostic& d);

/// Orders diagnostics by file, line, column, then code, so output is deterministic.
void SortDiagnostics(std::vector<Diagnostic>* diagnostics);

/// Appends `d` unless `out` already holds `max` diagnostics; the first one past the bound is
/// replaced by one DIAGNOSTIC_LIMIT error at its position, and later ones are dropped. A document
/// that repeats one mistake 800 000 times gets 1 001 lines, not 800 000 (nor their memory).
void AddBounded(std::vector<Diagnostic>* out, size_t max, Diagnostic d);

/// Collects diagnostics while parsing, translating positions from a YAML block to the file, and
/// stops collecting at a bound (AddBounded).
class DiagnosticSink {
 public:
  explicit DiagnosticSink(std::vector<Diagnostic>* out, size_t max = SIZE_MAX,
                          uint32_t line_offset = 0)
      : out_(out), max_(max), line_offset_(line_offset) {}

  void Error(std::string code, std::string message, SourcePos pos) {
    Add(Severity::kError, std::move(code), std::move(message), pos);
  }
  void Warning(std::string code, std::string message, SourcePos pos) {
    Add(Severity::kWarning, std::move(code), std::move(message), pos);
  }
  /// Maps a position inside the parsed fragment to the position in the file.
  SourcePos Map(SourcePos pos) const {
    if (pos.known()) pos.line += line_offset_;
    return pos;
  }
  /// Reports a YAML fragment's errors at file positions, lines inside messages included.
  void YamlErrors(const std::vector<yaml::Error>& errors, std::string_view prefix = {});
  DiagnosticSink WithOffset(uint32_t line_offset) const {
    return DiagnosticSink(out_, max_, line_offset);
  }

 private:
  void Add(Severity s, std::string code, std::string message, SourcePos pos) {
    AddBounded(out_, max_, {s, std::move(code), std::move(message), Map(pos), {}});
  }
  std::vector<Diagnostic>* out_;
  size_t max_;
  uint32_t line_offset_;
};

}  // namespace verity::doc
