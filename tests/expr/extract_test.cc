#include "expr/extract.h"

#include <gtest/gtest.h>

namespace verity::expr {
namespace {

const Json kResponse = Json::parse(R"({
  "data": {"clients": [{"id": "c1", "last_name": "Card Client"}, {"id": "c2", "last_name": "B"}],
           "uid": "u1", "count": 2}
})");

TEST(Extract, OneMatchGivesThatValueWithItsJsonType) {
  Extraction e = Extract({{"uid", "$.data.uid"}, {"count", "$.data.count"}}, kResponse);
  ASSERT_TRUE(e.ok());
  ASSERT_EQ(2u, e.values.size());
  EXPECT_EQ("uid", e.values[0].first);
  EXPECT_EQ(Json("u1"), e.values[0].second);
  EXPECT_EQ(Json(2), e.values[1].second);
}

TEST(Extract, SeveralMatchesGiveTheFirst) {
  Extraction e = Extract({{"client_id", "$.data.clients[*].id"}}, kResponse);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(Json("c1"), e.values.at(0).second);
}

TEST(Extract, TheLegacyFilterFormsOfRealRecipesWork) {
  Extraction e = Extract({{"a", "$.data.clients[?(@.last_name=='Card Client')].id"},
                          {"b", "$.data.clients[?(@.last_name == 'B')].id | [0]"}},
                         kResponse);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(Json("c1"), e.values.at(0).second);
  EXPECT_EQ(Json("c2"), e.values.at(1).second);
}

TEST(Extract, NoMatchIsAMissNamingTheVariableTheExpressionAndTheResponse) {
  Extraction e = Extract({{"matter_uid", "$.data.matters[0].uid"}}, kResponse);
  ASSERT_FALSE(e.ok());
  ASSERT_EQ(1u, e.failures.size());
  EXPECT_EQ("EXTRACT_MISS", e.failures[0].code);
  EXPECT_EQ("matter_uid", e.failures[0].variable);
  EXPECT_EQ(
      "cannot extract matter_uid: $.data.matters[0].uid selects nothing in the response "
      "{\"data\":{\"clients\":[{\"id\":\"c1\",\"last_name\":\"Card Client\"},{\"id\":\"c2\","
      "\"last_name\":\"B\"}],\"uid\":\"u1\",\"count\":2}}",
      e.failures[0].message);
  EXPECT_TRUE(e.values.empty());
}

TEST(Extract, AnOptionalMissIsNotAFailure) {
  Extraction e = Extract({{"x", "$.nope", true}, {"uid", "$.data.uid"}}, kResponse);
  EXPECT_TRUE(e.ok());
  EXPECT_EQ(std::vector<std::string>{"x"}, e.optional_misses);
  EXPECT_EQ(1u, e.values.size());
}

TEST(Extract, AnInvalidQueryIsAFailureWithItsColumn) {
  Extraction e = Extract({{"x", "$.data[?"}}, kResponse);
  ASSERT_EQ(1u, e.failures.size());
  EXPECT_EQ("EXTRACT_INVALID", e.failures[0].code);
  EXPECT_NE(std::string::npos, e.failures[0].message.find("column"));
}

TEST(Excerpt, CutsLongValuesAtACodePointBoundary) {
  EXPECT_EQ("\"ééé…", Excerpt(Json("éééééé"), 4));
  EXPECT_EQ("[1,2]", Excerpt(Json::array({1, 2}), 5));
}

// ---- defaults and copies: the forms real knowledge bases write --------------------------------

TEST(ReadExtractText, AJavaScriptStyleOrIsADefault) {
  ExtractText t = ReadExtractText("$.data.rules[0].uid || 'example_rule_uid'");
  EXPECT_EQ(t.path, "$.data.rules[0].uid");
  EXPECT_EQ(t.default_value, Json("example_rule_uid"));
  EXPECT_TRUE(t.copy_of.empty());
  EXPECT_EQ(ReadExtractText("$.data.count || 0").default_value, Json(0));
  EXPECT_EQ(ReadExtractText(R"($.a || "x")").default_value, Json("x"));
}

TEST(ReadExtractText, AnOrInsideAFilterIsPartOfTheQuery) {
  ExtractText t = ReadExtractText("$.items[?(@.a == 1 || @.b == 2)].id");
  EXPECT_EQ(t.path, "$.items[?(@.a == 1 || @.b == 2)].id");
  EXPECT_FALSE(t.default_value);
}

TEST(ReadExtractText, ALonePlaceholderIsACopyOfThatVariable) {
  ExtractText t = ReadExtractText("{{staff_id}}");
  EXPECT_EQ(t.copy_of, "staff_id");
  EXPECT_TRUE(t.path.empty());
  EXPECT_EQ(ReadExtractText("{{ config.params.uid }}").copy_of, "config.params.uid");
  EXPECT_EQ(ReadExtractText("{{a}}-{{b}}").copy_of, "");
}

TEST(Extract, ADefaultStandsInForAMissOrANull) {
  Json response = Json::parse(R"({"data": {"rules": [], "owner": null}})");
  ExtractRule miss{"rule_uid", "$.data.rules[0].uid", false, Json("example_rule_uid"), ""};
  ExtractRule null{"owner", "$.data.owner", false, Json("nobody"), ""};
  Extraction e = Extract({miss, null}, response);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e.values.at(0).second, Json("example_rule_uid"));
  EXPECT_EQ(e.values.at(1).second, Json("nobody"));
}

