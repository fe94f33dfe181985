// The history keeps a step's checks: what `verity history` and the dashboard show of a past run
// carries each check with its path, operator, expected and seen values, mark and line.
#include <gtest/gtest.h>

#include "store/history.h"
#include "store/history_json.h"

namespace verity::store {
namespace {

run::DocumentResult CheckedDocument() {
  run::CheckResult passed;
  passed.subject = "header";
  passed.target = "Location";
  passed.op = "exists";
  passed.expected = "true";
  passed.actual = "\"/clients/c42\"";
  passed.passed = true;
  passed.line = 12;
  passed.col = 9;
  run::CheckResult failed;
  failed.subject = "body";
  failed.target = "$.data.name";
  failed.op = "equals";
  failed.expected = "\"Ada\"";
  failed.actual = "\"Bob\"";
  failed.message = "the values differ";
  failed.line = 14;
  failed.col = 11;

  run::StepResult step;
  step.id = "read_back";
  step.section = "test_request";
  step.outcome = run::Outcome::kFail;
  step.reason = "CHECK_FAILED";
  step.checks = {passed, failed};
  run::DocumentResult d;
  d.file = "kb/crm/get-client.md";
  d.endpoint = "GET /clients/{id}";
  d.outcome = run::Outcome::kFail;
  d.reason = "CHECK_FAILED";
  d.steps.push_back(step);
  return d;
}

TEST(History, ARecordedStepKeepsItsChecksWithExpectedActualAndLine) {
  auto opened = History::Open(":memory:");
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  History& history = **opened;
  run::RunSummary summary;
  summary.run_id = "200-bbbb";
  summary.started_at_ms = 200;
  ASSERT_TRUE(history.BeginRun(summary, 1, "cli").ok());
  ASSERT_TRUE(history.RecordDocument("200-bbbb", 0, CheckedDocument()).ok());
  summary.finished_at_ms = 300;
  ASSERT_TRUE(history.FinishRun(summary).ok());

  Result<Json> detail = RunDetailJson(history, "200-bbbb");
  ASSERT_TRUE(detail.ok()) << detail.status().message();
  const Json& checks = (*detail)["results"][0]["steps"][0]["checks"];
  ASSERT_EQ(checks.size(), 2u) << detail->dump(2);
  EXPECT_EQ(checks[0]["passed"], true);
  EXPECT_EQ(checks[0]["target"], "Location");
  EXPECT_EQ(checks[1]["passed"], false);
  EXPECT_EQ(checks[1]["target"], "$.data.name");
  EXPECT_EQ(checks[1]["op"], "equals");
  EXPECT_EQ(checks[1]["expected"], "\"Ada\"");
  EXPECT_EQ(checks[1]["actual"], "\"Bob\"");
  EXPECT_EQ(checks[1]["message"], "the values differ");
  EXPECT_EQ(checks[1]["line"], 14);
  EXPECT_EQ(checks[1]["col"], 11);
}

TEST(History, StepRecordsReadTheirChecksBackNestedStepsIncluded) {
  auto opened = History::Open(":memory:");
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  History& history = **opened;
  run::RunSummary summary;
  summary.run_id = "201-cccc";
  summary.started_at_ms = 201;
  ASSERT_TRUE(history.BeginRun(summary, 1, "cli").ok());
  run::DocumentResult d = CheckedDocument();
  run::StepResult use;
  use.id = "through";
  use.section = "use";
  use.outcome = run::Outcome::kFail;
  use.nested.push_back(d.steps[0]);
  run::StepResult plain;
  plain.id = "after";
  plain.section = "cleanup";
  d.steps = {use, plain};
  ASSERT_TRUE(history.RecordDocument("201-cccc", 0, d).ok());

  auto documents = history.RunDocuments("201-cccc", /*with_steps=*/true);
  ASSERT_TRUE(documents.ok()) << documents.status().message();
  const std::vector<StepRecord>& steps = (*documents)[0].steps;
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_TRUE(steps[0].checks.empty()) << "the use: step has no checks of its own";
  ASSERT_EQ(steps[1].checks.size(), 2u);
  EXPECT_EQ(steps[1].id, "read_back");
  EXPECT_TRUE(steps[1].checks[0].passed);
  EXPECT_FALSE(steps[1].checks[1].passed);
  EXPECT_EQ(steps[1].checks[1].target, "$.data.name");
  EXPECT_EQ(steps[1].checks[1].expected, "\"Ada\"");
  EXPECT_EQ(steps[1].checks[1].actual, "\"Bob\"");
  EXPECT_EQ(steps[1].checks[1].message, "the values differ");
  EXPECT_EQ(steps[1].checks[1].line, 14);
  EXPECT_EQ(steps[1].checks[1].col, 11);
  EXPECT_TRUE(steps[2].checks.empty());
}

}  // namespace
}  // namespace verity::store
