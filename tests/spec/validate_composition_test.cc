// SchemaValidator: `$ref` (across files, unresolved, recursive, cyclic), allOf/anyOf/oneOf with and
// without a discriminator, and known-issue suppression.
#include <gtest/gtest.h>

#include <string>

#include "spec/validate.h"
#include "spec/validate_test_support.h"

namespace verity::spec {
namespace {

using testing_support::Found;
using testing_support::Lines;
using testing_support::SpecFixture;

TEST(SchemaValidator, RefAcrossTwoFilesReportsTheTargetFile) {
  SpecFixture spec(R"(openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Reply:
      type: object
      properties:
        error: {$ref: 'common.yaml#/Error'}
)",
                   {{"common.yaml",
                     "Error:\n  type: object\n  required: [code]\n  properties:\n"
                     "    code: {type: integer}\n    detail: {$ref: '#/Detail'}\n"
                     "Detail: {type: string}\n"}});
  EXPECT_EQ(Lines{}, Found(spec.Validate("/components/schemas/Reply",
                                         R"({"error": {"code": 4, "detail": "x"}})")));
  ValidationResult result =
      spec.Validate("/components/schemas/Reply", R"({"error": {"code": "4", "detail": 1}})");
  ASSERT_EQ((Lines{"TYPE_MISMATCH /error/code", "TYPE_MISMATCH /error/detail"}), Found(result));
  EXPECT_EQ("common.yaml#/Error/properties/code/type", result.issues[0].schema_path);
  EXPECT_EQ("common.yaml#/Detail/type", result.issues[1].schema_path);
}

TEST(SchemaValidator, UnresolvedRefWarnsOnceAndSkipsTheSubtree) {
  SpecFixture spec(R"(openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    List:
      type: array
      items:
        type: object
        properties:
          owner: {$ref: 'https://example.com/entities/owner.json'}
          id: {type: integer}
)");
  ValidationResult result = spec.Validate(
      "/components/schemas/List", R"([{"owner": 1, "id": "x"}, {"owner": {"a": 1}, "id": 2}])");
  ASSERT_EQ((Lines{"REF_UNRESOLVED /0/owner", "TYPE_MISMATCH /0/id"}), Found(result));
  EXPECT_EQ(Severity::kWarning, result.issues[0].severity);
  EXPECT_EQ("api.yaml#/components/schemas/List/items/properties/owner/$ref",
            result.issues[0].schema_path);
  EXPECT_EQ(0u, result.issues[0].message.find("REF_REMOTE: api.yaml:11:19: "))
      << result.issues[0].message;
  EXPECT_NE(std::string::npos,
            result.issues[0].message.find("https://example.com/entities/owner.json"))
      << result.issues[0].message;
}

constexpr std::string_view kTree = R"(openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Node:
      type: object
      required: [name]
      properties:
        name: {type: string}
        children:
          type: array
          items: {$ref: '#/components/schemas/Node'}
    A: {$ref: '#/components/schemas/B'}
    B: {$ref: '#/components/schemas/A'}
    Loop:
      required: [x]
      allOf:
        - $ref: '#/components/schemas/Loop'
)";

std::string Tree(int depth, const std::string& leaf_name) {
  std::string text;
  for (int i = 0; i < depth; ++i) text += R"({"name": "n", "children": [)";
  text += R"({"name": )" + leaf_name + "}";
  for (int i = 0; i < depth; ++i) text += "]}";
  return text;
}

TEST(SchemaValidator, SelfRecursiveSchemaValidatesADeepTree) {
  SpecFixture spec(kTree);
  EXPECT_EQ(Lines{}, Found(spec.Validate("/components/schemas/Node", Tree(200, "\"leaf\""))));
  ValidationResult result = spec.Validate("/components/schemas/Node", Tree(30, "7"));
  std::string path;
  for (int i = 0; i < 30; ++i) path += "/children/0";
  ASSERT_EQ(Lines{"TYPE_MISMATCH " + path + "/name"}, Found(result));
  EXPECT_EQ("api.yaml#/components/schemas/Node/properties/name/type", result.issues[0].schema_path);
}

TEST(SchemaValidator, CycleOfPureRefsIsAnIssueNotAHang) {
  SpecFixture spec(kTree);
  ValidationResult result = spec.Validate("/components/schemas/A", R"({"x": 1})");
  ASSERT_EQ(Lines{"REF_UNRESOLVED "}, Found(result));
  EXPECT_NE(std::string::npos, result.issues[0].message.find("cycle")) << result.issues[0].message;
}

