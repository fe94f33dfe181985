// `verity demo` end to end, in-process, on the real bundled example: two mocks on loopback, the
// example knowledge base run against them. Each document ends the way examples/README.md says
// it should, the exit code says the run failed (on purpose), every report is written, the
// example in the repository is left byte for byte as it was, and no token value appears in any
// output.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "base/json.h"
#include "cli/cli.h"
#include "support/paths.h"

namespace verity {
namespace {

using ::testing::HasSubstr;

std::map<std::string, std::string> ReadTree(const std::string& root) {
  std::map<std::string, std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.is_regular_file()) {
      files[std::filesystem::relative(entry.path(), root).string()] =
          testing::ReadFileOrDie(entry.path().string());
    }
  }
  return files;
}

class DemoTest : public ::testing::Test {
 protected:
  int RunDemo(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"demo", "--examples", testing::SourcePath("examples"), "--out",
                                     out_.path()};
    args.insert(args.end(), extra.begin(), extra.end());
    cli::Context ctx{out_text_, err_text_, fs_, clock_};
    ctx.env = [](const std::string& name) -> std::optional<std::string> {
      if (name == "VERITY_EXAMPLE_STAFF_TOKEN") return "staff-0f3a-demo-test-token";
      if (name == "VERITY_EXAMPLE_DIRECTORY_TOKEN") return "directory-77c1-demo-test-token";
      return std::nullopt;
    };
    return cli::Run(args, ctx);
  }

  std::map<std::string, std::string> Outcomes() const {
    Json report = Json::parse(testing::ReadFileOrDie(out_.path() + "/report.json"));
    std::map<std::string, std::string> outcomes;
    for (const Json& result : report["results"]) {
      std::string file = result["file"];
      outcomes[std::filesystem::relative(file, out_.path() + "/kb").string()] = result["status"];
    }
    return outcomes;
  }

  PosixFileSystem fs_;
  SystemClock clock_;
  testing::TempDir out_;
  std::ostringstream out_text_, err_text_;
};

TEST_F(DemoTest, EveryExampleDocumentEndsAsTheExampleIntendsAndTheExitCodeSaysSo) {
  std::map<std::string, std::string> before = ReadTree(testing::SourcePath("examples"));
  int code = RunDemo();
  EXPECT_EQ(code, 1) << out_text_.str() << err_text_.str();

  // examples/README.md, "The recipes and what each is meant to do".
  std::map<std::string, std::string> expected = {
      {"clients/get_platform_v1_clients.md", "PASS"},
      {"clients/post_platform_v1_clients.md", "PASS"},
      {"clients/get_platform_v1_clients_client_id.md", "PASS"},
      {"clients/put_platform_v1_clients_client_id.md", "PASS"},  // after a 503 and a retry
      {"clients/delete_platform_v1_clients_client_id.md", "PASS"},
      {"sales/get_platform_v1_payment_packages.md", "PASS"},
      {"sales/post_platform_v1_payment_packages.md", "PASS"},
      {"sales/get_platform_v1_payment_packages_package_id.md", "FAIL"},  // the schema drift
      {"sales/post_platform_v1_payment_client_packages.md", "PASS"},
      {"sales/get_business_payments_v1_client_packages_uid.md", "PASS"},  // through the fallback
      {"sales/get_business_payments_v1_payments.md", "PASS"},
      {"sales/post_business_payments_v1_payments.md", "PASS"},
      {"sales/get_business_payments_v1_payments_payment_uid.md", "PASS"},
      {"sales/get_business_payments_v1_payouts.md", "SKIP"},
      {"sales/post_business_payments_v1_refunds.md", "PASS"},  // the expected 401
  };
  EXPECT_EQ(Outcomes(), expected) << out_text_.str();

  EXPECT_EQ(ReadTree(testing::SourcePath("examples")), before)
      << "the demo runs a copy of the knowledge base";
  EXPECT_EQ(testing::ReadFileOrDie(testing::SourcePath(
                "examples/kb/sales/get_business_payments_v1_client_packages_uid.md")),
            testing::ReadFileOrDie(testing::SharedPath("seed/000_11cb7a21dc1c2995.txt")))
      << "the example includes the seed document unchanged";
}

