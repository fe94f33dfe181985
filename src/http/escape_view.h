// A text with its escapes decoded, each decoded byte remembering which bytes of the original text
// it came from, so that a secret found in the decoded text can be cut out of the original. APIs
// echo what they were sent in whatever escaping their output format uses: JSON (`\/`, `\u0041`,
// surrogate pairs), URLs (`%2F`, `%2f`) and HTML (`&#47;`, `&#x2F;`, `&sol;`). Decoding twice
// reaches the doubly escaped forms of JSON inside a JSON string (`\\/`) and of a URL inside a
// query parameter (`%252F`).
//
// Internal to the http module (mask.h is the interface).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace verity::http {

class EscapeView {
 public:
  /// `text` with every well-formed escape decoded; anything else (including '+') stays as it is.
  /// `from` is the view `text` belongs to when it is a view's bytes (it must outlive this one),
  /// null when `text` is the original. Offsets are 32-bit: texts stay under 4 GiB.
  EscapeView(std::string_view text, const EscapeView* from);

  const std::string& bytes() const { return bytes_; }
  /// Whether anything was decoded.
  bool decoded() const { return !pieces_.empty(); }
  /// Whether decoding again could change the bytes: an escape decoded to the start of another.
  bool may_decode_again() const { return may_decode_again_; }
  /// The bytes of the original text that bytes()[i] came from: [Begin(i), End(i)).
  uint32_t Begin(size_t i) const;
  uint32_t End(size_t i) const;

 private:
  // A run of bytes()[view_begin, view_end) decoded from text[text_begin, text_end); bytes between
  // pieces are copied one for one.
  struct Piece {
    uint32_t view_begin, view_end, text_begin, text_end;
  };
  // [begin, end) in this view's text.
  std::pair<uint32_t, uint32_t> InText(size_t i) const;

  std::string bytes_;
  std::vector<Piece> pieces_;
  const EscapeView* from_;
  bool may_decode_again_ = false;
};

/// Whether decoding could change `text` at all: it holds a '\\', '%' or '&'.
bool MayHaveEscapes(std::string_view text);

}  // namespace verity::http
