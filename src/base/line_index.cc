#include "base/line_index.h"

#include <algorithm>

namespace verity {

namespace {
bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }
}  // namespace

LineIndex::LineIndex(std::string_view text) : text_(text) {
  starts_.push_back(0);
  for (size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') starts_.push_back(i + 1);
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
  if (!s.empty() && s.back() == '\n') s.remove_suffix(1);
  if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
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
