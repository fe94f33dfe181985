// ParseJson: the same tree as nlohmann's ordered parser (order kept, a repeated key keeps its
// first position and its last value), positions in errors, and a depth limit. ParseJsonReporting:
// the first value of a repeated key, each repeat reported, and watched members with positions.
#include "base/json.h"

#include <gtest/gtest.h>

#include <string>

namespace verity {
namespace {

TEST(ParseJson, KeepsMemberOrderAsWritten) {
  Result<Json> parsed = ParseJson(R"({"z": 1, "a": [true, null, 2.5, "s"], "m": {}})");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(R"({"z":1,"a":[true,null,2.5,"s"],"m":{}})", parsed->dump());
}

TEST(ParseJson, ARepeatedKeyKeepsItsFirstPlaceAndLastValueInSmallAndLargeObjects) {
  EXPECT_EQ(R"({"a":3,"b":2})", ParseJson(R"({"a": 1, "b": 2, "a": 3})")->dump());
  std::string large = "{";
  for (int i = 0; i < 100; ++i)
    large += "\"k" + std::to_string(i) + "\": " + std::to_string(i) + ",";
  large += "\"k5\": \"last\"}";
  Result<Json> parsed = ParseJson(large);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(100u, parsed->size());
  EXPECT_EQ("last", (*parsed)["k5"]);
  EXPECT_EQ("k5", std::next(parsed->begin(), 5).key());
  EXPECT_EQ(Json::parse(large).dump(), parsed->dump());
}

TEST(ParseJson, ErrorsStartWithLineAndColumn) {
  Result<Json> parsed = ParseJson("{\n  \"a\": ,\n}");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(0u, parsed.status().message().find("line 2, column 8: ")) << parsed.status().message();
  EXPECT_FALSE(ParseJson("[1e999]").ok());
  EXPECT_FALSE(ParseJson("").ok());
  EXPECT_FALSE(ParseJson("[1] x").ok());
}

TEST(ParseJson, NestingBeyondTheLimitIsRefused) {
  std::string ok = std::string(1000, '[') + std::string(1000, ']');
  EXPECT_TRUE(ParseJson(ok).ok());
  std::string deep = std::string(1001, '[') + std::string(1001, ']');
  Result<Json> parsed = ParseJson(deep);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ("nesting deeper than 1000 levels", parsed.status().message());
  EXPECT_FALSE(ParseJson(std::string(1'000'000, '[')).ok());
}

bool NotLocal(std::string_view ref) { return !ref.starts_with('#'); }

TEST(ParseJsonReporting, ARepeatedKeyKeepsItsFirstValueAndIsReportedWithBothOffsets) {
  std::string text = R"({"a": 1, "b": {"x": [1, {"y": 2, "y": {"deep": true}}]}, "a": [3]})";
  JsonKeyReport report;
  Result<Json> parsed = ParseJsonReporting(text, {}, &report);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(R"({"a":1,"b":{"x":[1,{"y":2}]}})", parsed->dump());
  ASSERT_EQ(2u, report.duplicates.size());
  EXPECT_EQ("/b/x/1", report.duplicates[0].pointer);
  EXPECT_EQ("y", report.duplicates[0].key);
  EXPECT_EQ(text.find("\"y\": {"), report.duplicates[0].offset);
  EXPECT_EQ(text.find("\"y\""), report.duplicates[0].first_offset);
  EXPECT_EQ("", report.duplicates[1].pointer);
  EXPECT_EQ(text.rfind("\"a\""), report.duplicates[1].offset);
  EXPECT_EQ(0u + 1, report.duplicates[1].first_offset);
}

TEST(ParseJsonReporting, RepeatsInLargeObjectsAreFoundThroughTheirIndex) {
  std::string large = "{";
  for (int i = 0; i < 100; ++i)
    large += "\"k" + std::to_string(i) + "\": " + std::to_string(i) + ",";
  large += "\"k5\": \"repeat\", \"k99\": {\"a\": 1}}";
  JsonKeyReport report;
  Result<Json> parsed = ParseJsonReporting(large, {}, &report);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(100u, parsed->size());
  EXPECT_EQ(5, (*parsed)["k5"]);
  EXPECT_EQ(99, (*parsed)["k99"]);
  ASSERT_EQ(2u, report.duplicates.size());
  EXPECT_EQ(large.find("\"k5\": \"repeat"), report.duplicates[0].offset);
  EXPECT_EQ(large.find("\"k5\""), report.duplicates[0].first_offset);
  // ParseJson itself still keeps the last value, as before.
  EXPECT_EQ("repeat", (*ParseJson(large))["k5"]);
}

TEST(ParseJsonReporting, WatchedMembersComeWithThePointerOfTheirObject) {
  std::string text =
      R"({"p": {"a/b~c": {"$ref": "x.json#/Y"}}, "l": [{"$ref": "#/local"}, {"$ref": "\"q\".json"}],)"
      R"( "n": {"$ref": 3}})";
  JsonKeyReport report;
  Result<Json> parsed = ParseJsonReporting(text, {"$ref", NotLocal}, &report);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  ASSERT_EQ(2u, report.watched.size());
  EXPECT_EQ("/p/a~1b~0c", report.watched[0].pointer);
  EXPECT_EQ("x.json#/Y", report.watched[0].value);
  EXPECT_EQ(text.find("\"$ref\""), report.watched[0].offset);
  EXPECT_EQ("/l/1", report.watched[1].pointer);
  EXPECT_EQ("\"q\".json", report.watched[1].value);
  EXPECT_EQ(text.find("\"$ref\": \"\\\"q"), report.watched[1].offset);
  EXPECT_TRUE(report.duplicates.empty());
}

TEST(ParseJsonReporting, KeysWithEscapedQuotesAndBackslashesAreLocated) {
  std::string text = R"({"a\"b": 1, "c\\": 2, "a\"b": 3, "c\\": 4})";
  JsonKeyReport report;
  ASSERT_TRUE(ParseJsonReporting(text, {}, &report).ok());
  ASSERT_EQ(2u, report.duplicates.size());
  EXPECT_EQ(1u, report.duplicates[0].first_offset);
  EXPECT_EQ(text.rfind(R"("a\"b")"), report.duplicates[0].offset);
  EXPECT_EQ(text.find(R"("c\\")"), report.duplicates[1].first_offset);
  EXPECT_EQ(text.rfind(R"("c\\")"), report.duplicates[1].offset);
}

TEST(ParseJsonReporting, ErrorsAndLimitsAreThoseOfParseJson) {
  JsonKeyReport report;
  Result<Json> parsed = ParseJsonReporting("{\n  \"a\": ,\n}", {}, &report);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(0u, parsed.status().message().find("line 2, column 8: "));
  EXPECT_FALSE(
      ParseJsonReporting(std::string(1001, '[') + std::string(1001, ']'), {}, &report).ok());
}

}  // namespace
}  // namespace verity
