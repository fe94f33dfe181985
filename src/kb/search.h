// Ranked full-text search over a knowledge base, for people (`verity kb search`) and agents
// (`--json`). BM25F: each field has a weight and its own length normalisation, so a word in the
// endpoint or title counts more than the same word deep in the notes.
//
// Fields and weights: endpoint 3, title 3, tags 2.5, summary 1.5, learnings 1, known issues 1,
// notes 1 (Notes section, notes, skipReason, expectedOutcomeReason), facts 1 (domain, token
// types, "fallback" when the document uses the fallback API, canonical status).
// Words are lower-cased ASCII alphanumerics; a trailing plural "s" is dropped ("packages" finds
// "package"); a few English stop words are ignored.
//
// Thread-safety: a built SearchIndex is immutable; Search() may run concurrently.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kb/filters.h"
#include "kb/knowledge_base.h"

namespace verity::kb {

struct SearchHit {
  size_t document;  // index into KnowledgeBase::documents
  double score;
  std::vector<std::string> matched;  // query terms that matched, in query order
};

class SearchIndex {
 public:
  /// Indexes `kb`, which must outlive the index.
  explicit SearchIndex(const KnowledgeBase& kb);

  /// Best first; ties broken by endpoint so results are deterministic.
  std::vector<SearchHit> Search(std::string_view query, size_t limit,
                                const DocumentFilter& filter = {}) const;

  size_t term_count() const { return postings_.size(); }

 private:
  struct Posting {
    uint32_t document;
    float weight;  // length-normalised, field-weighted term frequency
  };
  const KnowledgeBase& kb_;
  std::unordered_map<std::string, std::vector<Posting>> postings_;
};

/// The normalised terms of a text, in order (exposed for tests).
std::vector<std::string> Tokenize(std::string_view text);

/// A short plain summary for result lists: the Summary section's first paragraph.
std::string SummaryExcerpt(const doc::Document& d, size_t max_chars = 160);

}  // namespace verity::kb
