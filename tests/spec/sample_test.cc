// SampleValue: whatever the schema, the value it makes passes SchemaValidator.
#include "spec/sample.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "spec/sample_test_support.h"

namespace verity::spec {
namespace {

using Spec = testing::SampleSpec;

using Issues = std::vector<std::string>;

SampleOptions Everything() {
  SampleOptions options;
  options.all_properties = true;
  return options;
}

constexpr std::string_view kSwagger = R"(swagger: '2.0'
info: {title: t, version: '1'}
paths: {}
definitions:
  Package:
    type: object
    required: [uid, name, price, expires_at, tags]
    properties:
      uid: {type: string, format: uuid}
      name: {type: string, minLength: 12, maxLength: 20}
      price: {type: number, minimum: 0, exclusiveMinimum: true, multipleOf: 0.01}
      expires_at: {type: string, format: date-time, x-nullable: true}
      parent: {$ref: '#/definitions/Package', x-nullable: true}
      tags: {type: array, items: {type: string}, minItems: 2, uniqueItems: true}
      kind: {type: string, enum: [monthly, yearly], x-nullable: true}
)";

TEST(Sample, Swagger2DefinitionWithXNullableValidates) {
  Spec spec(kSwagger);
  Json value = spec.Sample("/definitions/Package", Everything());
  EXPECT_EQ(Issues{}, spec.Issues("/definitions/Package", value)) << value.dump(2);
  EXPECT_EQ(49.99, value["price"].get<double>());
  EXPECT_EQ(2u, value["tags"].size());
  EXPECT_EQ("monthly", value["kind"]);
  // x-nullable beside the recursive $ref: the smallest valid value there is null.
  EXPECT_TRUE(value["parent"].is_null()) << value.dump(2);
}

constexpr std::string_view kPets = R"(openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Base:
      type: object
      required: [id, created]
      properties:
        id: {type: integer, minimum: 100, maximum: 200, readOnly: true}
        created: {type: string, format: date-time}
    Cat:
      type: object
      required: [petType, lives]
      properties:
        petType: {type: string}
        lives: {type: integer, minimum: 1, maximum: 9}
    Dog:
      type: object
      required: [petType, bark]
      properties:
        petType: {type: string}
        bark: {type: string, enum: [woof, yap]}
    Pet:
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          required: [owner, pet, status]
          properties:
            owner: {type: string, format: email}
            site: {type: string, format: uri}
            uid: {type: string, format: uuid}
            born: {type: string, format: date}
            nickname: {type: string, nullable: true, minLength: 2, maxLength: 4}
            status: {type: string, enum: [available, sold]}
            weight: {type: number, minimum: 0.5, maximum: 0.9, multipleOf: 0.2}
            score: {type: integer, minimum: 10, exclusiveMinimum: true, multipleOf: 5}
            code: {type: string, pattern: '^[A-Z]{3}-\d{2}$'}
            size: {type: string, maxLength: 3, example: 'XL'}
            pet:
              oneOf:
                - $ref: '#/components/schemas/Cat'
                - $ref: '#/components/schemas/Dog'
              discriminator:
                propertyName: petType
                mapping:
                  dog: '#/components/schemas/Dog'
                  cat: '#/components/schemas/Cat'
    Number:
      oneOf:
        - type: integer
        - type: number
          minimum: 0
    Tagged:
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Dog'
      discriminator:
        propertyName: petType
)";

TEST(Sample, OpenApi30CompositionFormatsAndBoundsValidate) {
  Spec spec(kPets);
  Json value = spec.Sample("/components/schemas/Pet", Everything());
  EXPECT_EQ(Issues{}, spec.Issues("/components/schemas/Pet", value)) << value.dump(2);
  // allOf: the members of both parts in one object.
  EXPECT_TRUE(value.contains("created"));
  EXPECT_TRUE(value.contains("owner"));
  EXPECT_EQ(100, value["id"]);
  EXPECT_EQ(0.6, value["weight"].get<double>());
  EXPECT_EQ(15, value["score"]);
  EXPECT_EQ("available", value["status"]);
  EXPECT_EQ("AAA-00", value["code"]);
  EXPECT_EQ("XL", value["size"]);
  EXPECT_EQ("nick", value["nickname"]);
  // The discriminator's first mapping entry picks the branch and names it.
  EXPECT_EQ("dog", value["pet"]["petType"]);
  EXPECT_EQ("woof", value["pet"]["bark"]);
}

