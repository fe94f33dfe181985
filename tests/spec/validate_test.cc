// SchemaValidator: the keywords on one value, and what each OpenAPI version changes.
// Refs, cycles and composition are in validate_composition_test.cc.
#include "spec/validate.h"

#include <gtest/gtest.h>

#include "spec/validate_test_support.h"

namespace verity::spec {
namespace {

using testing_support::Found;
using testing_support::Lines;
using testing_support::SpecFixture;

constexpr std::string_view kPets = R"(openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Pet:
      type: object
      required: [id, name]
      properties:
        id: {type: integer, minimum: 1}
        name: {type: string, minLength: 1, maxLength: 5}
        kind: {type: string, enum: [cat, dog, bird]}
        born: {type: string, format: date}
        seen: {type: string, format: date-time}
        uid: {type: string, format: uuid}
        email: {type: string, format: email}
        site: {type: string, format: uri}
        code: {type: string, pattern: '^[A-Z]{3}$'}
        odd: {type: string, pattern: '(?=lookahead)'}
        price: {type: number, minimum: 0, exclusiveMinimum: true, maximum: 100, multipleOf: 0.01}
        weight: {type: number, nullable: true}
        tags: {type: array, items: {type: string}, minItems: 1, maxItems: 3, uniqueItems: true}
        rank: {type: integer, enum: [1, 2, 3]}
        note: {type: string, nullable: true, enum: [a, b]}
        anything: {}
    Strict:
      type: object
      properties:
        a: {type: string}
      additionalProperties: false
    Map:
      type: object
      properties:
        a: {type: string}
      additionalProperties: {type: integer}
    Patterned:
      type: object
      properties:
        a: {type: string}
      patternProperties:
        '^x-': {type: string}
    Sized:
      type: object
      minProperties: 1
      maxProperties: 2
    Not:
      not: {type: string}
)";

TEST(SchemaValidator, ValidBodyHasNoIssues) {
  SpecFixture spec(kPets);
  ValidationResult result = spec.Validate("/components/schemas/Pet", R"({
    "id": 7, "name": "Rex", "kind": "dog", "born": "2020-02-29", "seen": "2024-01-01T10:00:00Z",
    "uid": "123e4567-e89b-12d3-a456-426614174000", "email": "a@b.co", "site": "https://x.y/",
    "code": "ABC", "odd": "whatever", "price": 9.99, "weight": null, "tags": ["a", "b"],
    "rank": 2, "note": null, "anything": {"x": [1, 2]}})");
  EXPECT_EQ(Lines{}, Found(result));
  EXPECT_TRUE(result.valid());
  EXPECT_FALSE(result.truncated);
}

TEST(SchemaValidator, TypeMismatchNamesExpectedAndActualAndWhere) {
  SpecFixture spec(kPets);
  ValidationResult result =
      spec.Validate("/components/schemas/Pet", R"({"id": "12", "name": "a"})");
  ASSERT_EQ(Lines{"TYPE_MISMATCH /id"}, Found(result));
  const SchemaIssue& issue = result.issues[0];
  EXPECT_EQ(Severity::kError, issue.severity);
  EXPECT_EQ("expected integer, got string \"12\"", issue.message);
  EXPECT_EQ("api.yaml#/components/schemas/Pet/properties/id/type", issue.schema_path);
  EXPECT_EQ(1u, result.error_count());
  EXPECT_EQ(0u, result.warning_count());
}

TEST(SchemaValidator, IntegerAcceptsWholeFloatsButNotFractions) {
  SpecFixture spec(kPets);
  EXPECT_EQ(Lines{},
            Found(spec.Validate("/components/schemas/Pet", R"({"id": 2.0, "name": "a"})")));
  ValidationResult result = spec.Validate("/components/schemas/Pet", R"({"id": 2.5, "name": "a"})");
  ASSERT_EQ(Lines{"TYPE_MISMATCH /id"}, Found(result));
  EXPECT_EQ("expected integer, got number 2.5", result.issues[0].message);
}

