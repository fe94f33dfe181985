#include "base/units.h"

#include <cmath>
#include <cstdlib>
#include <string>

#include "base/strings.h"

namespace verity {

namespace {

// A non-negative decimal ("30", "1.5"), the unit that follows it, and the number's value.
bool SplitNumber(std::string_view text, double* value, std::string_view* unit, bool* integral) {
  size_t i = 0, digits = 0;
  bool dot = false;
  while (i < text.size() && ((text[i] >= '0' && text[i] <= '9') || (text[i] == '.' && !dot))) {
    if (text[i] == '.')
      dot = true;
    else
      ++digits;
    ++i;
  }
  if (digits == 0) return false;
  std::string number(text.substr(0, i));
  char* end = nullptr;
  *value = std::strtod(number.c_str(), &end);
  if (end != number.c_str() + number.size() || !std::isfinite(*value)) return false;
  *unit = Trim(text.substr(i));
  *integral = !dot;
  return true;
}

// Larger than any timeout or size anyone means, small enough that int64 arithmetic stays exact.
constexpr double kMaxMagnitude = 1e15;

}  // namespace

std::optional<int64_t> ParseDurationMs(std::string_view text) {
  double value = 0;
  std::string_view unit;
  bool integral = false;
  if (!SplitNumber(Trim(text), &value, &unit, &integral)) return std::nullopt;
  double scale;
  if (unit.empty()) {
    if (!integral) return std::nullopt;  // "1.5" could be seconds or milliseconds: say which
    scale = 1;
  } else if (unit == "ms") {
    scale = 1;
  } else if (unit == "s") {
    scale = 1000;
  } else if (unit == "m") {
    scale = 60'000;
  } else if (unit == "h") {
    scale = 3'600'000;
  } else {
    return std::nullopt;
  }
  double ms = value * scale;
  if (ms > kMaxMagnitude) return std::nullopt;
  return static_cast<int64_t>(std::llround(ms));
}

std::optional<uint64_t> ParseByteSize(std::string_view text) {
  double value = 0;
  std::string_view unit;
  bool integral = false;
  if (!SplitNumber(Trim(text), &value, &unit, &integral)) return std::nullopt;
  double scale;
  if (unit.empty() || unit == "B") {
    if (!integral) return std::nullopt;
    scale = 1;
  } else if (unit == "KiB") {
    scale = 1024.0;
  } else if (unit == "MiB") {
    scale = 1024.0 * 1024;
  } else if (unit == "GiB") {
    scale = 1024.0 * 1024 * 1024;
  } else {
    return std::nullopt;
  }
  double bytes = value * scale;
  if (bytes > kMaxMagnitude) return std::nullopt;
  return static_cast<uint64_t>(std::llround(bytes));
}

}  // namespace verity
