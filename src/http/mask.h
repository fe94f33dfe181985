// Keeping tokens out of everything Verity prints: console lines, reports, logs, error messages,
// --dry-run plans. Two tools, used together:
//
// - MaskHeaders() for request and response headers: credentials headers by name, and any header
//   whose value holds a known secret. The scheme stays readable and, for a long secret, its last
//   four characters, so a reader can tell which token was sent ("Bearer ****9f3a").
// - SecretRedactor for free text (URLs, bodies, curl's messages): every occurrence of a known
//   secret becomes "****", in whichever form an API may echo it; a secret shorter than eight
//   characters only where it is a whole value, never inside a word (see SecretRedactor).
//
// Thread-safety: a SecretRedactor is safe to read from several threads while nobody adds to it.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.h"

namespace verity::http {

class PatternSet;

/// Finds secrets the way an API echoes them and cuts them out. A secret is matched
/// - without regard to ASCII case (an upper- or lower-cased echo),
/// - after decoding escapes, up to twice: JSON (`\/`, `\u0041`), percent (`%2F`, `%2f`) and HTML
///   (`&#47;`) escapes, so `{"e":"CANARY\/tok"}` or `?t=CANARY%2Ftok` lose the whole token and
///   only it: the rest of the text stays byte for byte,
/// - with '+' for its spaces (form encoding),
/// - base64 and base64url encoded, padded or not, alone or inside longer encoded data (the
///   encoded `user:secret` of HTTP Basic): the characters that carry bits of the secret are cut,
///   with the padding that follows them.
class SecretRedactor {
 public:
  /// From this many characters on, a secret is masked wherever it occurs, inside words too. A
  /// shorter one is masked only where it is a whole value: a dummy token such as `x` or `abc`
  /// would otherwise blank out every word holding it ("does not e****ist").
  static constexpr size_t kMinSubstring = 8;

  /// Remembers a configured secret (a token's value), in every form above. One shorter than
  /// kMinSubstring is masked, in each of these forms, only where it is a whole value:
  /// - a whole text (a header's value, a JSON string redacted on its own),
  /// - a quoted string (`"…"`, `'…'`),
  /// - the value of `name=value` or of a path segment (after '=' or '/', up to the end or one of
  ///   `&;#,/?` and white space),
  /// - the credential of `Bearer …`, `Basic …` or `Token …` (up to the end, white space, `,;`
  ///   or a quote),
  /// - the value of a header line (`Name: value`, up to the line's end);
  /// and its base64 forms are searched only as its whole encoding, not inside longer encoded
  /// data. Empty values are ignored: they would match everywhere.
  void Add(std::string_view secret);
  /// Remembers a value derived from a secret (a slice of it, an extracted value that echoed it).
  /// It is masked like a configured secret (whole values only when shorter than kMinSubstring),
  /// in the forms above but base64 (Verity encodes a value only through a template filter, whose
  /// output is derived in turn). A value longer than 256 characters is remembered by its first
  /// and last 256: whatever lies between is a known secret (masked as such) or none.
  void AddDerived(std::string_view value);
  /// AddDerived for several values, rebuilding the search once.
  void AddDerived(const std::vector<std::string>& values);
  bool empty() const { return keys_.empty(); }

  /// `text` with every occurrence of a known secret replaced by "****". Overlapping or adjacent
  /// occurrences become one "****", so no part of any of them is left.
  std::string Redact(std::string_view text) const;
  /// Redact() for a text cut short before it reached us (a body truncated on receipt): the
  /// beginning of a secret cut off at the end is masked too, from its fourth character on.
  std::string RedactTruncated(std::string_view text) const;
  /// Whether `text` holds a known secret in any form Redact() removes.
  bool Contains(std::string_view text) const;
  /// The most bytes of a text that one occurrence of a known secret can span: its longest form
  /// with every byte escaped twice over. What a caller searches before cutting a text must reach
  /// this far past the cut.
  size_t max_span() const { return longest_form_ * 32; }

  /// Every form a secret is searched in; public for the implementation's helpers only.
  struct Form {
    std::string text;
    bool whole_only = false;
    // Base64 forms: the encoded characters on either side that hold some of the secret's bits
    // (0 or 1 each), and whether '=' padding may follow.
    uint8_t extend_left = 0, extend_right = 0;
    bool padded = false;
  };

 private:
  // Whether anything was new; the search is rebuilt by Rebuild().
  bool AddForms(std::vector<Form> forms, std::string key);
  bool AddDerivedForms(std::string_view value);
  void Rebuild();
  std::string RedactImpl(std::string_view text, bool truncated) const;

  std::vector<std::string> keys_;  // what was added, to add nothing twice
  std::vector<Form> forms_;
  bool escapish_ = false;  // some form holds '\\', '%' or '&'
  size_t longest_form_ = 0;
  std::shared_ptr<const PatternSet> patterns_;  // over forms_, rebuilt on every addition
};

/// "****" for a secret shorter than 16 characters, else "****" and its last four: a short secret's
/// tail would give away too much of it.
std::string MaskSecret(std::string_view secret);

/// A copy of `headers` safe to print. Authorization, Proxy-Authorization, Cookie, Set-Cookie,
/// X-Api-Key and X-Auth-Token are masked whatever their value; any other header is masked where its
/// value holds a secret `redactor` knows. The scheme of an Authorization value is kept
/// ("Bearer ****abcd", `Token token="****abcd"`), as are cookie names.
Headers MaskHeaders(const Headers& headers, const SecretRedactor& redactor = {});

}  // namespace verity::http
