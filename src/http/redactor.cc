// SecretRedactor: the forms a secret is searched in, and the search over a text and its decoded
// views (escape_view.h) in one automaton pass each (pattern_set.h).
#include <algorithm>
#include <cctype>

#include "http/escape_view.h"
#include "http/mask.h"
#include "http/pattern_set.h"

namespace verity::http {

namespace {

using Form = SecretRedactor::Form;

constexpr std::string_view kMask = "****";
// A secret's base64 "cores" (below) are about 4/3 of its length, less two; from six characters on
// they are long enough not to turn up by chance in other encoded data. A shorter secret is
// searched for only as its own whole encoding.
constexpr size_t kMinCoreSecret = 6;
// A derived value longer than this is remembered by its first and last this-many characters:
// whatever it holds in between is either a known secret (masked as such) or not secret, while its
// ends may hold a piece of a secret that a slice cut.
constexpr size_t kMaxDerivedForm = 256;
// The beginning of a secret at the end of a truncated text is cut from this many characters on:
// fewer are no more than MaskSecret() shows of a secret, and would otherwise make the last
// letters of many ordinary texts look like one.
constexpr uint32_t kMinTrailingPiece = 4;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// RFC 4648 base64 (or base64url), without padding.
std::string Base64Of(std::string_view bytes, bool url) {
  const char* alphabet = url ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                             : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  uint32_t bits = 0;
  int pending = 0;
  for (unsigned char c : bytes) {
    bits = (bits << 8) | c;
    pending += 8;
    while (pending >= 6) {
      pending -= 6;
      out += alphabet[(bits >> pending) & 63];
    }
  }
  if (pending > 0) out += alphabet[(bits << (6 - pending)) & 63];
  return out;
}

// Inside longer encoded data (`user:secret`, a JSON document) the secret starts at a byte offset
// of 0, 1 or 2 modulo 3, and each gives other characters. For each, the "core" is the run of
// characters made only of the secret's bits, the same whatever surrounds it; the character on
// either side that mixes in neighbouring bits is cut too when present (extend_left/right).
// A secret masked only as a whole value is searched for only as its own whole encoding too.
void AddBase64Forms(std::string_view secret, bool whole_only, std::vector<Form>* forms) {
  size_t n = secret.size();
  for (bool url : {false, true}) {
    if (n < kMinCoreSecret || whole_only) {
      forms->push_back({Base64Of(secret, url), whole_only, 0, 0, true});
      continue;
    }
    for (size_t k = 0; k < 3; ++k) {
      std::string encoded = Base64Of(std::string(k, '\0') + std::string(secret), url);
      size_t first = (8 * k + 5) / 6, last = 8 * (k + n) / 6;
      auto left = static_cast<uint8_t>((8 * k) % 6 != 0);
      auto right = static_cast<uint8_t>((8 * (k + n)) % 6 != 0);
      forms->push_back({encoded.substr(first, last - first), false, left, right, true});
    }
  }
}

// `base64`: configured secrets only. A derived value is one Verity made (a slice, a filter's
// output) or an answer's text: base64 of it is something Verity makes only through a filter,
// whose output is then a derived secret of its own. A value shorter than kMinSubstring is
// searched for only as a whole value, in each of its forms.
std::vector<Form> FormsOf(std::string_view secret, bool base64) {
  bool whole_only = secret.size() < SecretRedactor::kMinSubstring;
  std::vector<Form> forms = {{std::string(secret), whole_only}};
  if (MayHaveEscapes(secret) && secret.size() < UINT32_MAX) {
    EscapeView decoded(secret, nullptr);
    if (decoded.bytes() != secret) forms.push_back({decoded.bytes(), whole_only});
  }
  if (secret.find(' ') != std::string_view::npos) {
    std::string plus(secret);
    std::replace(plus.begin(), plus.end(), ' ', '+');
    forms.push_back({plus, whole_only});
  }
  if (base64) AddBase64Forms(secret, whole_only, &forms);
  return forms;
}

bool IsBase64Char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '-' ||
         c == '_';
}

bool IsTokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// The credential of `Bearer x`, `Basic x` or `Token x`: the scheme, as a word of its own, then
// one space.
bool FollowsScheme(std::string_view bytes, size_t b) {
  for (std::string_view scheme : {"bearer ", "basic ", "token "}) {
    if (b < scheme.size()) continue;
    size_t s = b - scheme.size();
    // Without a copy: a one-letter secret is a candidate at every occurrence of the letter.
    bool same = std::equal(scheme.begin(), scheme.end(), bytes.begin() + s, [](char a, char c) {
      return a == std::tolower(static_cast<unsigned char>(c));
    });
    if (!same) continue;
    if (s == 0 || !std::isalnum(static_cast<unsigned char>(bytes[s - 1]))) return true;
  }
  return false;
}

// The value of a header line (`Name: value`), from the colon to the line's end.
bool IsHeaderValue(std::string_view bytes, size_t b, size_t e) {
  if (e < bytes.size() && bytes[e] != '\r' && bytes[e] != '\n') return false;
  size_t i = b;
  while (i > 0 && (bytes[i - 1] == ' ' || bytes[i - 1] == '\t')) --i;
  if (i == 0 || bytes[i - 1] != ':') return false;
  size_t colon = --i;
  while (i > 0 && IsTokenChar(bytes[i - 1])) --i;
  return i < colon && (i == 0 || bytes[i - 1] == '\n');
}

// See SecretRedactor::Add for what a whole value is.
bool IsWholeValue(std::string_view bytes, size_t b, size_t e) {
  if (b == 0 && e == bytes.size()) return true;
  char before = b > 0 ? bytes[b - 1] : '\0';
  char after = e < bytes.size() ? bytes[e] : '\0';
  if ((before == '"' || before == '\'') && after == before) return true;
  auto ends_at = [&](std::string_view delimiters) {
    return after == '\0' || delimiters.find(after) != std::string_view::npos;
  };
  if (before == '=' || before == '/') return ends_at("&;#,/? \t\r\n");
  if (before == ' ' && FollowsScheme(bytes, b)) return ends_at(",;\"' \t\r\n");
  return IsHeaderValue(bytes, b, e);
}

void ExtendBase64(std::string_view bytes, const Form& f, size_t* b, size_t* e) {
  if (f.extend_left && *b > 0 && IsBase64Char(bytes[*b - 1])) --*b;
  if (f.extend_right && *e < bytes.size() && IsBase64Char(bytes[*e])) ++*e;
  for (int pad = 0; f.padded && pad < 2 && *e < bytes.size() && bytes[*e] == '='; ++pad) ++*e;
}

// Calls found(begin, end) with the span of the original text of every secret in `bytes` (the
// text itself when `map` is null, else a view of it); stops early, returning false, when found
// does. With `truncated`, a secret's beginning at the very end counts too.
template <typename Found>
bool ScanView(const PatternSet& set, const std::vector<Form>& forms, std::string_view bytes,
              const EscapeView* map, bool truncated, Found&& found) {
  auto report = [&](size_t b, size_t e) {
    return map ? found(map->Begin(b), map->End(e - 1)) : found(b, e);
  };
  uint32_t state = set.start();
  bool go_on = set.Scan(bytes, &state, [&](size_t j, uint32_t at) {
    bool more = true;
    set.ForEachMatch(at, [&](uint32_t p) {
      const Form& f = forms[p];
      size_t b = j + 1 - f.text.size(), e = j + 1;
      if (!more) return;
      ExtendBase64(bytes, f, &b, &e);
      if (f.whole_only && !IsWholeValue(bytes, b, e)) return;
      more = report(b, e);
    });
    return more;
  });
  if (!go_on) return false;
  for (uint32_t s = state; truncated && set.Depth(s) >= kMinTrailingPiece; s = set.Shorter(s)) {
    if (set.BeginsMarked(s)) return report(bytes.size() - set.Depth(s), bytes.size());
  }
  return true;
}

// The text, or else (when it has escapes) the text with its escapes decoded, and decoded again
// when that could change more. Every byte that is no escape is in the decoded view as it is, so
// the view finds what the text would; except where a secret itself holds an escape character:
// its escaped-looking part is searched decoded too (FormsOf), but text next to it may join it in
// an escape ("…%b" + "e…"), so then the text itself is searched as well.
template <typename Found>
bool ScanAll(const PatternSet& set, const std::vector<Form>& forms, bool escapish_secret,
             std::string_view text, bool truncated, Found&& found) {
  if (!MayHaveEscapes(text) || text.size() >= UINT32_MAX || escapish_secret) {
    if (!ScanView(set, forms, text, nullptr, truncated, found)) return false;
    if (!MayHaveEscapes(text) || text.size() >= UINT32_MAX) return true;
  }
  EscapeView once(text, nullptr);
  if (!ScanView(set, forms, once.bytes(), &once, truncated, found)) return false;
  if (!once.may_decode_again()) return true;
  EscapeView twice(once.bytes(), &once);
  return ScanView(set, forms, twice.bytes(), &twice, truncated, found);
}

}  // namespace

