// The validation knobs on one body: what each changes, what it leaves alone, and that a finding a
// knob changed names it.
#include <gtest/gtest.h>

#include "spec/response_check.h"
#include "spec/validate.h"
#include "spec/validate_test_support.h"

namespace verity::spec {
namespace {

using testing_support::Found;
using testing_support::Lines;
using testing_support::SpecFixture;

constexpr std::string_view kSpec = R"(openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Visit:
      type: object
      required: [id, at]
      properties:
        id: {type: string}
        at: {type: string, format: date-time}
        ends: {type: string, format: date-time}
        note: {type: string, nullable: true}
        room: {$ref: '#/components/schemas/Room'}
    Room:
      type: object
      properties:
        name: {type: string}
    Booked:
      allOf:
        - {$ref: '#/components/schemas/Visit'}
        - {required: [ends]}
    Either:
      oneOf:
        - {type: object, required: [day], properties: {day: {type: string, format: date}}}
        - {type: object, required: [count], properties: {count: {type: integer}}}
)";

ValidationOptions With(void (*set)(ValidationKnobs&)) {
  ValidationOptions options;
  set(options.knobs);
  return options;
}

TEST(ValidationKnobsOnABody, OptionalNullableWarnsOnceForANullOptionalPropertyNamingTheKnob) {
  SpecFixture spec(kSpec);
  const char* body = R"({"id": "v1", "at": "2026-01-01T00:00:00Z", "ends": null, "room": null})";
  EXPECT_EQ((Lines{"TYPE_MISMATCH /ends", "TYPE_MISMATCH /room"}),
            Found(spec.Validate("/components/schemas/Visit", body)));
  ValidationResult result =
      spec.Validate("/components/schemas/Visit", body,
                    With([](ValidationKnobs& k) { k.optional_nullable = true; }));
  ASSERT_EQ((Lines{"TYPE_MISMATCH /ends", "TYPE_MISMATCH /room"}), Found(result));
  EXPECT_TRUE(result.valid());
  EXPECT_EQ(Severity::kWarning, result.issues[0].severity);
  EXPECT_EQ("optional_nullable", result.issues[0].knob);
  EXPECT_EQ(
      "got null for an optional property the schema does not mark nullable; a warning because "
      "optional_nullable is true",
      result.issues[0].message);
}

TEST(ValidationKnobsOnABody, OptionalNullableLeavesRequiredAndNullableMembersAsTheyWere) {
  SpecFixture spec(kSpec);
  ValidationResult result =
      spec.Validate("/components/schemas/Visit", R"({"id": null, "at": "2026-01-01T00:00:00Z",
                     "note": null})",
                    With([](ValidationKnobs& k) { k.optional_nullable = true; }));
  ASSERT_EQ(Lines{"TYPE_MISMATCH /id"}, Found(result));
  EXPECT_EQ(Severity::kError, result.issues[0].severity);
  EXPECT_TRUE(result.issues[0].knob.empty());
}

TEST(ValidationKnobsOnABody, ARequiredWrittenInAnotherAllOfPartStillMakesTheNullAnError) {
  SpecFixture spec(kSpec);
  ValidationResult result = spec.Validate(
      "/components/schemas/Booked", R"({"id": "v1", "at": "2026-01-01T00:00:00Z", "ends": null})",
      With([](ValidationKnobs& k) { k.optional_nullable = true; }));
  ASSERT_EQ(Lines{"TYPE_MISMATCH /ends"}, Found(result));
  EXPECT_EQ(Severity::kError, result.issues[0].severity);
  EXPECT_FALSE(result.valid());
}

TEST(ValidationKnobsOnABody, CheckFormatsWarnKeepsTheFindingAsAWarningAndFalseDropsIt) {
  SpecFixture spec(kSpec);
  const char* body = R"({"id": "v1", "at": "2026-01-01 10:00:00"})";
  ValidationResult strict = spec.Validate("/components/schemas/Visit", body);
  ASSERT_EQ(Lines{"FORMAT_MISMATCH /at"}, Found(strict));
  EXPECT_FALSE(strict.valid());

  ValidationResult warned =
      spec.Validate("/components/schemas/Visit", body,
                    With([](ValidationKnobs& k) { k.check_formats = FindingLevel::kWarning; }));
  ASSERT_EQ(Lines{"FORMAT_MISMATCH /at"}, Found(warned));
  EXPECT_TRUE(warned.valid());
  EXPECT_EQ("check_formats", warned.issues[0].knob);
  EXPECT_EQ(strict.issues[0].message + "; a warning because check_formats is warn",
            warned.issues[0].message);

  EXPECT_EQ(Lines{},
            Found(spec.Validate("/components/schemas/Visit", body, With([](ValidationKnobs& k) {
                                  k.check_formats = FindingLevel::kIgnore;
                                }))));
}

TEST(ValidationKnobsOnABody, AFormatWarningDoesNotRejectAOneOfBranch) {
  SpecFixture spec(kSpec);
  const char* body = R"({"day": "06/05/2026"})";
  EXPECT_EQ((Lines{"SCHEMA_MISMATCH ", "FORMAT_MISMATCH /day"}),
            Found(spec.Validate("/components/schemas/Either", body)));
  ValidationResult result =
      spec.Validate("/components/schemas/Either", body,
                    With([](ValidationKnobs& k) { k.check_formats = FindingLevel::kWarning; }));
  EXPECT_EQ(Lines{"FORMAT_MISMATCH /day"}, Found(result));
  EXPECT_TRUE(result.valid());
}

TEST(ValidationKnobsOnABody, UndocumentedFieldsErrorAndIgnore) {
  SpecFixture spec(kSpec);
  const char* body = R"({"id": "v1", "at": "2026-01-01T00:00:00Z", "colour": "red"})";
  ValidationResult error =
      spec.Validate("/components/schemas/Visit", body,
                    With([](ValidationKnobs& k) { k.undocumented_fields = FindingLevel::kError; }));
  ASSERT_EQ(Lines{"UNDOCUMENTED_FIELD /colour"}, Found(error));
  EXPECT_FALSE(error.valid());
  EXPECT_EQ("undocumented_fields", error.issues[0].knob);
  EXPECT_EQ(
      "field \"colour\" is not declared in the schema; an error because undocumented_fields is "
      "error",
      error.issues[0].message);
  EXPECT_EQ(Lines{},
            Found(spec.Validate("/components/schemas/Visit", body, With([](ValidationKnobs& k) {
                                  k.undocumented_fields = FindingLevel::kIgnore;
                                }))));
}

}  // namespace
}  // namespace verity::spec
