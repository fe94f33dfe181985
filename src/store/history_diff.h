// What changed between two recorded runs, document by document: what started failing, what got
// fixed, other outcome changes, and documents only one of the runs had. Passing is PASS or WARN;
// failing is ERROR or FAIL; a SKIP on either side is a change, never a fix or a breakage.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/history.h"

namespace verity::store {

struct OutcomeChange {
  std::string file;
  std::string endpoint;
  std::string variant;                 // empty for a primary recipe
  std::optional<run::Outcome> before;  // absent: the earlier run did not have the document
  std::optional<run::Outcome> after;
  std::string reason;  // the later run's reason (the earlier one's for a removed document)
};

struct RunDiff {
  RunRecord from;
  RunRecord to;
  std::vector<OutcomeChange> started_failing;
  std::vector<OutcomeChange> fixed;
  std::vector<OutcomeChange> changed;
  std::vector<OutcomeChange> added;
  std::vector<OutcomeChange> removed;
};

/// Runs are named by id or unambiguous prefix. Each list is ordered by file.
Result<RunDiff> DiffRuns(History& history, std::string_view from, std::string_view to);

}  // namespace verity::store
