#include "cli/output.h"

#include <CLI/CLI.hpp>

#include "doc/status_vocabulary.h"
#include "kb/search.h"

namespace verity::cli {

std::optional<kb::KnowledgeBase> LoadOrReport(Context& ctx, const std::vector<std::string>& paths) {
  Result<kb::KnowledgeBase> kb = kb::LoadKnowledgeBase(ctx.fs, paths);
  if (!kb.ok()) {
    ctx.exit_code = ReportFailure(ctx, kb.status());
    return std::nullopt;
  }
  return std::move(kb).value();
}

void PrintDiagnosticsText(std::ostream& out, const std::vector<doc::Diagnostic>& diagnostics) {
  for (const doc::Diagnostic& d : diagnostics) out << doc::FormatDiagnostic(d) << "\n";
}

void AddFilterOptions(CLI::App& cmd, kb::DocumentFilter& filter) {
  cmd.add_option("--domain", filter.domains, "Only documents of this domain (repeatable)");
  cmd.add_option("--status", filter.statuses,
                 "Only documents with this status: verified, pending, failed, skipped, deprecated");
  cmd.add_option("--tag", filter.tags, "Only documents with this tag (repeatable)");
  cmd.add_option("--token", filter.tokens, "Only documents using this token type (repeatable)");
}

Json DocumentSummaryJson(const doc::Document& d) {
  const doc::Frontmatter& fm = d.frontmatter;
  Json j;
  j["endpoint"] = fm.endpoint;
  j["method"] = fm.method;
  j["path"] = fm.path;
  j["variant"] = fm.variant.empty() ? Json(nullptr) : Json(fm.variant);
  j["domain"] = fm.domain;
  j["status"] = fm.status ? Json(doc::StatusName(*fm.status)) : Json(nullptr);
  j["rawStatus"] = fm.raw_status;
  j["title"] = d.title ? Json(*d.title) : Json(nullptr);
  j["tags"] = fm.tags;
  j["tokens"] = fm.tokens;
  j["useFallbackApi"] = fm.use_fallback_api.value_or(false);
  j["verifiedAt"] = fm.verified_at ? Json(fm.verified_at->text) : Json(nullptr);
  j["timesReused"] = fm.times_reused.value_or(0);
  j["file"] = d.file;
  j["summary"] = kb::SummaryExcerpt(d);
  return j;
}

}  // namespace verity::cli
