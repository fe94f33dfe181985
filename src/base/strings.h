// Small string helpers shared by every module. ASCII-only case mapping on purpose: keys, methods,
// statuses and search terms are compared byte-wise, never through the locale.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace verity {

std::string ToLower(std::string_view s);
std::string ToUpper(std::string_view s);
std::string_view Trim(std::string_view s);
bool StartsWith(std::string_view s, std::string_view prefix);
bool EndsWith(std::string_view s, std::string_view suffix);
bool IEquals(std::string_view a, std::string_view b);
std::vector<std::string_view> Split(std::string_view s, char sep);
std::string Join(const std::vector<std::string>& parts, std::string_view sep);

/// Reads one code point of UTF-8 at `*i` and advances past it. An invalid or truncated sequence
/// (also an overlong form, a surrogate or a value past U+10FFFF) yields false and advances by one
/// byte, so callers can replace it and go on.
bool NextCodePoint(std::string_view s, size_t* i, uint32_t* cp);
/// True when `s` is valid UTF-8. On failure `bad_offset` receives the byte offset of the first
/// invalid sequence.
bool IsValidUtf8(std::string_view s, size_t* bad_offset = nullptr);
/// Code points in UTF-8 text: what a column counts.
uint32_t CodePointCount(std::string_view s);
/// Appends code point `cp` encoded as UTF-8.
void AppendUtf8(uint32_t cp, std::string* out);

/// Shortens `s` to at most `max_chars` characters (never splitting a UTF-8 sequence), adding "…".
std::string Abbreviate(std::string_view s, size_t max_chars);

/// "%2F" → "/"; in a query string (`query`), '+' is a space too. A '%' without two hex digits
/// after it stays as it is.
std::string PercentDecode(std::string_view text, bool query = false);

/// "a=1&b=x%20y" → {{"a","1"},{"b","x y"}}, in order; a name without '=' has an empty value.
std::vector<std::pair<std::string, std::string>> ParseQuery(std::string_view query);

/// Whether a field's name says it holds a credential: it contains password, passwd, secret,
/// token, apikey, api_key, api-key, credential, private_key or assertion, in any case
/// (`client_secret`, `refresh_token`, `X-Api-Key`).
bool NamesACredential(std::string_view name);

/// Quotes a string for messages: "text" with control characters escaped.
std::string Quoted(std::string_view s);

/// A type or kind name with its indefinite article, for messages: "an array", "a string",
/// "an admin", "a user" (the article follows the sound: "a unit", "an hour"). "null" names a
/// value, not a kind, so it stands alone: "the document is null".
std::string WithArticle(std::string_view noun);

}  // namespace verity
