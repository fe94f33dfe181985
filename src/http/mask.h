// Keeping tokens out of everything Verity prints: console lines, reports, logs, error messages,
// --dry-run plans. Two tools, used together:
//
// - MaskHeaders() for request and response headers: credentials headers by name, and any header
//   whose value holds a known secret. The scheme stays readable and, for a long secret, its last
//   four characters, so a reader can tell which token was sent ("Bearer ****9f3a").
// - SecretRedactor for free text (URLs, bodies, curl's messages): every occurrence of a known
//   secret, also percent-encoded, becomes "****".
//
// Thread-safety: a SecretRedactor is safe to read from several threads once filled.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "http/request.h"

namespace verity::http {

class SecretRedactor {
 public:
  /// Remembers a secret. Empty values are ignored: they would match everywhere.
  void Add(std::string_view secret);
  bool empty() const { return secrets_.empty(); }

  /// `text` with every occurrence of a known secret replaced by "****". Overlapping or adjacent
  /// occurrences become one "****", so no part of any of them is left.
  std::string Redact(std::string_view text) const;
  /// Whether `text` holds a known secret in any form Redact() removes.
  bool Contains(std::string_view text) const;

 private:
  // Every form a secret is removed in: raw and percent-encoded (upper- and lower-case hex).
  std::vector<std::string> secrets_;
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
