#include "http/mask.h"

#include <algorithm>
#include <cctype>

namespace verity::http {
namespace {

constexpr std::string_view kMask = "****";

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsTokenChar(unsigned char c) {
  return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Masks an auth-param list's values (`token="abc", realm="x"` → `token="****", realm="****"`);
// returns false when `creds` is not such a list, so the caller masks it whole.
bool MaskAuthParams(std::string_view creds, std::string& out) {
  std::string result;
  size_t i = 0;
  while (i < creds.size()) {
    size_t eq = creds.find('=', i);
    if (eq == std::string_view::npos || eq == i) return false;
    for (size_t k = i; k < eq; ++k) {
      if (!IsTokenChar(creds[k])) return false;
    }
    result.append(creds.substr(i, eq - i + 1));
    size_t start = eq + 1;
    bool quoted = start < creds.size() && creds[start] == '"';
    size_t end = quoted ? creds.find('"', start + 1) : creds.find(',', start);
    if (quoted && end == std::string_view::npos) return false;
    if (end == std::string_view::npos) end = creds.size();
    std::string_view value = creds.substr(start + quoted, end - start - quoted);
    // An empty value or a trailing '=' is base64 padding, not a parameter list.
    if (value.empty()) return false;
    if (quoted) result += '"';
    result += MaskSecret(value);
    if (quoted) result += '"';
    i = end + quoted;
    if (i < creds.size()) {
      if (creds[i] != ',') return false;
      size_t next = creds.find_first_not_of(' ', i + 1);
      if (next == std::string_view::npos) return false;
      result.append(creds.substr(i, next - i));
      i = next;
    }
  }
  out += result;
  return true;
}

// token68 (RFC 9110 §11.2): the single opaque credential of Bearer and Basic, which may end in
// '=' padding and so must not be read as `name=value`.
bool IsToken68(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) ||
                          std::string_view("-._~+/").find(s[i]) != std::string_view::npos)) {
    ++i;
  }
  if (i == 0) return false;
  while (i < s.size() && s[i] == '=') ++i;
  return i == s.size();
}

// What MaskSecret() gives: "****" and at most four characters. Masking it again must not read
// the tail of a padded secret ("****6f==") as an auth-param `name=value`.
bool IsMasked(std::string_view s) { return s.starts_with(kMask) && s.size() <= kMask.size() + 4; }

// "Bearer abc" → "Bearer ****", keeping a scheme only when it looks like one (a token, then a
// space), so a bare secret is never mistaken for a scheme and shown.
std::string MaskCredentials(std::string_view value) {
  size_t space = value.find(' ');
  bool has_scheme = space != std::string_view::npos && space > 0 && space + 1 < value.size() &&
                    std::all_of(value.begin(), value.begin() + space,
                                [](char c) { return IsTokenChar(static_cast<unsigned char>(c)); });
  if (!has_scheme) return MaskSecret(value);
  std::string out(value.substr(0, space + 1));
  std::string_view creds = value.substr(space + 1);
  if (IsMasked(creds)) {
    out += creds;
  } else if (IsToken68(creds) || !MaskAuthParams(creds, out)) {
    out += MaskSecret(creds);
  }
  return out;
}

// "a=1; session=xyz" → "a=****; session=****": names help debugging, values are the secrets.
std::string MaskCookies(std::string_view value) {
  std::string out;
  size_t i = 0;
  while (i <= value.size()) {
    size_t end = value.find(';', i);
    if (end == std::string_view::npos) end = value.size();
    std::string_view item = value.substr(i, end - i);
    size_t eq = item.find('=');
    if (eq == std::string_view::npos) {
      out += MaskSecret(item);
    } else {
      out.append(item.substr(0, eq + 1));
      out += MaskSecret(item.substr(eq + 1));
    }
    if (end == value.size()) break;
    out += ';';
    i = end + 1;
    while (i < value.size() && value[i] == ' ') out += value[i++];
  }
  return out;
}

// Replaces each known secret inside a value with its MaskSecret() form, so the visible tail still
// identifies which token it was. A URL (Location, Link, Content-Location) keeps its shape instead:
// only the secrets in it are cut, so a reader still sees where a redirect went.
std::string MaskKnownSecrets(std::string_view value, const SecretRedactor& redactor) {
  if (!redactor.Contains(value)) return std::string(value);
  bool url = value.starts_with('/') || value.find("://") != std::string_view::npos;
  return url ? redactor.Redact(value) : MaskCredentials(value);
}

}  // namespace

std::string MaskSecret(std::string_view secret) {
  if (secret.size() < 16) return std::string(kMask);
  return std::string(kMask) + std::string(secret.substr(secret.size() - 4));
}

Headers MaskHeaders(const Headers& headers, const SecretRedactor& redactor) {
  Headers out;
  out.reserve(headers.size());
  for (const auto& [name, value] : headers) {
    std::string lower = Lower(name);
    std::string masked;
    if (lower == "authorization" || lower == "proxy-authorization") {
      masked = MaskCredentials(value);
    } else if (lower == "cookie" || lower == "set-cookie") {
      masked = MaskCookies(value);
    } else if (lower == "x-api-key" || lower == "x-auth-token") {
      masked = MaskSecret(value);
    } else {
      masked = MaskKnownSecrets(value, redactor);
    }
    // A known secret that survived the structural masking (a second token in a cookie
    // attribute, say) is removed whole.
    out.emplace_back(name, redactor.Redact(masked));
  }
  return out;
}

}  // namespace verity::http
