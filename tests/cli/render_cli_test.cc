// `verity render`, in-process: fixed clock and seed give fixed output; precedence; errors.
#include <gtest/gtest.h>

#include <sstream>

#include "base/clock.h"
#include "cli/cli.h"
#include "support/memory_file_system.h"

namespace verity::cli {
namespace {

class RenderCliTest : public ::testing::Test {
 protected:
  RenderCliTest() : clock_(0) {
    fs_.Add("params.json", R"({"client_uid": "env-client", "business_uid": "b 1"})");
  }
  int Run(std::vector<std::string> args) {
    out_.str(""), err_.str("");
    Context ctx{out_, err_, fs_, clock_};
    return cli::Run(args, ctx);
  }
  testing::MemoryFileSystem fs_;
  FakeClock clock_;
  std::ostringstream out_, err_;
};

TEST_F(RenderCliTest, AFixedClockAndSeedGiveTheSameOutputEveryTime) {
  std::vector<std::string> args = {
      "render", "{{today_date}} {{tomorrow_datetime}} {{random_string}}",
      "--now",  "2026-02-08T13:58:00Z",
      "--seed", "7"};
  EXPECT_EQ(kExitOk, Run(args));
  std::string first = out_.str();
  EXPECT_EQ(0u, first.find("2026-02-08 2026-02-09T17:00:00.000Z test_")) << first;
  EXPECT_EQ(kExitOk, Run(args));
  EXPECT_EQ(first, out_.str());
}

TEST_F(RenderCliTest, TheTimeZoneMovesTheDateVariables) {
  EXPECT_EQ(kExitOk,
            Run({"render", "{{today_date}}", "--now", "2026-02-08T23:30:00Z", "--tz", "+02:00"}));
  EXPECT_EQ("2026-02-09\n", out_.str());
}

TEST_F(RenderCliTest, CommandLineVariablesBeatConfigParams) {
  EXPECT_EQ(kExitOk, Run({"render", "{{client_uid}}/{{config.params.client_uid}}", "--params",
                          "params.json", "--var", "client_uid=cli-client"}));
  EXPECT_EQ("cli-client/env-client\n", out_.str());
}

TEST_F(RenderCliTest, PathsAreEncodedAndJsonBodiesKeepTypes) {
  EXPECT_EQ(kExitOk,
            Run({"render", "--path", "/businesses/{{business_uid}}", "--params", "params.json"}));
  EXPECT_EQ("/businesses/b%201\n", out_.str());
  EXPECT_EQ(kExitOk, Run({"render", "--json", R"({"n": "{{n}}", "s": "x{{n}}"})", "--var", "n=5"}));
  EXPECT_EQ("{\n  \"n\": \"5\",\n  \"s\": \"x5\"\n}\n", out_.str());
}

TEST_F(RenderCliTest, EveryUnresolvedNameIsReportedAndNothingIsPrinted) {
  EXPECT_EQ(kExitFindings, Run({"render", "/a/{{x}}/{{y}}", "--step", "create"}));
  EXPECT_EQ("", out_.str());
  EXPECT_NE(std::string::npos, err_.str().find("\"x\"")) << err_.str();
  EXPECT_NE(std::string::npos, err_.str().find("\"y\"")) << err_.str();
  EXPECT_NE(std::string::npos, err_.str().find("[TEMPLATE_UNRESOLVED]")) << err_.str();
}

TEST_F(RenderCliTest, BadOptionValuesAreUsageErrors) {
  EXPECT_EQ(kExitUsage, Run({"render", "x", "--now", "yesterday"}));
  EXPECT_EQ(kExitUsage, Run({"render", "x", "--tz", "Mars/Olympus"}));
  EXPECT_EQ(kExitUsage, Run({"render", "x", "--var", "novalue"}));
}

}  // namespace
}  // namespace verity::cli
