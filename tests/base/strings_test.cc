#include "base/strings.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

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

TEST(NextCodePoint, DecodesOneToFourByteSequencesAndStepsPastThem) {
  std::string text = "a\xC3\xA9\xE2\x9C\x93\xF0\x9F\x9F\xA2";  // a é ✓ 🟢
  size_t i = 0;
  uint32_t cp = 0;
  std::vector<uint32_t> seen;
  while (i < text.size()) {
    ASSERT_TRUE(NextCodePoint(text, &i, &cp)) << "at byte " << i;
    seen.push_back(cp);
  }
  EXPECT_EQ((std::vector<uint32_t>{'a', 0xE9, 0x2713, 0x1F7E2}), seen);
}

TEST(NextCodePoint, RefusesTruncatedOverlongAndSurrogateSequencesOneByteAtATime) {
  for (std::string bad :
       {std::string("\xC3"), std::string("\xC0\xAF"), std::string("\xED\xA0\x80"),
        std::string("\xF4\x90\x80\x80"), std::string("\x80"), std::string("\xFF")}) {
    size_t i = 0;
    uint32_t cp = 0;
    EXPECT_FALSE(NextCodePoint(bad, &i, &cp)) << Quoted(bad);
    EXPECT_EQ(1u, i) << Quoted(bad);
  }
}

TEST(IsValidUtf8, NamesTheOffsetOfTheFirstInvalidSequence) {
  size_t bad = 0;
  EXPECT_TRUE(IsValidUtf8("grüße ✓ 🟢"));
  EXPECT_FALSE(IsValidUtf8("ok \xC3\xA9 then \xC0\xAF", &bad));
  EXPECT_EQ(11u, bad);
}

TEST(AppendUtf8, EncodesWhatNextCodePointDecodes) {
  for (uint32_t cp : {0x41u, 0x7FFu, 0x800u, 0xFFFDu, 0x10000u, 0x10FFFFu}) {
    std::string out;
    AppendUtf8(cp, &out);
    size_t i = 0;
    uint32_t back = 0;
    ASSERT_TRUE(NextCodePoint(out, &i, &back)) << cp;
    EXPECT_EQ(cp, back);
    EXPECT_EQ(out.size(), i);
  }
}

}  // namespace
}  // namespace verity
