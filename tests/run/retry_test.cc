#include "run/retry.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <vector>

#include "base/timestamp.h"

namespace verity::run {
namespace {

using http::HttpOutcome;
using http::HttpResponse;
using http::TransportError;
using http::TransportErrorCode;

int64_t At(std::string_view iso) { return *ParseIso8601(iso); }

HttpOutcome Response(int status, std::optional<std::string> retry_after = std::nullopt) {
  HttpResponse response;
  response.status = status;
  response.headers.emplace_back("content-type", "application/json");
  if (retry_after) response.headers.emplace_back("retry-after", *retry_after);
  return response;
}

HttpOutcome Error(TransportErrorCode code, std::string message = "") {
  return TransportError{code, std::move(message)};
}

RetryPolicy NoJitter() {
  RetryPolicy policy;
  policy.jitter = false;
  return policy;
}

// --- ParseRetryAfter ---

TEST(ParseRetryAfter, ReadsDeltaSeconds) {
  const int64_t now = At("2026-03-01T12:00:00Z");
  EXPECT_EQ(std::optional<int64_t>(2000), ParseRetryAfter("2", now));
  EXPECT_EQ(std::optional<int64_t>(0), ParseRetryAfter("0", now));
  EXPECT_EQ(std::optional<int64_t>(120000), ParseRetryAfter(" 120 ", now));
  EXPECT_EQ(std::optional<int64_t>(7000), ParseRetryAfter("007", now));
}

TEST(ParseRetryAfter, HugeDeltaSecondsCountAsTwoToTheThirtyFirst) {
  // RFC 9111 §1.2.2: too large to represent is 2^31 seconds, not an overflow.
  EXPECT_EQ(std::optional<int64_t>(2147483648000), ParseRetryAfter("99999999999999999999999", 0));
}

TEST(ParseRetryAfter, ReadsAnImfFixdate) {
  EXPECT_EQ(std::optional<int64_t>(2000),
            ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", At("2015-10-21T07:27:58Z")));
  // Milliseconds of "now" count: the date is whole seconds.
  EXPECT_EQ(std::optional<int64_t>(1750),
            ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", At("2015-10-21T07:27:58.250Z")));
}

TEST(ParseRetryAfter, ReadsAnRfc850Date) {
  EXPECT_EQ(std::optional<int64_t>(2000),
            ParseRetryAfter("Wednesday, 21-Oct-15 07:28:00 GMT", At("2015-10-21T07:27:58Z")));
}

TEST(ParseRetryAfter, ReadsAnAsctimeDate) {
  EXPECT_EQ(std::optional<int64_t>(2000),
            ParseRetryAfter("Wed Oct 21 07:28:00 2015", At("2015-10-21T07:27:58Z")));
  // A one-digit day is padded with a space.
  EXPECT_EQ(std::optional<int64_t>(60000),
            ParseRetryAfter("Thu Oct  1 07:28:00 2015", At("2015-10-01T07:27:00Z")));
}

TEST(ParseRetryAfter, Rfc850TwoDigitYearIsWithinFiftyYearsOfNow) {
  const int64_t now = At("2026-01-01T00:00:00Z");
  // 2094 would be more than 50 years ahead: it is 1994, long past.
  EXPECT_EQ(std::optional<int64_t>(0), ParseRetryAfter("Sunday, 06-Nov-94 08:49:37 GMT", now));
  EXPECT_EQ(std::optional<int64_t>(At("2027-01-01T00:00:00Z") - now),
            ParseRetryAfter("Friday, 01-Jan-27 00:00:00 GMT", now));
  // Near a century's end, "05" is the coming century's.
  const int64_t late = At("2098-12-31T00:00:00Z");
  EXPECT_EQ(std::optional<int64_t>(At("2105-01-01T00:00:00Z") - late),
            ParseRetryAfter("Thursday, 01-Jan-05 00:00:00 GMT", late));
}

TEST(ParseRetryAfter, DateInThePastIsZero) {
  EXPECT_EQ(std::optional<int64_t>(0),
            ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", At("2026-03-01T12:00:00Z")));
}

TEST(ParseRetryAfter, NamesAreReadInAnyCase) {
  EXPECT_EQ(std::optional<int64_t>(2000),
            ParseRetryAfter("WED, 21 oct 2015 07:28:00 gmt", At("2015-10-21T07:27:58Z")));
}

TEST(ParseRetryAfter, GarbageIsNotUnderstood) {
  const int64_t now = At("2015-10-21T07:27:58Z");
  for (const char* value : {
           "",
           " ",
           "soon",
           "-1",
           "+5",
           "1.5",
           "2 s",
           "2s",
           "0x10",
           "Wed, 21 Oct 2015 07:28:00",            // no zone
           "Wed, 21 Oct 2015 07:28:00 UTC",        // only GMT
           "Wed, 21 Oct 2015 07:28:00 GMT+1",      // trailing text
           "Wed, 32 Oct 2015 07:28:00 GMT",        // no such day
           "Thu, 29 Feb 2015 07:28:00 GMT",        // not a leap year
           "Wed, 21 Oct 2015 24:00:00 GMT",        // no such hour
           "Wed, 21 Oct 2015 07:60:00 GMT",        // no such minute
           "Wed, 21 Okt 2015 07:28:00 GMT",        // no such month
           "Wed, 1 Oct 2015 07:28:00 GMT",         // IMF-fixdate days have two digits
           "Wed 21 Oct 2015 07:28:00 GMT",         // comma missing
           "Wednesday, 21-Oct-2015 07:28:00 GMT",  // RFC 850 years have two digits
           "Wed Oct 21 07:28:00 15",               // asctime years have four
           "2015-10-21T07:28:00Z",                 // ISO 8601 is not an HTTP-date
       }) {
    EXPECT_EQ(std::nullopt, ParseRetryAfter(value, now)) << value;
  }
}

// --- IsIdempotent ---

TEST(RetryIdempotentMethods, AreTheOnesRfc9110Names) {
  for (const char* method : {"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE", "get", "Put"}) {
    EXPECT_TRUE(IsIdempotent(method)) << method;
  }
  for (const char* method : {"POST", "PATCH", "CONNECT", "post", "", "GETS", "GE"}) {
    EXPECT_FALSE(IsIdempotent(method)) << method;
  }
}

// --- Backoff ---

TEST(RetryBackoff, DoublesFromTheBaseUpToTheCap) {
  RetryPolicy policy = NoJitter();
  policy.max_retries = 10;
  SeededRandom random(1);
  std::vector<int64_t> delays;
  for (int attempt = 0; attempt < 8; ++attempt) {
    RetryDecision d = DecideRetry(policy, Response(503), "GET", attempt, 0, random);
    ASSERT_TRUE(d.retry) << attempt;
    EXPECT_FALSE(d.from_retry_after);
    delays.push_back(d.delay_ms);
  }
  EXPECT_EQ((std::vector<int64_t>{500, 1000, 2000, 4000, 8000, 16000, 30000, 30000}), delays);
}

TEST(RetryBackoff, FollowsThePolicysBaseAndMultiplier) {
  RetryPolicy policy = NoJitter();
  policy.base_delay_ms = 100;
  policy.multiplier = 3;
  policy.max_delay_ms = 1000;
  EXPECT_EQ(100, BackoffDelay(policy, 0));
  EXPECT_EQ(300, BackoffDelay(policy, 1));
  EXPECT_EQ(900, BackoffDelay(policy, 2));
  EXPECT_EQ(1000, BackoffDelay(policy, 3));
}

TEST(RetryBackoff, HugeAttemptStaysAtTheCap) {
  RetryPolicy policy;
  EXPECT_EQ(30000, BackoffDelay(policy, 1000));
  EXPECT_EQ(30000, BackoffDelay(policy, std::numeric_limits<int>::max()));
}

TEST(RetryBackoff, JitterStaysBetweenHalfAndTheFullDelay) {
  RetryPolicy policy;
  policy.max_retries = 10;
  SeededRandom random(42);
  for (int attempt = 0; attempt < 8; ++attempt) {
    const int64_t full = BackoffDelay(policy, attempt);
    int64_t lowest = full, highest = 0;
    for (int i = 0; i < 2000; ++i) {
      RetryDecision d = DecideRetry(policy, Response(429), "POST", attempt, 0, random);
      ASSERT_TRUE(d.retry);
      ASSERT_GE(d.delay_ms, full / 2) << attempt;
      ASSERT_LE(d.delay_ms, full) << attempt;
      lowest = std::min(lowest, d.delay_ms);
      highest = std::max(highest, d.delay_ms);
    }
    // The draws cover the range rather than sitting in one spot.
    EXPECT_LE(lowest, full / 2 + full / 50) << attempt;
    EXPECT_GE(highest, full - full / 50) << attempt;
  }
}

TEST(RetryBackoff, JitterFollowsTheSeed) {
  RetryPolicy policy;
  SeededRandom a(7), b(7);
  for (int attempt = 0; attempt < 3; ++attempt) {
    EXPECT_EQ(DecideRetry(policy, Response(503), "GET", attempt, 0, a).delay_ms,
              DecideRetry(policy, Response(503), "GET", attempt, 0, b).delay_ms);
  }
}

// --- DecideRetry ---

TEST(DecideRetry, RateLimitedWaitsForRetryAfter) {
  SeededRandom random(1);
  RetryDecision d = DecideRetry(RetryPolicy{}, Response(429, "2"), "GET", 0, 0, random);
  EXPECT_TRUE(d.retry);
  EXPECT_EQ(2000, d.delay_ms);  // not jittered: it is the server's instruction
  EXPECT_TRUE(d.from_retry_after);
  EXPECT_EQ("429 Retry-After 2 s", d.reason);
}

TEST(DecideRetry, RetryAfterAsADate) {
  SeededRandom random(1);
  const int64_t now = At("2015-10-21T07:27:58.500Z");
  RetryDecision d = DecideRetry(RetryPolicy{}, Response(503, "Wed, 21 Oct 2015 07:28:00 GMT"),
                                "POST", 0, now, random);
  EXPECT_TRUE(d.retry);
  EXPECT_EQ(1500, d.delay_ms);
  EXPECT_TRUE(d.from_retry_after);
  EXPECT_EQ("503 Retry-After 1.5 s", d.reason);
}

TEST(DecideRetry, RetryAfterZeroRetriesAtOnce) {
  SeededRandom random(1);
  RetryDecision d = DecideRetry(RetryPolicy{}, Response(429, "0"), "GET", 0, 0, random);
  EXPECT_TRUE(d.retry);
  EXPECT_EQ(0, d.delay_ms);
  EXPECT_EQ("429 Retry-After 0 s", d.reason);
}

TEST(DecideRetry, RetryAfterBeyondTheLimitIsNotWaitedFor) {
  SeededRandom random(1);
  RetryDecision d = DecideRetry(RetryPolicy{}, Response(429, "300"), "GET", 0, 0, random);
  EXPECT_FALSE(d.retry);
  EXPECT_EQ(0, d.delay_ms);
  EXPECT_TRUE(d.from_retry_after);
  EXPECT_EQ("429 Retry-After 300 s, not retried: longer than the 120 s limit", d.reason);

  RetryDecision at_limit = DecideRetry(RetryPolicy{}, Response(429, "120"), "GET", 0, 0, random);
  EXPECT_TRUE(at_limit.retry);
  EXPECT_EQ(120000, at_limit.delay_ms);
}

TEST(DecideRetry, UnreadableRetryAfterFallsBackToBackoff) {
  SeededRandom random(1);
  RetryDecision d = DecideRetry(NoJitter(), Response(429, "in a while"), "GET", 1, 0, random);
  EXPECT_TRUE(d.retry);
  EXPECT_EQ(1000, d.delay_ms);
  EXPECT_FALSE(d.from_retry_after);
  EXPECT_EQ("429, backoff 1000 ms (Retry-After not understood)", d.reason);
}

TEST(DecideRetry, ServiceUnavailableWithoutRetryAfterBacksOff) {
  SeededRandom random(1);
  RetryDecision d = DecideRetry(NoJitter(), Response(503), "GET", 1, 0, random);
  EXPECT_TRUE(d.retry);
  EXPECT_EQ(1000, d.delay_ms);
  EXPECT_EQ("503, backoff 1000 ms", d.reason);
}

TEST(DecideRetry, PostIsRetriedOn429And503) {
  SeededRandom random(1);
  for (int status : {429, 503}) {
    EXPECT_TRUE(DecideRetry(NoJitter(), Response(status), "POST", 0, 0, random).retry) << status;
    EXPECT_TRUE(DecideRetry(NoJitter(), Response(status), "PATCH", 0, 0, random).retry) << status;
  }
}

TEST(DecideRetry, PostIsNotRetriedOnTimeoutOrNetworkError) {
  SeededRandom random(1);
  RetryDecision timeout =
      DecideRetry(NoJitter(), Error(TransportErrorCode::kTimeout), "POST", 0, 0, random);
  EXPECT_FALSE(timeout.retry);
  EXPECT_EQ("TIMEOUT, not retried: POST is not idempotent", timeout.reason);
  RetryDecision reset = DecideRetry(
      NoJitter(),
      Error(TransportErrorCode::kNetworkError, "Recv failure: Connection reset by peer"), "PATCH",
      0, 0, random);
  EXPECT_FALSE(reset.retry);
  EXPECT_EQ("connection reset, not retried: PATCH is not idempotent", reset.reason);
}

TEST(DecideRetry, IdempotentMethodIsRetriedOnTimeout) {
  SeededRandom random(1);
  for (const char* method : {"GET", "PUT", "DELETE", "head"}) {
    RetryDecision d =
        DecideRetry(NoJitter(), Error(TransportErrorCode::kTimeout), method, 0, 0, random);
    EXPECT_TRUE(d.retry) << method;
    EXPECT_EQ(500, d.delay_ms);
    EXPECT_EQ("TIMEOUT, backoff 500 ms", d.reason);
  }
}

TEST(DecideRetry, NetworkErrorReasonSaysWhatBrokeWithoutQuotingTheMessage) {
  SeededRandom random(1);
  const struct {
    const char* message;
    const char* reason;
  } cases[] = {
      {"Recv failure: Connection reset by peer", "connection reset, backoff 500 ms"},
      {"Failed to connect to api.example.com port 443: Connection refused",
       "connection refused, backoff 500 ms"},
      {"Empty reply from server", "empty reply, backoff 500 ms"},
      {"https://api.example.com/?token=s3cret: HTTP/2 stream 1 was not closed cleanly",
       "NETWORK_ERROR, backoff 500 ms"},
  };
  for (const auto& c : cases) {
    RetryDecision d = DecideRetry(NoJitter(), Error(TransportErrorCode::kNetworkError, c.message),
                                  "GET", 0, 0, random);
    EXPECT_TRUE(d.retry) << c.message;
    EXPECT_EQ(c.reason, d.reason);
  }
}

TEST(DecideRetry, MaxRetriesIsRespected) {
  RetryPolicy policy = NoJitter();
  policy.max_retries = 2;
  SeededRandom random(1);
  EXPECT_TRUE(DecideRetry(policy, Response(503), "GET", 0, 0, random).retry);
  EXPECT_TRUE(DecideRetry(policy, Response(503), "GET", 1, 0, random).retry);
  RetryDecision last = DecideRetry(policy, Response(503), "GET", 2, 0, random);
  EXPECT_FALSE(last.retry);
  EXPECT_EQ("503, not retried: all 2 retries used", last.reason);
  EXPECT_FALSE(DecideRetry(policy, Response(429, "1"), "GET", 2, 0, random).retry);
  EXPECT_FALSE(DecideRetry(policy, Error(TransportErrorCode::kTimeout), "GET", 5, 0, random).retry);
}

TEST(DecideRetry, ZeroMaxRetriesNeverRetries) {
  RetryPolicy policy;
  policy.max_retries = 0;
  SeededRandom random(1);
  RetryDecision d = DecideRetry(policy, Response(429, "1"), "GET", 0, 0, random);
  EXPECT_FALSE(d.retry);
  EXPECT_EQ("429, not retried: retries are off", d.reason);
}

TEST(DecideRetry, TlsAndOtherPermanentFailuresAreNeverRetried) {
  SeededRandom random(1);
  const struct {
    TransportErrorCode code;
    const char* reason;
  } cases[] = {
      {TransportErrorCode::kTlsError, "TLS_ERROR, never retried"},
      {TransportErrorCode::kDnsError, "DNS_ERROR, never retried"},
      {TransportErrorCode::kTooLarge, "TOO_LARGE, never retried"},
      {TransportErrorCode::kCancelled, "CANCELLED, never retried"},
      {TransportErrorCode::kInvalidRequest, "INVALID_REQUEST, never retried"},
  };
  for (const auto& c : cases) {
    RetryDecision d =
        DecideRetry(RetryPolicy{}, Error(c.code, "connection reset"), "GET", 0, 0, random);
    EXPECT_FALSE(d.retry) << c.reason;
    EXPECT_EQ(0, d.delay_ms);
    EXPECT_EQ(c.reason, d.reason);
  }
}

TEST(DecideRetry, OtherStatusesAreNotRetried) {
  SeededRandom random(1);
  for (int status : {200, 201, 204, 301, 400, 401, 404, 409, 500, 502, 504}) {
    RetryDecision d = DecideRetry(RetryPolicy{}, Response(status, "1"), "GET", 0, 0, random);
    EXPECT_FALSE(d.retry) << status;
    EXPECT_FALSE(d.from_retry_after) << status;
    EXPECT_EQ("", d.reason) << status;
  }
}

}  // namespace
}  // namespace verity::run
