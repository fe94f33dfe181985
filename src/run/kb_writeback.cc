#include "run/kb_writeback.h"

#include <filesystem>
#include <set>

#include "base/timestamp.h"
#include "doc/parser.h"
#include "kb/update.h"

namespace verity::run {

namespace {

Result<std::vector<std::string>> Apply(
    FileSystem& fs, const std::string& file, const PathRoots& roots,
    const std::function<std::vector<doc::FieldUpdate>(const doc::Frontmatter&)>& decide) {
  std::vector<std::string> changed;
  auto updated = kb::UpdateDocumentWith(
      fs, file, roots, [&](const std::string& text) -> Result<std::vector<doc::FieldUpdate>> {
        doc::Document current = doc::ParseDocument(text, file);
        if (!current.frontmatter_parsed) {
          return Status::ParseError(file + ": frontmatter cannot be read; not updated");
        }
        std::vector<doc::FieldUpdate> updates = decide(current.frontmatter);
        changed.clear();
        for (const doc::FieldUpdate& u : updates) changed.push_back(u.key + ": " + u.value);
        return updates;
      });
  if (!updated.ok()) return updated.status();
  return changed;
}

}  // namespace

Result<std::vector<std::string>> RecordOutcome(FileSystem& fs, const std::string& file,
                                               const PathRoots& roots, Outcome outcome,
                                               const Clock& clock, int failures_before_failed) {
  if (outcome == Outcome::kSkip) return std::vector<std::string>{};
  bool passed = outcome == Outcome::kPass || outcome == Outcome::kWarn;
  return Apply(fs, file, roots, [&](const doc::Frontmatter& fm) {
    std::vector<doc::FieldUpdate> updates;
    if (passed) {
      if (fm.status != doc::WorkflowStatus::kVerified || fm.raw_status != "verified")
        updates.push_back({"status", "verified"});
      updates.push_back({"verifiedAt", FormatIso8601(clock.NowMillis())});
      if (fm.consecutive_failures.value_or(0) != 0) updates.push_back({"consecutiveFailures", "0"});
      return updates;
    }
    int64_t failures = fm.consecutive_failures.value_or(0) + 1;
    updates.push_back({"consecutiveFailures", std::to_string(failures)});
    // Only a recipe that worked before is demoted; a pending one stays pending until it passes.
    if (fm.status == doc::WorkflowStatus::kVerified && failures >= failures_before_failed)
      updates.push_back({"status", "failed"});
    return updates;
  });
}

Result<std::vector<std::string>> IncrementTimesReused(FileSystem& fs, const std::string& file,
                                                      const PathRoots& roots) {
  return Apply(fs, file, roots, [](const doc::Frontmatter& fm) {
    return std::vector<doc::FieldUpdate>{
        {"timesReused", std::to_string(fm.times_reused.value_or(0) + 1)}};
  });
}

FallbackFix RemoveFallbackFlags(FileSystem& fs, const kb::KnowledgeBase& kb,
                                const std::vector<std::string>& files) {
  auto normal = [](std::string_view path) {
    return std::filesystem::path(path).lexically_normal().generic_string();
  };
  std::set<std::string> documents;
  std::set<std::string> from_spec;  // no file: `file` is where a draft would go
  for (const doc::Document& d : kb.documents)
    (d.from_spec ? from_spec : documents).insert(normal(d.file));
  FallbackFix fix;
  for (const std::string& file : files) {
    if (from_spec.contains(normal(file)) && !documents.contains(normal(file))) {
      fix.skipped.push_back({file, "built from the spec: there is no recipe file to fix"});
      continue;
    }
    if (!documents.contains(normal(file))) {
      fix.skipped.push_back({file, "not a knowledge-base document"});
      continue;
    }
    std::vector<std::string> removed;
    bool refused = false;  // the document was read and is not one to fix
    Result<bool> edited = kb::EditDocumentText(
        fs, file, kb.confinement, [&](const std::string& text) -> Result<std::string> {
          Result<doc::FallbackFlagRemoval> removal = doc::RemoveFallbackFlag(text);
          if (!removal.ok()) {
            refused = true;
            return removal.status();
          }
          removed = std::move(removal->removed);
          return std::move(removal->text);
        });
    if (edited.ok()) {
      fix.fixed.push_back({file, std::move(removed)});
    } else if (refused) {
      fix.skipped.push_back({file, edited.status().message()});
    } else {
      fix.failed.push_back({file, edited.status().message()});
    }
  }
  return fix;
}

}  // namespace verity::run
