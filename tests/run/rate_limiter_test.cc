#include <gtest/gtest.h>

#include <vector>

#include "run/rate_limit.h"

namespace verity::run {
namespace {

RateLimit Limit(double rps, int in_flight, int64_t gap_ms, int burst = 1) {
  return RateLimit{rps, in_flight, gap_ms, burst, "custom"};
}

// A caller with an endless queue that starts each request at exactly NextStart and whose requests
// finish at once, so only the rate, the gap and pauses space them.
std::vector<int64_t> StartTimes(RateLimiter& limiter, int count, int64_t now_ms = 0) {
  std::vector<int64_t> starts;
  for (int i = 0; i < count; ++i) {
    std::optional<int64_t> next = limiter.NextStart(now_ms);
    if (!next) {
      ADD_FAILURE() << "in flight is full after " << i << " starts";
      break;
    }
    EXPECT_GE(*next, now_ms);
    now_ms = *next;
    limiter.OnStart(now_ms);
    limiter.OnFinish();
    starts.push_back(now_ms);
  }
  return starts;
}

std::vector<int64_t> Intervals(const std::vector<int64_t>& starts) {
  std::vector<int64_t> intervals;
  for (size_t i = 1; i < starts.size(); ++i) intervals.push_back(starts[i] - starts[i - 1]);
  return intervals;
}

TEST(RateLimiter, EachPresetSpacesRequestsByItsRate) {
  const struct {
    const char* preset;
    int64_t spacing_ms;
  } cases[] = {{"conservative", 500}, {"normal", 200}, {"aggressive", 50}, {"sequential", 1000}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.preset);
    RateLimiter limiter(*RateLimitPreset(c.preset));
    std::vector<int64_t> starts = StartTimes(limiter, 20, 1000);
    ASSERT_EQ(20u, starts.size());
    EXPECT_EQ(1000, starts.front()) << "a full bucket lets the first request start at once";
    for (int64_t interval : Intervals(starts)) EXPECT_EQ(c.spacing_ms, interval);
  }
}

TEST(RateLimiter, OffPresetLetsEverythingStartAtOnce) {
  RateLimiter limiter(*RateLimitPreset("off"));
  for (int i = 0; i < 1000; ++i) {
    ASSERT_EQ(std::optional<int64_t>(7), limiter.NextStart(7));
    limiter.OnStart(7);
  }
  EXPECT_EQ(1000, limiter.in_flight());
}

TEST(RateLimiter, InFlightCapWaitsForAFinish) {
  RateLimiter limiter(Limit(0, 3, 0));
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(std::optional<int64_t>(0), limiter.NextStart(0));
    limiter.OnStart(0);
  }
  EXPECT_EQ(3, limiter.in_flight());
  EXPECT_EQ(std::nullopt, limiter.NextStart(0));
  EXPECT_EQ(std::nullopt, limiter.NextStart(100000)) << "time alone does not free a slot";
  limiter.OnFinish();
  EXPECT_EQ(2, limiter.in_flight());
  EXPECT_EQ(std::optional<int64_t>(5), limiter.NextStart(5));
}

TEST(RateLimiter, InFlightCapComesBeforeOtherLimits) {
  RateLimiter limiter(Limit(1, 1, 5000));
  limiter.PauseUntil(9000);
  limiter.OnStart(0);
  EXPECT_EQ(std::nullopt, limiter.NextStart(10));
  limiter.OnFinish();
  EXPECT_EQ(std::optional<int64_t>(9000), limiter.NextStart(10));
}

TEST(RateLimiter, ExtraFinishDoesNotGoBelowZero) {
  RateLimiter limiter(Limit(0, 1, 0));
  limiter.OnFinish();
  EXPECT_EQ(0, limiter.in_flight());
  limiter.OnStart(0);
  EXPECT_EQ(std::nullopt, limiter.NextStart(0));
}

TEST(RateLimiter, MinGapSeparatesStarts) {
  RateLimiter limiter(Limit(0, 0, 100));
  EXPECT_EQ(std::optional<int64_t>(0), limiter.NextStart(0));
  limiter.OnStart(0);
  EXPECT_EQ(std::optional<int64_t>(100), limiter.NextStart(0));
  EXPECT_EQ(std::optional<int64_t>(100), limiter.NextStart(60));
  EXPECT_EQ(std::optional<int64_t>(150), limiter.NextStart(150));
  limiter.OnStart(150);
  EXPECT_EQ(std::optional<int64_t>(250), limiter.NextStart(150));
}

TEST(RateLimiter, TheSlowerOfRateAndGapWins) {
  RateLimiter by_gap(Limit(10, 0, 150));
  for (int64_t interval : Intervals(StartTimes(by_gap, 10))) EXPECT_EQ(150, interval);
  RateLimiter by_rate(Limit(4, 0, 100));
  for (int64_t interval : Intervals(StartTimes(by_rate, 10))) EXPECT_EQ(250, interval);
}

TEST(RateLimiter, FullBucketAllowsABurstThenTheRate) {
  RateLimiter limiter(Limit(10, 0, 0, 3));
  std::vector<int64_t> starts = StartTimes(limiter, 6);
  EXPECT_EQ((std::vector<int64_t>{0, 0, 0, 100, 200, 300}), starts);
}

