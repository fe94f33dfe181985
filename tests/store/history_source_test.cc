// The history keeps whether a result ran a recipe or a request built from the spec, and reads a
// database written before it kept that.
#include <gtest/gtest.h>

#include "store/history.h"
#include "store/history_json.h"
#include "store/sqlite.h"
#include "support/paths.h"

namespace verity::store {
namespace {

using run::Outcome;

run::DocumentResult Ran(const std::string& file, const std::string& endpoint,
                        const std::string& source, Outcome outcome) {
  run::DocumentResult d;
  d.file = file;
  d.endpoint = endpoint;
  d.domain = "clients";
  d.source = source;
  d.outcome = outcome;
  return d;
}

void Record(History& history, const std::string& id, int64_t at,
            const std::vector<run::DocumentResult>& documents) {
  run::RunSummary summary;
  summary.run_id = id;
  summary.started_at_ms = at;
  ASSERT_TRUE(history.BeginRun(summary, documents.size(), "cli").ok());
  for (size_t i = 0; i < documents.size(); ++i)
    ASSERT_TRUE(history.RecordDocument(id, i, documents[i]).ok());
  summary.finished_at_ms = at + 10;
  ASSERT_TRUE(history.FinishRun(summary).ok());
}

TEST(HistorySource, AResultBuiltFromTheSpecReadsBackWithSourceSpec) {
  auto history = History::Open(":memory:", {});
  ASSERT_TRUE(history.ok()) << history.status().message();
  Record(**history, "100-aaaa", 100,
         {Ran("kb/clients/list.md", "GET /clients", "recipe", Outcome::kPass),
          Ran("kb/clients/get_client.md", "GET /clients/{id}", "spec", Outcome::kFail)});

  auto documents = (*history)->RunDocuments("100-aaaa", /*with_steps=*/false);
  ASSERT_TRUE(documents.ok()) << documents.status().message();
  ASSERT_EQ(2u, documents->size());
  EXPECT_EQ("recipe", (*documents)[0].source);
  EXPECT_EQ("spec", (*documents)[1].source);
  EXPECT_EQ("spec", (*documents)[1].detail["source"]);
  auto detail = RunDetailJson(**history, "100-aaaa");
  ASSERT_TRUE(detail.ok());
  EXPECT_EQ("spec", (*detail)["results"][1]["source"]);
}

TEST(HistorySource, TheLatestSpecResultIsFoundByEndpointAndNotCountedAsTheFilesRecipe) {
  auto history = History::Open(":memory:", {});
  ASSERT_TRUE(history.ok()) << history.status().message();
  Record(**history, "100-aaaa", 100,
         {Ran("kb/clients/get_client.md", "GET /clients/{id}", "recipe", Outcome::kPass)});
  Record(**history, "200-bbbb", 200,
         {Ran("kb/clients/get_client.md", "GET /clients/{id}", "spec", Outcome::kFail)});

  auto spec = (*history)->LatestSpecOutcomes();
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  ASSERT_EQ(1u, spec->size());
  EXPECT_EQ("200-bbbb", spec->at("GET /clients/{id}").run_id);
  EXPECT_EQ(Outcome::kFail, spec->at("GET /clients/{id}").outcome);
  auto by_file = (*history)->LatestOutcomes();
  ASSERT_TRUE(by_file.ok());
  EXPECT_EQ("100-aaaa", by_file->at("kb/clients/get_client.md").run_id)
      << "the recipe's last result is its own, not the spec's";
}

// Schema version 1, as Verity wrote it before results had a source.
constexpr const char* kVersionOne = R"(
CREATE TABLE runs (run_id TEXT PRIMARY KEY, source TEXT NOT NULL, environment TEXT NOT NULL,
  base_url TEXT NOT NULL, fallback_url TEXT NOT NULL, started_at_ms INTEGER NOT NULL,
  finished_at_ms INTEGER, duration_ms REAL, dry_run INTEGER NOT NULL, strict INTEGER NOT NULL,
  stopped INTEGER NOT NULL DEFAULT 0, planned INTEGER NOT NULL);
CREATE TABLE documents (run_id TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
  idx INTEGER NOT NULL, file TEXT NOT NULL, endpoint TEXT NOT NULL, domain TEXT NOT NULL,
  title TEXT NOT NULL, outcome TEXT NOT NULL, reason TEXT NOT NULL, message TEXT NOT NULL,
  suggestion TEXT NOT NULL, token_type TEXT NOT NULL, used_fallback INTEGER NOT NULL,
  http_status INTEGER NOT NULL, started_at_ms INTEGER NOT NULL, duration_ms REAL NOT NULL,
  detail TEXT NOT NULL, PRIMARY KEY (run_id, idx));
CREATE INDEX documents_by_file ON documents(file);
CREATE TABLE steps (run_id TEXT NOT NULL, doc_idx INTEGER NOT NULL, ordinal INTEGER NOT NULL,
  depth INTEGER NOT NULL, id TEXT NOT NULL, section TEXT NOT NULL, endpoint TEXT NOT NULL,
  outcome TEXT NOT NULL, reason TEXT NOT NULL, message TEXT NOT NULL,
  http_status INTEGER NOT NULL, duration_ms REAL NOT NULL,
  PRIMARY KEY (run_id, doc_idx, ordinal),
  FOREIGN KEY (run_id, doc_idx) REFERENCES documents(run_id, idx) ON DELETE CASCADE);
INSERT INTO runs VALUES ('50-old', 'cli', 'staging', 'https://api.test', '', 50, 60, 10, 0, 0,
  0, 1);
INSERT INTO documents VALUES ('50-old', 0, 'kb/clients/list.md', 'GET /clients', 'clients', '',
  'PASS', '', '', '', '', 0, 200, 50, 1, '{"endpoint":"GET /clients"}');
PRAGMA user_version = 1;
)";

TEST(HistorySource, ADatabaseWrittenBeforeSourcesOpensAndReadsItsResultsAsRecipes) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/history.db";
  {
    auto raw = Database::Open(path);
    ASSERT_TRUE(raw.ok());
    ASSERT_TRUE((*raw)->Exec(kVersionOne).ok());
  }
  auto history = History::Open(path);
  ASSERT_TRUE(history.ok()) << history.status().message();
  auto documents = (*history)->RunDocuments("50-old", /*with_steps=*/true);
  ASSERT_TRUE(documents.ok()) << documents.status().message();
  ASSERT_EQ(1u, documents->size());
  EXPECT_EQ("recipe", (*documents)[0].source);
  EXPECT_EQ("recipe", (*documents)[0].detail["source"]) << "the dashboard reads the same field";

  // The upgraded database records new results with their source.
  Record(**history, "70-new", 70,
         {Ran("kb/clients/get_client.md", "GET /clients/{id}", "spec", Outcome::kPass)});
  auto spec = (*history)->LatestSpecOutcomes();
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  EXPECT_EQ(1u, spec->count("GET /clients/{id}"));
  history->reset();
  auto reopened = History::Open(path);
  ASSERT_TRUE(reopened.ok()) << reopened.status().message() << ": opens again once upgraded";
}

}  // namespace
}  // namespace verity::store
