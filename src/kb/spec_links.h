// Where the knowledge base meets the specs: does each document's endpoint exist in the spec its
// `swagger` field names (lint), and which operations have a document in which state (coverage)?
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "doc/diagnostic.h"
#include "doc/model.h"
#include "kb/knowledge_base.h"
#include "spec/catalog.h"

namespace verity::kb {

/// Warnings for documents whose `swagger` file (joined to `spec_root`) cannot be loaded
/// (SPEC_NOT_FOUND) or does not have the document's endpoint (ENDPOINT_NOT_IN_SPEC, with the
/// nearest operation of that file). Spec files are added to `catalog` as they are needed, and only
/// from inside `spec_root`: a `swagger` that leads out of it is SPEC_NOT_FOUND, never read.
void LintAgainstSpecs(const FileSystem& fs, const KnowledgeBase& kb, spec::Catalog& catalog,
                      std::string_view spec_root, std::vector<doc::Diagnostic>* out);

/// Coverage states, best first: when several recipes without a variant cover one operation, the
/// first state in this order wins (one verified recipe is enough to call an operation covered).
/// Variants (negative cases) do not make an operation covered: its state is its primaries', and
/// only when it has none is it the variants' best, with "verified" read as "pending".
inline constexpr const char* kCoverageStates[] = {"verified", "failed",     "pending",
                                                  "skipped",  "deprecated", "none"};

struct CoveredOperation {
  const spec::Operation* operation = nullptr;
  std::vector<const doc::Document*> documents;  // every recipe, primaries and variants, path order
  std::string state;                            // one of kCoverageStates
  /// Variants whose state is "failed": shown beside the operation whatever its own state, so a
  /// failing negative case is never hidden behind a verified primary.
  std::vector<const doc::Document*> failing_variants;
};

struct UnmatchedDocument {
  const doc::Document* document = nullptr;
  spec::Nearest nearest;
};

struct CoverageTotals {
  size_t operations = 0;
  std::map<std::string, size_t> by_state;  // every state present, zeros included
  size_t covered() const { return operations - by_state.at("none"); }
};

struct Coverage {
  std::vector<CoveredOperation> operations;  // catalog order
  std::vector<UnmatchedDocument> unmatched;  // documents with an endpoint that matches nothing
  std::map<std::string, CoverageTotals> by_domain;
  CoverageTotals total;
};

/// A document covers every operation its endpoint matches (templates match whatever their
/// placeholder names). A document naming a spec file covers only operations of files whose path
/// ends with that name, when any such file is in the catalog.
Coverage ComputeCoverage(const spec::Catalog& catalog, const KnowledgeBase& kb);

/// A recipe's coverage state: its status, "pending" when it has none.
std::string CoverageStateOf(const doc::Document& d);

/// `verity coverage --json` shape.
Json CoverageToJson(const Coverage& coverage);

}  // namespace verity::kb