TEST(RateLimiter, IdleBucketRefillsOnlyUpToTheBurst) {
  RateLimiter limiter(Limit(10, 0, 0, 3));
  StartTimes(limiter, 3);
  // A minute idle earns 600 tokens, of which the bucket keeps 3.
  std::vector<int64_t> starts = StartTimes(limiter, 5, 60000);
  EXPECT_EQ((std::vector<int64_t>{60000, 60000, 60000, 60100, 60200}), starts);
}

TEST(RateLimiter, PauseUntilHoldsEveryStart) {
  RateLimiter limiter(*RateLimitPreset("off"));
  limiter.PauseUntil(5000);
  EXPECT_EQ(std::optional<int64_t>(5000), limiter.NextStart(0));
  EXPECT_EQ(std::optional<int64_t>(5000), limiter.NextStart(4999));
  EXPECT_EQ(std::optional<int64_t>(6000), limiter.NextStart(6000));
}

TEST(RateLimiter, AnEarlierPauseDoesNotShortenALaterOne) {
  RateLimiter limiter(*RateLimitPreset("off"));
  limiter.PauseUntil(5000);
  limiter.PauseUntil(2000);
  EXPECT_EQ(std::optional<int64_t>(5000), limiter.NextStart(0));
}

TEST(RateLimiter, PauseAddsToTheRateNotReplacesIt) {
  RateLimiter limiter(*RateLimitPreset("normal"));
  limiter.OnStart(0);
  limiter.OnFinish();
  limiter.PauseUntil(50);
  EXPECT_EQ(std::optional<int64_t>(200), limiter.NextStart(0));
  limiter.PauseUntil(1000);
  EXPECT_EQ(std::optional<int64_t>(1000), limiter.NextStart(0));
}

TEST(RateLimiter, TwentyPerSecondOverAHundredRequestsSpansExactlyFourPointNineFiveSeconds) {
  RateLimiter limiter(Limit(20, 0, 0));
  std::vector<int64_t> starts = StartTimes(limiter, 100, 123456);
  ASSERT_EQ(100u, starts.size());
  EXPECT_EQ(4950, starts.back() - starts.front());
  for (int64_t interval : Intervals(starts)) EXPECT_EQ(50, interval);
}

TEST(RateLimiter, FractionalRateKeepsTheLongRunRate) {
  // 1000/3 ms is not a whole number of milliseconds. Rounding every wait up to 334 ms would run
  // 0.2 % slow, 2 s behind after 3000 requests.
  RateLimiter limiter(Limit(3, 0, 0));
  std::vector<int64_t> starts = StartTimes(limiter, 3001);
  ASSERT_EQ(3001u, starts.size());
  EXPECT_NEAR(1'000'000, starts.back() - starts.front(), 1);
  for (size_t i = 0; i < starts.size(); ++i) {
    // Start i is due at i * 333.33 ms, and no earlier.
    const double due = static_cast<double>(i) * 1000 / 3;
    EXPECT_GE(static_cast<double>(starts[i]), due - 1e-6) << i;
    EXPECT_LT(static_cast<double>(starts[i]), due + 1) << i;
  }
  for (int64_t interval : Intervals(starts)) {
    EXPECT_GE(interval, 333);
    EXPECT_LE(interval, 334);
  }
}

TEST(RateLimiter, OtherFractionalRatesDoNotDriftEither) {
  for (double rps : {7.0, 0.3, 2.5, 13.7, 999.0}) {
    SCOPED_TRACE(rps);
    RateLimiter limiter(Limit(rps, 0, 0));
    const int count = 2001;
    std::vector<int64_t> starts = StartTimes(limiter, count, 42);
    const double ideal = (count - 1) * 1000 / rps;
    EXPECT_NEAR(ideal, static_cast<double>(starts.back() - starts.front()), 1);
  }
}

TEST(RateLimiter, RateAboveAThousandStillStartsOneAtATimeWithBurstOne) {
  // Times are whole milliseconds, so a burst of 1 caps the rate at one start per millisecond.
  RateLimiter limiter(Limit(1500, 0, 0));
  std::vector<int64_t> starts = StartTimes(limiter, 100);
  for (int64_t interval : Intervals(starts)) EXPECT_EQ(1, interval);
}

TEST(RateLimiter, NextStartDoesNotChangeTheLimiter) {
  RateLimiter limiter(Limit(5, 0, 0));
  limiter.OnStart(0);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(std::optional<int64_t>(200), limiter.NextStart(10));
}

TEST(RateLimiter, EarlyStartBorrowsFromTheNextInterval) {
  RateLimiter limiter(Limit(10, 0, 0));
  limiter.OnStart(0);
  limiter.OnStart(0);  // against the contract: the caller did not wait
  EXPECT_EQ(std::optional<int64_t>(200), limiter.NextStart(0));
}

TEST(RateLimiter, WorksOnAClockBeforeZero) {
  RateLimiter limiter(Limit(10, 0, 0));
  std::vector<int64_t> starts = StartTimes(limiter, 3, -1000);
  EXPECT_EQ((std::vector<int64_t>{-1000, -900, -800}), starts);
}

TEST(RateLimiter, BurstBelowOneActsAsOne) {
  RateLimiter limiter(Limit(10, 0, 0, 0));
  EXPECT_EQ((std::vector<int64_t>{0, 100, 200}), StartTimes(limiter, 3));
}

}  // namespace
}  // namespace verity::run
