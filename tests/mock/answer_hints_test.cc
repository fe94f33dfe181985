// `verity mock --kb`: where the verified recipes of a knowledge base read their answers, the mock
// answers too, beside the spec's shape and never in place of it.
#include "mock/answer_hints.h"

#include <gtest/gtest.h>

#include "base/json.h"
#include "doc/parser.h"
#include "mock/responder.h"
#include "spec/catalog.h"
#include "support/memory_file_system.h"

namespace verity::mock {
namespace {

TEST(MockAnswerHints, OnlyPathsThatNameOnePlaceAreTaken) {
  ASSERT_TRUE(ParseHintPath("$.data.items[0].id"));
  EXPECT_EQ(4u, ParseHintPath("$.data.items[0].id")->segments.size());
  EXPECT_TRUE(ParseHintPath("$['a-b'][\"c\"]"));
  for (const char* other : {"$", "$.a[*]", "$..id", "$.a[?@.x == 1]", "$.a[-1]", "$.a[0:2]",
                            "length($.a)", "a.b", "$.a | [0]", "$['a\\'b']"}) {
    EXPECT_FALSE(ParseHintPath(other)) << other;
  }
}

TEST(MockAnswerHints, AMemberTheSpecWrapsIsAlsoWhereTheRecipeReadsIt) {
  Json answer = Json::parse(R"({"data": {"coupon": {"uid": "c1", "name": "Gold"}}})");
  EXPECT_TRUE(Materialize(answer, *ParseHintPath("$.uid"), ""));
  EXPECT_EQ("c1", answer["uid"]);
  EXPECT_EQ("c1", answer["data"]["coupon"]["uid"]) << "the spec's shape stays";
}

TEST(MockAnswerHints, AListTheRecipeReadsUnderAnotherNameIsTheAnswersList) {
  Json answer = Json::parse(R"({"data": {"staff": [{"id": "s1"}, {"id": "s2"}]}})");
  EXPECT_TRUE(Materialize(answer, *ParseHintPath("$.data.staffs[0].id"), "/data/staff"));
  EXPECT_EQ("s1", answer["data"]["staffs"][0]["id"]);
  EXPECT_EQ(2u, answer["data"]["staffs"].size());
}

TEST(MockAnswerHints, NothingTheAnswerHoldsIsReplacedAndNothingIsMadeUp) {
  Json answer = Json::parse(R"({"data": {"directories": [{"uid": "d1"}]}})");
  Json before = answer;
  // `data` is an object: a list is not put in its place.
  EXPECT_FALSE(Materialize(answer, *ParseHintPath("$.data[0].uid"), "/data/directories"));
  // No member of that name anywhere: no value to give.
  EXPECT_FALSE(Materialize(answer, *ParseHintPath("$.data.client_id"), ""));
  // Already there: left alone.
  EXPECT_FALSE(Materialize(answer, *ParseHintPath("$.data.directories[0].uid"), ""));
  EXPECT_EQ(before, answer);
}

constexpr char kCoupons[] = R"(openapi: 3.0.3
info: {title: coupons, version: "1"}
paths:
  /coupons:
    post:
      requestBody:
        content: {application/json: {schema: {$ref: '#/components/schemas/Coupon'}}}
      responses:
        "201":
          description: made
          content:
            application/json:
              schema: {type: object, properties: {data: {type: object, properties: {coupon: {$ref: '#/components/schemas/Coupon'}}}}}
  /coupons/{uid}:
    parameters: [{name: uid, in: path, required: true, schema: {type: string}}]
    get:
      responses:
        "200":
          description: one
          content:
            application/json:
              schema: {type: object, properties: {data: {type: object, properties: {coupon: {$ref: '#/components/schemas/Coupon'}}}}}
components:
  schemas:
    Coupon:
      type: object
      properties: {uid: {type: string}, name: {type: string}}
)";

doc::Document Recipe(const std::string& status) {
  return doc::ParseDocument(
      "---\nendpoint: \"GET /coupons/{uid}\"\nstatus: " + status +
          "\n---\n# Coupon\n\n## Prerequisites\n\n```yaml\nsteps:\n"
          "  - id: create\n    method: POST\n    path: /coupons\n    body: {name: Gold}\n"
          "    extract:\n      coupon_uid: $.uid\n```\n\n## Test Request\n\n```yaml\nsteps:\n"
          "  - id: read\n    method: GET\n    path: /coupons/{{coupon_uid}}\n"
          "    extract:\n      any: $.data.coupon[?@.name]\n```\n",
      "coupon.md");
}

TEST(MockAnswerHints, TheVerifiedRecipesStepsGiveHintsAndTheMockAnswersThere) {
  std::vector<doc::Document> documents;
  documents.push_back(Recipe("pending"));
  EXPECT_TRUE(AnswerHintsOf(documents).empty()) << "only what passed against the API counts";
  documents.push_back(Recipe("verified"));
  std::vector<AnswerHint> hints = AnswerHintsOf(documents);
  ASSERT_EQ(2u, hints.size());
  EXPECT_EQ("POST", hints[0].method);
  EXPECT_EQ("$.uid", hints[0].jsonpath);
  EXPECT_EQ("/coupons/{{coupon_uid}}", hints[1].path);

  verity::testing::MemoryFileSystem fs;
  spec::Catalog catalog(fs);
  ASSERT_TRUE(catalog.AddText("api.yaml", kCoupons, "test"));
  ResponderOptions options;
  options.answer_hints = hints;
  Responder responder(catalog, options);
  MockRequest create{.method = "POST", .path = "/coupons", .body = R"({"name": "Gold"})"};
  MockResponse made = responder.Respond(create);
  ASSERT_EQ(201, made.status) << made.body;
  Json body = Json::parse(made.body);
  ASSERT_TRUE(body.contains("uid")) << made.body;
  EXPECT_EQ(body["data"]["coupon"]["uid"], body["uid"]);
  // The id read where the recipe reads it is the created coupon's: reading it back finds it.
  std::string coupon = "/coupons/" + body["uid"].get<std::string>();
  MockRequest read{.method = "GET", .path = coupon};
  EXPECT_EQ(200, responder.Respond(read).status);
}

}  // namespace
}  // namespace verity::mock