TEST(SchemaValidator, LongValuesAreAbbreviatedInMessages) {
  SpecFixture spec(kPets);
  ValidationResult result = spec.Validate(
      "/components/schemas/Pet", R"({"id": ")" + std::string(100, 'x') + R"(", "name": "a"})");
  ASSERT_EQ(1u, result.issues.size());
  EXPECT_EQ("expected integer, got string \"" + std::string(39, 'x') + "…",
            result.issues[0].message);
}

TEST(SchemaValidator, MissingRequiredFieldPointsAtTheMissingMember) {
  SpecFixture spec(kPets);
  ValidationResult result = spec.Validate("/components/schemas/Pet", R"({"kind": "cat"})");
  ASSERT_EQ((Lines{"MISSING_REQUIRED_FIELD /id", "MISSING_REQUIRED_FIELD /name"}), Found(result));
  EXPECT_EQ("missing required field \"id\"", result.issues[0].message);
  EXPECT_EQ("api.yaml#/components/schemas/Pet/required", result.issues[0].schema_path);
}

TEST(SchemaValidator, EnumMismatchListsTheAllowedValues) {
  SpecFixture spec(kPets);
  ValidationResult result =
      spec.Validate("/components/schemas/Pet", R"({"id": 1, "name": "a", "kind": "fish"})");
  ASSERT_EQ(Lines{"ENUM_MISMATCH /kind"}, Found(result));
  EXPECT_EQ("expected one of \"cat\", \"dog\", \"bird\", got string \"fish\"",
            result.issues[0].message);
  EXPECT_EQ("api.yaml#/components/schemas/Pet/properties/kind/enum", result.issues[0].schema_path);
}

TEST(SchemaValidator, EnumComparesNumbersByValue) {
  SpecFixture spec(kPets);
  EXPECT_EQ(Lines{}, Found(spec.Validate("/components/schemas/Pet",
                                         R"({"id": 1, "name": "a", "rank": 2.0})")));
  EXPECT_EQ(
      Lines{"ENUM_MISMATCH /rank"},
      Found(spec.Validate("/components/schemas/Pet", R"({"id": 1, "name": "a", "rank": 4})")));
}

TEST(SchemaValidator, NullableEnumAcceptsNullWithoutListingIt) {
  SpecFixture spec(kPets);
  EXPECT_EQ(Lines{}, Found(spec.Validate("/components/schemas/Pet",
                                         R"({"id": 1, "name": "a", "note": null})")));
  EXPECT_EQ(
      Lines{"ENUM_MISMATCH /note"},
      Found(spec.Validate("/components/schemas/Pet", R"({"id": 1, "name": "a", "note": "c"})")));
}

TEST(SchemaValidator, FormatMismatchForEachCheckedFormat) {
  SpecFixture spec(kPets);
  ValidationResult result = spec.Validate("/components/schemas/Pet", R"({
    "id": 1, "name": "a", "born": "2023-02-29", "seen": "2024-01-01 10:00", "uid": "nope",
    "email": "a b@c", "site": "/relative"})");
  EXPECT_EQ((Lines{"FORMAT_MISMATCH /born", "FORMAT_MISMATCH /seen", "FORMAT_MISMATCH /uid",
                   "FORMAT_MISMATCH /email", "FORMAT_MISMATCH /site"}),
            Found(result));
  EXPECT_EQ("expected an RFC 3339 full-date (YYYY-MM-DD) (format date), got string \"2023-02-29\"",
            result.issues[0].message);
  EXPECT_EQ("api.yaml#/components/schemas/Pet/properties/born/format",
            result.issues[0].schema_path);
}

TEST(SchemaValidator, LengthCountsCodePointsNotBytes) {
  SpecFixture spec(kPets);
  EXPECT_EQ(Lines{},
            Found(spec.Validate("/components/schemas/Pet", R"({"id": 1, "name": "héllö"})")));
  ValidationResult result =
      spec.Validate("/components/schemas/Pet", R"({"id": 1, "name": "héllö!"})");
  ASSERT_EQ(Lines{"SCHEMA_MISMATCH /name"}, Found(result));
  EXPECT_EQ("expected at most 5 characters, got 6", result.issues[0].message);
  EXPECT_EQ(Lines{"SCHEMA_MISMATCH /name"},
            Found(spec.Validate("/components/schemas/Pet", R"({"id": 1, "name": ""})")));
}

