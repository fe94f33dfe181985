// A dummy token of one letter, as a user sets for an API that takes no credentials: the run's
// console and report must read like the API's text, and still hide the token where it stands as a
// value of its own.
#include <gtest/gtest.h>

#include <sstream>

#include "report/console.h"
#include "report/json_report.h"
#include "run/executor_fixture.h"

namespace verity::run::testing {
namespace {

class ShortSecretRunTest : public ExecutorTest {
 protected:
  ShortSecretRunTest() {
    Credential staff;
    staff.value = "x";
    staff.scheme = AuthScheme::kBearer;
    settings.tokens["staff"] = staff;
  }
};

TEST_F(ShortSecretRunTest, TheApiMessageReadsIntactAndOnlyTheWholeValueEchoingTheTokenIsMasked) {
  AddDoc("things.md",
         "---\nendpoint: \"GET /things/{id}\"\ndomain: test\nstatus: verified\ntokens: [staff]\n"
         "---\n\n# Things\n\n## Test Request\n\n```yaml\nsteps:\n  - id: get\n    method: GET\n"
         "    path: /things/42\n```\n");
  transport.Script("GET", "*/things/42",
                   Reply(404, R"({"message":"Thing 42 does not exist","createdBy":"x"})",
                         {{"Content-Type", "application/json"}, {"X-Echo", "x"}}));

  std::ostringstream console;
  report::ConsoleOptions options;
  options.verbose = true;
  report::ConsoleReporter reporter(console, options);
  reporter.Attach(bus);
  RunResult result = RunAll();
  DocumentResult d = Only(result);
  ASSERT_EQ(d.outcome, Outcome::kFail) << d.message;

  std::string report = report::RunReportText(result);
  EXPECT_NE(report.find("does not exist"), std::string::npos) << report;
  EXPECT_EQ(report.find("e****ist"), std::string::npos) << report;
  EXPECT_NE(report.find(R"(\"createdBy\":\"****\")"), std::string::npos) << report;
  EXPECT_EQ(report.find(R"(\"createdBy\":\"x\")"), std::string::npos) << report;
  EXPECT_NE(report.find("Bearer ****"), std::string::npos) << report;
  EXPECT_EQ(report.find("Bearer x"), std::string::npos) << report;
  EXPECT_NE(report.find(R"("X-Echo": "****")"), std::string::npos) << report;

  EXPECT_NE(console.str().find("does not exist"), std::string::npos) << console.str();
  EXPECT_EQ(console.str().find("e****ist"), std::string::npos) << console.str();
  EXPECT_EQ(console.str().find("Bearer x"), std::string::npos) << console.str();
}

}  // namespace
}  // namespace verity::run::testing
