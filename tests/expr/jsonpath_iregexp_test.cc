// I-Regexp (RFC 9485) as match() and search() see it: what is translated how, what is refused, and
// how the translation behaves once RE2 runs it.
#include "expr/jsonpath_iregexp.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <string>

namespace verity::expr::jsonpath_detail {
namespace {

std::string Translate(const std::string& pattern) {
  std::string out;
  EXPECT_TRUE(TranslateIRegexp(pattern, &out)) << pattern;
  return out;
}

bool Matches(const std::string& pattern, const std::string& text) {
  std::shared_ptr<const re2::RE2> regex = CompileIRegexp(pattern);
  EXPECT_NE(nullptr, regex) << pattern;
  return RegexMatches(regex.get(), text, /*whole=*/true);
}

TEST(JsonPathIRegexp, TranslatesIntoRe2Syntax) {
  EXPECT_EQ("ab", Translate("ab"));
  EXPECT_EQ("a[^\\n\\r]", Translate("a."));
  EXPECT_EQ("(?:a|b)*", Translate("(a|b)*"));
  EXPECT_EQ("a{2,3}b{2,}c{4}", Translate("a{2,3}b{2,}c{4}"));
  EXPECT_EQ("[a\\-z]", Translate("[a\\-z]"));
  EXPECT_EQ("[a-z\\-]", Translate("[a-z-]"));
  EXPECT_EQ("[^\\.]", Translate("[^.]"));
  EXPECT_EQ("\\p{Lu}\\P{Nd}", Translate("\\p{Lu}\\P{Nd}"));
  EXPECT_EQ("\\,\\-\\/", Translate(",-/"));
  EXPECT_EQ("\\x{0a}\\t", Translate("\n\\t"));
  EXPECT_EQ("é😀", Translate("é😀"));
}

TEST(JsonPathIRegexp, RefusesWhatIsNotAnIRegexp) {
  for (const char* pattern :
       {"(",     ")",     "a)",      "[a",           "[]",         "[^]",     "a**",
        "a+?",   "*a",    "{2}",     "a{",           "a{,3}",      "a{x}",    "]",
        "}",     "\\d",   "\\w",     "\\s",          "\\b",        "\\1",     "(?:a)",
        "(?i)a", "\\p{L", "\\p{Xx}", "\\p{IsLatin}", "[a-\\p{L}]", "[b-a-c]", "\\"}) {
    std::string out;
    EXPECT_FALSE(TranslateIRegexp(pattern, &out)) << pattern;
    EXPECT_EQ(nullptr, CompileIRegexp(pattern)) << pattern;
  }
  // Valid I-Regexp that RE2 cannot run (repetition above 1000) never matches either.
  EXPECT_EQ(nullptr, CompileIRegexp("a{1001}"));
  EXPECT_FALSE(RegexMatches(nullptr, "a", true));
}

TEST(JsonPathIRegexp, DotMatchesAnythingButLineBreaks) {
  EXPECT_TRUE(Matches("a.c",
                      "a\xe2\x80\xa8"
                      "c"));  // U+2028
  EXPECT_TRUE(Matches("a.c", "a😀c"));
  EXPECT_FALSE(Matches("a.c", "a\nc"));
  EXPECT_FALSE(Matches("a.c", "a\rc"));
  EXPECT_TRUE(Matches("a[.]c", "a.c"));
  EXPECT_FALSE(Matches("a[.]c", "abc"));
}

TEST(JsonPathIRegexp, MatchIsWholeStringAndSearchIsAnywhere) {
  std::shared_ptr<const re2::RE2> regex = CompileIRegexp("b+");
  ASSERT_NE(nullptr, regex);
  EXPECT_FALSE(RegexMatches(regex.get(), "abba", /*whole=*/true));
  EXPECT_TRUE(RegexMatches(regex.get(), "abba", /*whole=*/false));
  EXPECT_TRUE(RegexMatches(regex.get(), "bb", /*whole=*/true));
  // `|` inside a match still has to cover the whole string.
  EXPECT_FALSE(Matches("a|b", "ab"));
}

TEST(JsonPathIRegexp, CategoryCIncludesUnassignedCodePoints) {
  // U+0378 is unassigned (Cn); RE2's own \p{C} would leave it out.
  const std::string unassigned = "\xcd\xb8";
  EXPECT_TRUE(Matches("\\p{C}", unassigned));
  EXPECT_TRUE(Matches("\\p{Cn}", unassigned));
  EXPECT_FALSE(Matches("\\P{C}", unassigned));
  EXPECT_TRUE(Matches("\\p{C}", "\x01"));
  EXPECT_FALSE(Matches("\\p{Cn}", "\x01"));
  EXPECT_TRUE(Matches("[a\\p{Cn}]", unassigned));
  EXPECT_TRUE(Matches("[a\\p{Cn}]", "a"));
  EXPECT_FALSE(Matches("[a\\p{Cn}]", "b"));
  EXPECT_TRUE(Matches("[^\\p{Cn}]", "b"));
  EXPECT_FALSE(Matches("[^\\p{Cn}]", unassigned));
  EXPECT_TRUE(Matches("[\\P{Cn}]", "b"));
  // (C and not P) has no RE2 spelling: such a class is refused rather than run wrongly.
  EXPECT_EQ(nullptr, CompileIRegexp("[^a\\p{Cn}]"));
}

TEST(JsonPathIRegexp, MetacharactersEscapeToThemselves) {
  EXPECT_TRUE(Matches("\\(\\)\\*\\+\\-\\.\\?\\[\\\\\\]\\^\\{\\|\\}", "()*+-.?[\\]^{|}"));
  EXPECT_TRUE(Matches("[\\]\\[]+", "][]"));
  EXPECT_TRUE(Matches("a\\nb", "a\nb"));
}

TEST(JsonPathIRegexp, TheCacheReturnsOneCompiledObjectPerPattern) {
  RegexCache cache;
  std::shared_ptr<const re2::RE2> first = cache.Get("a.c");
  ASSERT_NE(nullptr, first);
  EXPECT_EQ(first.get(), cache.Get("a.c").get());
  EXPECT_EQ(nullptr, cache.Get("(("));
  for (int i = 0; i < 1000; ++i) EXPECT_NE(nullptr, cache.Get("x" + std::to_string(i)));
}

}  // namespace
}  // namespace verity::expr::jsonpath_detail
