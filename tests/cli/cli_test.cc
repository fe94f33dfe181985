#include "cli/cli.h"

#include <gtest/gtest.h>

#include <sstream>

#include "base/json.h"
#include "support/memory_file_system.h"
#include "support/paths.h"

namespace verity::cli {
namespace {

using testing::MemoryFileSystem;
using testing::ReadFileOrDie;
using testing::SharedPath;
using testing::SourcePath;

const char kSeedPath[] = "kb/sales/get_business_payments_v1_client_packages_uid.md";

class CliTest : public ::testing::Test {
 protected:
  CliTest() : clock_(1764000000000) {
    fs_.Add(kSeedPath, ReadFileOrDie(SharedPath("seed/000_11cb7a21dc1c2995.txt")));
    fs_.Add("kb/clients/get_platform_v1_clients.md",
            ReadFileOrDie(SourcePath("examples/kb/clients/get_platform_v1_clients.md")));
    fs_.Add("kb/README.md", "# not a workflow\n");
  }

  int Run(std::vector<std::string> args) {
    out_.str(""), err_.str("");
    Context ctx{out_, err_, fs_, clock_};
    return cli::Run(args, ctx);
  }

  MemoryFileSystem fs_;
  FakeClock clock_;
  std::ostringstream out_, err_;
};

TEST_F(CliTest, LintPrintsASummaryAndExitsZeroWithoutErrors) {
  EXPECT_EQ(kExitOk, Run({"kb", "lint", "kb"}));
  EXPECT_EQ("2 documents checked: 0 errors, 0 warnings\n", out_.str());
}

TEST_F(CliTest, LintPrintsFileLineColumnAndExitsOneOnErrors) {
  fs_.Add("kb/sales/get_broken.md", "---\nendpoint: \"GET /broken\"\ndomain: sales\n---\n");
  EXPECT_EQ(kExitFindings, Run({"kb", "lint", "kb"}));
  EXPECT_EQ(
      "kb/sales/get_broken.md: warning: no steps in a \"## Test Request\" section: nothing to run "
      "[NO_TEST_REQUEST]\n"
      "kb/sales/get_broken.md:1:1: error: required field \"status\" is missing [FIELD_REQUIRED]\n"
      "3 documents checked: 1 error, 1 warning\n",
      out_.str());
}

TEST_F(CliTest, LintPrintsJsonDiagnostics) {
  fs_.Add("kb/sales/get_broken.md", "---\nendpoint: \"GET /broken\"\ndomain: sales\n---\n");
  EXPECT_EQ(kExitFindings, Run({"kb", "lint", "kb", "--format", "json", "--errors-only"}));
  Json diags = Json::parse(out_.str());
  ASSERT_EQ(1u, diags.size());
  EXPECT_EQ("kb/sales/get_broken.md", diags[0]["file"]);
  EXPECT_EQ(1, diags[0]["line"]);
  EXPECT_EQ(1, diags[0]["col"]);
  EXPECT_EQ("error", diags[0]["severity"]);
  EXPECT_EQ("FIELD_REQUIRED", diags[0]["code"]);
}

TEST_F(CliTest, ShowJsonGivesTheWholeModelOfTheSeed) {
  EXPECT_EQ(kExitOk, Run({"kb", "show", kSeedPath, "--json"}));
  Json doc = Json::parse(out_.str());
  EXPECT_EQ("GET /business/payments/v1/client_packages/{uid}", doc["frontmatter"]["endpoint"]);
  ASSERT_EQ(4u, doc["steps"].size());
  for (int i = 0; i < 3; ++i) EXPECT_EQ("prerequisites", doc["steps"][i]["section"]);
  EXPECT_EQ("test_request", doc["steps"][3]["section"]);
  EXPECT_EQ("get_client_package", doc["steps"][3]["id"]);
  EXPECT_EQ(Json::array({200, 201}), doc["steps"][2]["expect"]["status"]);
  EXPECT_EQ(Json("1"), doc["steps"][0]["params"]["per_page"]);
  EXPECT_EQ(Json(1), doc["steps"][2]["body"]["price"]);
  EXPECT_EQ(Json::object({{"line", 38}, {"col", 5}}), doc["steps"][0]["pos"]);
  EXPECT_TRUE(doc["diagnostics"].empty());
}

TEST_F(CliTest, ShowTextListsStepsBySection) {
  EXPECT_EQ(kExitOk, Run({"kb", "show", kSeedPath}));
  EXPECT_NE(std::string::npos, out_.str().find("prerequisites (3 steps):"));
  EXPECT_NE(std::string::npos, out_.str().find("test_request (1 step):"));
}

TEST_F(CliTest, ShowOfAMissingFileIsAUsageError) {
  EXPECT_EQ(kExitUsage, Run({"kb", "show", "kb/nope.md"}));
  EXPECT_EQ("verity: no such document: kb/nope.md\n", err_.str());
}

TEST_F(CliTest, LsFiltersByStatusDomainTagAndToken) {
  EXPECT_EQ(kExitOk, Run({"kb", "ls", "kb", "--domain", "sales", "--json"}));
  Json docs = Json::parse(out_.str());
  ASSERT_EQ(1u, docs.size());
  EXPECT_EQ("GET /business/payments/v1/client_packages/{uid}", docs[0]["endpoint"]);
  EXPECT_EQ(true, docs[0]["useFallbackApi"]);
  EXPECT_EQ(kExitOk, Run({"kb", "ls", "kb", "--token", "directory", "--json"}));
  EXPECT_EQ(1u, Json::parse(out_.str()).size());
  EXPECT_EQ(kExitOk, Run({"kb", "ls", "kb", "--status", "pending", "--json"}));
  EXPECT_TRUE(Json::parse(out_.str()).empty());
  EXPECT_EQ(kExitOk, Run({"kb", "ls", "kb", "--tag", "PACKAGES"}));
  EXPECT_NE(std::string::npos, out_.str().find("1 document (* = uses the fallback API)"));
}

TEST_F(CliTest, SearchJsonPutsTheSeedFirst) {
  EXPECT_EQ(kExitOk,
            Run({"kb", "search", "kb", "client package fallback", "--json", "--limit", "1"}));
  Json hits = Json::parse(out_.str());
  ASSERT_EQ(1u, hits.size());
  EXPECT_EQ(kSeedPath, hits[0]["file"]);
  EXPECT_GT(hits[0]["score"].get<double>(), 0.0);
}

TEST_F(CliTest, IndexWritesIndexJsonOnceAndThenReportsItUpToDate) {
  EXPECT_EQ(kExitOk, Run({"kb", "index", "kb"}));
  EXPECT_EQ("wrote kb/index.json (2 workflows)\n", out_.str());
  Json index = Json::parse(fs_.Get("kb/index.json"));
  EXPECT_EQ(2u, index["workflows"].size());
  EXPECT_EQ(kExitOk, Run({"kb", "index", "kb"}));
  EXPECT_EQ("kb/index.json is up to date (2 workflows)\n", out_.str());
  EXPECT_EQ(1u, fs_.writes().size());
}

TEST_F(CliTest, SetChangesOnlyTheNamedFields) {
  std::string before = fs_.Get(kSeedPath);
  EXPECT_EQ(kExitOk, Run({"kb", "set", kSeedPath, "status=failed", "timesReused=1"}));
  EXPECT_EQ(std::string(kSeedPath) + ": updated status, timesReused\n", out_.str());
  std::string after = fs_.Get(kSeedPath);
  EXPECT_EQ(before.size() - 2, after.size());
  EXPECT_NE(std::string::npos, after.find("\nstatus: failed\n"));
  EXPECT_NE(std::string::npos, after.find("\ntimesReused: 1\n"));
  EXPECT_EQ(kExitOk, Run({"kb", "set", kSeedPath, "status=failed"}));
  EXPECT_EQ(std::string(kSeedPath) + ": unchanged\n", out_.str());
}

TEST_F(CliTest, SetRefusesAnInvalidValueWithExitTwo) {
  std::string before = fs_.Get(kSeedPath);
  EXPECT_EQ(kExitUsage, Run({"kb", "set", kSeedPath, "status=bogus"}));
  EXPECT_EQ("verity: status must be one of verified, pending, failed, skipped, deprecated\n",
            err_.str());
  EXPECT_EQ(before, fs_.Get(kSeedPath));
}

TEST_F(CliTest, NewScaffoldsAtTheConventionalPathAndRefusesADuplicate) {
  EXPECT_EQ(kExitOk, Run({"kb", "new", "DELETE /platform/v1/clients/{client_id}", "--domain",
                          "clients", "--kb", "kb"}));
  EXPECT_EQ("created kb/clients/delete_platform_v1_clients_client_id.md\n", out_.str());
  EXPECT_EQ(kExitFindings, Run({"kb", "new", "DELETE /platform/v1/clients/{client_id}", "--domain",
                                "clients", "--kb", "kb"}));
  EXPECT_EQ(
      "verity: DELETE /platform/v1/clients/{client_id} is already documented in "
      "kb/clients/delete_platform_v1_clients_client_id.md\n",
      err_.str());
}

TEST_F(CliTest, UnknownSubcommandsAndMissingArgumentsAreUsageErrors) {
  EXPECT_EQ(kExitUsage, Run({"kb", "frobnicate"}));
  EXPECT_EQ(kExitUsage, Run({"kb", "lint"}));
  EXPECT_EQ(kExitUsage, Run({}));
  EXPECT_EQ(kExitUsage, Run({"kb", "lint", "no/such/folder"}));
  EXPECT_EQ("verity: no such file or folder: no/such/folder\n", err_.str());
}

TEST_F(CliTest, AnUnknownSubcommandIsNamedWithTheNearestAtEveryLevel) {
  EXPECT_EQ(kExitUsage, Run({"kb", "lnt", "x"}));
  EXPECT_EQ(0u, err_.str().find("verity: unknown command 'lnt' for 'verity kb'; nearest: lint\n"))
      << err_.str();
  EXPECT_EQ(kExitUsage, Run({"knb", "lint"}));
  EXPECT_EQ(0u, err_.str().find("verity: unknown command 'knb' for 'verity'; nearest: kb\n"))
      << err_.str();
  EXPECT_EQ(kExitUsage, Run({"spec", "lss", "specs"}));
  EXPECT_EQ(0u, err_.str().find("verity: unknown command 'lss' for 'verity spec'; nearest: ls\n"))
      << err_.str();
  EXPECT_EQ(kExitUsage, Run({"kb", "frobnicate"}));
  EXPECT_EQ(0u, err_.str().find("verity: unknown command 'frobnicate' for 'verity kb' (one of: "
                                "lint, show, ls, search, index, set, new)"))
      << err_.str();
}

TEST_F(CliTest, HelpAndVersionExitZero) {
  EXPECT_EQ(kExitOk, Run({"--help"}));
  EXPECT_NE(std::string::npos, out_.str().find("kb"));
  EXPECT_EQ(kExitOk, Run({"--version"}));
  EXPECT_EQ("verity 0.1.0\n", out_.str());
}

}  // namespace
}  // namespace verity::cli
