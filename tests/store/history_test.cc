// The run history in SQLite: what a run leaves behind, read back; what a crash leaves behind;
// timelines, flakiness, run ids by prefix, the schema's version, and no token in the file.
#include "store/history.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "run/events.h"
#include "store/recorder.h"
#include "store/sqlite.h"
#include "support/paths.h"

namespace verity::store {
namespace {

using run::Outcome;

constexpr char kSecret[] = "sk_live_history_secret_0123456789";

run::RunSummary Summary(const std::string& id, int64_t started_at_ms) {
  run::RunSummary s;
  s.run_id = id;
  s.environment = "staging";
  s.base_url = "https://api.example.com";
  s.started_at_ms = started_at_ms;
  return s;
}

run::StepResult Step(const std::string& id, Outcome outcome, int status) {
  run::StepResult step;
  step.id = id;
  step.section = "test_request";
  step.endpoint = "GET /clients";
  step.outcome = outcome;
  step.duration_ms = 12.5;
  if (outcome == Outcome::kFail) {
    step.reason = "UNEXPECTED_STATUS";
    step.message = "expected 200, got " + std::to_string(status);
  }
  step.request = run::RequestRecord{};
  step.request->method = "GET";
  step.request->url = "https://api.example.com/clients";
  step.response = run::ResponseRecord{};
  step.response->status = status;
  step.response->body = R"({"data":[]})";
  return step;
}

run::DocumentResult Document(const std::string& file, Outcome outcome) {
  run::DocumentResult d;
  d.file = file;
  d.endpoint = "GET /" + file;
  d.domain = "clients";
  d.outcome = outcome;
  d.duration_ms = 20;
  d.steps.push_back(Step("list", outcome, outcome == Outcome::kFail ? 500 : 200));
  if (outcome == Outcome::kFail) {
    d.reason = "UNEXPECTED_STATUS";
    d.message = "expected 200, got 500";
  }
  return d;
}

std::unique_ptr<History> OpenOrDie(const std::string& path, HistoryOptions options = {}) {
  Result<std::unique_ptr<History>> history = History::Open(path, options);
  EXPECT_TRUE(history.ok()) << history.status().message();
  return history.ok() ? std::move(*history) : nullptr;
}

/// Records one finished run with a document per outcome.
void RecordRun(History& history, const std::string& id, int64_t at,
               const std::vector<std::pair<std::string, Outcome>>& documents) {
  ASSERT_TRUE(history.BeginRun(Summary(id, at), documents.size(), "cli").ok());
  for (size_t i = 0; i < documents.size(); ++i) {
    Status s = history.RecordDocument(id, i, Document(documents[i].first, documents[i].second));
    ASSERT_TRUE(s.ok()) << s.message();
  }
  run::RunSummary done = Summary(id, at);
  done.finished_at_ms = at + 1000;
  done.duration_ms = 1000;
  ASSERT_TRUE(history.FinishRun(done).ok());
}

TEST(History, ARecordedRunReadsBackWithItsTotalsDocumentsAndSteps) {
  auto history = OpenOrDie(":memory:");
  run::RunSummary summary = Summary("100-aaaa", 100);
  ASSERT_TRUE(history->BeginRun(summary, 3, "dashboard").ok());
  run::DocumentResult nested = Document("b.md", Outcome::kPass);
  nested.steps[0].section = "use";
  nested.steps[0].nested.push_back(Step("inner", Outcome::kPass, 201));
  ASSERT_TRUE(history->RecordDocument("100-aaaa", 1, nested).ok());
  ASSERT_TRUE(history->RecordDocument("100-aaaa", 0, Document("a.md", Outcome::kFail)).ok());
  summary.finished_at_ms = 900;
  summary.duration_ms = 800;
  ASSERT_TRUE(history->FinishRun(summary).ok());

  auto runs = history->ListRuns(10);
  ASSERT_TRUE(runs.ok()) << runs.status().message();
  ASSERT_EQ(runs->size(), 1u);
  const RunRecord& run = (*runs)[0];
  EXPECT_EQ(run.run_id, "100-aaaa");
  EXPECT_EQ(run.source, "dashboard");
  EXPECT_EQ(run.environment, "staging");
  EXPECT_TRUE(run.complete());
  EXPECT_EQ(run.duration_ms, 800);
  EXPECT_EQ(run.planned, 3u);
  EXPECT_EQ(run.totals.total, 2u);
  EXPECT_EQ(run.totals.passed, 1u);
  EXPECT_EQ(run.totals.failed, 1u);

  auto documents = history->RunDocuments("100-aaaa", /*with_steps=*/true);
  ASSERT_TRUE(documents.ok()) << documents.status().message();
  ASSERT_EQ(documents->size(), 2u);
  EXPECT_EQ((*documents)[0].file, "a.md") << "in plan order, not arrival order";
  EXPECT_EQ((*documents)[0].outcome, Outcome::kFail);
  EXPECT_EQ((*documents)[0].reason, "UNEXPECTED_STATUS");
  ASSERT_EQ((*documents)[0].steps.size(), 1u);
  EXPECT_EQ((*documents)[0].steps[0].http_status, 500);
  EXPECT_EQ((*documents)[0].steps[0].duration_ms, 12.5);
  EXPECT_EQ((*documents)[0].detail["status"], "FAIL");
  EXPECT_EQ((*documents)[0].detail["steps"][0]["response"]["status"], 500);

  const DocumentRecord& b = (*documents)[1];
  ASSERT_EQ(b.steps.size(), 2u) << "a use: step's own steps follow it";
  EXPECT_EQ(b.steps[0].depth, 0);
  EXPECT_EQ(b.steps[1].id, "inner");
  EXPECT_EQ(b.steps[1].depth, 1);
  EXPECT_EQ(b.steps[1].http_status, 201);
}

TEST(History, BodiesAreKeptAsASnippetMarkedAsCut) {
  HistoryOptions options;
  options.max_body_bytes = 10;
  auto history = OpenOrDie(":memory:", options);
  ASSERT_TRUE(history->BeginRun(Summary("1-a", 1), 1, "cli").ok());
  run::DocumentResult d = Document("a.md", Outcome::kPass);
  d.steps[0].response->body = "é" + std::string(100, 'x');
  d.steps[0].request->body = std::string(100, 'y');
  ASSERT_TRUE(history->RecordDocument("1-a", 0, d).ok());
  auto documents = history->RunDocuments("1-a", false);
  ASSERT_TRUE(documents.ok());
  const Json& step = (*documents)[0].detail["steps"][0];
  EXPECT_EQ(step["response"]["body"], "é" + std::string(8, 'x')) << step.dump();
  EXPECT_EQ(step["response"]["bodyTruncated"], true) << step.dump();
  EXPECT_EQ(step["request"]["body"], std::string(10, 'y')) << step.dump();
}

// A process that dies mid-run (killed by CI's timeout, out of memory) leaves a database that
// opens, holds every document it had finished, and shows the run as incomplete.
TEST(History, ACrashMidRunKeepsTheFinishedDocumentsAndMarksTheRunIncomplete) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/nested/folder/history.db";
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto history = History::Open(path);
    if (!history.ok()) _exit(2);
    if (!(*history)->BeginRun(Summary("7-dead", 7), 3, "cli").ok()) _exit(3);
    if (!(*history)->RecordDocument("7-dead", 0, Document("a.md", Outcome::kPass)).ok()) _exit(4);
    if (!(*history)->RecordDocument("7-dead", 1, Document("b.md", Outcome::kFail)).ok()) _exit(5);
    // The third document is being written when the process dies.
    auto raw = Database::Open(path);
    if (!raw.ok() || !(*raw)->Exec("BEGIN IMMEDIATE").ok()) _exit(6);
    if (!(*raw)
             ->Exec("INSERT INTO documents VALUES ('7-dead', 2, 'c.md', 'GET /c', '', '', "
                    "'PASS', '', '', '', '', 0, 200, 0, 1, '{}', 'recipe')")
             .ok()) {
      _exit(7);
    }
    _exit(0);  // no commit, no close, no FinishRun
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);

