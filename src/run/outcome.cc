#include "run/outcome.h"

#include <array>

namespace verity::run {

namespace {
constexpr std::array<const char*, 5> kNames = {"PASS", "SKIP", "WARN", "ERROR", "FAIL"};
}  // namespace

const char* OutcomeName(Outcome outcome) { return kNames[static_cast<size_t>(outcome)]; }

std::optional<Outcome> ParseOutcome(std::string_view name) {
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (name == kNames[i]) return static_cast<Outcome>(i);
  }
  return std::nullopt;
}

Outcome Worse(Outcome a, Outcome b) { return static_cast<int>(a) >= static_cast<int>(b) ? a : b; }

}  // namespace verity::run
