#include <gtest/gtest.h>

#include "run/rate_limit.h"

namespace verity::run {
namespace {

TEST(RateLimitPreset, NamesTheOriginalToolsPresets) {
  const struct {
    const char* name;
    double rps;
    int in_flight;
    int64_t gap_ms;
  } cases[] = {{"conservative", 2, 1, 500},
               {"normal", 5, 3, 200},
               {"aggressive", 20, 10, 50},
               {"sequential", 1, 1, 1000}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    std::optional<RateLimit> limit = RateLimitPreset(c.name);
    ASSERT_TRUE(limit);
    EXPECT_EQ(c.rps, limit->requests_per_second);
    EXPECT_EQ(c.in_flight, limit->max_in_flight);
    EXPECT_EQ(c.gap_ms, limit->min_gap_ms);
    EXPECT_EQ(1, limit->burst);
    EXPECT_EQ(c.name, limit->preset);
  }
}

TEST(RateLimitPreset, OffAndNoneLiftEveryLimit) {
  for (const char* name : {"off", "none"}) {
    std::optional<RateLimit> limit = RateLimitPreset(name);
    ASSERT_TRUE(limit) << name;
    EXPECT_LE(limit->requests_per_second, 0);
    EXPECT_LE(limit->max_in_flight, 0);
    EXPECT_LE(limit->min_gap_ms, 0);
    EXPECT_EQ("off (no limit)", limit->ToString());
  }
}

TEST(RateLimitPreset, UnknownNameIsNotAPreset) {
  EXPECT_FALSE(RateLimitPreset("fast"));
  EXPECT_FALSE(RateLimitPreset(""));
  EXPECT_FALSE(RateLimitPreset("Normal"));
}

TEST(RateLimitToString, DescribesEachLimit) {
  EXPECT_EQ("normal (5 req/s, 3 in flight, 200 ms gap)", RateLimitPreset("normal")->ToString());
  EXPECT_EQ("custom (2.5 req/s, burst 4, 3 in flight, 200 ms gap)",
            (RateLimit{2.5, 3, 200, 4, "custom"}).ToString());
}

TEST(RateLimitToString, SaysUnlimitedRatherThanZero) {
  EXPECT_EQ("custom (unlimited req/s, unlimited in flight, 100 ms gap)",
            (RateLimit{0, 0, 100, 1, "custom"}).ToString());
  EXPECT_EQ("custom (10 req/s, 4 in flight, no gap)",
            (RateLimit{10, 4, 0, 1, "custom"}).ToString());
}

TEST(ParseRateLimit, AcceptsAPresetName) {
  Result<RateLimit> limit = ParseRateLimit("  aggressive ");
  ASSERT_TRUE(limit.ok()) << limit.status().ToString();
  EXPECT_EQ("aggressive", limit->preset);
  EXPECT_EQ(20, limit->requests_per_second);
}

TEST(ParseRateLimit, AcceptsCustomValues) {
  Result<RateLimit> limit = ParseRateLimit("rps=10, in_flight=4, gap=100ms, burst=2");
  ASSERT_TRUE(limit.ok()) << limit.status().ToString();
  EXPECT_EQ(10, limit->requests_per_second);
  EXPECT_EQ(4, limit->max_in_flight);
  EXPECT_EQ(100, limit->min_gap_ms);
  EXPECT_EQ(2, limit->burst);
  EXPECT_EQ("custom", limit->preset);
}

TEST(ParseRateLimit, ReadsGapsInSecondsAndBareMilliseconds) {
  EXPECT_EQ(500, ParseRateLimit("gap=0.5s")->min_gap_ms);
  EXPECT_EQ(2000, ParseRateLimit("gap=2s")->min_gap_ms);
  EXPECT_EQ(250, ParseRateLimit("gap=250")->min_gap_ms);
  EXPECT_EQ(0, ParseRateLimit("gap=0ms")->min_gap_ms);
}

TEST(ParseRateLimit, OmittedKeysKeepTheBaseButNotAPresetsGap) {
  RateLimit base = *RateLimitPreset("conservative");
  Result<RateLimit> limit = ParseRateLimit("rps=7", base);
  ASSERT_TRUE(limit.ok());
  EXPECT_EQ(7, limit->requests_per_second);
  EXPECT_EQ(1, limit->max_in_flight);
  EXPECT_EQ(0, limit->min_gap_ms);
  EXPECT_EQ("custom", limit->preset);
}

TEST(ParseRateLimit, ACustomLimitWithoutAGapRunsAtTheRateItsRpsSays) {
  Result<RateLimit> limit = ParseRateLimit("rps=500,in_flight=8");
  ASSERT_TRUE(limit.ok());
  EXPECT_EQ(0, limit->min_gap_ms);
  EXPECT_EQ(500.0, limit->EffectiveRequestsPerSecond());
  EXPECT_EQ("at most 500 requests/s", limit->EffectiveText());
}

TEST(ParseRateLimit, AGapWrittenInACustomBaseIsKept) {
  RateLimit base = *ParseRateLimit("rps=10,gap=250ms");
  Result<RateLimit> limit = ParseRateLimit("in_flight=2", base);
  ASSERT_TRUE(limit.ok());
  EXPECT_EQ(250, limit->min_gap_ms);
  EXPECT_EQ(4.0, limit->EffectiveRequestsPerSecond());
}

TEST(RateLimit, EffectiveRequestsPerSecondIsTheLowerOfTheRateAndWhatTheGapAllows) {
  EXPECT_EQ(5.0, RateLimitPreset("normal")->EffectiveRequestsPerSecond());
  EXPECT_EQ(5.0, (RateLimit{500, 8, 200, 1, "custom"}).EffectiveRequestsPerSecond());
  EXPECT_EQ(10.0, (RateLimit{0, 8, 100, 1, "custom"}).EffectiveRequestsPerSecond());
  EXPECT_EQ(std::nullopt, RateLimitPreset("off")->EffectiveRequestsPerSecond());
  EXPECT_EQ("no limit on requests/s", RateLimitPreset("off")->EffectiveText());
}

TEST(ParseRateLimit, ZeroLiftsOneLimit) {
  Result<RateLimit> limit = ParseRateLimit("rps=0,in_flight=0");
  ASSERT_TRUE(limit.ok());
  EXPECT_EQ(0, limit->requests_per_second);
  EXPECT_EQ(0, limit->max_in_flight);
}

TEST(ParseRateLimit, RefusesWhatItCannotRead) {
  for (const char* text :
       {"", "   ", "fast", "rps", "rps=", "rps=-1", "rps=abc", "rps=inf", "rps=nan", "speed=3",
        "in_flight=2.5", "in_flight=-1", "gap=-5ms", "gap=5min", "gap=ms", "burst=0", "burst=1.5",
        // Larger than an int or an int64_t of milliseconds: refused, not wrapped around.
        "in_flight=1e20", "burst=3000000000", "gap=1e300s", "gap=1e20ms"}) {
    Result<RateLimit> limit = ParseRateLimit(text);
    EXPECT_FALSE(limit.ok()) << text;
    EXPECT_EQ(StatusCode::kInvalidArgument, limit.status().code()) << text;
  }
}

TEST(ParseRateLimit, ErrorNamesTheBadKeyAndValue) {
  Result<RateLimit> limit = ParseRateLimit("rps=10,gap=soon");
  ASSERT_FALSE(limit.ok());
  EXPECT_NE(std::string::npos, limit.status().message().find("\"soon\" for gap"))
      << limit.status().message();
}

}  // namespace
}  // namespace verity::run
