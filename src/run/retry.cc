#include "run/retry.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "base/strings.h"
#include "base/timestamp.h"

namespace verity::run {

namespace {

constexpr int64_t kMillisPerDay = 86'400'000;

// RFC 9111 §1.2.2: a delta-seconds too large to represent counts as 2^31 seconds, which is still
// far beyond any max_retry_after_ms, so the answer ("too long, don't wait") stays right.
constexpr int64_t kMaxDeltaSeconds = int64_t{1} << 31;

constexpr std::array<std::string_view, 7> kDayNames = {"Mon", "Tue", "Wed", "Thu",
                                                       "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 7> kLongDayNames = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
constexpr std::array<std::string_view, 12> kMonthNames = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Reads an HTTP-date left to right. Names compare in any case: HTTP-date is case-sensitive, but
// a server that sends "GMT" as "gmt" still means the same instant, and waiting is what matters.
class DateReader {
 public:
  explicit DateReader(std::string_view text) : text_(text) {}

  bool AtEnd() const { return pos_ == text_.size(); }

  bool Literal(std::string_view literal) {
    if (!IEquals(text_.substr(pos_, literal.size()), literal)) return false;
    pos_ += literal.size();
    return true;
  }

  /// Exactly `count` digits.
  std::optional<int> Digits(size_t count) {
    if (text_.size() - pos_ < count) return std::nullopt;
    int value = 0;
    for (size_t i = 0; i < count; ++i) {
      char c = text_[pos_ + i];
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + (c - '0');
    }
    pos_ += count;
    return value;
  }

  /// The index of the name that comes next.
  template <size_t N>
  std::optional<int> OneOf(const std::array<std::string_view, N>& names) {
    for (size_t i = 0; i < N; ++i) {
      if (Literal(names[i])) return static_cast<int>(i);
    }
    return std::nullopt;
  }

  /// 1-based month.
  std::optional<int> Month() {
    auto index = OneOf(kMonthNames);
    return index ? std::optional<int>(*index + 1) : std::nullopt;
  }

  /// hour ":" minute ":" second, as milliseconds into the day.
  std::optional<int64_t> TimeOfDay() {
    auto hour = Digits(2);
    if (!hour || !Literal(":")) return std::nullopt;
    auto minute = Digits(2);
    if (!minute || !Literal(":")) return std::nullopt;
    auto second = Digits(2);
    // 60 is a leap second, which RFC 5322's grammar (IMF-fixdate's source) allows.
    if (!second || *hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
    return ((*hour * 60 + *minute) * 60 + *second) * int64_t{1000};
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

std::optional<int64_t> EpochMillis(int64_t year, int month, int day, int64_t time_ms) {
  if (day < 1 || static_cast<unsigned>(day) > DaysInMonth(year, static_cast<unsigned>(month))) {
    return std::nullopt;
  }
  return DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) *
             kMillisPerDay +
         time_ms;
}

// RFC 9110 §5.6.7: a two-digit year more than 50 years in the future is the most recent year in
// the past with the same last two digits. The year is taken from the 100 around now, so that near
// a century's end "05" is the coming century's rather than 95 years ago.
int64_t FullYear(int two_digits, int64_t now_epoch_ms) {
  int64_t now_year = 0;
  unsigned month = 0, day = 0;
  CivilFromDays(DaysOf(now_epoch_ms), &now_year, &month, &day);
  int64_t year = now_year - now_year % 100 + two_digits;
  if (year > now_year + 50) {
    year -= 100;
  } else if (year <= now_year - 50) {
    year += 100;
  }
  return year;
}

// "Wed, 21 Oct 2015 07:28:00 GMT"
std::optional<int64_t> ParseImfFixdate(std::string_view text) {
  DateReader r(text);
  if (!r.OneOf(kDayNames) || !r.Literal(", ")) return std::nullopt;
  auto day = r.Digits(2);
  if (!day || !r.Literal(" ")) return std::nullopt;
  auto month = r.Month();
  if (!month || !r.Literal(" ")) return std::nullopt;
  auto year = r.Digits(4);
  if (!year || !r.Literal(" ")) return std::nullopt;
  auto time = r.TimeOfDay();
  if (!time || !r.Literal(" GMT") || !r.AtEnd()) return std::nullopt;
  return EpochMillis(*year, *month, *day, *time);
}

// "Wednesday, 21-Oct-15 07:28:00 GMT"
std::optional<int64_t> ParseRfc850Date(std::string_view text, int64_t now_epoch_ms) {
  DateReader r(text);
  if (!r.OneOf(kLongDayNames) || !r.Literal(", ")) return std::nullopt;
  auto day = r.Digits(2);
  if (!day || !r.Literal("-")) return std::nullopt;
  auto month = r.Month();
  if (!month || !r.Literal("-")) return std::nullopt;
  auto year = r.Digits(2);
  if (!year || !r.Literal(" ")) return std::nullopt;
  auto time = r.TimeOfDay();
  if (!time || !r.Literal(" GMT") || !r.AtEnd()) return std::nullopt;
  return EpochMillis(FullYear(*year, now_epoch_ms), *month, *day, *time);
}

// "Wed Oct 21 07:28:00 2015", or "Wed Oct  1 07:28:00 2015" for a one-digit day.
std::optional<int64_t> ParseAsctimeDate(std::string_view text) {
  DateReader r(text);
  if (!r.OneOf(kDayNames) || !r.Literal(" ")) return std::nullopt;
  auto month = r.Month();
  if (!month || !r.Literal(" ")) return std::nullopt;
  std::optional<int> day = r.Literal(" ") ? r.Digits(1) : r.Digits(2);
  if (!day || !r.Literal(" ")) return std::nullopt;
  auto time = r.TimeOfDay();
  if (!time || !r.Literal(" ")) return std::nullopt;
  auto year = r.Digits(4);
  if (!year || !r.AtEnd()) return std::nullopt;
  return EpochMillis(*year, *month, *day, *time);
}

std::optional<int64_t> ParseDeltaSeconds(std::string_view text) {
  if (text.empty()) return std::nullopt;
  int64_t seconds = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    seconds = std::min(kMaxDeltaSeconds, seconds * 10 + (c - '0'));
  }
  return seconds * 1000;
}

// "2 s", "1.5 s": Retry-After speaks in seconds, so the reason does too.
std::string Seconds(int64_t ms) { return fmt::format("{:g} s", static_cast<double>(ms) / 1000); }

// A fixed phrase per kind of network failure: the transport's own message names the host and
// possibly a URL with a token, so it does not belong in a reason.
std::string NetworkFailure(const http::TransportError& error) {
  std::string message = ToLower(error.message);
  if (message.find("reset") != std::string::npos) return "connection reset";
  if (message.find("refused") != std::string::npos) return "connection refused";
  if (message.find("empty reply") != std::string::npos) return "empty reply";
  return http::TransportErrorCodeName(error.code);
}

bool RetriedAnyMethod(int status) { return status == 429 || status == 503; }

}  // namespace

std::optional<int64_t> ParseRetryAfter(std::string_view value, int64_t now_epoch_ms) {
  value = Trim(value);
  if (auto delta = ParseDeltaSeconds(value)) return delta;
  std::optional<int64_t> date = ParseImfFixdate(value);
  if (!date) date = ParseRfc850Date(value, now_epoch_ms);
  if (!date) date = ParseAsctimeDate(value);
  if (!date) return std::nullopt;
  return std::max<int64_t>(0, *date - now_epoch_ms);
}

bool IsIdempotent(std::string_view method) {
  for (std::string_view m : {"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"}) {
    if (IEquals(method, m)) return true;
  }
  return false;
}

int64_t BackoffDelay(const RetryPolicy& policy, int attempt) {
  const double base = static_cast<double>(std::max<int64_t>(0, policy.base_delay_ms));
  const double cap = static_cast<double>(std::max<int64_t>(0, policy.max_delay_ms));
  // In double, and capped before converting: 500 * 2^80 does not fit an int64_t.
  double delay = base * std::pow(policy.multiplier, std::max(0, attempt));
  if (!(delay <= cap)) delay = cap;  // also catches NaN from a nonsensical multiplier
  return static_cast<int64_t>(std::llround(delay));
}

RetryDecision DecideRetry(const RetryPolicy& policy, const http::HttpOutcome& outcome,
                          std::string_view method, int attempt, int64_t now_epoch_ms,
                          Random& random) {
  RetryDecision decision;
  std::string what;  // the start of the reason: "503", "TIMEOUT", "connection reset"
  std::optional<int64_t> retry_after;
  bool unreadable_retry_after = false;

  if (outcome.ok()) {
    const http::HttpResponse& response = outcome.response();
    if (!RetriedAnyMethod(response.status)) return decision;
    what = std::to_string(response.status);
    if (auto header = response.Header("retry-after")) {
      retry_after = ParseRetryAfter(*header, now_epoch_ms);
      unreadable_retry_after = !retry_after;
    }
  } else {
    const http::TransportError& error = outcome.error();
    switch (error.code) {
      case http::TransportErrorCode::kTimeout:
        what = http::TransportErrorCodeName(error.code);
        break;
      case http::TransportErrorCode::kNetworkError:
        what = NetworkFailure(error);
        break;
      default:
        // The same request fails the same way: a certificate, a name, a size cap or a malformed
        // request does not fix itself, and a cancelled one was meant to stop.
        decision.reason =
            fmt::format("{}, never retried", http::TransportErrorCodeName(error.code));
        return decision;
    }
    // The request may have reached the server and been processed before the failure; only an
    // idempotent one may arrive twice.
    if (!IsIdempotent(method)) {
      decision.reason = fmt::format("{}, not retried: {} is not idempotent", what, method);
      return decision;
    }
  }

  if (attempt >= policy.max_retries) {
    decision.reason =
        policy.max_retries > 0
            ? fmt::format("{}, not retried: all {} retries used", what, policy.max_retries)
            : fmt::format("{}, not retried: retries are off", what);
    return decision;
  }

  if (retry_after) {
    decision.from_retry_after = true;
    if (*retry_after > policy.max_retry_after_ms) {
      decision.reason =
          fmt::format("{} Retry-After {}, not retried: longer than the {} limit", what,
                      Seconds(*retry_after), Seconds(policy.max_retry_after_ms));
      return decision;
    }
    decision.retry = true;
    decision.delay_ms = *retry_after;
    decision.reason = fmt::format("{} Retry-After {}", what, Seconds(*retry_after));
    return decision;
  }

  int64_t delay = BackoffDelay(policy, attempt);
  if (policy.jitter) {
    const int64_t low = delay / 2;
    delay = low + static_cast<int64_t>(random.Below(static_cast<uint64_t>(delay - low) + 1));
  }
  decision.retry = true;
  decision.delay_ms = delay;
  decision.reason = fmt::format("{}, backoff {} ms", what, delay);
  if (unreadable_retry_after) decision.reason += " (Retry-After not understood)";
  return decision;
}

}  // namespace verity::run
