// `verity kb lint`: the rules a workflow document must follow, on top of what parsing found.
// Every rule has a stable code; docs/workflow-format.md lists them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "doc/diagnostic.h"
#include "kb/knowledge_base.h"

namespace verity::kb {

struct LintOptions {
  /// Variables that exist without any step extracting them (environment params). Added to the
  /// built-in generators and date variables (expr::BuiltinNames()).
  std::vector<std::string> known_variables = DefaultConfigVariables();
  /// The knowledge base the document belongs to, so `use:` steps count as sources of the
  /// variables the used document extracts. Lint() sets it.
  const KnowledgeBase* kb = nullptr;
  /// Per document, parse diagnostics included; the first past it becomes one DIAGNOSTIC_LIMIT.
  size_t max_diagnostics = doc::ParseOptions{}.max_diagnostics;

  static std::vector<std::string> DefaultConfigVariables();
};

/// Parse diagnostics plus rule diagnostics of every document, plus cross-document ones (duplicate
/// endpoints), sorted by file and position.
std::vector<doc::Diagnostic> Lint(const KnowledgeBase& kb, const LintOptions& options = {});

/// The rules for one document alone (no cross-document checks). `root` is the folder the document
/// was found under, for the folder/domain convention; empty to skip that check.
void LintDocument(const doc::Document& d, std::string_view root, const LintOptions& options,
                  std::vector<doc::Diagnostic>* out);

}  // namespace verity::kb
