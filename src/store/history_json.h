// The history as JSON, one shape for `verity history --json` and the dashboard's API
// (docs/history.md, docs/serve.md).
#pragma once

#include <string_view>

#include "base/json.h"
#include "store/history.h"
#include "store/history_diff.h"

namespace verity::store {

Json RunRecordJson(const RunRecord& run);
/// {"runs": [...], "flaky": [...], "flakyWindow": N}
Result<Json> HistoryListJson(History& history, size_t limit, size_t flaky_window);
/// The run's object with "results": each document's report object.
Result<Json> RunDetailJson(History& history, std::string_view run_id);
Json RunDiffJson(const RunDiff& diff);
Json TimelineJson(const std::vector<TimelinePoint>& points);

}  // namespace verity::store