TEST(SchemaValidator, PatternIsASearchAndAnUncompilablePatternIsIgnored) {
  SpecFixture spec(kPets);
  ValidationResult result = spec.Validate("/components/schemas/Pet",
                                          R"({"id": 1, "name": "a", "code": "ABCD", "odd": "x"})");
  ASSERT_EQ(Lines{"SCHEMA_MISMATCH /code"}, Found(result));
  EXPECT_EQ("expected a string matching the pattern ^[A-Z]{3}$, got string \"ABCD\"",
            result.issues[0].message);
  EXPECT_EQ("api.yaml#/components/schemas/Pet/properties/code/pattern",
            result.issues[0].schema_path);
}

TEST(SchemaValidator, BooleanExclusiveMinimumOfOpenApi30) {
  SpecFixture spec(kPets);
  ValidationResult result =
      spec.Validate("/components/schemas/Pet", R"({"id": 0, "name": "a", "price": 0})");
  ASSERT_EQ((Lines{"SCHEMA_MISMATCH /id", "SCHEMA_MISMATCH /price"}), Found(result));
  EXPECT_EQ("expected a number at least 1, got 0", result.issues[0].message);
  EXPECT_EQ("expected a number greater than 0, got 0", result.issues[1].message);
  EXPECT_EQ("api.yaml#/components/schemas/Pet/properties/price/minimum",
            result.issues[1].schema_path);
}

TEST(SchemaValidator, MaximumAndDecimalMultipleOf) {
  SpecFixture spec(kPets);
  EXPECT_EQ(Lines{}, Found(spec.Validate("/components/schemas/Pet",
                                         R"({"id": 1, "name": "a", "price": 100})")));
  EXPECT_EQ(Lines{}, Found(spec.Validate("/components/schemas/Pet",
                                         R"({"id": 1, "name": "a", "price": 0.3})")));
  ValidationResult result =
      spec.Validate("/components/schemas/Pet", R"({"id": 1, "name": "a", "price": 100.001})");
  ASSERT_EQ((Lines{"SCHEMA_MISMATCH /price", "SCHEMA_MISMATCH /price"}), Found(result));
  EXPECT_EQ("expected a number at most 100, got 100.001", result.issues[0].message);
  EXPECT_EQ("expected a multiple of 0.01, got 100.001", result.issues[1].message);
}

TEST(SchemaValidator, ArrayBoundsAndUniqueItems) {
  SpecFixture spec(kPets);
  EXPECT_EQ(
      Lines{"SCHEMA_MISMATCH /tags"},
      Found(spec.Validate("/components/schemas/Pet", R"({"id": 1, "name": "a", "tags": []})")));
  EXPECT_EQ(Lines{"SCHEMA_MISMATCH /tags"},
            Found(spec.Validate("/components/schemas/Pet",
                                R"({"id": 1, "name": "a", "tags": ["a","b","c","d"]})")));
  ValidationResult result =
      spec.Validate("/components/schemas/Pet", R"({"id": 1, "name": "a", "tags": ["a", 3, "a"]})");
  ASSERT_EQ((Lines{"SCHEMA_MISMATCH /tags", "TYPE_MISMATCH /tags/1"}), Found(result));
  EXPECT_EQ("expected unique items, but items 0 and 2 are equal", result.issues[0].message);
  EXPECT_EQ("api.yaml#/components/schemas/Pet/properties/tags/uniqueItems",
            result.issues[0].schema_path);
  EXPECT_EQ("api.yaml#/components/schemas/Pet/properties/tags/items/type",
            result.issues[1].schema_path);
}