void SecretRedactor::Add(std::string_view secret) {
  if (secret.empty()) return;
  if (AddForms(FormsOf(secret, true), "secret:" + Lower(secret))) Rebuild();
}

void SecretRedactor::AddDerived(std::string_view value) {
  if (AddDerivedForms(value)) Rebuild();
}

void SecretRedactor::AddDerived(const std::vector<std::string>& values) {
  bool added = false;
  for (const std::string& value : values) added = AddDerivedForms(value) || added;
  if (added) Rebuild();
}

bool SecretRedactor::AddDerivedForms(std::string_view value) {
  if (value.empty()) return false;
  if (value.size() > kMaxDerivedForm) {
    bool head = AddDerivedForms(value.substr(0, kMaxDerivedForm));
    return AddDerivedForms(value.substr(value.size() - kMaxDerivedForm)) || head;
  }
  return AddForms(FormsOf(value, false), "derived:" + Lower(value));
}

bool SecretRedactor::AddForms(std::vector<Form> forms, std::string key) {
  if (std::find(keys_.begin(), keys_.end(), key) != keys_.end()) return false;
  keys_.push_back(std::move(key));
  for (Form& f : forms) {
    escapish_ = escapish_ || MayHaveEscapes(f.text);
    longest_form_ = std::max(longest_form_, f.text.size());
    forms_.push_back(std::move(f));
  }
  return true;
}

