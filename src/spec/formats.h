// String formats checked by the response validator (`format:` in a schema). Hand-written
// checkers, not regular expressions: validation runs over every string of multi-megabyte bodies,
// and none of these allocate.
//
// Formats not listed here (int32, password, byte, hostname, …) are not checked: OpenAPI lets a spec
// name any format, and a validator that does not know one must accept the value.
#pragma once

#include <string_view>

namespace verity::spec {

enum class StringFormat { kNone, kDateTime, kDate, kUuid, kEmail, kUri };

/// "date-time" → kDateTime …; a name this validator does not check → kNone.
StringFormat ParseStringFormat(std::string_view name);
const char* StringFormatName(StringFormat format);

/// RFC 3339 date-time: "2024-02-29T13:05:00Z", "…T13:05:00.123+02:00". 'T' and 'Z' in either case;
/// seconds up to 60 (leap second); the day must exist in its month.
bool IsDateTime(std::string_view text);
/// RFC 3339 full-date: "2024-02-29".
bool IsDate(std::string_view text);
/// 8-4-4-4-12 hex digits, either case, any version.
bool IsUuid(std::string_view text);
/// Pragmatic, not RFC 5322: one '@', a non-empty local part without spaces or control characters,
/// and a domain of non-empty labels ("localhost", "mail.example.com", "[192.0.2.1]").
bool IsEmail(std::string_view text);
/// RFC 3986 absolute URI: a scheme ("https", "urn", "x-y+z.1"), ':' and then anything without
/// spaces or control characters.
bool IsUri(std::string_view text);

/// True for kNone.
bool MatchesFormat(StringFormat format, std::string_view text);

}  // namespace verity::spec
