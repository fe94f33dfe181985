// Presets and the text form of rate limits. The limiter itself is in rate_limiter.cc.
#include <fmt/format.h>

#include <cmath>
#include <cstdlib>

#include "base/strings.h"
#include "run/rate_limit.h"

namespace verity::run {

std::string RateLimit::ToString() const {
  if (requests_per_second <= 0 && max_in_flight <= 0 && min_gap_ms <= 0)
    return preset + " (no limit)";
  return fmt::format("{} ({:g} req/s, {} in flight, {} ms gap)", preset, requests_per_second,
                     max_in_flight, min_gap_ms);
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
  return static_cast<int64_t>(std::llround(value * scale));
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

}  // namespace

Result<RateLimit> ParseRateLimit(std::string_view text, const RateLimit& base) {
  std::string_view trimmed = Trim(text);
  if (auto preset = RateLimitPreset(trimmed)) return *preset;
  RateLimit limit = base;
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
      auto number = ParseNumber(value);
      if (!number || *number != std::floor(*number)) return bad();
      limit.max_in_flight = static_cast<int>(*number);
    } else if (key == "gap" || key == "min_gap" || key == "delay") {
      auto millis = ParseMillis(value);
      if (!millis) return bad();
      limit.min_gap_ms = *millis;
    } else if (key == "burst") {
      auto number = ParseNumber(value);
      if (!number || *number < 1 || *number != std::floor(*number)) return bad();
      limit.burst = static_cast<int>(*number);
    } else {
      return Status::InvalidArgument(fmt::format(
          "rate limit \"{}\": unknown key \"{}\" (rps, in_flight, gap, burst)", text, key));
    }
  }
  return limit;
}

}  // namespace verity::run