void SecretRedactor::Rebuild() {
  std::vector<std::string> texts;
  std::vector<bool> marked;
  for (const Form& f : forms_) {
    texts.push_back(f.text);
    marked.push_back(!f.whole_only);  // a piece of a whole value alone is nothing to hide
  }
  patterns_ = std::make_shared<const PatternSet>(texts, marked);
}

std::string SecretRedactor::Redact(std::string_view text) const { return RedactImpl(text, false); }

std::string SecretRedactor::RedactTruncated(std::string_view text) const {
  return RedactImpl(text, true);
}

std::string SecretRedactor::RedactImpl(std::string_view text, bool truncated) const {
  if (!patterns_) return std::string(text);
  std::vector<std::pair<size_t, size_t>> spans;
  ScanAll(*patterns_, forms_, escapish_, text, truncated, [&](size_t b, size_t e) {
    spans.emplace_back(b, e);
    return true;
  });
  if (spans.empty()) return std::string(text);
  std::sort(spans.begin(), spans.end());
  std::string out;
  out.reserve(text.size());
  size_t copied = 0;
  for (size_t i = 0; i < spans.size();) {
    auto [b, e] = spans[i];
    for (++i; i < spans.size() && spans[i].first <= e; ++i) e = std::max(e, spans[i].second);
    out.append(text.substr(copied, b - copied));
    out += kMask;
    copied = e;
  }
  out.append(text.substr(copied));
  return out;
}

bool SecretRedactor::Contains(std::string_view text) const {
  if (!patterns_) return false;
  return !ScanAll(*patterns_, forms_, escapish_, text, false, [](size_t, size_t) { return false; });
}

}  // namespace verity::http