TEST(Extract, ACopyTakesTheVariableOrAnEarlierEntryOfTheSameStep) {
  VariableLookup lookup = [](std::string_view name) -> std::optional<Json> {
    if (name == "staff_id") return Json("s-42");
    return std::nullopt;
  };
  Extraction e = Extract({{"staff_uid", "", false, std::nullopt, "staff_id"},
                          {"uid", "$.data.uid"},
                          {"same_uid", "", false, std::nullopt, "uid"}},
                         kResponse, {}, {}, lookup);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e.values.at(0).second, Json("s-42"));
  EXPECT_EQ(e.values.at(2).second, Json("u1"));
}

TEST(Extract, ACopyOfAnUndefinedVariableIsAMissNamingIt) {
  Extraction e = Extract({{"staff_uid", "", false, std::nullopt, "staff_id"}}, kResponse);
  ASSERT_EQ(e.failures.size(), 1u);
  EXPECT_EQ(e.failures[0].code, "EXTRACT_MISS");
  EXPECT_NE(e.failures[0].message.find("staff_id"), std::string::npos);
}

// A header entry: {name, path, optional, default, copy_of, header, match}.
ExtractRule FromHeader(std::string name, std::string header, std::string match = "",
                       bool optional = false) {
  ExtractRule rule;
  rule.name = std::move(name);
  rule.header = std::move(header);
  rule.match = std::move(match);
  rule.optional = optional;
  return rule;
}

HeaderLookup Headers(std::string location) {
  return [location](std::string_view name) -> std::optional<std::string> {
    if (name == "Location" && !location.empty()) return location;
    return std::nullopt;
  };
}

TEST(Extract, AHeaderEntryReadsTheHeaderWholeOrTheGroupItsMatchKeeps) {
  HeaderLookup headers = Headers("https://api.test/v1/orders/o-7?expand=1");
  Extraction whole = Extract({FromHeader("url", "Location")}, Json(), {}, {}, {}, headers);
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(Json("https://api.test/v1/orders/o-7?expand=1"), whole.values.at(0).second);
  Extraction id = Extract({FromHeader("id", "Location", "([^/?#]+)/?(?:[?#].*)?$")}, Json(), {}, {},
                          {}, headers);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(Json("o-7"), id.values.at(0).second);
  Extraction matched = Extract({FromHeader("n", "Location", "[0-9]+$")}, Json(), {}, {}, {},
                               Headers("/v1/orders/42"));
  EXPECT_EQ(Json("42"), matched.values.at(0).second) << "no group: what it matched";
}

TEST(Extract, AMissingHeaderOrAMatchThatFailsIsAMissThatSaysWhy) {
  Extraction absent = Extract({FromHeader("id", "Location")}, Json(), {}, {}, {}, Headers(""));
  ASSERT_FALSE(absent.ok());
  EXPECT_EQ("cannot extract id: the response has no Location header",
            absent.failures.at(0).message);
  Extraction unmatched =
      Extract({FromHeader("id", "Location", "^[0-9]+$")}, Json(), {}, {}, {}, Headers("/x/abc"));
  ASSERT_FALSE(unmatched.ok());
  EXPECT_EQ("cannot extract id: its Location header (/x/abc) does not match ^[0-9]+$",
            unmatched.failures.at(0).message);
  Extraction optional =
      Extract({FromHeader("id", "Location", "", true)}, Json(), {}, {}, {}, Headers(""));
  EXPECT_TRUE(optional.ok());
  EXPECT_EQ(std::vector<std::string>{"id"}, optional.optional_misses);
  EXPECT_NE("", MatchError("([unclosed"));
  EXPECT_EQ("", MatchError("[^/]+$"));
}

}  // namespace
}  // namespace verity::expr
