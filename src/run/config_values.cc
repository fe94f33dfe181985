// The value forms of the run configuration: authorization schemes, durations, sizes, path globs.
#include <cmath>
#include <cstdlib>

#include "base/strings.h"
#include "run/config.h"

namespace verity::run {

const char* AuthSchemeName(AuthScheme scheme) {
  switch (scheme) {
    case AuthScheme::kBearer:
      return "bearer";
    case AuthScheme::kAdmin:
      return "admin";
    case AuthScheme::kToken:
      return "token";
  }
  return "bearer";
}

std::optional<AuthScheme> ParseAuthScheme(std::string_view name) {
  name = Trim(name);
  if (IEquals(name, "bearer")) return AuthScheme::kBearer;
  if (IEquals(name, "admin")) return AuthScheme::kAdmin;
  if (IEquals(name, "token")) return AuthScheme::kToken;
  return std::nullopt;
}

AuthScheme DefaultSchemeFor(std::string_view token_type) {
  // The original tool's convention: the API gateway reads these two from "Admin" headers.
  if (IEquals(token_type, "admin") || IEquals(token_type, "internal")) return AuthScheme::kAdmin;
  return AuthScheme::kBearer;
}

std::string AuthorizationValue(AuthScheme scheme, std::string_view token) {
  switch (scheme) {
    case AuthScheme::kBearer:
      return "Bearer " + std::string(token);
    case AuthScheme::kAdmin:
      return "Admin " + std::string(token);
    case AuthScheme::kToken:
      return "Token token=\"" + std::string(token) + "\"";
  }
  return std::string(token);
}

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

bool PathGlobMatches(std::string_view glob, std::string_view path) {
  // Greedy matching with one backtrack point: on a mismatch, the last '*' takes one more
  // character. Linear in practice, never exponential, whatever the number of stars.
  size_t g = 0, p = 0;
  size_t star = std::string_view::npos, star_p = 0;
  while (p < path.size()) {
    if (g < glob.size() && glob[g] == '*') {
      star = g++;
      star_p = p;
    } else if (g < glob.size() && glob[g] == path[p]) {
      ++g, ++p;
    } else if (star != std::string_view::npos) {
      g = star + 1;
      p = ++star_p;
    } else {
      return false;
    }
  }
  while (g < glob.size() && glob[g] == '*') ++g;
  return g == glob.size();
}

const NamedBase* Environment::BaseFor(std::string_view path) const {
  size_t query = path.find_first_of("?#");
  if (query != std::string_view::npos) path = path.substr(0, query);
  for (const NamedBase& base : bases)
    for (const std::string& glob : base.path_globs)
      if (PathGlobMatches(glob, path)) return &base;
  return nullptr;
}

}  // namespace verity::run
