// Realistic values for generated data: what a property's name ("billing_city", "customerEmail")
// or a string `format` the validator does not check ("phone", "currency") says a value holds, and
// a value of that kind. Real servers validate such fields even when the spec declares nothing
// (a currency code, a country, a phone number); a property's own name is a poor value for them.
//
// The tables (sample_names.cc) are data: a name or a format maps to a kind, a kind to its values.
// Everything is deterministic: the ordinal (an array item's number, 0 when items do not vary)
// picks among the values, and the fields of one item come from the same row, so that one
// address's city, postal code, country and time zone belong together.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace verity::spec {

enum class ValueKind : uint8_t {
  kNone,
  // People
  kFirstName,
  kLastName,
  kFullName,
  kEmail,
  kUsername,
  kPassword,
  kPhone,
  // Places: the fields of one ordinal are one address
  kStreet,
  kAddressLine2,
  kFullAddress,
  kCity,
  kRegion,
  kPostalCode,
  kCountry,
  kCountryCode,   // ISO 3166-1 alpha-2
  kCountryCode3,  // ISO 3166-1 alpha-3
  kCurrency,      // ISO 4217
  kLanguage,      // ISO 639-1
  kLocale,        // BCP 47
  kTimeZone,      // IANA
  // Businesses and text
  kCompany,
  kJobTitle,
  kProduct,
  kTitle,
  kSentence,
  kTag,
  kSlug,
  kColor,
  kFileName,
  kUrl,
  // Software
  kVersion,   // "1.4.2"
  kRevision,  // a hex digest: commit, checksum, fingerprint
  kBranch,
  // Payments
  kCardNumber,
  kCardLast4,
  kCardBin,
  kCardBrand,
  kIban,
  kBic,
  // Formats: times, identifiers, network
  kDate,
  kDateTime,
  kTime,
  kBirthDate,
  kHttpDate,  // RFC 2822 / RFC 7231: "Mon, 05 Jan 2026 10:00:00 +0000"
  kDuration,  // ISO 8601
  kUuid,
  kHostname,
  kIpv4,
  kIpv6,
  kCidr,
  kMacAddress,
  kBase64,
  kIntegerText,
  kDecimalText,
  kUriTemplate,
  kJsonPointer,
  kRelativeJsonPointer,
  kRegex,
};

/// The kind a property name asks for: its last words decide ("billing_city", "customerEmail",
/// "contact.phone_number", "EMAIL-ADDRESSES"), the longest match first ("country_name" is a
/// country, "name" a person); kNone when the name says nothing known ("uid", "status").
ValueKind KindOfName(std::string_view name);

struct FormatKind {
  ValueKind kind = ValueKind::kNone;
  /// The sampler gave this format a value before realistic values existed: where a realistic
  /// value must give way (a repeat in a uniqueItems array), the format keeps its own.
  bool established = false;
};

/// The kind a `format` asks for, case, '-', '_' and '.' aside ("date-time", "E.164",
/// "phone-number", "iso-country-code"); kNone for a format without one ("binary").
FormatKind KindOfFormat(std::string_view format);

/// The value of `kind` for the ordinal-th item; `name` (a property's) shapes a URL's path.
/// Empty for kNone.
std::string RealisticString(ValueKind kind, uint64_t ordinal, std::string_view name);

/// A plausible number for a property named `name` ("age", "price", "latitude"); nullopt when the
/// name says nothing known. The caller checks the schema's bounds.
std::optional<double> RealisticNumber(std::string_view name, uint64_t ordinal);

}  // namespace verity::spec
