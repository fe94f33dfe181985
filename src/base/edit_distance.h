// "Did you mean …?" suggestions for unknown keys and names.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace verity {

/// Levenshtein distance, case-insensitive (ASCII).
size_t EditDistance(std::string_view a, std::string_view b);

/// The candidate closest to `word`, however far (the first of the closest), or "" when there are
/// none: for naming the valid choices next to a value that matches nothing.
std::string NearestMatch(std::string_view word, const std::vector<std::string_view>& candidates);

/// The closest candidate within a small distance of `word`, or "" when none is close enough.
std::string ClosestMatch(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace verity