TEST(SchemaValidator, SchemaThatAppliesItselfToTheSameValueTerminates) {
  SpecFixture spec(kTree);
  EXPECT_EQ(Lines{"MISSING_REQUIRED_FIELD /x"},
            Found(spec.Validate("/components/schemas/Loop", "{}")));
}

TEST(SchemaValidator, SchemaNestingTooDeepStops) {
  std::string schema = R"({"type": "string"})";
  for (int i = 0; i < 300; ++i) schema = R"({"allOf": [)" + schema + "]}";
  SpecFixture spec(R"({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
                       "components": {"schemas": {"Deep": )" +
                   schema + "}}}");
  ValidationResult result = spec.Validate("/components/schemas/Deep", "1");
  ASSERT_EQ(Lines{"SCHEMA_MISMATCH "}, Found(result));
  EXPECT_NE(std::string::npos, result.issues[0].message.find("schema nesting too deep"))
      << result.issues[0].message;
}

TEST(SchemaValidator, BodyAndSchemaTooDeepTogetherStopWithOneIssue) {
  SpecFixture spec(R"(openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Nested:
      type: array
      items:
        allOf:
          - oneOf:
              - $ref: '#/components/schemas/Nested'
              - {type: integer}
)");
  std::string body = std::string(990, '[') + "1" + std::string(990, ']');
  ValidationResult result = spec.Validate("/components/schemas/Nested", body);
  ASSERT_EQ(1u, result.issues.size());
  EXPECT_EQ("SCHEMA_MISMATCH", result.issues[0].code);
  EXPECT_NE(std::string::npos, result.issues[0].message.find("nest too deep together"))
      << result.issues[0].message;
  // The same schema on a body of ordinary depth is fine.
  EXPECT_EQ(Lines{}, Found(spec.Validate("/components/schemas/Nested", "[[[1], 2], [3]]")));
}

constexpr std::string_view kComposed = R"(openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Base:
      type: object
      required: [id]
      properties:
        id: {type: integer}
    Item:
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          properties:
            label: {type: string}
    Cat:
      type: object
      required: [kind, meows]
      properties:
        kind: {type: string}
        meows: {type: boolean}
    Dog:
      type: object
      required: [kind, barks]
      properties:
        kind: {type: string}
        barks: {type: boolean}
    Mapped:
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Dog'
      discriminator:
        propertyName: kind
        mapping:
          kitty: '#/components/schemas/Cat'
          doggo: Dog
    ByName:
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Dog'
      discriminator: {propertyName: kind}
    Either:
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Dog'
    Loose:
      oneOf:
        - {type: object, properties: {a: {type: integer}}}
        - {type: object, properties: {b: {type: integer}}}
    AnyNumber:
      anyOf: [{type: integer}, {type: string, format: uuid}]
    Either2:
      anyOf:
        - {type: object, properties: {a: {type: integer}}}
        - {type: object, properties: {b: {type: integer}}}
        - {type: object, properties: {c: {type: integer}}}
)";

TEST(SchemaValidator, AllOfMergesDeclaredPropertiesForUndocumentedFields) {
  SpecFixture spec(kComposed);
  EXPECT_EQ(Lines{},
            Found(spec.Validate("/components/schemas/Item", R"({"id": 1, "label": "x"})")));
  ValidationResult result =
      spec.Validate("/components/schemas/Item", R"({"label": 2, "extra": true})");
  ASSERT_EQ(
      (Lines{"MISSING_REQUIRED_FIELD /id", "TYPE_MISMATCH /label", "UNDOCUMENTED_FIELD /extra"}),
      Found(result));
  EXPECT_EQ("api.yaml#/components/schemas/Base/required", result.issues[0].schema_path);
  EXPECT_EQ("api.yaml#/components/schemas/Item/allOf/1/properties/label/type",
            result.issues[1].schema_path);
}

TEST(SchemaValidator, DiscriminatorMappingPicksTheBranch) {
  SpecFixture spec(kComposed);
  EXPECT_EQ(Lines{}, Found(spec.Validate("/components/schemas/Mapped",
                                         R"({"kind": "kitty", "meows": true})")));
  EXPECT_EQ(Lines{}, Found(spec.Validate("/components/schemas/Mapped",
                                         R"({"kind": "doggo", "barks": true})")));
  // The chosen branch's issues are reported directly, and its properties are the declared ones.
  EXPECT_EQ(
      (Lines{"MISSING_REQUIRED_FIELD /meows", "UNDOCUMENTED_FIELD /barks"}),
      Found(spec.Validate("/components/schemas/Mapped", R"({"kind": "kitty", "barks": true})")));
}