TEST(Sample, RequiredOnlyByDefault) {
  Spec spec(kPets);
  Json value = spec.Sample("/components/schemas/Pet");
  EXPECT_EQ(Issues{}, spec.Issues("/components/schemas/Pet", value)) << value.dump(2);
  EXPECT_FALSE(value.contains("site"));
  EXPECT_TRUE(value.contains("pet"));
}

TEST(Sample, DiscriminatorWithoutMappingNamesTheBranchSchema) {
  Spec spec(kPets);
  Json value = spec.Sample("/components/schemas/Tagged");
  EXPECT_EQ(Issues{}, spec.Issues("/components/schemas/Tagged", value)) << value.dump(2);
  EXPECT_EQ("Cat", value["petType"]);
}

TEST(Sample, OneOfBranchWhoseValueMatchesTwoBranchesIsSwappedForTheNext) {
  Spec spec(kPets);
  // 1 is valid for both branches, which oneOf forbids; 1.5 only for the second.
  Json value = spec.Sample("/components/schemas/Number");
  EXPECT_EQ(Issues{}, spec.Issues("/components/schemas/Number", value)) << value.dump();
  EXPECT_EQ(1.5, value.get<double>());
}

constexpr std::string_view kOpenApi31 = R"(openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Small:
      type: object
      required: [n]
      properties:
        n: {type: integer}
    Event:
      type: object
      required: [id, note, kind, count, tags, nothing, small, either]
      properties:
        id: {type: [string, 'null'], format: uuid}
        note: {type: ['null', string], maxLength: 4}
        kind: {const: created}
        count: {type: [integer, 'null'], exclusiveMinimum: 0, exclusiveMaximum: 10}
        tags:
          type: array
          prefixItems: [{type: string}, {type: integer}]
          items: {type: boolean}
          minItems: 3
        nothing: {type: 'null'}
        small: {$ref: '#/components/schemas/Small', required: [m], properties: {m: {type: string}}}
        either: {anyOf: [{type: string, format: date}, {type: integer}]}
        sample: {type: string, examples: [first, second]}
)";

TEST(Sample, OpenApi31TypeArraysTakeTheFirstNonNullType) {
  Spec spec(kOpenApi31);
  Json value = spec.Sample("/components/schemas/Event", Everything());
  EXPECT_EQ(Issues{}, spec.Issues("/components/schemas/Event", value)) << value.dump(2);
  EXPECT_TRUE(value["id"].is_string());
  EXPECT_EQ("note", value["note"]);
  EXPECT_EQ("created", value["kind"]);
  EXPECT_EQ(1, value["count"]);
  EXPECT_EQ(Json::parse(R"(["vip", 1, true])"), value["tags"]);
  EXPECT_TRUE(value["nothing"].is_null());
  // 3.1 applies the siblings of $ref as well.
  EXPECT_EQ(Json::parse(R"({"n": 1, "m": "m"})"), value["small"]);
  EXPECT_EQ("2026-01-05", value["either"]);
  EXPECT_EQ("first", value["sample"]);
}

constexpr std::string_view kTree = R"(openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Tree:
      type: object
      required: [value, children]
      properties:
        value: {type: integer}
        parent: {$ref: '#/components/schemas/Tree'}
        children:
          type: array
          items: {$ref: '#/components/schemas/Tree'}
    Endless:
      type: object
      required: [next]
      properties:
        next: {$ref: '#/components/schemas/Endless'}
    Ping: {$ref: '#/components/schemas/Pong'}
    Pong: {$ref: '#/components/schemas/Ping'}
)";

size_t Depth(const Json& value) {
  size_t deepest = 0;
  if (value.is_structured()) {
    for (const Json& child : value) deepest = std::max(deepest, Depth(child));
    return deepest + 1;
  }
  return 0;
}

