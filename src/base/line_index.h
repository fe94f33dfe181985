// Maps byte offsets in a text to 1-based line:column positions and back. Columns count UTF-8 code
// points so that positions agree with libyaml's marks and with what editors show.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "base/source_pos.h"

namespace verity {

class LineIndex {
 public:
  explicit LineIndex(std::string_view text);

  SourcePos PosOf(size_t byte_offset) const;
  /// Byte offset of a 1-based line:col; clamps to the line's end.
  size_t OffsetOf(SourcePos pos) const;
  size_t LineStart(uint32_t line) const;           // 1-based line
  std::string_view LineText(uint32_t line) const;  // without the line terminator
  uint32_t line_count() const { return static_cast<uint32_t>(starts_.size()); }

 private:
  std::string_view text_;
  std::vector<size_t> starts_;
};

}  // namespace verity
