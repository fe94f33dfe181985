#include "store/history_diff.h"

#include <map>

namespace verity::store {

namespace {

enum class Side { kPassing, kFailing, kSkipped };

Side SideOf(run::Outcome o) {
  if (o == run::Outcome::kPass || o == run::Outcome::kWarn) return Side::kPassing;
  if (o == run::Outcome::kSkip) return Side::kSkipped;
  return Side::kFailing;
}

}  // namespace

Result<RunDiff> DiffRuns(History& history, std::string_view from, std::string_view to) {
  RunDiff diff;
  Result<RunRecord> from_run = history.FindRun(from);
  if (!from_run.ok()) return from_run.status();
  Result<RunRecord> to_run = history.FindRun(to);
  if (!to_run.ok()) return to_run.status();
  diff.from = *from_run;
  diff.to = *to_run;
  auto before = history.RunDocuments(diff.from.run_id, /*with_steps=*/false);
  if (!before.ok()) return before.status();
  auto after = history.RunDocuments(diff.to.run_id, /*with_steps=*/false);
  if (!after.ok()) return after.status();

  std::map<std::string, const DocumentRecord*> earlier, later;
  for (const DocumentRecord& d : *before) earlier[d.file] = &d;
  for (const DocumentRecord& d : *after) later[d.file] = &d;
  for (const auto& [file, now] : later) {
    OutcomeChange change;
    change.file = file;
    change.endpoint = now->endpoint;
    change.variant = now->variant;
    change.after = now->outcome;
    change.reason = now->reason;
    auto was = earlier.find(file);
    if (was == earlier.end()) {
      diff.added.push_back(std::move(change));
      continue;
    }
    change.before = was->second->outcome;
    if (*change.before == *change.after) continue;
    Side a = SideOf(*change.before), b = SideOf(*change.after);
    if (a == Side::kPassing && b == Side::kFailing) {
      diff.started_failing.push_back(std::move(change));
    } else if (a == Side::kFailing && b == Side::kPassing) {
      diff.fixed.push_back(std::move(change));
    } else {
      diff.changed.push_back(std::move(change));
    }
  }
  for (const auto& [file, was] : earlier) {
    if (later.count(file)) continue;
    OutcomeChange change;
    change.file = file;
    change.endpoint = was->endpoint;
    change.variant = was->variant;
    change.before = was->outcome;
    change.reason = was->reason;
    diff.removed.push_back(std::move(change));
  }
  return diff;
}

}  // namespace verity::store
