// `verity jsonpath`, run in-process with an in-memory file system and a string as stdin.
#include <gtest/gtest.h>

#include <sstream>

#include "base/clock.h"
#include "cli/cli.h"
#include "support/memory_file_system.h"

namespace verity::cli {
namespace {

class JsonPathCliTest : public ::testing::Test {
 protected:
  JsonPathCliTest() : clock_(0) {
    fs_.Add("r.json", R"({"data": {"clients": [{"id": "c1"}, {"id": "c2"}], "uid": "u1"}})");
  }
  int Run(std::vector<std::string> args, std::string stdin_text = "") {
    out_.str(""), err_.str("");
    std::istringstream in(stdin_text);
    Context ctx{out_, err_, fs_, clock_};
    ctx.in = &in;
    return cli::Run(args, ctx);
  }
  testing::MemoryFileSystem fs_;
  FakeClock clock_;
  std::ostringstream out_, err_;
};

TEST_F(JsonPathCliTest, PrintsTheValuesOfTheNodelist) {
  EXPECT_EQ(kExitOk, Run({"jsonpath", "$.data.clients[*].id", "r.json"}));
  EXPECT_EQ("[\n  \"c1\",\n  \"c2\"\n]\n", out_.str());
}

TEST_F(JsonPathCliTest, PrintsNormalizedPathsOnRequest) {
  EXPECT_EQ(kExitOk, Run({"jsonpath", "--paths", "$..uid", "r.json"}));
  EXPECT_EQ("[\n  \"$['data']['uid']\"\n]\n", out_.str());
}

TEST_F(JsonPathCliTest, ReadsStandardInputWithoutAFile) {
  EXPECT_EQ(kExitOk, Run({"jsonpath", "$[1]"}, "[10, 20, 30]"));
  EXPECT_EQ("[\n  20\n]\n", out_.str());
}

TEST_F(JsonPathCliTest, AnEmptyNodelistIsAnEmptyArray) {
  EXPECT_EQ(kExitOk, Run({"jsonpath", "$.nothing", "r.json"}));
  EXPECT_EQ("[]\n", out_.str());
}

TEST_F(JsonPathCliTest, AnInvalidQueryNamesTheColumnPointsAtItAndExitsTwo) {
  EXPECT_EQ(kExitUsage, Run({"jsonpath", "$.data[1", "r.json"}));
  std::string err = err_.str();
  EXPECT_EQ(0u, err.find("verity: invalid JSONPath: column 9: ")) << err;
  EXPECT_NE(std::string::npos, err.find("\n  $.data[1\n          ^\n")) << err;
  EXPECT_EQ("", out_.str());
}

TEST_F(JsonPathCliTest, TheLegacyFirstElementSuffixIsRefusedInStrictMode) {
  EXPECT_EQ(kExitOk, Run({"jsonpath", "$.data.clients[*].id | [0]", "r.json"}));
  EXPECT_EQ("[\n  \"c1\"\n]\n", out_.str());
  EXPECT_EQ(kExitUsage, Run({"jsonpath", "--strict", "$.data.clients[*].id | [0]", "r.json"}));
}

TEST_F(JsonPathCliTest, InputThatIsNotJsonIsReportedWithItsPosition) {
  EXPECT_EQ(kExitUsage, Run({"jsonpath", "$"}, "{\"a\": }"));
  EXPECT_EQ(0u, err_.str().find("verity: <stdin>: not JSON: line 1, column 7: ")) << err_.str();
}

TEST_F(JsonPathCliTest, AMissingFileIsAUsageError) {
  EXPECT_EQ(kExitUsage, Run({"jsonpath", "$", "nope.json"}));
  EXPECT_EQ("verity: no such file: nope.json\n", err_.str());
}

}  // namespace
}  // namespace verity::cli

namespace verity::cli {
namespace {

// Found by the template fuzzer: nlohmann reports an out-of-range number with another exception.
TEST_F(JsonPathCliTest, ANumberTooLargeForADoubleIsReportedNotThrown) {
  EXPECT_EQ(kExitUsage, Run({"jsonpath", "$"}, "[1e999]"));
  EXPECT_EQ(0u, err_.str().find("verity: <stdin>: not JSON: number overflow")) << err_.str();
}

}  // namespace
}  // namespace verity::cli
