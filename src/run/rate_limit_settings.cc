// Presets and the text form of rate limits. The limiter itself is in rate_limiter.cc.
#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <limits>

#include "base/strings.h"
#include "run/rate_limit.h"

namespace verity::run {

std::string RateLimit::ToString() const {
  if (requests_per_second <= 0 && max_in_flight <= 0 && min_gap_ms <= 0)
    return preset + " (no limit)";
  // 0 means no limit, so "0 in flight" would read as "nothing may run".
  std::string rate =
      requests_per_second > 0 ? fmt::format("{:g} req/s", requests_per_second) : "unlimited req/s";
  if (requests_per_second > 0 && burst > 1) rate += fmt::format(", burst {}", burst);
  std::string in_flight =
      max_in_flight > 0 ? fmt::format("{} in flight", max_in_flight) : "unlimited in flight";
  std::string gap = min_gap_ms > 0 ? fmt::format("{} ms gap", min_gap_ms) : "no gap";
  return fmt::format("{} ({}, {}, {})", preset, rate, in_flight, gap);
}

std::optional<double> RateLimit::EffectiveRequestsPerSecond() const {
  std::optional<double> rate;
  if (requests_per_second > 0) rate = requests_per_second;
  if (min_gap_ms > 0) {
    double by_gap = 1000.0 / static_cast<double>(min_gap_ms);
    if (!rate || by_gap < *rate) rate = by_gap;
  }
  return rate;
}

std::string RateLimit::EffectiveText() const {
  std::optional<double> rate = EffectiveRequestsPerSecond();
  return rate ? fmt::format("at most {:g} requests/s", *rate) : "no limit on requests/s";
}

std::optional<RateLimit> RateLimitPreset(std::string_view name) {
  if (name == "conservative") return RateLimit{2, 1, 500, 1, "conservative"};
  if (name == "normal") return RateLimit{5, 3, 200, 1, "normal"};
  if (name == "aggressive") return RateLimit{20, 10, 50, 1, "aggressive"};
  if (name == "sequential") return RateLimit{1, 1, 1000, 1, "sequential"};
  if (name == "off" || name == "none") return RateLimit{0, 0, 0, 1, "off"};
  return std::nullopt;
}

namespace {

// "100ms", "0.5s", "100" (milliseconds).
std::optional<int64_t> ParseMillis(std::string_view text) {
  double scale = 1;
  if (text.ends_with("ms")) {
    text.remove_suffix(2);
  } else if (text.ends_with("s")) {
    text.remove_suffix(1);
    scale = 1000;
  }
  std::string copy(text);
  char* end = nullptr;
  double value = std::strtod(copy.c_str(), &end);
  if (copy.empty() || end != copy.c_str() + copy.size() || !(value >= 0) || !std::isfinite(value)) {
    return std::nullopt;
  }
  value *= scale;
  // llround of a value beyond int64_t is unspecified; 2^53 ms is still exact in a double.
  if (value > 9007199254740992.0) return std::nullopt;
  return static_cast<int64_t>(std::llround(value));
}

std::optional<double> ParseNumber(std::string_view text) {
  std::string copy(text);
  char* end = nullptr;
  double value = std::strtod(copy.c_str(), &end);
  if (copy.empty() || end != copy.c_str() + copy.size() || !(value >= 0) || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

// A whole number that fits an int: casting a larger double to int is undefined.
std::optional<int> ParseCount(std::string_view text) {
  auto number = ParseNumber(text);
  if (!number || *number != std::floor(*number) || *number > std::numeric_limits<int>::max()) {
    return std::nullopt;
  }
  return static_cast<int>(*number);
}

}  // namespace

Result<RateLimit> ParseRateLimit(std::string_view text, const RateLimit& base) {
  std::string_view trimmed = Trim(text);
  if (auto preset = RateLimitPreset(trimmed)) return *preset;
  RateLimit limit = base;
  // A preset's gap belongs to its rate: kept under "rps=500" it would cap that at the preset's
  // rate (200 ms: 5 a second). A gap someone wrote in a custom limit stays.
  if (base.preset != "custom") limit.min_gap_ms = 0;
  limit.preset = "custom";
  if (trimmed.empty()) {
    return Status::InvalidArgument(
        "empty rate limit: use a preset (conservative, normal, "
        "aggressive, sequential, off) or rps=N,in_flight=N,gap=Nms");
  }
  for (std::string_view item : Split(trimmed, ',')) {
    item = Trim(item);
    size_t eq = item.find('=');
    if (eq == std::string_view::npos) {
      return Status::InvalidArgument(fmt::format(
          "rate limit \"{}\": \"{}\" is neither a preset (conservative, normal, aggressive, "
          "sequential, off) nor key=value",
          text, item));
    }
    std::string_view key = Trim(item.substr(0, eq));
    std::string_view value = Trim(item.substr(eq + 1));
    auto bad = [&] {
      return Status::InvalidArgument(
          fmt::format("rate limit \"{}\": bad value \"{}\" for {}", text, value, key));
    };
    if (key == "rps" || key == "requests_per_second") {
      auto number = ParseNumber(value);
      if (!number) return bad();
      limit.requests_per_second = *number;
    } else if (key == "in_flight" || key == "max_in_flight" || key == "concurrency") {
      auto number = ParseCount(value);
      if (!number) return bad();
      limit.max_in_flight = *number;
    } else if (key == "gap" || key == "min_gap" || key == "delay") {
      auto millis = ParseMillis(value);
      if (!millis) return bad();
      limit.min_gap_ms = *millis;
    } else if (key == "burst") {
      auto number = ParseCount(value);
      if (!number || *number < 1) return bad();
      limit.burst = *number;
    } else {
      return Status::InvalidArgument(fmt::format(
          "rate limit \"{}\": unknown key \"{}\" (rps, in_flight, gap, burst)", text, key));
    }
  }
  return limit;
}

}  // namespace verity::run
