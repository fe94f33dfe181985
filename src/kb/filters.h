// Selecting documents by domain, status, tag and token: shared by `kb ls` and `kb search`.
#pragma once

#include <string>
#include <vector>

#include "doc/model.h"

namespace verity::kb {

/// Each list is an OR of values; lists combine with AND. Empty lists match everything. Status
/// matches the canonical status or the raw text; tags and tokens match case-insensitively, tokens
/// against the frontmatter and every step's token.
struct DocumentFilter {
  std::vector<std::string> domains;
  std::vector<std::string> statuses;
  std::vector<std::string> tags;
  std::vector<std::string> tokens;

  bool Matches(const doc::Document& d) const;
};

}  // namespace verity::kb