TEST(SchemaValidator, DiscriminatorWithoutMappingUsesTheSchemaName) {
  SpecFixture spec(kComposed);
  EXPECT_EQ(Lines{}, Found(spec.Validate("/components/schemas/ByName",
                                         R"({"kind": "Dog", "barks": false})")));
  EXPECT_EQ(
      Lines{"TYPE_MISMATCH /meows"},
      Found(spec.Validate("/components/schemas/ByName", R"({"kind": "Cat", "meows": "yes"})")));
}

TEST(SchemaValidator, UnknownDiscriminatorValueIsASchemaMismatch) {
  SpecFixture spec(kComposed);
  ValidationResult result = spec.Validate("/components/schemas/Mapped", R"({"kind": "Lizard"})");
  ASSERT_EQ(Lines{"SCHEMA_MISMATCH /kind"}, Found(result));
  EXPECT_EQ(
      "discriminator \"kind\" is \"Lizard\", which names none of the oneOf schemas (kitty, doggo)",
      result.issues[0].message);
  EXPECT_EQ("api.yaml#/components/schemas/Mapped/discriminator", result.issues[0].schema_path);
  EXPECT_EQ((Lines{"MISSING_REQUIRED_FIELD /kind", "SCHEMA_MISMATCH ",
                   "MISSING_REQUIRED_FIELD /kind", "MISSING_REQUIRED_FIELD /meows"}),
            Found(spec.Validate("/components/schemas/ByName", "{}")));
}

TEST(SchemaValidator, SwaggerStringDiscriminatorNamesTheBranch) {
  SpecFixture spec(R"(swagger: '2.0'
info: {title: t, version: '1'}
paths: {}
definitions:
  Pet:
    discriminator: petType
    oneOf: [{$ref: '#/definitions/Cat'}, {$ref: '#/definitions/Dog'}]
  Cat: {type: object, properties: {petType: {type: string}, lives: {type: integer}}}
  Dog: {type: object, properties: {petType: {type: string}, bark: {type: string}}}
)");
  EXPECT_EQ(Lines{"TYPE_MISMATCH /lives"},
            Found(spec.Validate("/definitions/Pet", R"({"petType": "Cat", "lives": "nine"})")));
}

TEST(SchemaValidator, OneOfMatchingNoneReportsItAndTheClosestBranch) {
  SpecFixture spec(kComposed);
  ValidationResult result =
      spec.Validate("/components/schemas/Either", R"({"kind": 1, "barks": true})");
  ASSERT_EQ((Lines{"SCHEMA_MISMATCH ", "TYPE_MISMATCH /kind"}), Found(result));
  EXPECT_EQ("matches none of the 2 oneOf schemas; the closest is Dog, whose issues follow",
            result.issues[0].message);
  EXPECT_EQ("api.yaml#/components/schemas/Either/oneOf", result.issues[0].schema_path);
  EXPECT_EQ("api.yaml#/components/schemas/Dog/properties/kind/type", result.issues[1].schema_path);
  // A tie goes to the first branch.
  EXPECT_EQ(
      (Lines{"SCHEMA_MISMATCH ", "TYPE_MISMATCH /meows"}),
      Found(spec.Validate("/components/schemas/Either", R"({"kind": "x", "meows": "loud"})")));
}

TEST(SchemaValidator, OneOfMatchingTwoIsAMismatch) {
  SpecFixture spec(kComposed);
  EXPECT_EQ(Lines{},
            Found(spec.Validate("/components/schemas/Either", R"({"kind": "x", "barks": true})")));
  ValidationResult result =
      spec.Validate("/components/schemas/Either", R"({"kind": "x", "barks": true, "meows": true})");
  ASSERT_EQ(Lines{"SCHEMA_MISMATCH "}, Found(result));
  EXPECT_EQ("matches 2 of the 2 oneOf schemas (#0 and #1), expected exactly one",
            result.issues[0].message);
}

TEST(SchemaValidator, UndocumentedFieldsFollowTheMatchingBranch) {
  SpecFixture spec(kComposed);
  EXPECT_EQ(Lines{"UNDOCUMENTED_FIELD /b"},
            Found(spec.Validate("/components/schemas/Either",
                                R"({"kind": "x", "meows": true, "b": 1})")));
  // Only the first Loose branch matches (the second wants an integer b), so b is undeclared.
  EXPECT_EQ(Lines{"UNDOCUMENTED_FIELD /b"},
            Found(spec.Validate("/components/schemas/Loose", R"({"a": 1, "b": "s"})")));
}