  auto history = OpenOrDie(path);
  auto runs = history->ListRuns(10);
  ASSERT_TRUE(runs.ok()) << runs.status().message();
  ASSERT_EQ(runs->size(), 1u);
  EXPECT_FALSE((*runs)[0].complete());
  EXPECT_EQ((*runs)[0].planned, 3u);
  EXPECT_EQ((*runs)[0].totals.total, 2u);
  auto documents = history->RunDocuments("7-dead", true);
  ASSERT_TRUE(documents.ok());
  ASSERT_EQ(documents->size(), 2u);
  EXPECT_EQ((*documents)[1].file, "b.md");
  EXPECT_EQ((*documents)[1].steps.size(), 1u);
}

TEST(History, RunsAreFoundByAnUnambiguousPrefixOfTheirId) {
  auto history = OpenOrDie(":memory:");
  RecordRun(*history, "1700-aaaa", 1700, {{"a.md", Outcome::kPass}});
  RecordRun(*history, "1700-abbb", 1701, {{"a.md", Outcome::kPass}});
  RecordRun(*history, "1800-cccc", 1800, {{"a.md", Outcome::kPass}});
  auto exact = history->FindRun("1700-aaaa");
  ASSERT_TRUE(exact.ok());
  EXPECT_EQ(exact->run_id, "1700-aaaa");
  auto prefix = history->FindRun("18");
  ASSERT_TRUE(prefix.ok());
  EXPECT_EQ(prefix->run_id, "1800-cccc");
  auto ambiguous = history->FindRun("1700-a");
  ASSERT_FALSE(ambiguous.ok());
  EXPECT_EQ(ambiguous.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(ambiguous.status().message().find("more than one run"), std::string::npos);
  auto missing = history->FindRun("1900");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(history->FindRun("%").ok()) << "a prefix is text, not a LIKE pattern";
}

TEST(History, ListsNewestFirstAndTimelinesOldestFirst) {
  auto history = OpenOrDie(":memory:");
  RecordRun(*history, "1-a", 1000, {{"a.md", Outcome::kPass}});
  RecordRun(*history, "2-b", 2000, {{"a.md", Outcome::kFail}, {"b.md", Outcome::kPass}});
  RecordRun(*history, "3-c", 3000, {{"a.md", Outcome::kWarn}});
  auto runs = history->ListRuns(2);
  ASSERT_TRUE(runs.ok());
  ASSERT_EQ(runs->size(), 2u);
  EXPECT_EQ((*runs)[0].run_id, "3-c");
  EXPECT_EQ((*runs)[1].run_id, "2-b");

  auto timeline = history->Timeline("a.md", 10);
  ASSERT_TRUE(timeline.ok());
  ASSERT_EQ(timeline->size(), 3u);
  EXPECT_EQ((*timeline)[0].run_id, "1-a");
  EXPECT_EQ((*timeline)[1].outcome, Outcome::kFail);
  EXPECT_EQ((*timeline)[1].reason, "UNEXPECTED_STATUS");
  EXPECT_EQ((*timeline)[2].outcome, Outcome::kWarn);
  auto last_two = history->Timeline("a.md", 2);
  ASSERT_TRUE(last_two.ok());
  ASSERT_EQ(last_two->size(), 2u);
  EXPECT_EQ((*last_two)[0].run_id, "2-b");
}

TEST(History, FlipsCountChangesBetweenPassingAndFailingIgnoringSkips) {
  using O = Outcome;
  EXPECT_EQ(CountFlips({}), 0u);
  EXPECT_EQ(CountFlips({O::kPass, O::kWarn, O::kPass}), 0u) << "a warning still passes";
  EXPECT_EQ(CountFlips({O::kFail, O::kError}), 0u);
  EXPECT_EQ(CountFlips({O::kPass, O::kPass, O::kFail, O::kFail}), 1u) << "a regression";
  EXPECT_EQ(CountFlips({O::kPass, O::kSkip, O::kFail, O::kSkip, O::kPass}), 2u);
  EXPECT_EQ(CountFlips({O::kPass, O::kFail, O::kPass, O::kFail}), 3u);
}

TEST(History, ADocumentIsFlakyWhenItsOutcomeFlipsTwiceWithinTheWindow) {
  auto history = OpenOrDie(":memory:");
  const std::vector<std::vector<std::pair<std::string, Outcome>>> runs = {
      {{"flaky.md", Outcome::kPass}, {"broke.md", Outcome::kPass}, {"old.md", Outcome::kFail}},
      {{"flaky.md", Outcome::kFail}, {"broke.md", Outcome::kPass}, {"old.md", Outcome::kPass}},
      {{"flaky.md", Outcome::kSkip}, {"broke.md", Outcome::kFail}, {"old.md", Outcome::kFail}},
      {{"flaky.md", Outcome::kPass}, {"broke.md", Outcome::kFail}, {"old.md", Outcome::kFail}},
      {{"flaky.md", Outcome::kPass}, {"broke.md", Outcome::kFail}, {"old.md", Outcome::kFail}},
  };
  for (size_t i = 0; i < runs.size(); ++i) {
    RecordRun(*history, std::to_string(i) + "-x", static_cast<int64_t>(i + 1) * 1000, runs[i]);
  }
  auto flaky = history->Flaky(10);
  ASSERT_TRUE(flaky.ok()) << flaky.status().message();
  std::vector<std::string> files;
  for (const FlakyDocument& d : *flaky) files.push_back(d.file);
  EXPECT_EQ(files, (std::vector<std::string>{"flaky.md", "old.md"}));
  ASSERT_FALSE(flaky->empty());
  EXPECT_EQ((*flaky)[0].flips, 2u);
  EXPECT_EQ((*flaky)[0].outcomes,
            (std::vector<Outcome>{Outcome::kPass, Outcome::kFail, Outcome::kPass, Outcome::kPass}))
      << "oldest first, without the SKIP";

  // In the last four runs: flaky.md P F P P (the SKIP is no run); old.md P F F F, one change.
  auto recent = history->Flaky(4);
  ASSERT_TRUE(recent.ok());
  ASSERT_EQ(recent->size(), 1u);
  EXPECT_EQ((*recent)[0].file, "flaky.md");
}

TEST(History, ADatabaseFromANewerVerityIsRefusedNotDamaged) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/history.db";
  {
    auto raw = Database::Open(path);
    ASSERT_TRUE(raw.ok());
    ASSERT_TRUE((*raw)->Exec("PRAGMA user_version = 99").ok());
  }
  auto history = History::Open(path);
  ASSERT_FALSE(history.ok());
  EXPECT_EQ(history.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(history.status().message().find("newer Verity"), std::string::npos);
}

TEST(History, AnUnwritableLocationIsAnErrorNamingIt) {
  testing::TempDir dir;
  std::string blocker = dir.Write("file", "not a folder");
  auto history = History::Open(blocker + "/history.db");
  ASSERT_FALSE(history.ok());
  EXPECT_EQ(history.status().code(), StatusCode::kIoError);
  EXPECT_NE(history.status().message().find(blocker), std::string::npos)
      << history.status().message();
}

// Headers are masked again on the way in, whatever the producer left there.
TEST(History, NoTokenReachesTheDatabaseFile) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/history.db";
  {
    auto history = OpenOrDie(path);
    ASSERT_TRUE(history->BeginRun(Summary("1-a", 1), 1, "cli").ok());
    run::DocumentResult d = Document("a.md", Outcome::kPass);
    d.steps[0].request->headers.push_back({"Authorization", std::string("Bearer ") + kSecret});
    d.steps[0].request->headers.push_back({"X-Api-Key", kSecret});
    d.steps[0].response->headers.push_back({"Set-Cookie", std::string("s=") + kSecret});
    ASSERT_TRUE(history->RecordDocument("1-a", 0, d).ok());
  }
  std::string bytes;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    bytes += testing::ReadFileOrDie(entry.path().string());
  }
  EXPECT_NE(bytes.find("a.md"), std::string::npos) << "the document is in the file";
  EXPECT_EQ(bytes.find(kSecret), std::string::npos);
}

