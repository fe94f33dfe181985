// Keeping the knowledge base true after a run: a passing document becomes `status: verified` with a
// fresh `verifiedAt`; a failing one counts `consecutiveFailures` and becomes `failed` only after
// `failures_before_failed` failures in a row, so one flaky run does not demote a recipe; a document
// run through another's `use:` step gets `timesReused` + 1. Every write is surgical and atomic, and
// computed from the file's current text under the folder lock (kb/update.h), so two runs on one
// knowledge base never lose an update.
#pragma once

#include <string>
#include <vector>

#include "base/clock.h"
#include "base/file_system.h"
#include "base/status.h"
#include "kb/knowledge_base.h"
#include "run/outcome.h"
#include "run/result.h"

namespace verity::run {

/// The fields changed, as "key: value" lines (empty when nothing changed). `file` is read and
/// written only inside `roots` (the knowledge base's confinement).
Result<std::vector<std::string>> RecordOutcome(FileSystem& fs, const std::string& file,
                                               const PathRoots& roots, Outcome outcome,
                                               const Clock& clock, int failures_before_failed);

/// Adds one to `timesReused` (0 when absent).
Result<std::vector<std::string>> IncrementTimesReused(FileSystem& fs, const std::string& file,
                                                      const PathRoots& roots);

struct FixedDocument {
  std::string file;
  std::vector<std::string> removed;  // the lines taken out, in order
};
struct SkippedDocument {
  std::string file;
  std::string reason;  // "useFallbackApi not set", "not a knowledge-base document", ...
};
struct FallbackFix {
  std::vector<FixedDocument> fixed;
  std::vector<SkippedDocument> skipped;  // not one to fix
  std::vector<WriteBackFailure> failed;  // one to fix that could not be read or written
};

/// The base-URL scan's quick fix (doc::RemoveFallbackFlag) on each of `files`, each under its
/// folder lock from the file's current text, written atomically. Only documents of `kb` are
/// touched, and only inside its confinement: a caller (the dashboard) must not be able to make
/// Verity edit any other file.
FallbackFix RemoveFallbackFlags(FileSystem& fs, const kb::KnowledgeBase& kb,
                                const std::vector<std::string>& files);

}  // namespace verity::run