TEST(SchemaValidator, AnyOfPassesWhenOneBranchMatches) {
  SpecFixture spec(kComposed);
  EXPECT_EQ(Lines{}, Found(spec.Validate("/components/schemas/AnyNumber", "3")));
  EXPECT_EQ(Lines{}, Found(spec.Validate("/components/schemas/AnyNumber",
                                         R"("123e4567-e89b-12d3-a456-426614174000")")));
  EXPECT_EQ((Lines{"SCHEMA_MISMATCH ", "TYPE_MISMATCH "}),
            Found(spec.Validate("/components/schemas/AnyNumber", R"("nope")")));
}

TEST(SchemaValidator, EveryMatchingAnyOfBranchDeclaresItsProperties) {
  SpecFixture spec(kComposed);
  // The third branch fails (c is a string), so it declares nothing.
  EXPECT_EQ(
      (Lines{"UNDOCUMENTED_FIELD /c", "UNDOCUMENTED_FIELD /d"}),
      Found(spec.Validate("/components/schemas/Either2", R"({"a": 1, "b": 2, "c": "x", "d": 4})")));
}

TEST(SchemaValidator, ValidatorCanBeReusedAcrossBodies) {
  SpecFixture spec(kComposed);
  SchemaValidator validator(spec.specs());
  SchemaRef item = spec.At("/components/schemas/Item");
  Result<Json> bad = ParseJson(R"({"id": "1"})");
  Result<Json> good = ParseJson(R"({"id": 1})");
  ASSERT_TRUE(bad.ok() && good.ok());
  EXPECT_EQ(Lines{"TYPE_MISMATCH /id"}, Found(validator.Validate(item, *bad)));
  EXPECT_EQ(Lines{}, Found(validator.Validate(item, *good)));
  EXPECT_EQ(Lines{"TYPE_MISMATCH /id"}, Found(validator.Validate(item, *bad)));
}

TEST(KnownIssue, StarMatchesOneArrayIndex) {
  EXPECT_TRUE(KnownIssueMatches("/data/*/type", "/data/0/type"));
  EXPECT_TRUE(KnownIssueMatches("/data/*/type", "/data/12/type"));
  EXPECT_FALSE(KnownIssueMatches("/data/*/type", "/data/x/type"));
  EXPECT_FALSE(KnownIssueMatches("/data/*/type", "/data//type"));
  EXPECT_FALSE(KnownIssueMatches("/data/*/type", "/data/0/1/type"));
  EXPECT_FALSE(KnownIssueMatches("/data/*", "/data/0/type"));  // the whole pointer must match
  EXPECT_FALSE(KnownIssueMatches("/data/*/type", "/data/0"));
}

TEST(KnownIssue, LiteralTokensTrailingSlashAndRoot) {
  EXPECT_TRUE(KnownIssueMatches("/data/uid", "/data/uid"));
  EXPECT_TRUE(KnownIssueMatches("/data/uid/", "/data/uid"));
  EXPECT_FALSE(KnownIssueMatches("/data/uid", "/data/uids"));
  EXPECT_FALSE(KnownIssueMatches("/data/ui*", "/data/uid"));
  EXPECT_TRUE(KnownIssueMatches("", ""));
  EXPECT_FALSE(KnownIssueMatches("", "/data"));
  EXPECT_FALSE(KnownIssueMatches("/data", ""));
  EXPECT_TRUE(KnownIssueMatches("/a~1b", "/a~1b"));
}

TEST(KnownIssue, SuppressRemovesMatchingIssuesAndCountsThem) {
  SpecFixture spec(R"(openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Reply:
      type: object
      properties:
        data:
          type: array
          items:
            type: object
            properties:
              type: {type: string, enum: [a, b]}
              id: {type: integer}
)");
  ValidationResult result = spec.Validate(
      "/components/schemas/Reply",
      R"({"data": [{"type": "c", "id": 1}, {"type": "d", "id": "2"}, {"type": "a"}]})");
  ASSERT_EQ((Lines{"ENUM_MISMATCH /data/0/type", "ENUM_MISMATCH /data/1/type",
                   "TYPE_MISMATCH /data/1/id"}),
            Found(result));
  EXPECT_EQ(2u, SuppressKnownIssues(result.issues, {"/data/*/type"}));
  EXPECT_EQ(Lines{"TYPE_MISMATCH /data/1/id"}, Found(result));
  EXPECT_EQ(0u, SuppressKnownIssues(result.issues, {}));
}

}  // namespace
}  // namespace verity::spec
