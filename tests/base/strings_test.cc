#include "base/strings.h"

#include <gtest/gtest.h>

#include <string>

namespace verity {
namespace {

TEST(WithArticle, GivesAnBeforeAVowelSoundForEveryJsonAndYamlKind) {
  EXPECT_EQ("an array", WithArticle("array"));
  EXPECT_EQ("an object", WithArticle("object"));
  EXPECT_EQ("a string", WithArticle("string"));
  EXPECT_EQ("a number", WithArticle("number"));
  EXPECT_EQ("a boolean", WithArticle("boolean"));
  EXPECT_EQ("a list", WithArticle("list"));
  EXPECT_EQ("a mapping", WithArticle("mapping"));
  EXPECT_EQ("a scalar", WithArticle("scalar"));
}

TEST(WithArticle, NullStandsAloneBecauseItNamesAValue) { EXPECT_EQ("null", WithArticle("null")); }

TEST(WithArticle, FollowsTheSoundWhereItDiffersFromTheSpelling) {
  EXPECT_EQ("an admin", WithArticle("admin"));
  EXPECT_EQ("an Internal", WithArticle("Internal"));
  EXPECT_EQ("a user", WithArticle("user"));
  EXPECT_EQ("a unit", WithArticle("unit"));
  EXPECT_EQ("a one-off", WithArticle("one-off"));
  EXPECT_EQ("an hour", WithArticle("hour"));
  EXPECT_EQ("a staff", WithArticle("staff"));
  EXPECT_EQ("a ", WithArticle(""));
}

}  // namespace
}  // namespace verity
