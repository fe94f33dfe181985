// The history keeps which recipe of an endpoint a result came from: a variant recorded with a run
// reads back with it, and a comparison of two runs names it.
#include <gtest/gtest.h>

#include "store/history.h"
#include "store/history_diff.h"
#include "store/history_json.h"

namespace verity::store {
namespace {

using run::Outcome;

run::DocumentResult Put(const std::string& file, const std::string& variant, Outcome outcome) {
  run::DocumentResult d;
  d.file = file;
  d.endpoint = "POST /v3/kv/put";
  d.variant = variant;
  d.domain = "kv";
  d.outcome = outcome;
  return d;
}

void Record(History& history, const std::string& id, int64_t at, Outcome negative_case) {
  run::RunSummary summary;
  summary.run_id = id;
  summary.started_at_ms = at;
  ASSERT_TRUE(history.BeginRun(summary, 2, "cli").ok());
  ASSERT_TRUE(history.RecordDocument(id, 0, Put("kv/post_v3_kv_put.md", "", Outcome::kPass)).ok());
  ASSERT_TRUE(history
                  .RecordDocument(
                      id, 1, Put("kv/post_v3_kv_put__missing-key.md", "missing-key", negative_case))
                  .ok());
  summary.finished_at_ms = at + 10;
  ASSERT_TRUE(history.FinishRun(summary).ok());
}

TEST(HistoryVariants, AResultReadsBackWithItsVariantAndADiffNamesIt) {
  Result<std::unique_ptr<History>> history = History::Open(":memory:", {});
  ASSERT_TRUE(history.ok()) << history.status().message();
  Record(**history, "100-aaaa", 100, Outcome::kPass);
  Record(**history, "200-bbbb", 200, Outcome::kFail);

  auto documents = (*history)->RunDocuments("200-bbbb", /*with_steps=*/false);
  ASSERT_TRUE(documents.ok());
  ASSERT_EQ(2u, documents->size());
  EXPECT_EQ("", (*documents)[0].variant);
  EXPECT_EQ("missing-key", (*documents)[1].variant);
  EXPECT_EQ("missing-key", (*documents)[1].detail["variant"]);
  EXPECT_TRUE((*documents)[0].detail["variant"].is_null());

  auto diff = DiffRuns(**history, "100-aaaa", "200-bbbb");
  ASSERT_TRUE(diff.ok());
  Json json = RunDiffJson(*diff);
  ASSERT_EQ(1u, json["startedFailing"].size());
  EXPECT_EQ("POST /v3/kv/put", json["startedFailing"][0]["endpoint"]);
  EXPECT_EQ("missing-key", json["startedFailing"][0]["variant"]);
}

}  // namespace
}  // namespace verity::store
