#include "report/text.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "base/strings.h"
#include "run/totals_json.h"

namespace verity::report {
namespace {

constexpr uint32_t kReplacement = 0xFFFD;

// The characters HTML, XML and Markdown (which passes HTML through) all escape the same way: a
// reference, never the character, so text cannot open a tag, an entity or leave a quoted value.
const char* MarkupReference(uint32_t c) {
  switch (c) {
    case '&':
      return "&amp;";
    case '<':
      return "&lt;";
    case '>':
      return "&gt;";
    case '"':
      return "&quot;";
    default:
      return nullptr;
  }
}

}  // namespace

int64_t RoundMs(double ms) { return ms <= 0 ? 0 : std::llround(ms); }

std::string FormatDuration(double ms) {
  int64_t whole = RoundMs(ms);
  if (whole < 1000) return fmt::format("{}ms", whole);
  int64_t tenths = std::llround(ms / 100.0);
  // 59.96 s rounds to 600 tenths: show it as a minute rather than as "60.0s".
  if (tenths < 600) return fmt::format("{}.{}s", tenths / 10, tenths % 10);
  int64_t seconds = std::llround(ms / 1000.0);
  return fmt::format("{}m {}s", seconds / 60, seconds % 60);
}

std::string FormatPassRate(std::optional<double> percent) {
  if (!percent) return "N/A";
  return fmt::format("{:.1f}%", *run::RoundPassRate(percent));
}

std::string OneLine(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    uint32_t cp;
    if (!NextCodePoint(s, &i, &cp)) {
      AppendUtf8(kReplacement, &out);
    } else if (cp == '\n' || cp == '\r' || cp == '\t') {
      out += ' ';
    } else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
      // Dropped: ESC and CSI would let server text move the cursor or recolour the terminal.
    } else {
      AppendUtf8(cp, &out);
    }
  }
  return out;
}

namespace {

enum class Markup { kXmlText, kXmlAttribute, kHtml };

// One walk over the UTF-8 for both flavours: they differ only in a few characters and in which
// control characters may not appear at all.
std::string EscapeMarkup(std::string_view s, Markup markup) {
  const bool html = markup == Markup::kHtml;
  const bool attribute = markup == Markup::kXmlAttribute;
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  size_t i = 0;
  while (i < s.size()) {
    uint32_t cp;
    if (!NextCodePoint(s, &i, &cp)) {
      AppendUtf8(kReplacement, &out);
      continue;
    }
    if (const char* reference = MarkupReference(cp)) {
      out += reference;
      continue;
    }
    switch (cp) {
      case '\'':
        // &#39; in HTML, which lacked &apos; before HTML5.
        out += html ? "&#39;" : "&apos;";
        break;
      case '\t':
        out += attribute ? "&#9;" : "\t";
        break;
      case '\n':
        out += attribute ? "&#10;" : "\n";
        break;
      case '\r':
        if (html) {
          // A page shows line breaks, not carriage returns: CRLF and a lone CR become LF.
          if (i >= s.size() || s[i] != '\n') out += '\n';
        } else {
          // XML parsers turn a literal CR into LF; the reference keeps it in text as well.
          out += "&#13;";
        }
        break;
      default:
        if (cp < 0x20 || cp == 0xFFFE || cp == 0xFFFF) break;  // not an XML 1.0 Char
        if (html && cp >= 0x7F && cp <= 0x9F) break;           // C1 controls render as junk
        AppendUtf8(cp, &out);
    }
  }
  return out;
}

}  // namespace

std::string XmlEscape(std::string_view s, bool attribute) {
  return EscapeMarkup(s, attribute ? Markup::kXmlAttribute : Markup::kXmlText);
}

std::string HtmlEscape(std::string_view s) { return EscapeMarkup(s, Markup::kHtml); }

std::string IndentJsonText(std::string_view json, size_t max_bytes, bool* cut) {
  std::string out;
  size_t depth = 0;
  bool in_string = false, escaped = false;
  auto newline = [&] {
    out += '\n';
    out.append(2 * depth, ' ');
  };
  *cut = false;
  for (size_t i = 0; i < json.size(); ++i) {
    if (out.size() >= max_bytes) {
      *cut = true;
      break;
    }
    char c = json[i];
    if (in_string) {
      out += c;
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case ' ':
      case '\t':
      case '\n':
      case '\r':
        break;
      case '"':
        in_string = true;
        out += c;
        break;
      case '{':
      case '[': {
        out += c;
        size_t next = json.find_first_not_of(" \t\r\n", i + 1);
        // An empty object or array stays on one line.
        if (next != std::string_view::npos && (json[next] == '}' || json[next] == ']')) {
          out += json[next];
          i = next;
        } else {
          ++depth;
          newline();
        }
        break;
      }
      case '}':
      case ']':
        depth = depth > 0 ? depth - 1 : 0;
        newline();
        out += c;
        break;
      case ',':
        out += c;
        newline();
        break;
      case ':':
        out += ": ";
        break;
      default:
        out += c;
    }
  }
  if (out.size() > max_bytes) {
    out = Utf8Prefix(out, max_bytes);
    *cut = true;
  }
  return out;
}

std::string Utf8Prefix(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  size_t n = max_bytes;
  // Back up over continuation bytes: the character the cut falls into is dropped whole.
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return std::string(s.substr(0, n));
}

std::string MarkdownText(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char c : OneLine(s)) {
    if (const char* reference = MarkupReference(static_cast<unsigned char>(c))) {
      out += reference;
      continue;
    }
    switch (c) {
      case '\\':
      case '`':
      case '*':
      case '_':
      case '[':
      case ']':
      case '|':
      case '~':
        out += '\\';
        out += c;
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string MarkdownCode(std::string_view s, bool table_cell) {
  std::string text = OneLine(s);
  size_t longest = 0, run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  std::string body;
  body.reserve(text.size());
  for (char c : text) {
    if (c == '|' && table_cell) body += '\\';
    body += c;
  }
  // A span that starts or ends with a backtick needs a space inside the fence, which CommonMark
  // strips again.
  bool pad = !body.empty() && (body.front() == '`' || body.back() == '`');
  std::string fence(longest + 1, '`');
  return fence + (pad ? " " : "") + body + (pad ? " " : "") + fence;
}

}  // namespace verity::report
