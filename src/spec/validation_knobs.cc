#include "spec/validation_knobs.h"

namespace verity::spec {

const char* FindingLevelName(FindingLevel level) {
  switch (level) {
    case FindingLevel::kError:
      return "error";
    case FindingLevel::kWarning:
      return "warn";
    case FindingLevel::kIgnore:
      return "ignore";
  }
  return "error";
}

std::optional<FindingLevel> ParseFindingLevel(std::string_view name) {
  if (name == "error") return FindingLevel::kError;
  if (name == "warn") return FindingLevel::kWarning;
  if (name == "ignore") return FindingLevel::kIgnore;
  return std::nullopt;
}

}  // namespace verity::spec