TEST(HistoryRecorder, RecordsTheRunAsItsEventsArrive) {
  auto history = OpenOrDie(":memory:");
  run::EventBus bus;
  HistoryRecorder recorder(*history, "cli");
  recorder.Attach(bus);
  run::RunSummary summary = Summary("5-e", 5);
  summary.totals.total = 2;
  bus.Publish(run::RunStarted{summary, {"GET /a", "GET /b"}});
  run::DocumentFinished first;
  first.index = 0;
  first.result = Document("a.md", Outcome::kPass);
  bus.Publish(first);

  auto midway = history->ListRuns(1);
  ASSERT_TRUE(midway.ok());
  ASSERT_EQ(midway->size(), 1u);
  EXPECT_FALSE((*midway)[0].complete());
  EXPECT_EQ((*midway)[0].totals.total, 1u) << "written when the document finished";

  summary.finished_at_ms = 50;
  summary.duration_ms = 45;
  bus.Publish(run::RunFinished{summary});
  auto finished = history->FindRun("5-e");
  ASSERT_TRUE(finished.ok());
  EXPECT_TRUE(finished->complete());
  EXPECT_EQ(finished->planned, 2u);
  EXPECT_TRUE(recorder.status().ok());
  EXPECT_EQ(recorder.run_id(), "5-e");
}

TEST(HistoryRecorder, KeepsTheFirstFailureAndStopsWriting) {
  auto history = OpenOrDie(":memory:");
  RecordRun(*history, "5-e", 5, {});
  run::EventBus bus;
  HistoryRecorder recorder(*history, "cli");
  recorder.Attach(bus);
  bus.Publish(run::RunStarted{Summary("5-e", 5), {}});  // the id is taken
  EXPECT_FALSE(recorder.status().ok());
  run::DocumentFinished doc;
  doc.result = Document("a.md", Outcome::kPass);
  bus.Publish(doc);
  auto documents = history->RunDocuments("5-e", false);
  ASSERT_TRUE(documents.ok());
  EXPECT_TRUE(documents->empty()) << "nothing written after the failure";
}

}  // namespace
}  // namespace verity::store
