#include "mock/answer_cache.h"

#include <gtest/gtest.h>

namespace verity::mock {
namespace {

TEST(AnswerCache, AnswersOnlyAtTheVersionTheBodyWasMadeAt) {
  AnswerCache cache;
  EXPECT_EQ(cache.Find("list", 3), nullptr);
  cache.Put("list", 3, "[1]");
  ASSERT_NE(cache.Find("list", 3), nullptr);
  EXPECT_EQ(*cache.Find("list", 3), "[1]");
  EXPECT_EQ(cache.Find("list", 4), nullptr) << "the store changed since";
  EXPECT_EQ(cache.Find("item", 3), nullptr);
}

TEST(AnswerCache, AnAnswerMadeFromOlderDataNeverReplacesANewerOne) {
  AnswerCache cache;
  cache.Put("list", 5, "[1,2]");
  cache.Put("list", 4, "[1]");  // a slower request that read the store earlier
  EXPECT_EQ(cache.Find("list", 4), nullptr);
  ASSERT_NE(cache.Find("list", 5), nullptr);
  EXPECT_EQ(*cache.Find("list", 5), "[1,2]");
  cache.Put("list", 6, "[1,2,3]");
  EXPECT_EQ(*cache.Find("list", 6), "[1,2,3]");
}

TEST(AnswerCache, PastItsCapacityItStartsOverButKeepsTheNewAnswer) {
  AnswerCache cache(2);
  cache.Put("a", 1, "A");
  cache.Put("b", 1, "B");
  cache.Put("a", 1, "A2");  // an existing key is updated in place
  EXPECT_EQ(*cache.Find("b", 1), "B");
  cache.Put("c", 1, "C");
  EXPECT_EQ(cache.Find("a", 1), nullptr);
  EXPECT_EQ(cache.Find("b", 1), nullptr);
  ASSERT_NE(cache.Find("c", 1), nullptr);
  EXPECT_EQ(*cache.Find("c", 1), "C");
}

}  // namespace
}  // namespace verity::mock
