#include "store/history_json.h"

#include "base/timestamp.h"
#include "run/totals_json.h"

namespace verity::store {

namespace {

Json OutcomeOrNull(const std::optional<run::Outcome>& outcome) {
  return outcome ? Json(run::OutcomeName(*outcome)) : Json(nullptr);
}

Json ChangesJson(const std::vector<OutcomeChange>& changes) {
  Json out = Json::array();
  for (const OutcomeChange& c : changes) {
    out.push_back(Json{{"file", c.file},
                       {"endpoint", c.endpoint},
                       {"variant", c.variant.empty() ? Json(nullptr) : Json(c.variant)},
                       {"before", OutcomeOrNull(c.before)},
                       {"after", OutcomeOrNull(c.after)},
                       {"reason", c.reason}});
  }
  return out;
}

}  // namespace

Json RunRecordJson(const RunRecord& r) {
  Json j = Json::object();
  j["runId"] = r.run_id;
  j["source"] = r.source;
  j["environment"] = r.environment;
  j["baseUrl"] = r.base_url;
  j["fallbackUrl"] = r.fallback_url.empty() ? Json(nullptr) : Json(r.fallback_url);
  j["startedAt"] = FormatIso8601(r.started_at_ms);
  j["finishedAt"] = r.complete() ? Json(FormatIso8601(r.finished_at_ms)) : Json(nullptr);
  j["complete"] = r.complete();
  j["durationMs"] = r.complete() ? Json(r.duration_ms) : Json(nullptr);
  j["stopped"] = r.stopped;
  j["strict"] = r.strict;
  j["planned"] = r.planned;
  run::AppendTotals(r.totals, j);
  j["passRatePercent"] = run::PassRatePercentJson(r.totals);
  return j;
}

Result<Json> HistoryListJson(History& history, size_t limit, size_t flaky_window) {
  auto runs = history.ListRuns(limit);
  if (!runs.ok()) return runs.status();
  auto flaky = history.Flaky(flaky_window);
  if (!flaky.ok()) return flaky.status();
  Json out = Json::object();
  out["runs"] = Json::array();
  for (const RunRecord& r : *runs) out["runs"].push_back(RunRecordJson(r));
  out["flaky"] = Json::array();
  for (const FlakyDocument& f : *flaky) {
    Json outcomes = Json::array();
    for (run::Outcome o : f.outcomes) outcomes.push_back(run::OutcomeName(o));
    out["flaky"].push_back(Json{
        {"file", f.file}, {"endpoint", f.endpoint}, {"flips", f.flips}, {"outcomes", outcomes}});
  }
  out["flakyWindow"] = flaky_window;
  return out;
}

Result<Json> RunDetailJson(History& history, std::string_view run_id) {
  auto found = history.FindRun(run_id);
  if (!found.ok()) return found.status();
  auto documents = history.RunDocuments(found->run_id, /*with_steps=*/false);
  if (!documents.ok()) return documents.status();
  Json out = RunRecordJson(*found);
  out["results"] = Json::array();
  for (const DocumentRecord& d : *documents) out["results"].push_back(d.detail);
  return out;
}

Json RunDiffJson(const RunDiff& diff) {
  return Json{{"from", RunRecordJson(diff.from)},
              {"to", RunRecordJson(diff.to)},
              {"startedFailing", ChangesJson(diff.started_failing)},
              {"fixed", ChangesJson(diff.fixed)},
              {"changed", ChangesJson(diff.changed)},
              {"added", ChangesJson(diff.added)},
              {"removed", ChangesJson(diff.removed)}};
}

Json TimelineJson(const std::vector<TimelinePoint>& points) {
  Json out = Json::array();
  for (const TimelinePoint& p : points) {
    out.push_back(Json{{"runId", p.run_id},
                       {"startedAt", FormatIso8601(p.started_at_ms)},
                       {"outcome", run::OutcomeName(p.outcome)},
                       {"reason", p.reason},
                       {"durationMs", p.duration_ms}});
  }
  return out;
}

}  // namespace verity::store
