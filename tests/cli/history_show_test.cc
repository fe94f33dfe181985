// `verity history show`: how a recorded run reads back on the console.
#include <gtest/gtest.h>

#include <sstream>

#include "base/clock.h"
#include "cli/cli.h"
#include "store/history.h"
#include "support/memory_file_system.h"
#include "support/paths.h"

namespace verity::cli {
namespace {

run::StepResult Step(const std::string& id, const std::string& section,
                     const std::string& endpoint) {
  run::StepResult step;
  step.id = id;
  step.section = section;
  step.endpoint = endpoint;
  step.outcome = run::Outcome::kPass;
  return step;
}

// One document that passed with a warning, whose prerequisite is a `use:` step.
std::string RecordWarnedRunWithAUseStep(const std::string& path) {
  auto history = store::History::Open(path);
  EXPECT_TRUE(history.ok()) << history.status().message();
  run::RunSummary summary;
  summary.run_id = "100-aaaa";
  summary.started_at_ms = 100;
  EXPECT_TRUE((*history)->BeginRun(summary, 1, "cli").ok());
  run::DocumentResult d;
  d.file = "kb/a.md";
  d.endpoint = "GET /a";
  d.outcome = run::Outcome::kWarn;
  d.reason = "UNDOCUMENTED_FIELD";
  d.message = "field \"x\" is not declared in the schema";
  run::StepResult use = Step("login", "use", "use POST /login");
  use.nested.push_back(Step("post", "test_request", "POST /login"));
  d.steps.push_back(use);
  d.steps.push_back(Step("get", "test_request", "GET /a"));
  EXPECT_TRUE((*history)->RecordDocument(summary.run_id, 0, d).ok());
  summary.totals.Add(d.outcome);
  summary.finished_at_ms = 200;
  EXPECT_TRUE((*history)->FinishRun(summary).ok());
  return summary.run_id;
}

TEST(HistoryShow, AUseStepSaysUseOnceAndAWarnedRunPassedWithWarnings) {
  testing::TempDir dir;
  std::string path = dir.path() + "/history.db";
  std::string id = RecordWarnedRunWithAUseStep(path);
  std::ostringstream out, err;
  testing::MemoryFileSystem fs;
  FakeClock clock(1767225600000);
  Context ctx{out, err, fs, clock};
  ASSERT_EQ(cli::Run({"history", "show", id, "--history", path, "-v"}, ctx), 0) << err.str();
  std::string shown = out.str();
  EXPECT_NE(shown.find("1 of 1 documents: 1 passed with warnings, 0 errored, 0 failed"),
            std::string::npos)
      << shown;
  EXPECT_NE(shown.find("PASS  use POST /login"), std::string::npos) << shown;
  EXPECT_EQ(shown.find("use use"), std::string::npos) << shown;
  EXPECT_NE(shown.find("PASS  test_request POST /login"), std::string::npos) << shown;
}

TEST(HistoryShow, VerboseListsEachStepsChecksWithTheirMarksExpectedAndSeenValues) {
  testing::TempDir dir;
  std::string path = dir.path() + "/history.db";
  {
    auto history = store::History::Open(path);
    ASSERT_TRUE(history.ok()) << history.status().message();
    run::RunSummary summary;
    summary.run_id = "300-cccc";
    summary.started_at_ms = 300;
    ASSERT_TRUE((*history)->BeginRun(summary, 1, "cli").ok());
    run::StepResult step = Step("read_back", "test_request", "GET /clients/{{id}}");
    step.outcome = run::Outcome::kFail;
    step.reason = "CHECK_FAILED";
    run::CheckResult passed{"header", "Location", "exists", "true", "\"/clients/c1\"",
                            true,     "",         12,       9};
    run::CheckResult failed{
        "body", "$.name", "equals", "\"Ada\"", "\"Bob\"", false, "the values differ", 14, 11};
    step.checks = {passed, failed};
    run::DocumentResult d;
    d.file = "kb/c.md";
    d.endpoint = "GET /clients/{id}";
    d.outcome = run::Outcome::kFail;
    d.steps.push_back(step);
    ASSERT_TRUE((*history)->RecordDocument(summary.run_id, 0, d).ok());
    summary.totals.Add(d.outcome);
    summary.finished_at_ms = 400;
    ASSERT_TRUE((*history)->FinishRun(summary).ok());
  }
  std::ostringstream out, err;
  testing::MemoryFileSystem fs;
  FakeClock clock(1767225600000);
  Context ctx{out, err, fs, clock};
  ASSERT_EQ(cli::Run({"history", "show", "300-cccc", "--history", path, "-v"}, ctx), 0)
      << err.str();
  std::string shown = out.str();
  EXPECT_NE(shown.find("            ✓ header Location exists: got \"/clients/c1\" (line 12)\n"),
            std::string::npos)
      << shown;
  EXPECT_NE(shown.find("            ✗ body $.name equals \"Ada\": the values differ; expected "
                       "\"Ada\", got \"Bob\" (line 14)\n"),
            std::string::npos)
      << shown;
}

}  // namespace
}  // namespace verity::cli
