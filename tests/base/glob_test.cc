#include "base/glob.h"

#include <gtest/gtest.h>

#include <string>

namespace verity {
namespace {

TEST(Glob, StarMatchesAnyRunOfCharactersSlashesIncluded) {
  EXPECT_TRUE(GlobMatches("/partners/*", "/partners/v1/list"));
  EXPECT_TRUE(GlobMatches("/partners/*", "/partners/"));
  EXPECT_FALSE(GlobMatches("/partners/*", "/partners"));
  EXPECT_TRUE(GlobMatches("*/reports", "/v1/business/reports"));
  EXPECT_TRUE(GlobMatches("/v*/x/*/y", "/v2/x/1/2/y"));
  EXPECT_FALSE(GlobMatches("/v*/x/*/y", "/v2/x/1/2/z"));
  EXPECT_TRUE(GlobMatches("*/clients/*/packages", "https://a/clients/c1/packages"));
  EXPECT_FALSE(GlobMatches("*/clients/*/packages", "https://a/clients/c1/packages/p1"));
  EXPECT_TRUE(GlobMatches("a*b*c", "aXbYbZc"));
  EXPECT_TRUE(GlobMatches("a**b", "ab"));
}

TEST(Glob, WithoutAStarTheWholeTextMustBeEqual) {
  EXPECT_TRUE(GlobMatches("/exact", "/exact"));
  EXPECT_FALSE(GlobMatches("/exact", "/exact/more"));
  EXPECT_FALSE(GlobMatches("abc", "ab"));
  EXPECT_TRUE(GlobMatches("", ""));
  EXPECT_FALSE(GlobMatches("", "a"));
}

TEST(Glob, AStarAloneMatchesEverythingTheEmptyTextIncluded) {
  EXPECT_TRUE(GlobMatches("*", ""));
  EXPECT_TRUE(GlobMatches("**", "/any/thing?x=1"));
}

TEST(Glob, QuestionMarksAndBracketsAreOrdinaryCharacters) {
  // What these globs match are URLs and paths, where '?' starts a query.
  EXPECT_TRUE(GlobMatches("a?b", "a?b"));
  EXPECT_FALSE(GlobMatches("a?b", "axb"));
  EXPECT_TRUE(GlobMatches("/x?page=*", "/x?page=2"));
  EXPECT_TRUE(GlobMatches("/[id]", "/[id]"));
  EXPECT_FALSE(GlobMatches("/[id]", "/i"));
}

TEST(Glob, TheAnchoredEndsMayNotOverlap) {
  // "a*a" needs two a's: the prefix and the suffix cannot share the one character.
  EXPECT_FALSE(GlobMatches("a*a", "a"));
  EXPECT_TRUE(GlobMatches("a*a", "aa"));
  EXPECT_FALSE(GlobMatches("ab*bc", "abc"));
  EXPECT_TRUE(GlobMatches("ab*bc", "abbc"));
}

TEST(Glob, ManyStarsAgainstALongNearMissStayFast) {
  // No exponential backtracking: this returns at once.
  EXPECT_FALSE(GlobMatches("*a*a*a*a*a*a*a*a*b", std::string(10000, 'a')));
  EXPECT_FALSE(GlobMatches("*a*a*a*a*a*a*a*a*ab*", std::string(10000, 'a')));
  EXPECT_TRUE(GlobMatches("*a*a*a*a*a*a*a*a*", std::string(10000, 'a')));
}

TEST(Glob, AKeptGlobMatchesAsItsTextDoes) {
  Glob glob("/a/*");
  EXPECT_EQ("/a/*", glob.text());
  EXPECT_TRUE(glob.Matches("/a/b"));
  EXPECT_FALSE(glob.Matches("/b/a"));
}

}  // namespace
}  // namespace verity
