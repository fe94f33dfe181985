#include <gtest/gtest.h>

#include "expr/filters.h"

namespace verity::expr {
namespace {

// Applies the filter written as `text` ("slice: -4") to `value`; the error message on failure.
Json Apply(std::string_view text, const Json& value) {
  Result<Placeholder> p = ParsePlaceholder("v | " + std::string(text));
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  if (!p.ok()) return nullptr;
  Result<Json> out = ApplyFilter(p->filters.at(0), value);
  return out.ok() ? *out : Json("error: " + out.status().message());
}

TEST(SliceFilter, TakesTheTailOfAStringWithANegativeStart) {
  EXPECT_EQ("5123", Apply("slice: -4", "1770559085123"));
  EXPECT_EQ("abc", Apply("slice: -4", "abc"));
}

TEST(SliceFilter, TakesStartToEndWithPythonBounds) {
  EXPECT_EQ("bc", Apply("slice: 1:3", "abcdef"));
  EXPECT_EQ("bc", Apply("slice: 1, 3", "abcdef"));
  EXPECT_EQ("bcde", Apply("slice: 1:-1", "abcdef"));
  EXPECT_EQ("ef", Apply("slice: -2:100", "abcdef"));
  EXPECT_EQ("", Apply("slice: 4:2", "abcdef"));
  EXPECT_EQ("", Apply("slice: 10", "abcdef"));
  EXPECT_EQ("abcdef", Apply("slice: -10", "abcdef"));
}

TEST(SliceFilter, CountsCodePointsNotBytes) {
  EXPECT_EQ("é€", Apply("slice: 1:3", "aé€b"));
  EXPECT_EQ("😀", Apply("slice: -1", "ab😀"));
}

TEST(SliceFilter, SlicesArraysByElement) {
  EXPECT_EQ(Json::parse("[2, 3]"), Apply("slice: 1:3", Json::parse("[1, 2, 3, 4]")));
  EXPECT_EQ(Json::parse("[{\"a\": 1}]"), Apply("slice: -1", Json::parse("[0, {\"a\": 1}]")));
}

TEST(SliceFilter, SlicesTheTextOfNumbersAndBooleans) {
  EXPECT_EQ("9080", Apply("slice: -4", 1770559080));
  EXPECT_EQ("tr", Apply("slice: 0:2", true));
}

TEST(SliceFilter, RefusesObjectsAndNull) {
  EXPECT_EQ("error: slice needs a string, a number, an array or a boolean, got an object",
            Apply("slice: 1", Json::object()));
  EXPECT_EQ("error: slice needs a string, a number, an array or a boolean, got null",
            Apply("slice: 1", nullptr));
}

TEST(DefaultFilter, ReplacesNullAndKeepsOtherValues) {
  EXPECT_EQ("n/a", Apply("default: 'n/a'", nullptr));
  EXPECT_EQ(0, Apply("default: 0", nullptr));
  EXPECT_EQ("", Apply("default: 'n/a'", ""));
  EXPECT_EQ(false, Apply("default: true", false));
}

TEST(CaseFilters, MapAsciiLettersOfTextValues) {
  EXPECT_EQ("ABC-É1", Apply("upper", "abc-É1"));
  EXPECT_EQ("abc-é", Apply("lower", "ABC-é"));
  EXPECT_EQ("TRUE", Apply("upcase", true));
  EXPECT_EQ("12", Apply("lower", 12));
  EXPECT_EQ("error: upper needs a string, a number or a boolean, got an array",
            Apply("upper", Json::array()));
  EXPECT_EQ("error: downcase needs a string, a number or a boolean, got null",
            Apply("downcase", nullptr));
}

TEST(UrlEncodeFilter, KeepsOnlyUnreservedCharacters) {
  EXPECT_EQ("a-b_c.d~e%20f%2Fg%3Fh%26i%3Dj%2Bk%25%C3%A9",
            Apply("urlencode", "a-b_c.d~e f/g?h&i=j+k%é"));
  EXPECT_EQ("%7B%22a%22%3A1%7D", Apply("urlencode", Json::parse(R"({"a":1})")));
  EXPECT_EQ("42", Apply("url_encode", 42));
}

TEST(JsonFilter, GivesCompactJsonText) {
  EXPECT_EQ(R"({"a":[1,2],"b":"x"})", Apply("json", Json::parse(R"({"a": [1, 2], "b": "x"})")));
  EXPECT_EQ(R"("quoted")", Apply("json", "quoted"));
  EXPECT_EQ("null", Apply("json", nullptr));
  EXPECT_EQ("1.5", Apply("json", 1.5));
}

TEST(Base64Filter, EncodesWithPadding) {
  EXPECT_EQ("", Apply("base64", ""));
  EXPECT_EQ("Zg==", Apply("base64", "f"));
  EXPECT_EQ("Zm8=", Apply("base64", "fo"));
  EXPECT_EQ("Zm9v", Apply("base64", "foo"));
  EXPECT_EQ("Zm9vYmFy", Apply("base64_encode", "foobar"));
  EXPECT_EQ("dXNlcjpwYXNz", Apply("base64", "user:pass"));
  EXPECT_EQ("w6k=", Apply("base64", "é"));
}

TEST(ApplyFilter, RefusesAHandBuiltCallWithArgumentsTheFilterCannotUse) {
  FilterCall slice{FilterKind::kSlice, "slice", {"a"}, 1};
  EXPECT_EQ("slice called with arguments it does not take",
            ApplyFilter(slice, "abc").status().message());
  FilterCall fallback{FilterKind::kDefault, "default", {}, 1};
  EXPECT_FALSE(ApplyFilter(fallback, nullptr).ok());
}

TEST(ToText, WritesStringsRawAndEverythingElseAsCompactJson) {
  EXPECT_EQ("plain", ToText("plain"));
  EXPECT_EQ("12", ToText(12));
  EXPECT_EQ("-0.25", ToText(-0.25));
  EXPECT_EQ("true", ToText(true));
  EXPECT_EQ("null", ToText(nullptr));
  EXPECT_EQ(R"({"k":["v",1]})", ToText(Json::parse(R"({"k": ["v", 1]})")));
}

TEST(CompactJson, ReplacesInvalidUtf8InsteadOfThrowing) {
  EXPECT_EQ(
      "\"a\xEF\xBF\xBD"
      "b\"",
      CompactJson(Json(std::string("a\xFF"
                                   "b"))));
}

TEST(PercentEncode, KeepsTheExtraCharactersAskedFor) {
  EXPECT_EQ("a:b@c%2Fd", PercentEncode("a:b@c/d", ":@"));
  EXPECT_EQ("%00", PercentEncode(std::string_view("\0", 1), ":"));
}

}  // namespace
}  // namespace verity::expr
