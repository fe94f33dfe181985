#include "base/glob.h"

namespace verity {

bool GlobMatches(std::string_view glob, std::string_view text) {
  size_t first_star = glob.find('*');
  if (first_star == std::string_view::npos) return glob == text;
  // The literal runs before the first star and after the last one are anchored; the ones between
  // are found left to right in what remains.
  std::string_view prefix = glob.substr(0, first_star);
  size_t last_star = glob.rfind('*');
  std::string_view suffix = glob.substr(last_star + 1);
  if (text.size() < prefix.size() + suffix.size()) return false;
  if (!text.starts_with(prefix) || !text.ends_with(suffix)) return false;
  std::string_view rest = text.substr(prefix.size(), text.size() - prefix.size() - suffix.size());
  std::string_view middle = glob.substr(first_star + 1, last_star - first_star);
  size_t at = 0;
  while (!middle.empty()) {
    size_t star = middle.find('*');
    std::string_view part = middle.substr(0, star);
    middle = star == std::string_view::npos ? std::string_view() : middle.substr(star + 1);
    if (part.empty()) continue;
    size_t found = rest.find(part, at);
    if (found == std::string_view::npos) return false;
    at = found + part.size();
  }
  return true;
}

}  // namespace verity
