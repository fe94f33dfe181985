// The character level of JSONPath (RFC 9535 §2): blanks, string literals, integers, numbers and
// names. The parser drives it; it keeps the first error with its byte offset.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/json.h"
#include "expr/jsonpath.h"

namespace verity::expr::jsonpath_detail {

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  std::string_view text() const { return text_; }
  size_t pos() const { return pos_; }
  void set_pos(size_t pos) { pos_ = pos; }
  bool AtEnd() const { return pos_ >= text_.size(); }
  /// The byte `ahead` positions on, or '\0' past the end (a NUL in the query is never valid, so
  /// it cannot be mistaken for real input).
  char Peek(size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }
  bool Consume(char c) {
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }
  bool Consume(std::string_view s) {
    if (text_.substr(pos_, s.size()) != s) return false;
    pos_ += s.size();
    return true;
  }
  /// Skips RFC 9535 blank space (space, tab, LF, CR); true when there was some.
  bool SkipBlank();

  /// At `'` or `"`: the decoded string.
  bool StringLiteral(std::string* out);
  /// An index, slice bound or step: RFC `int` within ±(2^53-1).
  bool Integer(int64_t* out);
  /// A number literal in a filter (JSON number syntax, with `-0` allowed).
  bool Number(Json* out);
  /// `member-name-shorthand`: letters, digits, `_` and non-ASCII, not starting with a digit.
  bool MemberName(std::string* out);
  /// `[a-z][a-z0-9_]*` (function names and the keywords true, false and null).
  std::string_view LowerName();

  static bool IsNameFirst(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           static_cast<unsigned char>(c) >= 0x80;
  }
  static bool IsDigit(char c) { return c >= '0' && c <= '9'; }

  /// Records an error at byte `at` (the first one wins) and returns false.
  bool Fail(size_t at, std::string message);
  bool failed() const { return failed_; }
  /// The error with its column counted in code points.
  JsonPathError error() const;

  /// A character for messages: `'x'`, or "the end of the query".
  std::string Describe(size_t at) const;

 private:
  // Four hex digits at byte `at`, without moving or failing.
  bool HexQuad(size_t at, uint32_t* out) const;

  std::string_view text_;
  size_t pos_ = 0;
  bool failed_ = false;
  size_t error_at_ = 0;
  std::string error_message_;
};

}  // namespace verity::expr::jsonpath_detail
