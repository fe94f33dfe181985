// Validating a JSON value against an OpenAPI schema, with OpenAPI's semantics rather than plain
// JSON Schema's: `nullable` (3.0) and `x-nullable` (Swagger 2.0), type arrays (3.1),
// `discriminator` choosing the oneOf/anyOf branch, `readOnly`/`writeOnly` by direction, and
// `$ref` anywhere, across files (SpecSet). Every issue says where in the body (JSON Pointer),
// where in the spec (file#/pointer) and what, with a stable code.
//
// Unresolvable refs (a URL that maps to no local file) do not fail the body: the subtree is
// reported once as REF_UNRESOLVED (a warning) and not checked.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "spec/spec_set.h"
#include "spec/validation_knobs.h"

namespace verity::spec {

namespace schema_detail {
class SchemaCache;
}

enum class Severity { kError, kWarning };

// Codes. Errors unless noted.
inline constexpr const char* kTypeMismatch = "TYPE_MISMATCH";
inline constexpr const char* kMissingRequiredField = "MISSING_REQUIRED_FIELD";
inline constexpr const char* kEnumMismatch = "ENUM_MISMATCH";
inline constexpr const char* kFormatMismatch = "FORMAT_MISMATCH";
inline constexpr const char* kSchemaMismatch = "SCHEMA_MISMATCH";        // any other keyword
inline constexpr const char* kUndocumentedField = "UNDOCUMENTED_FIELD";  // warning
inline constexpr const char* kUndocumentedStatus =
    "UNDOCUMENTED_STATUS";  // warning; see response_check.h
// kRefUnresolved (spec_set.h), a warning here: the subtree is not checked.

struct SchemaIssue {
  std::string code;
  Severity severity = Severity::kError;
  std::string instance_path;  // JSON Pointer into the validated value; "" is the root
  std::string schema_path;    // SchemaRef::Location() of the keyword's schema + "/keyword"
  std::string message;        // one sentence, names expected and actual ("expected integer, got
                              // string \"12\""); ends by naming the knob when one set the severity
  /// The ValidationKnobs member ("check_formats") that set `severity`; empty: the code's own.
  std::string knob;
};

enum class Direction {
  kResponse,  // writeOnly properties must not appear
  kRequest,   // readOnly properties must not appear
};

struct ValidationOptions {
  Direction direction = Direction::kResponse;
  /// Warn about object members the schema does not declare (when it declares properties and says
  /// nothing about additionalProperties).
  bool undocumented_fields = true;
  /// What optional nulls, formats and undocumented members and statuses are (validation_knobs.h).
  /// `undocumented_fields = false` above wins over knobs.undocumented_fields.
  ValidationKnobs knobs;
  /// Issues collected before stopping; the result says it was truncated.
  size_t max_issues = 200;
  /// What a value quoted from the body goes through before a message shortens it (the run masks
  /// secrets with it: shortened first, a secret could be left in part, which no longer looks
  /// like one). Empty: nothing.
  std::function<std::string(std::string_view)> mask;
};

struct ValidationResult {
  std::vector<SchemaIssue> issues;
  bool truncated = false;

  size_t error_count() const;
  size_t warning_count() const;
  bool valid() const { return error_count() == 0; }
};

/// Keeps what it learns about the schemas it meets (keywords read, refs resolved, patterns
/// compiled) for the next Validate call, so keep one validator per SpecSet and thread: it is not
/// thread-safe.
class SchemaValidator {
 public:
  explicit SchemaValidator(SpecSet& specs, ValidationOptions options = {});
  ~SchemaValidator();
  SchemaValidator(SchemaValidator&&) noexcept;

  /// Validates `value` against `schema` (which may itself be a `$ref` node).
  ValidationResult Validate(const SchemaRef& schema, const Json& value);

 private:
  SpecSet& specs_;
  ValidationOptions options_;
  std::unique_ptr<schema_detail::SchemaCache> cache_;
};

/// `knownIssues` of a workflow document: a pattern is a JSON Pointer where '*' matches one array
/// index ("/data/offerings/*/type"). Matching is of the whole pointer.
bool KnownIssueMatches(std::string_view pattern, std::string_view instance_path);

/// Removes the issues whose instance path matches any pattern; returns how many were removed.
size_t SuppressKnownIssues(std::vector<SchemaIssue>& issues,
                           const std::vector<std::string>& patterns);

}  // namespace verity::spec
