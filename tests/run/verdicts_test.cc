// Which steps a run skips: `skip: true` does; a `skipReason` beside `onFail: skip` is the message
// of a failure that step tolerates, and does not skip it.
#include <gtest/gtest.h>

#include "run/executor.h"
#include "run/executor_fixture.h"
#include "spec/catalog.h"

namespace verity::run::testing {
namespace {

std::string Doc(const std::string& endpoint, const std::string& steps) {
  return "---\nendpoint: \"" + endpoint +
         "\"\ndomain: test\nstatus: verified\ntokens: [staff]\n---\n\n# Doc\n\n" + steps;
}

std::string TestRequest(const std::string& step_lines) {
  return "## Test Request\n\n```yaml\nsteps:\n  - id: test\n    method: GET\n    path: /test\n" +
         step_lines + "```\n";
}

TEST_F(ExecutorTest, ASkipReasonBesideOnFailSkipRunsTheStepAndPassesWhenItSucceeds) {
  AddDoc("a.md", Doc("GET /test", TestRequest("    onFail: skip\n"
                                              "    skipReason: \"No appointments to cancel\"\n")));
  transport.Script("GET", "*/test", Reply(200));
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(d.outcome, Outcome::kPass) << d.message;
  ASSERT_EQ(d.steps.size(), 1u);
  EXPECT_EQ(d.steps[0].outcome, Outcome::kPass);
  EXPECT_EQ(transport.requests().size(), 1u);
}

TEST_F(ExecutorTest, ASkipReasonIsTheMessageOfAFailureThatOnFailSkipTolerates) {
  AddDoc("a.md", Doc("GET /test", TestRequest("    onFail: skip\n"
                                              "    skipReason: \"No appointments to cancel\"\n")));
  transport.Script("GET", "*/test", Reply(500));
  DocumentResult d = Only(RunAll());
  ASSERT_EQ(d.steps.size(), 1u);
  EXPECT_EQ(d.steps[0].outcome, Outcome::kSkip);
  EXPECT_EQ(d.steps[0].reason, "SERVER_ERROR");
  EXPECT_EQ(d.steps[0].message,
            "tolerated (onFail: skip): No appointments to cancel; server error 500 (expected 2xx)");
}

TEST_F(ExecutorTest, SkipTrueSkipsTheStepWithItsReasonAndSendsNothing) {
  AddDoc("a.md", Doc("GET /test", TestRequest("    skip: true\n"
                                              "    skipReason: \"not ready\"\n")));
  DocumentResult d = Only(RunAll());
  ASSERT_EQ(d.steps.size(), 1u);
  EXPECT_EQ(d.steps[0].outcome, Outcome::kSkip);
  EXPECT_EQ(d.steps[0].reason, "STEP_SKIPPED");
  EXPECT_EQ(d.steps[0].message, "not ready");
  EXPECT_TRUE(transport.requests().empty());
}

}  // namespace
}  // namespace verity::run::testing
