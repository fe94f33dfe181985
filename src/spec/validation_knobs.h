// How strictly a response is held to its spec, for the habits real services have that their specs
// do not describe: `null` for an optional member the schema does not mark nullable, dates that
// are not RFC 3339, members and statuses the spec leaves out. A knob changes the severity of one
// class of findings; a finding a knob changed says so in its message (and in SchemaIssue::knob),
// so it is never mistaken for the code's own severity. verity.yaml sets them per environment and
// per spec (run/validation_policy.h, docs/config.md).
#pragma once

#include <optional>
#include <string_view>

namespace verity::spec {

/// What a class of findings becomes.
enum class FindingLevel { kError, kWarning, kIgnore };

struct ValidationKnobs {
  /// `null` for a property that is neither required nor nullable: a TYPE_MISMATCH warning rather
  /// than an error.
  bool optional_nullable = false;
  /// FORMAT_MISMATCH (date-time, date, uuid, email, uri): an error, a warning, or not checked.
  FindingLevel check_formats = FindingLevel::kError;
  /// UNDOCUMENTED_FIELD: a warning (as always before these knobs), an error, or not reported.
  FindingLevel undocumented_fields = FindingLevel::kWarning;
  /// UNDOCUMENTED_STATUS for a status the recipe expects: a warning or an error (never ignored:
  /// an answer the spec does not describe was not checked at all).
  FindingLevel undocumented_status = FindingLevel::kWarning;

  bool operator==(const ValidationKnobs&) const = default;
};

// The knobs' names as verity.yaml spells them; messages name the knob that changed a finding.
inline constexpr const char* kKnobOptionalNullable = "optional_nullable";
inline constexpr const char* kKnobCheckFormats = "check_formats";
inline constexpr const char* kKnobUndocumentedFields = "undocumented_fields";
inline constexpr const char* kKnobUndocumentedStatus = "undocumented_status";

/// "error", "warn", "ignore": the words undocumented_fields and undocumented_status take.
const char* FindingLevelName(FindingLevel level);
std::optional<FindingLevel> ParseFindingLevel(std::string_view name);

}  // namespace verity::spec
