#include "http/escape_view.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>

#include "base/strings.h"

namespace verity::http {

namespace {

struct Escape {
  uint32_t code_point;
  size_t length;  // bytes of the escape in its text
};

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// `count` hex digits at s[i..]; -1 when they are not all there.
int64_t HexAt(std::string_view s, size_t i, size_t count) {
  if (i + count > s.size()) return -1;
  int64_t v = 0;
  for (size_t k = 0; k < count; ++k) {
    int h = HexValue(s[i + k]);
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

std::optional<Escape> JsonEscape(std::string_view s, size_t i) {
  if (i + 1 >= s.size()) return std::nullopt;
  static constexpr std::string_view kFrom = "\"\\/bfnrt", kTo = "\"\\/\b\f\n\r\t";
  if (size_t k = kFrom.find(s[i + 1]); k != std::string_view::npos)
    return Escape{static_cast<unsigned char>(kTo[k]), 2};
  if (s[i + 1] != 'u') return std::nullopt;
  int64_t unit = HexAt(s, i + 2, 4);
  if (unit < 0) return std::nullopt;
  if (unit >= 0xD800 && unit < 0xDC00 && i + 7 < s.size() && s[i + 6] == '\\' && s[i + 7] == 'u') {
    int64_t low = HexAt(s, i + 8, 4);
    if (low >= 0xDC00 && low < 0xE000)
      return Escape{static_cast<uint32_t>(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)), 12};
  }
  if (unit >= 0xD800 && unit < 0xE000) return std::nullopt;  // a lone surrogate is no character
  return Escape{static_cast<uint32_t>(unit), 6};
}

std::optional<Escape> HtmlReference(std::string_view s, size_t i) {
  static constexpr std::array<std::pair<std::string_view, char>, 8> kNamed = {{{"amp;", '&'},
                                                                               {"lt;", '<'},
                                                                               {"gt;", '>'},
                                                                               {"quot;", '"'},
                                                                               {"apos;", '\''},
                                                                               {"sol;", '/'},
                                                                               {"plus;", '+'},
                                                                               {"equals;", '='}}};
  std::string_view rest = s.substr(i + 1);
  for (const auto& [name, c] : kNamed) {
    if (rest.starts_with(name)) return Escape{static_cast<unsigned char>(c), name.size() + 1};
  }
  if (!rest.starts_with('#')) return std::nullopt;
  bool hex = rest.size() > 1 && (rest[1] == 'x' || rest[1] == 'X');
  size_t at = hex ? 2 : 1;
  uint32_t value = 0;
  size_t digits = 0;
  // Seven digits reach past U+10FFFF in either base; more would be no character anyway.
  for (; at < rest.size() && digits < 8; ++at, ++digits) {
    int d = hex ? HexValue(rest[at]) : (rest[at] >= '0' && rest[at] <= '9' ? rest[at] - '0' : -1);
    if (d < 0) break;
    value = value * (hex ? 16 : 10) + static_cast<uint32_t>(d);
  }
  if (digits == 0 || digits == 8 || at >= rest.size() || rest[at] != ';' || value > 0x10FFFF ||
      (value >= 0xD800 && value < 0xE000))
    return std::nullopt;
  return Escape{value, at + 2};
}

std::optional<Escape> EscapeAt(std::string_view s, size_t i) {
  switch (s[i]) {
    case '\\':
      return JsonEscape(s, i);
    case '%': {
      int64_t byte = HexAt(s, i + 1, 2);
      if (byte < 0) return std::nullopt;
      return Escape{static_cast<uint32_t>(byte), 3};
    }
    case '&':
      return HtmlReference(s, i);
    default:
      return std::nullopt;
  }
}

// A percent escape stands for a byte, the others for a code point (written as UTF-8).
void AppendDecoded(char kind, uint32_t cp, std::string* out) {
  if (kind == '%')
    out->push_back(static_cast<char>(cp));
  else
    AppendUtf8(cp, out);
}

}  // namespace

bool MayHaveEscapes(std::string_view text) {
  // Three memchr calls are several times faster than find_first_of's byte-by-byte loop.
  return std::any_of(std::begin("\\%&"), std::end("\\%&") - 1,
                     [&](char c) { return std::memchr(text.data(), c, text.size()) != nullptr; });
}

EscapeView::EscapeView(std::string_view text, const EscapeView* from) : from_(from) {
  bytes_.reserve(text.size());
  std::string decoded;
  for (size_t i = 0; i < text.size();) {
    size_t plain = i;
    while (plain < text.size() && text[plain] != '\\' && text[plain] != '%' && text[plain] != '&')
      ++plain;
    bytes_.append(text.substr(i, plain - i));
    i = plain;
    if (i == text.size()) break;
    std::optional<Escape> escape = EscapeAt(text, i);
    if (!escape) {
      bytes_.push_back(text[i++]);
      continue;
    }
    decoded.clear();
    AppendDecoded(text[i], escape->code_point, &decoded);
    auto at = static_cast<uint32_t>(bytes_.size());
    pieces_.push_back({at, at + static_cast<uint32_t>(decoded.size()), static_cast<uint32_t>(i),
                       static_cast<uint32_t>(i + escape->length)});
    i += escape->length;
    // "%252F" decodes to "%2F": worth another pass. Only the text that follows is looked at,
    // which misses an escape whose own rest is escaped too (three levels deep).
    if (decoded.size() == 1 && MayHaveEscapes(decoded)) {
      std::string next = decoded + std::string(text.substr(i, 11));
      may_decode_again_ = may_decode_again_ || EscapeAt(next, 0).has_value();
    }
    bytes_ += decoded;
  }
}

std::pair<uint32_t, uint32_t> EscapeView::InText(size_t i) const {
  // The last piece that starts at or before i.
  auto after = std::upper_bound(pieces_.begin(), pieces_.end(), i,
                                [](size_t v, const Piece& p) { return v < p.view_begin; });
  if (after == pieces_.begin()) return {static_cast<uint32_t>(i), static_cast<uint32_t>(i + 1)};
  const Piece& p = *(after - 1);
  if (i < p.view_end) return {p.text_begin, p.text_end};
  auto at = static_cast<uint32_t>(p.text_end + (i - p.view_end));
  return {at, at + 1};
}

uint32_t EscapeView::Begin(size_t i) const {
  uint32_t b = InText(i).first;
  return from_ ? from_->Begin(b) : b;
}

uint32_t EscapeView::End(size_t i) const {
  uint32_t e = InText(i).second;
  return from_ ? from_->End(e - 1) : e;
}

}  // namespace verity::http