// The three behaviours the example exists to show, as the JSON report records them.
TEST_F(DemoTest, TheFlakyUpdateIsRetriedTheDriftIsPinpointedAndTheSeedGoesToTheFallback) {
  RunDemo();
  Json report = Json::parse(testing::ReadFileOrDie(out_.path() + "/report.json"));
  auto result_for = [&report](std::string_view file_end) {
    for (const Json& result : report["results"]) {
      std::string file = result["file"];
      if (file.ends_with(file_end)) return result;
    }
    return Json();
  };

  Json put = result_for("put_platform_v1_clients_client_id.md");
  size_t retried_503 = 0;
  for (const Json& step : put["steps"]) {
    for (const Json& attempt : step["attempts"]) {
      if (attempt["status"] == 503 && attempt["retryReason"].is_string()) ++retried_503;
    }
  }
  EXPECT_EQ(retried_503, 1u) << put.dump(2);

  Json drift = result_for("get_platform_v1_payment_packages_package_id.md");
  EXPECT_EQ(drift["details"]["reason"], "MISSING_REQUIRED_FIELD") << drift.dump(2);
  std::set<std::string> pointers;
  for (const Json& issue : drift["details"]["errors"]) {
    if (issue.contains("path") && issue["path"].is_string()) pointers.insert(issue["path"]);
  }
  EXPECT_TRUE(pointers.count("/data/package/currency")) << drift["details"].dump(2);
  EXPECT_TRUE(pointers.count("/data/package/price")) << drift["details"].dump(2);

  Json seed = result_for("get_business_payments_v1_client_packages_uid.md");
  EXPECT_EQ(seed["usedFallback"], true);
  EXPECT_EQ(seed["status"], "PASS");
  // The primary refuses payments whatever the token: the seed never asked it.
  EXPECT_EQ(testing::ReadFileOrDie(out_.path() + "/mock-primary.log").find("/client_packages/"),
            std::string::npos);
}

TEST_F(DemoTest, WritesEveryReportAndTheMockLogsWithoutATokenValueAnywhere) {
  RunDemo();
  std::string everything = out_text_.str() + err_text_.str();
  for (const auto& [name, bytes] : ReadTree(out_.path())) everything += bytes;
  for (const char* report : {"report.json", "report.junit.xml", "report.md", "report.html",
                             "mock-primary.log", "mock-fallback.log"}) {
    EXPECT_TRUE(std::filesystem::exists(out_.path() + "/" + report)) << report;
  }
  EXPECT_THAT(out_text_.str(), HasSubstr("reports in " + out_.path()));
  EXPECT_THAT(testing::ReadFileOrDie(out_.path() + "/mock-primary.log"), HasSubstr("token=staff"));
  EXPECT_EQ(everything.find("staff-0f3a-demo-test-token"), std::string::npos);
  EXPECT_EQ(everything.find("directory-77c1-demo-test-token"), std::string::npos);
}

TEST_F(DemoTest, TheRunOnTheCopyMarksThePassingDocumentsVerified) {
  RunDemo();
  std::string seed = testing::ReadFileOrDie(
      out_.path() + "/kb/sales/get_business_payments_v1_client_packages_uid.md");
  EXPECT_THAT(seed, HasSubstr("status: verified"));
  EXPECT_THAT(seed, HasSubstr("verifiedAt:"));
}

TEST_F(DemoTest, MissingExampleFolderIsAUsageErrorThatSaysWhereItLooked) {
  cli::Context ctx{out_text_, err_text_, fs_, clock_};
  int code = cli::Run({"demo", "--examples", out_.path() + "/nowhere"}, ctx);
  EXPECT_EQ(code, 2);
  EXPECT_THAT(err_text_.str(), HasSubstr(out_.path() + "/nowhere/kb"));
}

}  // namespace
}  // namespace verity
