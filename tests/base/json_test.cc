// ParseJson: the same tree as nlohmann's ordered parser (order kept, a repeated key keeps its
// first position and its last value), positions in errors, and a depth limit.
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

}  // namespace
}  // namespace verity
