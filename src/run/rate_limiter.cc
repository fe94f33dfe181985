// The limiter behind rate_limit.h. Presets and the text form are in rate_limit_settings.cc.
#include <algorithm>
#include <cmath>
#include <utility>

#include "run/rate_limit.h"

namespace verity::run {

namespace {

// Floating-point noise in the token arithmetic must not turn an exact wait (50 ms at 20 req/s)
// into one millisecond more; a real wait is never within a nanosecond of a whole millisecond
// boundary without being on it.
constexpr double kWaitEpsilonMs = 1e-6;

}  // namespace

RateLimiter::RateLimiter(RateLimit limit) : limit_(std::move(limit)) {
  // A bucket that cannot hold one token would never let anything start.
  if (limit_.burst < 1) limit_.burst = 1;
  tokens_ = limit_.burst;
}

bool RateLimiter::HasRate() const {
  return limit_.requests_per_second > 0 && std::isfinite(limit_.requests_per_second);
}

double RateLimiter::TokensAt(int64_t now_ms) const {
  const double burst = limit_.burst;
  // Untouched since construction: full whatever the clock's origin.
  if (tokens_ >= burst) return burst;
  const double elapsed = static_cast<double>(std::max<int64_t>(0, now_ms - refilled_at_ms_));
  // Multiplying before dividing keeps whole rates exact: 334 ms at 3 req/s is 1.002 tokens.
  const double tokens = tokens_ + elapsed * limit_.requests_per_second / 1000;
  if (tokens <= burst) return tokens;
  // The bucket filled at a fractional instant, and a caller that waited for NextStart arrives at
  // the next whole millisecond. Capping there would drop that fraction on every start: at 3 req/s
  // each interval would become ceil(333.3) = 334 ms and the run would drift behind the rate. So the
  // overflow of the first millisecond after filling stays, as long as it is less than a token (more
  // would let two requests start at once with a burst of 1).
  const double overflow = tokens - burst;
  const double overflow_ms = overflow * 1000 / limit_.requests_per_second;
  if (overflow_ms < 1 && overflow < 1) return tokens;
  return burst;
}

int64_t RateLimiter::TokenReadyAt() const {
  const double wait_ms = (1 - tokens_) * 1000 / limit_.requests_per_second;
  return refilled_at_ms_ + static_cast<int64_t>(std::ceil(wait_ms - kWaitEpsilonMs));
}

std::optional<int64_t> RateLimiter::NextStart(int64_t now_ms) const {
  if (limit_.max_in_flight > 0 && in_flight_ >= limit_.max_in_flight) return std::nullopt;
  int64_t at = std::max(now_ms, paused_until_ms_);
  if (limit_.min_gap_ms > 0 && last_start_ms_)
    at = std::max(at, *last_start_ms_ + limit_.min_gap_ms);
  if (HasRate() && tokens_ < 1) at = std::max(at, TokenReadyAt());
  return at;
}

void RateLimiter::OnStart(int64_t now_ms) {
  ++in_flight_;
  last_start_ms_ = last_start_ms_ ? std::max(*last_start_ms_, now_ms) : now_ms;
  if (!HasRate()) return;
  // A caller that starts early goes into debt (fewer than zero tokens) rather than being ignored,
  // so the limits still hold on average.
  const bool untouched = tokens_ >= limit_.burst;
  tokens_ = TokensAt(now_ms) - 1;
  refilled_at_ms_ = untouched ? now_ms : std::max(refilled_at_ms_, now_ms);
}

void RateLimiter::OnFinish() {
  if (in_flight_ > 0) --in_flight_;
}

void RateLimiter::PauseUntil(int64_t until_ms) {
  // Two 429s with different Retry-After values: the later one is the one both ask for.
  paused_until_ms_ = std::max(paused_until_ms_, until_ms);
}

}  // namespace verity::run
