// Text shaping shared by the report writers and the console: durations and pass rates as people
// read them, and the escaping each output format needs. Server text (messages, bodies, field
// names) reaches every report, so each writer must pass it through the escaper of its format: a
// response body must not be able to add XML elements, Markdown markup or terminal escape codes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace verity::report {

/// A duration as people read it: "850ms" below a second, "3.2s" below a minute, else "2m 5s".
std::string FormatDuration(double ms);
/// Milliseconds as a whole number, for the `durationMs` fields.
int64_t RoundMs(double ms);
/// "87.5%" (rounded as run::RoundPassRate rounds `passRatePercent`), or "N/A" when nothing was
/// testable.
std::string FormatPassRate(std::optional<double> percent);

/// One line of plain text, safe for a terminal: line breaks and tabs become spaces, every other
/// control character (C0, DEL, C1, so also ESC and CSI) is dropped, invalid UTF-8 becomes U+FFFD.
std::string OneLine(std::string_view s);

/// Text for XML 1.0 character data (`attribute` false) or a double-quoted attribute value:
/// & < > " ' escaped, characters XML 1.0 forbids (C0 controls except tab and line breaks,
/// U+FFFE, U+FFFF) dropped, invalid UTF-8 replaced by U+FFFD. In attributes tab and line breaks
/// become character references, which attribute-value normalisation would otherwise turn into
/// spaces.
std::string XmlEscape(std::string_view s, bool attribute = false);

/// Text for HTML, in element content or in a quoted attribute value alike: & < > " ' become
/// references, so server text can neither open an element (`</script>`, `<img onerror=…>`) nor
/// leave an attribute. Tab and LF stay; CR LF and a lone CR become LF, as an HTML parser would
/// read them anyway; other control characters (C0, DEL, C1) are dropped and invalid UTF-8 becomes
/// U+FFFD, so the result is also well-formed XML character data.
std::string HtmlEscape(std::string_view s);

/// `json` re-indented for reading (two spaces a level), changing only whitespace outside strings:
/// string literals are copied byte for byte, escapes and all, so the result can never hold text
/// the input did not (decoding `\/` or `\u0041` could reassemble a secret the redactor did
/// not recognise in its escaped form). Works on a prefix of a document too. Stops once the result
/// reaches `max_bytes`, setting `*cut` when it did.
std::string IndentJsonText(std::string_view json, size_t max_bytes, bool* cut);

/// The longest prefix of `s` of at most `max_bytes` that does not end inside a UTF-8 character.
std::string Utf8Prefix(std::string_view s, size_t max_bytes);

/// Inline Markdown text that renders as the literal characters it holds: HTML-significant
/// characters become entities and Markdown punctuation is backslash-escaped, so neither `<img>`
/// nor `[link](...)` from a response turns into markup. Line breaks become spaces and `|` is
/// escaped, so the result is safe inside a table cell.
std::string MarkdownText(std::string_view s);
/// An inline code span holding `s` literally: a fence longer than any backtick run inside, line
/// breaks as spaces. In a table cell `|` must be escaped even inside code (GFM strips the
/// backslash there); elsewhere the backslash would show, so `table_cell` says which.
std::string MarkdownCode(std::string_view s, bool table_cell = false);

}  // namespace verity::report
