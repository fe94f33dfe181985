// index.json: the knowledge base's table of contents in the form existing knowledge bases and
// their readers already use (docs/workflow-format.md): {version, lastUpdated, workflows, byDomain,
// byTag}. Output is
// deterministic: keys sorted, and lastUpdated is the newest savedAt/verifiedAt in the knowledge
// base rather than the wall clock, so regenerating an unchanged knowledge base changes nothing.
#pragma once

#include <string>

#include "base/json.h"
#include "kb/knowledge_base.h"

namespace verity::kb {

/// `root` is the folder entry `file` paths are made relative to.
Json BuildIndex(const KnowledgeBase& kb, const std::string& root);

/// Statuses a run should treat as success: expectedOutcome, else the first Test Request step's
/// expect.status, else [200].
std::vector<int> ExpectedStatuses(const doc::Document& d);

}  // namespace verity::kb
