#include "expr/jsonpath_lexer.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "base/strings.h"
#include "expr/jsonpath_ast.h"

namespace verity::expr::jsonpath_detail {
namespace {

size_t Utf8Length(char lead) {
  unsigned char c = static_cast<unsigned char>(lead);
  return c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
}

bool IsHighSurrogate(uint32_t u) { return u >= 0xD800 && u <= 0xDBFF; }
bool IsLowSurrogate(uint32_t u) { return u >= 0xDC00 && u <= 0xDFFF; }

}  // namespace

bool Lexer::SkipBlank() {
  size_t from = pos_;
  while (pos_ < text_.size()) {
    char c = text_[pos_];
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
    ++pos_;
  }
  return pos_ > from;
}

bool Lexer::HexQuad(size_t at, uint32_t* out) const {
  if (at + 4 > text_.size()) return false;
  uint32_t v = 0;
  for (size_t k = at; k < at + 4; ++k) {
    char c = text_[k];
    uint32_t d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      d = c - 'A' + 10;
    } else {
      return false;
    }
    v = v * 16 + d;
  }
  *out = v;
  return true;
}

bool Lexer::StringLiteral(std::string* out) {
  size_t start = pos_;
  char quote = text_[pos_++];
  out->clear();
  while (true) {
    if (AtEnd()) return Fail(start, "unterminated string literal");
    char c = text_[pos_];
    if (c == quote) {
      ++pos_;
      return true;
    }
    if (static_cast<unsigned char>(c) < 0x20) {
      return Fail(pos_, "control character in a string literal (escape it)");
    }
    if (c != '\\') {
      out->push_back(c);
      ++pos_;
      continue;
    }
    size_t escape = pos_++;
    char e = Peek();
    switch (e) {
      case 'b':
        out->push_back('\b');
        break;
      case 'f':
        out->push_back('\f');
        break;
      case 'n':
        out->push_back('\n');
        break;
      case 'r':
        out->push_back('\r');
        break;
      case 't':
        out->push_back('\t');
        break;
      case '/':
      case '\\':
        out->push_back(e);
        break;
      case 'u': {
        uint32_t u = 0;
        if (!HexQuad(pos_ + 1, &u)) {
          return Fail(escape, "expected four hexadecimal digits after \\u");
        }
        pos_ += 5;
        if (IsLowSurrogate(u)) return Fail(escape, "unpaired surrogate in a \\u escape");
        if (IsHighSurrogate(u)) {
          uint32_t low = 0;
          if (Peek() != '\\' || Peek(1) != 'u' || !HexQuad(pos_ + 2, &low) ||
              !IsLowSurrogate(low)) {
            return Fail(escape, "a high surrogate \\u escape must be followed by a low one");
          }
          pos_ += 6;
          u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
        }
        AppendUtf8(u, out);
        continue;  // pos_ is already past the escape
      }
      default:
        if (e == quote) {
          out->push_back(e);
          break;
        }
        if (AtEnd()) return Fail(start, "unterminated string literal");
        if (static_cast<unsigned char>(e) < 0x20) {
          return Fail(escape, "invalid escape: a backslash before " + Describe(pos_));
        }
        return Fail(escape, fmt::format("invalid escape \\{} in a string literal",
                                        text_.substr(pos_, Utf8Length(e))));
    }
    ++pos_;
  }
}

bool Lexer::Integer(int64_t* out) {
  size_t start = pos_;
  bool negative = Consume('-');
  if (!IsDigit(Peek())) return Fail(pos_, "expected a digit, found " + Describe(pos_));
  if (Peek() == '0' && (negative || IsDigit(Peek(1)))) {
    return Fail(start, negative ? "-0 and leading zeros are not allowed in an integer"
                                : "leading zeros are not allowed in an integer");
  }
  int64_t value = 0;
  bool too_big = false;
  while (IsDigit(Peek())) {
    if (!too_big) {
      value = value * 10 + (Peek() - '0');
      too_big = value > kMaxExactInteger;
    }
    ++pos_;
  }
  if (too_big) return Fail(start, "integer out of range (at most 2^53-1 in magnitude)");
  *out = negative ? -value : value;
  return true;
}

bool Lexer::Number(Json* out) {
  size_t start = pos_;
  Consume('-');
  if (!IsDigit(Peek())) return Fail(pos_, "expected a digit, found " + Describe(pos_));
  if (Peek() == '0' && IsDigit(Peek(1))) {
    return Fail(start, "leading zeros are not allowed in a number");
  }
  while (IsDigit(Peek())) ++pos_;
  bool integral = true;
  if (Consume('.')) {
    integral = false;
    if (!IsDigit(Peek())) return Fail(pos_, "expected a digit after '.'");
    while (IsDigit(Peek())) ++pos_;
  }
  if (Peek() == 'e' || Peek() == 'E') {
    integral = false;
    ++pos_;
    if (Peek() == '+' || Peek() == '-') ++pos_;
    if (!IsDigit(Peek())) return Fail(pos_, "expected a digit in the exponent");
    while (IsDigit(Peek())) ++pos_;
  }
  const char* first = text_.data() + start;
  const char* last = text_.data() + pos_;
  if (integral) {
    int64_t i = 0;
    auto [end, ec] = std::from_chars(first, last, i);
    if (ec == std::errc() && end == last) {
      *out = i;
      return true;
    }
  }
  double d = 0;
  auto [end, ec] = std::from_chars(first, last, d);
  if (ec != std::errc() || end != last || !std::isfinite(d)) {
    return Fail(start, "number out of range");
  }
  *out = d;
  return true;
}

bool Lexer::MemberName(std::string* out) {
  if (!IsNameFirst(Peek())) return false;
  size_t start = pos_;
  while (IsNameFirst(Peek()) || IsDigit(Peek())) ++pos_;
  out->assign(text_.substr(start, pos_ - start));
  return true;
}

std::string_view Lexer::LowerName() {
  size_t start = pos_;
  if (Peek() >= 'a' && Peek() <= 'z') {
    while ((Peek() >= 'a' && Peek() <= 'z') || IsDigit(Peek()) || Peek() == '_') ++pos_;
  }
  return text_.substr(start, pos_ - start);
}

bool Lexer::Fail(size_t at, std::string message) {
  if (!failed_) {
    failed_ = true;
    error_at_ = at;
    error_message_ = std::move(message);
  }
  return false;
}

JsonPathError Lexer::error() const {
  JsonPathError e;
  e.message = error_message_;
  size_t at = std::min(error_at_, text_.size());
  e.column = CodePointCount(text_.substr(0, at)) + 1;
  return e;
}

std::string Lexer::Describe(size_t at) const {
  if (at >= text_.size()) return "the end of the query";
  unsigned char c = static_cast<unsigned char>(text_[at]);
  switch (c) {
    case '\n':
      return "a line feed";
    case '\r':
      return "a carriage return";
    case '\t':
      return "a tab";
    case ' ':
      return "a space";
    default:
      break;
  }
  if (c < 0x20) return fmt::format("control character U+{:04X}", c);
  return "'" + std::string(text_.substr(at, Utf8Length(text_[at]))) + "'";
}

}  // namespace verity::expr::jsonpath_detail