TEST(SchemaValidator, AdditionalPropertiesFalseRejectsEachExtraMember) {
  SpecFixture spec(kPets);
  ValidationResult result =
      spec.Validate("/components/schemas/Strict", R"({"a": "x", "b": 1, "c": 2})");
  ASSERT_EQ((Lines{"SCHEMA_MISMATCH /b", "SCHEMA_MISMATCH /c"}), Found(result));
  EXPECT_EQ("unexpected property \"b\" (additionalProperties is false)", result.issues[0].message);
  EXPECT_EQ("api.yaml#/components/schemas/Strict/additionalProperties",
            result.issues[0].schema_path);
}

TEST(SchemaValidator, AdditionalPropertiesSchemaChecksTheExtras) {
  SpecFixture spec(kPets);
  EXPECT_EQ(Lines{"TYPE_MISMATCH /b"},
            Found(spec.Validate("/components/schemas/Map", R"({"a": "x", "b": "y", "c": 2})")));
}

TEST(SchemaValidator, PatternPropertiesCheckMatchingMembersAndDeclareThem) {
  SpecFixture spec(kPets);
  EXPECT_EQ((Lines{"TYPE_MISMATCH /x-two", "UNDOCUMENTED_FIELD /other"}),
            Found(spec.Validate("/components/schemas/Patterned",
                                R"({"a": "x", "x-one": "y", "x-two": 2, "other": 1})")));
}

TEST(SchemaValidator, MinAndMaxProperties) {
  SpecFixture spec(kPets);
  EXPECT_EQ(Lines{"SCHEMA_MISMATCH "}, Found(spec.Validate("/components/schemas/Sized", "{}")));
  EXPECT_EQ(Lines{"SCHEMA_MISMATCH "},
            Found(spec.Validate("/components/schemas/Sized", R"({"a":1,"b":2,"c":3})")));
}

TEST(SchemaValidator, NotRejectsWhatItsSchemaAccepts) {
  SpecFixture spec(kPets);
  EXPECT_EQ(Lines{}, Found(spec.Validate("/components/schemas/Not", "3")));
  ValidationResult result = spec.Validate("/components/schemas/Not", R"("text")");
  ASSERT_EQ(Lines{"SCHEMA_MISMATCH "}, Found(result));
  EXPECT_EQ("api.yaml#/components/schemas/Not/not", result.issues[0].schema_path);
}

TEST(SchemaValidator, UndocumentedFieldIsAWarningPerMember) {
  SpecFixture spec(kPets);
  ValidationResult result = spec.Validate("/components/schemas/Pet",
                                          R"({"id": 1, "name": "a", "colour": "red", "x": 1})");
  ASSERT_EQ((Lines{"UNDOCUMENTED_FIELD /colour", "UNDOCUMENTED_FIELD /x"}), Found(result));
  EXPECT_EQ(Severity::kWarning, result.issues[0].severity);
  EXPECT_EQ("field \"colour\" is not declared in the schema", result.issues[0].message);
  EXPECT_EQ("api.yaml#/components/schemas/Pet/properties", result.issues[0].schema_path);
  EXPECT_TRUE(result.valid());
  EXPECT_EQ(2u, result.warning_count());

  ValidationOptions quiet;
  quiet.undocumented_fields = false;
  EXPECT_EQ(Lines{}, Found(spec.Validate("/components/schemas/Pet",
                                         R"({"id": 1, "name": "a", "colour": "red"})", quiet)));
}

TEST(SchemaValidator, NoUndocumentedFieldWhenAdditionalPropertiesIsSaid) {
  SpecFixture spec(kPets);
  EXPECT_EQ(Lines{}, Found(spec.Validate("/components/schemas/Map", R"({"a": "x", "n": 2})")));
}

TEST(SchemaValidator, MaxIssuesTruncates) {
  SpecFixture spec(kPets);
  ValidationOptions options;
  options.max_issues = 2;
  ValidationResult result =
      spec.Validate("/components/schemas/Strict", R"({"b": 1, "c": 2, "d": 3, "e": 4})", options);
  EXPECT_EQ((Lines{"SCHEMA_MISMATCH /b", "SCHEMA_MISMATCH /c"}), Found(result));
  EXPECT_TRUE(result.truncated);
  options.max_issues = 4;
  EXPECT_FALSE(
      spec.Validate("/components/schemas/Strict", R"({"b": 1, "c": 2, "d": 3, "e": 4})", options)
          .truncated);
}

