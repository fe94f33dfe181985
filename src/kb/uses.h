// `use:` steps: a step may run another knowledge-base document (its prerequisites and test request)
// and import the variables it extracts, so the many recipes that first "fetch a client" share one
// verified recipe instead of copying its steps. Resolution is explicit: only a step that says
// `use:` runs another document. Looking one up implicitly (by endpoint) could find the document
// itself and run its own prerequisites a second time.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "doc/diagnostic.h"
#include "kb/knowledge_base.h"

namespace verity::kb {

/// The recipes a `use:` endpoint could mean. `primaries` are the recipes without a variant whose
/// frontmatter endpoint is exactly that text, else those with the same method and the same path
/// whatever its placeholder names ("{uid}" and "{client_package_uid}" are the same slot), in path
/// order. `variants` are the recipes with a variant for the same method and path shape: a `use:`
/// never runs one (a negative case is not a way to obtain data), but lint names them.
struct UseCandidates {
  std::vector<const doc::Document*> primaries;
  std::vector<const doc::Document*> variants;
};
UseCandidates FindUseCandidates(const KnowledgeBase& kb, std::string_view endpoint);

/// The document a `use:` endpoint runs: the first of its primaries in path order (lint reports
/// USE_AMBIGUOUS when there are several), nullptr when there is none, even when variants of the
/// endpoint exist.
const doc::Document* ResolveUse(const KnowledgeBase& kb, std::string_view endpoint);

/// The variables running `d` through `use:` makes available: the names extracted by its
/// prerequisites and test request, and those of the documents they `use:` in turn.
std::vector<std::string> ExportedVariables(const KnowledgeBase& kb, const doc::Document& d);

/// The chain of endpoints that leads from `d` back to itself through `use:` steps
/// ("GET /a", "POST /b", "GET /a"), or empty when there is no cycle through `d`.
std::vector<std::string> FindUseCycle(const KnowledgeBase& kb, const doc::Document& d);

/// USE_NOT_FOUND, USE_AMBIGUOUS and USE_CYCLE for every `use:` step of the knowledge base.
void LintUses(const KnowledgeBase& kb, std::vector<doc::Diagnostic>* out);

}  // namespace verity::kb
