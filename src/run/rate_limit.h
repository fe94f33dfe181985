// Politeness towards the API under test: every request of a run, retries and fallback resends
// included, passes one RateLimiter. Three limits hold together: a token bucket of
// `requests_per_second` (bucket size `burst`), at most `max_in_flight` requests at once, and at
// least `min_gap_ms` between two starts. Named presets (docs/run.md) cover the usual needs.
//
// The limiter is a pure calculator over times the caller passes in (milliseconds on a monotonic
// clock), so tests drive it without sleeping and the executor's event loop decides how to wait.
//
// Thread-safety: none; the executor's loop thread owns it.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace verity::run {

// A limit of 0 or less is no limit.
struct RateLimit {
  double requests_per_second = 5;
  int max_in_flight = 3;
  int64_t min_gap_ms = 200;
  int burst = 1;                  // tokens the bucket holds (at least 1); 1 spaces requests evenly
  std::string preset = "normal";  // the preset it came from, or "custom"

  /// "normal (5 req/s, 3 in flight, 200 ms gap)", "custom (10 req/s, burst 4, unlimited in
  /// flight, no gap)", "off (no limit)".
  std::string ToString() const;
  /// The most requests a second can start over time: the lower of the rate and what the gap
  /// allows (a 200 ms gap caps a 500 req/s rate at 5). nullopt when neither limits it.
  std::optional<double> EffectiveRequestsPerSecond() const;
  /// "at most 5 requests/s", "no limit on requests/s".
  std::string EffectiveText() const;
};

/// conservative 2/1/500 ms, normal 5/3/200 ms, aggressive 20/10/50 ms, sequential 1/1/1000 ms.
std::optional<RateLimit> RateLimitPreset(std::string_view name);
/// A preset name, or custom values "rps=10,in_flight=4,gap=100ms[,burst=2]" (gap also in "s";
/// omitted keys keep the `base`'s values, except a preset's gap: a custom limit without `gap` has
/// none, so its rate is what rps says). "off"/"none" lifts every limit.
Result<RateLimit> ParseRateLimit(std::string_view text, const RateLimit& base = {});

class RateLimiter {
 public:
  explicit RateLimiter(RateLimit limit);

  /// When the next request may start, at or after `now_ms`: `now_ms` itself when it may start
  /// now, nullopt when `max_in_flight` requests are running (wait for OnFinish).
  std::optional<int64_t> NextStart(int64_t now_ms) const;
  /// A request starts at `now_ms` (which must be at or after NextStart).
  void OnStart(int64_t now_ms);
  /// A request that started has finished.
  void OnFinish();
  /// No request may start before `until_ms` (a 429's Retry-After applies to everyone).
  void PauseUntil(int64_t until_ms);

  int in_flight() const { return in_flight_; }
  const RateLimit& limit() const { return limit_; }

 private:
  bool HasRate() const;
  /// Tokens in the bucket at `now_ms`, which is not before `refilled_at_ms_`.
  double TokensAt(int64_t now_ms) const;
  /// When the bucket, now short of a token, has one again.
  int64_t TokenReadyAt() const;

  RateLimit limit_;
  int in_flight_ = 0;
  double tokens_;  // in the bucket at `refilled_at_ms_`
  int64_t refilled_at_ms_ = 0;
  std::optional<int64_t> last_start_ms_;
  int64_t paused_until_ms_ = std::numeric_limits<int64_t>::min();  // a monotonic clock may be < 0
};

}  // namespace verity::run
