// Whether a request that ended badly is sent again, and after how long. Only what cannot have
// changed anything on the server is retried blindly: a 429 or 503 (the server refused to process
// the request, RFC 9110 §15.5.30 and §15.6.4) for any method, a timeout or a broken connection only
// for idempotent methods, where a second copy of a request that did arrive does no harm. A TLS or
// DNS failure, a response too large or an invalid request fails again the same way, so those and
// every other status are reported at once.
//
// Pure functions over the caller's clock and Random, so tests fix both; the executor sleeps.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/random.h"
#include "http/request.h"

namespace verity::run {

struct RetryPolicy {
  int max_retries = 3;  // sends after the first; 0 never retries
  int64_t base_delay_ms = 500;
  double multiplier = 2;
  int64_t max_delay_ms = 30000;
  /// Draws each backoff from [delay/2, delay], so clients that failed together do not retry
  /// together. Never applied to a server's Retry-After.
  bool jitter = true;
  /// A longer Retry-After is not waited for: the request fails as rate-limited instead.
  int64_t max_retry_after_ms = 120000;
};

/// Retry-After (RFC 9110 §10.2.3) in milliseconds from `now_epoch_ms`: delta-seconds ("2", "0"),
/// or an HTTP-date in any of its three forms, IMF-fixdate "Wed, 21 Oct 2015 07:28:00 GMT", RFC 850
/// "Wednesday, 21-Oct-15 07:28:00 GMT" and asctime "Wed Oct 21 07:28:00 2015" (RFC 9110 §5.6.7). A
/// date in the past gives 0; anything else gives nullopt.
std::optional<int64_t> ParseRetryAfter(std::string_view value, int64_t now_epoch_ms);

/// GET HEAD OPTIONS PUT DELETE TRACE (RFC 9110 §9.2.2), in any case.
bool IsIdempotent(std::string_view method);

struct RetryDecision {
  bool retry = false;
  int64_t delay_ms = 0;  // before the next send, when `retry`
  /// For the log and the step's result: "429 Retry-After 2 s", "503, backoff 1000 ms",
  /// "TIMEOUT, backoff 500 ms", "connection reset, backoff 500 ms", or why a candidate is not
  /// retried ("TIMEOUT, not retried: POST is not idempotent"). Empty for a status that is never
  /// retried (200, 404, 500, ...). Never quotes the transport's message, which may name a URL
  /// with a token in it.
  std::string reason;
  /// The delay is the server's Retry-After, which holds for every request to it: the executor
  /// pauses the rate limiter, not only this request.
  bool from_retry_after = false;
};

/// `attempt` is the number of the attempt that just ended (0 = the first send). No retry once
/// `attempt >= policy.max_retries`. A 429 or 503 waits for its Retry-After when it has a readable
/// one (no retry when it is beyond `max_retry_after_ms`), otherwise, like a timeout or a network
/// error, for base_delay_ms * multiplier^attempt capped at max_delay_ms, jittered from `random`.
RetryDecision DecideRetry(const RetryPolicy& policy, const http::HttpOutcome& outcome,
                          std::string_view method, int attempt, int64_t now_epoch_ms,
                          Random& random);

/// The backoff before retry number `attempt + 1`, before jitter: base_delay_ms * multiplier^attempt
/// capped at max_delay_ms.
int64_t BackoffDelay(const RetryPolicy& policy, int attempt);

}  // namespace verity::run
