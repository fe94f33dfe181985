#include "base/edit_distance.h"

#include <algorithm>
#include <cstdint>
#include <numeric>

#include "base/strings.h"

namespace verity {

size_t EditDistance(std::string_view a, std::string_view b) {
  std::string x = ToLower(a), y = ToLower(b);
  std::vector<size_t> row(y.size() + 1);
  std::iota(row.begin(), row.end(), 0);
  for (size_t i = 1; i <= x.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= y.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (x[i - 1] == y[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[y.size()];
}

std::string NearestMatch(std::string_view word, const std::vector<std::string_view>& candidates) {
  std::string best;
  size_t best_distance = SIZE_MAX;
  for (std::string_view c : candidates) {
    size_t dist = EditDistance(word, c);
    if (dist < best_distance) {
      best_distance = dist;
      best = std::string(c);
    }
  }
  return best;
}

std::string ClosestMatch(std::string_view word, const std::vector<std::string_view>& candidates) {
  // A third of the word's length, at least 1 and at most 3 edits: close enough to be a typo,
  // far enough apart not to suggest nonsense for short words.
  size_t budget = std::clamp<size_t>(word.size() / 3, 1, 3);
  std::string nearest = NearestMatch(word, candidates);
  return !nearest.empty() && EditDistance(word, nearest) <= budget ? nearest : std::string();
}

}  // namespace verity
