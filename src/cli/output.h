// Printing shared by several commands.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/context.h"
#include "doc/diagnostic.h"
#include "kb/filters.h"
#include "kb/knowledge_base.h"

namespace CLI {
class App;
}

namespace verity::cli {

/// Loads the knowledge base or reports why not (exit code set in ctx).
std::optional<kb::KnowledgeBase> LoadOrReport(Context& ctx, const std::vector<std::string>& paths);

void PrintDiagnosticsText(std::ostream& out, const std::vector<doc::Diagnostic>& diagnostics);

/// Adds --domain/--status/--tag/--token options filling `filter`.
void AddFilterOptions(CLI::App& cmd, kb::DocumentFilter& filter);

/// One line per document summary object, as `kb ls --json` and `kb search --json` print it.
Json DocumentSummaryJson(const doc::Document& d);

}  // namespace verity::cli
