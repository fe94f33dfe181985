#include "expr/jsonpath_normalized.h"

#include <charconv>

namespace verity::expr::jsonpath_detail {

void AppendNameSegment(std::string_view name, std::string* out) {
  out->append("['");
  for (char c : name) {
    switch (c) {
      case '\'':
        out->append("\\'");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          // The only other escapes a normalized path allows: \u00XX, lowercase.
          static const char kHex[] = "0123456789abcdef";
          out->append("\\u00");
          out->push_back(kHex[(c >> 4) & 0xF]);
          out->push_back(kHex[c & 0xF]);
        } else {
          out->push_back(c);
        }
    }
  }
  out->append("']");
}

void AppendIndexSegment(size_t index, std::string* out) {
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, index);
  (void)ec;  // 24 characters hold any size_t
  out->push_back('[');
  out->append(buffer, end);
  out->push_back(']');
}

}  // namespace verity::expr::jsonpath_detail
