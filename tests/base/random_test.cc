#include "base/random.h"

#include <gtest/gtest.h>

#include <set>

namespace verity {
namespace {

TEST(SeededRandom, FollowsTheSplitMix64ReferenceSequence) {
  // The published outputs of Vigna's splitmix64.c for seed 1234567.
  SeededRandom r(1234567);
  EXPECT_EQ(6457827717110365317ULL, r.Next());
  EXPECT_EQ(3203168211198807973ULL, r.Next());
  EXPECT_EQ(9817491932198370423ULL, r.Next());
}

TEST(SeededRandom, TheSameSeedGivesTheSameNumbers) {
  SeededRandom a(42), b(42), c(43);
  for (int i = 0; i < 100; ++i) {
    uint64_t x = a.Next();
    EXPECT_EQ(x, b.Next());
    EXPECT_NE(x, c.Next());
  }
}

TEST(RandomBelow, StaysBelowTheBoundAndReachesEveryValue) {
  SeededRandom r(7);
  std::set<uint64_t> seen;
  for (int i = 0; i < 1000; ++i) {
    uint64_t x = r.Below(10);
    ASSERT_LT(x, 10u);
    seen.insert(x);
  }
  EXPECT_EQ(10u, seen.size());
  EXPECT_EQ(0u, r.Below(1));
}

TEST(RandomBelow, IsTheRemainderOfTheNextNumberWhenNoRejectionIsNeeded) {
  SeededRandom a(1234567), b(1234567);
  EXPECT_EQ(b.Next() % 10'000'000, a.Below(10'000'000));
}

TEST(SystemRandom, ProducesVaryingNumbers) {
  SystemRandom r;
  std::set<uint64_t> seen;
  for (int i = 0; i < 10; ++i) seen.insert(r.Next());
  EXPECT_EQ(10u, seen.size());
}

}  // namespace
}  // namespace verity