TEST(Sample, RecursiveTreeStopsAtTheSmallestValidValue) {
  Spec spec(kTree);
  SampleOptions options = Everything();
  options.array_items = 3;
  Json value = spec.Sample("/components/schemas/Tree", options);
  EXPECT_EQ(Issues{}, spec.Issues("/components/schemas/Tree", value)) << value.dump(2);
  ASSERT_EQ(3u, value["children"].size());
  // The children are Trees again: only what they require, and no grandchildren.
  EXPECT_EQ(Json::parse(R"({"value": 1, "children": []})"), value["children"][0]);
  EXPECT_EQ(Json::parse(R"({"value": 1, "children": []})"), value["parent"]);
}

TEST(Sample, RequiredRecursionWithoutEndStopsAtTheDepthLimitAndSaysSo) {
  Spec spec(kTree);
  std::vector<std::string> notes;
  SampleOptions options;
  options.max_depth = 4;
  options.notes = &notes;
  Json value = spec.Sample("/components/schemas/Endless", options);
  EXPECT_LE(Depth(value), 4u);
  ASSERT_FALSE(notes.empty());
  EXPECT_NE(std::string::npos, notes.front().find("too deep")) << notes.front();
}

size_t Count(const Json& value) {
  size_t n = 1;
  if (value.is_structured()) {
    for (const Json& child : value) n += Count(child);
  }
  return n;
}

TEST(Sample, RequiredRecursionThatBranchesIsCalledEndlessAfterAFewLevels) {
  // Every node requires two children: no finite value is valid, and expanding it to max_depth
  // would make 2^64 values (found by the spec fuzzer, where the mock's budget took seconds).
  Spec spec(R"(openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Tree:
      type: object
      required: [children]
      properties:
        children: {type: array, minItems: 2, items: {$ref: '#/components/schemas/Tree'}}
)");
  std::vector<std::string> notes;
  SampleOptions options;
  options.all_properties = true;
  options.max_nodes = 200'000;
  options.notes = &notes;
  Json value = spec.Sample("/components/schemas/Tree", options);
  EXPECT_LT(Count(value), 1000u);
  ASSERT_FALSE(notes.empty());
  EXPECT_NE(std::string::npos, notes.front().find("required recursion without end"))
      << notes.front();
}

TEST(Sample, RefCycleWithoutSchemaTerminates) {
  Spec spec(kTree);
  Result<Json> value = SampleValue(spec.specs(), spec.At("/components/schemas/Ping"), {});
  EXPECT_TRUE(value.ok()) << value.status().ToString();
}

constexpr std::string_view kUsers = R"(openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    User:
      type: object
      required: [id, password, name]
      properties:
        id: {type: string, readOnly: true}
        password: {type: string, writeOnly: true, minLength: 8}
        name: {type: string}
        team: {$ref: '#/components/schemas/Team'}
    Team:
      type: object
      readOnly: true
      properties:
        name: {type: string}
    Users:
      type: array
      items: {$ref: '#/components/schemas/User'}
      maxItems: 2
    Map:
      type: object
      additionalProperties: {type: integer, minimum: 3}
      minProperties: 2
    Labelled:
      type: array
      items:
        type: object
        required: [labels]
        properties:
          labels: {type: array, items: {type: string}}
)";

TEST(Sample, ReadOnlyPropertiesAreLeftOutOfRequests) {
  Spec spec(kUsers);
  SampleOptions options = Everything();
  options.direction = Direction::kRequest;
  Json value = spec.Sample("/components/schemas/User", options);
  EXPECT_EQ(Issues{}, spec.Issues("/components/schemas/User", value, Direction::kRequest))
      << value.dump(2);
  EXPECT_EQ(Json::parse(R"({"password": "Str0ng-Passw0rd!", "name": "Ada"})"), value);
}

TEST(Sample, WriteOnlyPropertiesAreLeftOutOfResponses) {
  Spec spec(kUsers);
  Json value = spec.Sample("/components/schemas/User", Everything());
  EXPECT_EQ(Issues{}, spec.Issues("/components/schemas/User", value)) << value.dump(2);
  EXPECT_EQ(Json::parse(R"({"id": "id", "name": "Ada", "team": {"name": "Ada"}})"), value);
}

