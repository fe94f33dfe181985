// A position in a source file, 1-based. Columns count characters (UTF-8 code points), as editors
// do. line == 0 means "unknown" (for example a diagnostic about a whole file).
#pragma once

#include <cstdint>
#include <string>

namespace verity {

struct SourcePos {
  uint32_t line = 0;
  uint32_t col = 0;

  bool known() const { return line != 0; }
  friend bool operator==(const SourcePos&, const SourcePos&) = default;
};

}  // namespace verity
