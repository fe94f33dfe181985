#include "base/line_index.h"

#include <algorithm>

namespace verity {

namespace {

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

// NEL is C2 85, LS E2 80 A8, PS E2 80 A9: the breaks of YAML 1.1, which libyaml reads.
size_t LineBreakAt(std::string_view text, size_t i) {
  std::string_view rest = text.substr(i);
  if (rest.starts_with("\r\n")) return 2;
  if (rest[0] == '\n' || rest[0] == '\r') return 1;
  if (rest.starts_with("\xC2\x85")) return 2;
  if (rest.starts_with("\xE2\x80\xA8") || rest.starts_with("\xE2\x80\xA9")) return 3;
  return 0;
}

LineIndex::LineIndex(std::string_view text) : text_(text) {
  starts_.push_back(0);
  for (size_t i = 0; i < text.size();) {
    size_t n = LineBreakAt(text, i);
    if (n > 0) starts_.push_back(i + n);
    i += n > 0 ? n : 1;
  }
}

SourcePos LineIndex::PosOf(size_t byte_offset) const {
  byte_offset = std::min(byte_offset, text_.size());
  auto it = std::upper_bound(starts_.begin(), starts_.end(), byte_offset);
  size_t line = static_cast<size_t>(it - starts_.begin());  // 1-based
  size_t start = starts_[line - 1];
  uint32_t col = 1;
  for (size_t i = start; i < byte_offset; ++i)
    if (!IsContinuationByte(text_[i])) ++col;
  return {static_cast<uint32_t>(line), col};
}

size_t LineIndex::LineStart(uint32_t line) const {
  if (line == 0) return 0;
  if (line > starts_.size()) return text_.size();
  return starts_[line - 1];
}

std::string_view LineIndex::LineText(uint32_t line) const {
  size_t b = LineStart(line);
  size_t e = line < starts_.size() ? starts_[line] : text_.size();
  std::string_view s = text_.substr(b, e - b);
  if (line < starts_.size()) {
    // The break is the end of the line; find where it starts.
    for (size_t k = s.size() >= 3 ? s.size() - 3 : 0; k < s.size(); ++k) {
      if (LineBreakAt(s, k) == s.size() - k) return s.substr(0, k);
    }
  }
  return s;
}

size_t LineIndex::OffsetOf(SourcePos pos) const {
  size_t offset = LineStart(pos.line);
  std::string_view line = LineText(pos.line);
  uint32_t col = 1;
  size_t i = 0;
  while (i < line.size() && col < pos.col) {
    ++i;
    while (i < line.size() && IsContinuationByte(line[i])) ++i;
    ++col;
  }
  return offset + i;
}

}  // namespace verity
