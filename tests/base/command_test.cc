// A secret manager's command: its output is the value; a failure says what went wrong without
// any of what the program printed.
#include "base/command.h"

#include <gtest/gtest.h>

#include <chrono>

namespace verity {
namespace {

TEST(RunCommandForOutput, TheProgramsStandardOutputIsTheValue) {
  Result<std::string> out = RunCommandForOutput({"printf", "%s\\n", "tok-0123456789"});
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ("tok-0123456789\n", *out);
}

TEST(RunCommandForOutput, ANonZeroExitIsAnErrorWithoutTheOutput) {
  Result<std::string> out = RunCommandForOutput({"sh", "-c", "echo leaked-secret; exit 3"});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ("sh: exited with status 3", out.status().message());
}

TEST(RunCommandForOutput, AProgramThatCannotBeStartedIsNotFound) {
  Result<std::string> out = RunCommandForOutput({"/nonexistent/verity-secret-tool"});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(StatusCode::kNotFound, out.status().code());
}

TEST(RunCommandForOutput, AProgramPastItsTimeoutIsKilled) {
  auto started = std::chrono::steady_clock::now();
  Result<std::string> out = RunCommandForOutput({"sleep", "30"}, {.timeout_ms = 200});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(StatusCode::kLimitExceeded, out.status().code());
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
}

TEST(RunCommandForOutput, AProgramThatClosesItsOutputAndLingersIsKilledAtTheTimeout) {
  Result<std::string> out =
      RunCommandForOutput({"sh", "-c", "echo x; exec >&-; sleep 30"}, {.timeout_ms = 300});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(StatusCode::kLimitExceeded, out.status().code());
}

TEST(RunCommandForOutput, MoreOutputThanTheLimitIsRefused) {
  Result<std::string> out =
      RunCommandForOutput({"sh", "-c", "yes | head -c 100000"}, {.max_output_bytes = 1024});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(StatusCode::kLimitExceeded, out.status().code());
}

}  // namespace
}  // namespace verity
