// Maps byte offsets in a text to 1-based line:column positions and back. Columns count UTF-8 code
// points and lines end where libyaml ends them (LF, CRLF, a lone CR, and NEL, LS, PS), so that
// positions agree with libyaml's marks: write-back finds a value's bytes from its YAML position,
// and a lone CR counted by one and not the other once put a new value into the wrong field.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "base/source_pos.h"

namespace verity {

/// The length of the line break at text[i], 0 when there is none: LF, CR LF, a lone CR, NEL,
/// LS or PS, as libyaml reads them.
size_t LineBreakAt(std::string_view text, size_t i);

class LineIndex {
 public:
  explicit LineIndex(std::string_view text);

  SourcePos PosOf(size_t byte_offset) const;
  /// Byte offset of a 1-based line:col; clamps to the line's end.
  size_t OffsetOf(SourcePos pos) const;
  size_t LineStart(uint32_t line) const;           // 1-based line
  std::string_view LineText(uint32_t line) const;  // without the line break
  uint32_t line_count() const { return static_cast<uint32_t>(starts_.size()); }

 private:
  std::string_view text_;
  std::vector<size_t> starts_;
};

}  // namespace verity