TEST(SchemaValidator, NullableAllowsNullInOpenApi30) {
  SpecFixture spec(kPets);
  EXPECT_EQ(Lines{}, Found(spec.Validate("/components/schemas/Pet",
                                         R"({"id": 1, "name": "a", "weight": null})")));
  ValidationResult result = spec.Validate("/components/schemas/Pet", R"({"id": 1, "name": null})");
  ASSERT_EQ(Lines{"TYPE_MISMATCH /name"}, Found(result));
  EXPECT_EQ("expected string, got null", result.issues[0].message);
}

TEST(SchemaValidator, SwaggerDefinitionsWithXNullableAndFile) {
  SpecFixture spec(R"(swagger: '2.0'
info: {title: t, version: '1'}
paths: {}
definitions:
  Package:
    type: object
    required: [price]
    properties:
      price: {type: number, x-nullable: true, minimum: 0, exclusiveMinimum: true}
      currency: {$ref: '#/definitions/Currency'}
      attachment: {type: file}
  Currency: {type: string, enum: [USD, EUR]}
)");
  EXPECT_EQ(Lines{},
            Found(spec.Validate("/definitions/Package",
                                R"({"price": null, "currency": "USD", "attachment": 5})")));
  ValidationResult result =
      spec.Validate("/definitions/Package", R"({"price": 0, "currency": "GBP"})");
  ASSERT_EQ((Lines{"SCHEMA_MISMATCH /price", "ENUM_MISMATCH /currency"}), Found(result));
  EXPECT_EQ("api.yaml#/definitions/Package/properties/price/minimum", result.issues[0].schema_path);
  EXPECT_EQ("api.yaml#/definitions/Currency/enum", result.issues[1].schema_path);
}

constexpr std::string_view kOpenApi31 = R"(openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Thing:
      type: object
      properties:
        label: {type: [string, 'null']}
        point:
          type: array
          prefixItems: [{type: number}, {type: number}]
          items: {type: string}
        limit: {type: number, exclusiveMaximum: 10, exclusiveMinimum: 0}
        short: {$ref: '#/components/schemas/Name', maxLength: 3}
        fixed: {const: 42}
        never: false
    Name: {type: string}
)";

TEST(SchemaValidator, TypeArraysInOpenApi31) {
  SpecFixture spec(kOpenApi31);
  EXPECT_EQ(Lines{}, Found(spec.Validate("/components/schemas/Thing", R"({"label": null})")));
  EXPECT_EQ(Lines{}, Found(spec.Validate("/components/schemas/Thing", R"({"label": "x"})")));
  ValidationResult result = spec.Validate("/components/schemas/Thing", R"({"label": 3})");
  ASSERT_EQ(Lines{"TYPE_MISMATCH /label"}, Found(result));
  EXPECT_EQ("expected string or null, got number 3", result.issues[0].message);
}

TEST(SchemaValidator, PrefixItemsThenItemsInOpenApi31) {
  SpecFixture spec(kOpenApi31);
  EXPECT_EQ(Lines{},
            Found(spec.Validate("/components/schemas/Thing", R"({"point": [1, 2, "a", "b"]})")));
  EXPECT_EQ((Lines{"TYPE_MISMATCH /point/1", "TYPE_MISMATCH /point/2"}),
            Found(spec.Validate("/components/schemas/Thing", R"({"point": [1, "2", 3]})")));
}

