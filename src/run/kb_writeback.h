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
#include "run/outcome.h"

namespace verity::run {

/// The fields changed, as "key: value" lines (empty when nothing changed).
Result<std::vector<std::string>> RecordOutcome(FileSystem& fs, const std::string& file,
                                               Outcome outcome, const Clock& clock,
                                               int failures_before_failed);

/// Adds one to `timesReused` (0 when absent).
Result<std::vector<std::string>> IncrementTimesReused(FileSystem& fs, const std::string& file);

}  // namespace verity::run
