// Synthetic workflow documents for the knowledge-base benchmark. The shape follows the vcita corpus
// (285 documents): the same nine domains and their proportions, the same frontmatter fields at
// about the same frequencies, the same section mix (Summary, Prerequisites with 0-3 steps, Test
// Request with 1-2 steps, and now and then Authentication, Parameters Reference, Response Codes,
// Critical Learnings, Known Issues, Notes, ...), `{{name}}` templates, and a similar size
// distribution (median about 1 KB, a tail to about 8 KB). Words come from the corpus's vocabulary,
// picked with a skew so common words are common. Everything is deterministic for a given seed: the
// random numbers come from splitmix64, not from <random>'s implementation-defined distributions.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace verity::bench {

/// splitmix64: tiny, fast, and the same sequence everywhere.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next();
  /// Uniform in [0, n); n > 0.
  size_t Below(size_t n) { return static_cast<size_t>(Next() % n); }
  /// Uniform in [lo, hi].
  size_t Between(size_t lo, size_t hi) { return lo + Below(hi - lo + 1); }
  /// Uniform in [0, 1).
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Unit() < p; }
  /// Skewed towards the front: index i is picked about as often as a Zipf-like law would.
  size_t Skewed(size_t n) {
    double u = Unit();
    return std::min(n - 1, static_cast<size_t>(static_cast<double>(n) * u * u * u));
  }
  template <typename C>
  const auto& Pick(const C& c) {
    return c[Below(std::size(c))];
  }

 private:
  uint64_t state_;
};

struct SyntheticDoc {
  std::string path;      // relative to the knowledge-base root: "<domain>/<conventional name>.md"
  std::string endpoint;  // "GET /platform/v1/clients/{client_uid}"
  std::string domain;
  std::string title;
  std::vector<std::string> tags;
  std::string summary;  // the Summary section's first sentence
  std::string text;     // the whole document
};

/// Produces distinct documents one at a time (endpoints and file names never repeat).
class CorpusGenerator {
 public:
  explicit CorpusGenerator(uint64_t seed) : rng_(seed) {}
  SyntheticDoc Next();

 private:
  Rng rng_;
  std::unordered_set<std::string> endpoints_;
  std::unordered_set<std::string> files_;
};

/// A word of the corpus's prose vocabulary, common words more often.
std::string_view RandomProseWord(Rng& rng);

/// Realistic search queries: words from the documents' titles, tags and summaries, mixed with
/// random vocabulary words (and now and then a word no document has).
struct QuerySource {
  std::string title;
  std::vector<std::string> tags;
  std::string summary;
};
std::vector<std::string> MakeQueries(const std::vector<QuerySource>& docs, size_t count,
                                     uint64_t seed);

}  // namespace verity::bench