TEST(SchemaValidator, NumericExclusiveBoundsInOpenApi31) {
  SpecFixture spec(kOpenApi31);
  EXPECT_EQ(Lines{}, Found(spec.Validate("/components/schemas/Thing", R"({"limit": 9.5})")));
  ValidationResult result = spec.Validate("/components/schemas/Thing", R"({"limit": 10})");
  ASSERT_EQ(Lines{"SCHEMA_MISMATCH /limit"}, Found(result));
  EXPECT_EQ("expected a number less than 10, got 10", result.issues[0].message);
  EXPECT_EQ("api.yaml#/components/schemas/Thing/properties/limit/exclusiveMaximum",
            result.issues[0].schema_path);
  EXPECT_EQ(Lines{"SCHEMA_MISMATCH /limit"},
            Found(spec.Validate("/components/schemas/Thing", R"({"limit": 0})")));
}

TEST(SchemaValidator, RefSiblingsApplyInOpenApi31) {
  SpecFixture spec(kOpenApi31);
  EXPECT_EQ(Lines{"SCHEMA_MISMATCH /short"},
            Found(spec.Validate("/components/schemas/Thing", R"({"short": "abcd"})")));
  EXPECT_EQ(Lines{"TYPE_MISMATCH /short"},
            Found(spec.Validate("/components/schemas/Thing", R"({"short": 4})")));
}

TEST(SchemaValidator, RefSiblingsAreIgnoredInOpenApi30ExceptNullable) {
  SpecFixture spec(R"(openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Thing:
      type: object
      properties:
        short: {$ref: '#/components/schemas/Name', maxLength: 3}
        maybe: {$ref: '#/components/schemas/Name', nullable: true}
    Name: {type: string}
)");
  EXPECT_EQ(Lines{}, Found(spec.Validate("/components/schemas/Thing",
                                         R"({"short": "abcd", "maybe": null})")));
}

TEST(SchemaValidator, ConstAndFalseSchemasInOpenApi31) {
  SpecFixture spec(kOpenApi31);
  ValidationResult result =
      spec.Validate("/components/schemas/Thing", R"({"fixed": 41, "never": 1})");
  ASSERT_EQ((Lines{"ENUM_MISMATCH /fixed", "SCHEMA_MISMATCH /never"}), Found(result));
  EXPECT_EQ("expected 42, got number 41", result.issues[0].message);
  EXPECT_EQ(Lines{}, Found(spec.Validate("/components/schemas/Thing", R"({"fixed": 42.0})")));
}

TEST(SchemaValidator, ReadOnlyAndWriteOnlyDependOnDirection) {
  SpecFixture spec(R"(openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    User:
      type: object
      required: [id, password]
      properties:
        id: {type: integer, readOnly: true}
        password: {$ref: '#/components/schemas/Secret'}
    Secret: {type: string, writeOnly: true}
)");
  // A response needs id but not password, and must not carry password.
  EXPECT_EQ(Lines{}, Found(spec.Validate("/components/schemas/User", R"({"id": 1})")));
  ValidationResult response =
      spec.Validate("/components/schemas/User", R"({"id": 1, "password": "x"})");
  ASSERT_EQ(Lines{"SCHEMA_MISMATCH /password"}, Found(response));
  EXPECT_EQ("writeOnly property returned in a response", response.issues[0].message);
  EXPECT_EQ(Lines{"MISSING_REQUIRED_FIELD /id"},
            Found(spec.Validate("/components/schemas/User", "{}")));

  // A request is the other way round.
  ValidationOptions request;
  request.direction = Direction::kRequest;
  EXPECT_EQ(Lines{},
            Found(spec.Validate("/components/schemas/User", R"({"password": "x"})", request)));
  EXPECT_EQ(
      Lines{"SCHEMA_MISMATCH /id"},
      Found(spec.Validate("/components/schemas/User", R"({"id": 1, "password": "x"})", request)));
  EXPECT_EQ(Lines{"MISSING_REQUIRED_FIELD /password"},
            Found(spec.Validate("/components/schemas/User", "{}", request)));
}

TEST(SchemaValidator, SchemaWithoutTypeAcceptsEveryType) {
  SpecFixture spec(kPets);
  for (const char* body : {"1", "\"s\"", "null", "[1]", "{}", "true"}) {
    EXPECT_EQ(Lines{}, Found(spec.Validate("/components/schemas/Pet/properties/anything", body)))
        << body;
  }
}

}  // namespace
}  // namespace verity::spec