TEST(Sample, VaryingItemsGivesEachItemItsOwnValues) {
  Spec spec(kUsers);
  SampleOptions options;
  options.array_items = 5;
  options.vary_items = true;
  Json value = spec.Sample("/components/schemas/Users", options);
  EXPECT_EQ(Issues{}, spec.Issues("/components/schemas/Users", value)) << value.dump(2);
  ASSERT_EQ(2u, value.size()) << "capped by maxItems";
  EXPECT_EQ("Grace", value[0]["name"]);
  EXPECT_EQ("Alan", value[1]["name"]);
}

TEST(Sample, RootArrayItemsSizesOnlyTheOutermostArray) {
  Spec spec(kUsers);
  SampleOptions options;
  options.root_array_items = 3;
  options.vary_items = true;
  Json value = spec.Sample("/components/schemas/Labelled", options);
  EXPECT_EQ(Issues{}, spec.Issues("/components/schemas/Labelled", value)) << value.dump(2);
  EXPECT_EQ(Json::parse(R"([{"labels": ["Follow-up on your request"]},
                            {"labels": ["Project kickoff"]},
                            {"labels": ["Quarterly planning meeting"]}])"),
            value);
}

TEST(Sample, MapsGetEnoughMembersForMinProperties) {
  Spec spec(kUsers);
  Json value = spec.Sample("/components/schemas/Map");
  EXPECT_EQ(Issues{}, spec.Issues("/components/schemas/Map", value)) << value.dump(2);
  EXPECT_EQ(Json::parse(R"({"property1": 3, "property2": 3})"), value);
}

TEST(Sample, SameSchemaAndOptionsGiveTheSameValue) {
  Spec spec(kPets);
  SampleOptions options = Everything();
  options.vary_items = true;
  EXPECT_EQ(spec.Sample("/components/schemas/Pet", options),
            spec.Sample("/components/schemas/Pet", options));
}

constexpr std::string_view kExamples = R"(openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Good: {type: string, example: hello, default: hi}
    Bad: {type: integer, minimum: 10, example: 5}
    Defaulted: {type: integer, default: 42, example: 7}
)";

TEST(Sample, ExamplesAreUsedOnlyWhenTheyValidate) {
  Spec spec(kExamples);
  EXPECT_EQ("hello", spec.Sample("/components/schemas/Good"));
  EXPECT_EQ(10, spec.Sample("/components/schemas/Bad"));
  SampleOptions no_examples;
  no_examples.use_examples = false;
  EXPECT_EQ("hi", spec.Sample("/components/schemas/Good", no_examples));
  EXPECT_EQ(42, spec.Sample("/components/schemas/Defaulted", no_examples));
}

constexpr std::string_view kHostile = R"(openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Cube:
      type: array
      minItems: 1000
      items:
        type: array
        minItems: 1000
        items: {type: array, minItems: 1000, items: {type: integer}}
    Long: {type: string, minLength: 1000000000}
    Wide:
      type: array
      minItems: 9000000000000000000
      items: {type: string}
)";

TEST(Sample, HugeSchemasAreRefusedAsLimitExceeded) {
  Spec spec(kHostile);
  SampleOptions options;
  options.max_nodes = 100'000;  // the default, 1e6, would take a second to reach
  for (const char* name : {"Cube", "Long", "Wide"}) {
    Result<Json> value =
        SampleValue(spec.specs(), spec.At(std::string("/components/schemas/") + name), options);
    ASSERT_FALSE(value.ok()) << name;
    EXPECT_EQ(StatusCode::kLimitExceeded, value.status().code()) << name;
  }
}

TEST(Sample, AnEmptyRefIsAnInvalidArgument) {
  Spec spec(kHostile);
  Result<Json> value = SampleValue(spec.specs(), SchemaRef{}, {});
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(StatusCode::kInvalidArgument, value.status().code());
}

}  // namespace
}  // namespace verity::spec
