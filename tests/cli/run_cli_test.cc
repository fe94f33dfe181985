// `verity run`, in-process, against the seed's world on 127.0.0.1: exit codes 0/1/2, the four
// reports, write-back, dry runs, and a whole suite after which no output stream and no file holds
// a token value.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "base/clock.h"
#include "base/json.h"
#include "cli/cli.h"
#include "run/executor_fixture.h"
#include "run/seed_world_server.h"
#include "support/memory_file_system.h"
#include "support/paths.h"

namespace verity::cli {
namespace {

using run::testing::kDirectorySecret;
using run::testing::kStaffSecret;
using run::testing::SeedDocument;
using run::testing::SeedWorldServer;

const char kSeedPath[] = "kb/sales/get-client-package.md";

class RunCliTest : public ::testing::Test {
 protected:
  RunCliTest() : world_(kStaffSecret, kDirectorySecret), clock_(1767225600000) {
    env_["VERITY_STAFF_TOKEN"] = kStaffSecret;
    env_["VERITY_DIRECTORY_TOKEN"] = kDirectorySecret;
  }

  void WriteConfig(const std::string& extra_environment_lines) {
    fs_.Add("verity.yaml", "environments:\n  staging:\n    base_url: " + world_.primary_url() +
                               "\n    fallback_url: " + world_.fallback_url() +
                               "\n    knowledge_base: kb\n"
                               "    params: {business_id: biz1}\n"
                               "    rate_limit: off\n"
                               "    timeout: 2s\n" +
                               extra_environment_lines +
                               "    tokens:\n"
                               "      staff: {env: VERITY_STAFF_TOKEN}\n"
                               "      directory: {env: VERITY_DIRECTORY_TOKEN}\n");
    config_written_ = true;
  }

  int Run(std::vector<std::string> args) {
    if (want_config_ && !config_written_) WriteConfig("");
    out_.str(""), err_.str("");
    args.insert(args.begin(), "run");
    Context ctx{out_, err_, fs_, clock_};
    ctx.env = [this](const std::string& name) -> std::optional<std::string> {
      auto it = env_.find(name);
      if (it == env_.end()) return std::nullopt;
      return it->second;
    };
    return cli::Run(args, ctx);
  }

  Json ReadJson(const std::string& path) {
    Json json = Json::parse(fs_.Get(path), nullptr, false);
    EXPECT_FALSE(json.is_discarded()) << path;
    return json;
  }

  SeedWorldServer world_;
  bool want_config_ = true;
  bool config_written_ = false;
  testing::MemoryFileSystem fs_;
  FakeClock clock_;
  std::map<std::string, std::string> env_;
  std::ostringstream out_, err_;
};

TEST_F(RunCliTest, APassingRunExitsZeroWritesEveryReportAndMarksTheRecipeVerified) {
  fs_.Add(kSeedPath, SeedDocument());
  int code = Run({"--report-json", "out/report.json", "--report-junit", "out/junit.xml",
                  "--report-md", "out/report.md", "--report-html", "out/report.html"});
  EXPECT_EQ(code, 0) << out_.str() << err_.str();

  Json report = ReadJson("out/report.json");
  EXPECT_EQ(report["format"], "verity-run-report");
  EXPECT_EQ(report["summary"]["environment"], "staging");
  EXPECT_EQ(report["summary"]["passed"], 1);
  EXPECT_EQ(report["results"][0]["endpoint"], "GET /business/payments/v1/client_packages/{uid}");
  EXPECT_NE(fs_.Get("out/junit.xml").find("<testsuite name=\"sales\""), std::string::npos)
      << fs_.Get("out/junit.xml");
  EXPECT_NE(fs_.Get("out/report.md").find("GET /business/payments/v1/client_packages/{uid}"),
            std::string::npos);
  EXPECT_NE(fs_.Get("out/report.html").find("GET /business/payments/v1/client_packages/{uid}"),
            std::string::npos);
  EXPECT_NE(fs_.Get(kSeedPath).find("status: verified"), std::string::npos);
  EXPECT_EQ(world_.requests().size(), 4u);
}

TEST_F(RunCliTest, AFailingRunExitsOneAndSaysWhyWithTheSuggestion) {
  fs_.Add(kSeedPath, SeedDocument(/*use_fallback=*/false));
  EXPECT_EQ(Run({}), 1);
  EXPECT_NE(out_.str().find("AUTH_FAILED"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("fallback"), std::string::npos) << out_.str();
}

TEST_F(RunCliTest, AFailingRunStillWritesTheHtmlReportWithTheFailureFirst) {
  fs_.Add(kSeedPath, SeedDocument(/*use_fallback=*/false));
  EXPECT_EQ(Run({"--no-write-back", "--report-html", "out/report.html"}), 1);
  std::string html = fs_.Get("out/report.html");
  EXPECT_EQ(html.find("<!DOCTYPE html>"), 0u) << html;
  EXPECT_NE(html.find("<tr class=\"fail\">"), std::string::npos) << html;
  EXPECT_NE(html.find("AUTH_FAILED"), std::string::npos);
}

TEST_F(RunCliTest, AReportThatCannotBeWrittenIsAnIoErrorThatNamesIt) {
  fs_.Add(kSeedPath, SeedDocument());
  fs_.FailWritesUnder("readonly/report.html", "Read-only file system");
  EXPECT_EQ(Run({"--no-write-back", "--report-json", "out/report.json", "--report-html",
                 "readonly/report.html"}),
            3);
  EXPECT_NE(err_.str().find("verity: the HTML report was not written: cannot create a temporary "
                            "file for readonly/report.html: Read-only file system"),
            std::string::npos)
      << err_.str();
  EXPECT_FALSE(fs_.Get("out/report.json").empty());
}

TEST_F(RunCliTest, WarningsPassUnlessStrict) {
  // A cleanup that finds nothing to delete is a warning: the recipe itself worked.
  fs_.Add(kSeedPath, SeedDocument() + R"(
## Cleanup

```yaml
steps:
  - id: delete_nothing
    method: DELETE
    path: "/platform/v1/payment/client_packages/no-such-package"
    token: staff
    useFallbackApi: true
```
)");
  EXPECT_EQ(Run({"--no-write-back"}), 0) << out_.str();
  EXPECT_NE(out_.str().find("CLEANUP_FAILED"), std::string::npos) << out_.str();
  EXPECT_EQ(Run({"--no-write-back", "--strict"}), 1) << out_.str();
}

TEST_F(RunCliTest, UsageAndConfigurationErrorsExitTwoAndSendNothing) {
  fs_.Add(kSeedPath, SeedDocument());
  EXPECT_EQ(Run({"--shard", "3/2"}), 2);
  EXPECT_EQ(Run({"--env", "production"}), 2);
  EXPECT_NE(err_.str().find("production"), std::string::npos) << err_.str();
  EXPECT_EQ(Run({"--rate-limit", "ludicrous"}), 2);
  EXPECT_EQ(Run({"--timeout", "soon"}), 2);
  EXPECT_EQ(Run({"GET /nothing/here/*"}), 2);
  EXPECT_EQ(Run({"--config", "missing.yaml"}), 2);
  EXPECT_EQ(Run({"--token-env", "staff"}), 2);
  EXPECT_EQ(Run({"--var", "novalue"}), 2);
  fs_.Add("verity.yaml", "environments:\n  staging:\n    base_url: ftp://example\n");
  EXPECT_EQ(Run({}), 2);
  EXPECT_TRUE(world_.requests().empty());
  EXPECT_EQ(fs_.Get(kSeedPath), SeedDocument()) << "nothing ran, nothing changed";
}

TEST_F(RunCliTest, AFilterThatLeavesNothingIsAUsageErrorNamingTheFilterAndTheNearestValue) {
  fs_.Add(kSeedPath, SeedDocument());
  EXPECT_EQ(Run({"--status", "verfied"}), 2) << out_.str();
  EXPECT_NE(err_.str().find("--status verfied"), std::string::npos) << err_.str();
  EXPECT_NE(err_.str().find("\"verified\""), std::string::npos) << err_.str();
  EXPECT_EQ(out_.str().find("passed"), std::string::npos) << "no 0/0 summary: " << out_.str();

  EXPECT_EQ(Run({"--domain", "nosuch"}), 2);
  EXPECT_NE(err_.str().find("--domain nosuch"), std::string::npos) << err_.str();
  EXPECT_NE(err_.str().find("\"sales\""), std::string::npos) << err_.str();

  EXPECT_EQ(Run({"--method", "POST"}), 2);
  EXPECT_NE(err_.str().find("the nearest is \"GET\""), std::string::npos) << err_.str();

  // Each value exists, but together they leave nothing.
  EXPECT_EQ(Run({"--domain", "sales", "--status", "deprecated"}), 2);
  EXPECT_NE(err_.str().find("--domain sales --status deprecated together"), std::string::npos)
      << err_.str();
  EXPECT_TRUE(world_.requests().empty());
  EXPECT_EQ(fs_.Get(kSeedPath), SeedDocument());

  EXPECT_EQ(Run({"--domain", "sales", "--no-write-back"}), 0) << err_.str();
}

TEST_F(RunCliTest, TheDryRunPlanShowsStandInsForExtractedValuesReadably) {
  fs_.Add(kSeedPath, SeedDocument());
  EXPECT_EQ(Run({"--dry-run"}), 0) << err_.str();
  EXPECT_NE(out_.str().find("/business/payments/v1/client_packages/<client_package_uid>"),
            std::string::npos)
      << out_.str();
  EXPECT_EQ(out_.str().find("%3C"), std::string::npos) << out_.str();
}

TEST_F(RunCliTest, WithoutAConfigFileTheBaseUrlsAndTokenVariablesAreEnough) {
  want_config_ = false;
  fs_.Add("elsewhere/kb/get-client-package.md", SeedDocument());
  EXPECT_EQ(Run({"elsewhere/kb"}), 2);
  EXPECT_NE(err_.str().find("--base-url"), std::string::npos) << err_.str();
  EXPECT_EQ(Run({"elsewhere/kb", "--config", "missing.yaml"}), 2);
  EXPECT_EQ(Run({"elsewhere/kb", "--base-url", world_.primary_url(), "--fallback-url",
                 world_.fallback_url(), "--token-env", "staff=VERITY_STAFF_TOKEN", "--var",
                 "business_id=biz1", "--no-write-back"}),
            0)
      << out_.str() << err_.str();
  EXPECT_EQ(world_.requests().size(), 4u);
}

TEST_F(RunCliTest, ADryRunSendsNothingChangesNothingAndPrintsMaskedRequests) {
  fs_.Add(kSeedPath, SeedDocument());
  EXPECT_EQ(Run({"--dry-run", "-v"}), 0) << out_.str() << err_.str();
  EXPECT_TRUE(world_.requests().empty());
  EXPECT_EQ(fs_.Get(kSeedPath), SeedDocument());
  EXPECT_NE(out_.str().find("GET " + world_.fallback_url() +
                            "/platform/v1/clients?business_id=biz1&per_page=1"),
            std::string::npos)
      << out_.str();
  EXPECT_NE(out_.str().find("Authorization: Bearer "), std::string::npos) << out_.str();
  EXPECT_EQ(out_.str().find(kStaffSecret), std::string::npos);
}

TEST_F(RunCliTest, ShardsSplitTheRunAndTogetherRunEveryDocumentOnce) {
  for (int i = 0; i < 9; ++i) {
    std::string n = std::to_string(i);
    fs_.Add("kb/echo" + n + ".md", "---\nendpoint: \"GET /open/echo/" + n +
                                       "\"\ndomain: test\n---\n\n## Test Request\n\n```yaml\n"
                                       "steps:\n  - {id: get, method: GET, path: /open/echo, "
                                       "params: {n: \"" +
                                       n + "\"}}\n```\n");
  }
  std::multiset<std::string> seen;
  for (const char* shard : {"1/3", "2/3", "3/3"}) {
    EXPECT_EQ(Run({"--shard", shard, "--no-write-back"}), 0) << out_.str();
  }
  for (const auto& r : world_.requests_to("/open/echo")) seen.insert(r.query.find("n")->second);
  EXPECT_EQ(seen.size(), 9u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 9u);
}

TEST_F(RunCliTest, EveryRealRunIsRecordedInTheHistoryWhichListsAndShowsIt) {
  testing::TempDir dir;
  const std::string history = dir.path() + "/h/history.db";
  fs_.Add(kSeedPath, SeedDocument());
  EXPECT_EQ(Run({"--history", history}), 0) << err_.str();
  fs_.Add(kSeedPath, SeedDocument(/*use_fallback=*/false));
  EXPECT_EQ(Run({"--history", history, "--no-write-back"}), 1);
  EXPECT_EQ(Run({"--history", history, "--no-history"}), 1);
  EXPECT_EQ(Run({"--history", history, "--dry-run"}), 0);

  Context ctx{out_, err_, fs_, clock_};
  out_.str("");
  ASSERT_EQ(cli::Run({"history", "--history", history, "--json"}, ctx), 0) << err_.str();
  Json listed = Json::parse(out_.str());
  ASSERT_EQ(listed["runs"].size(), 2u) << "neither --no-history nor a dry run is recorded";
  EXPECT_EQ(listed["runs"][0]["failed"], 1) << "newest first";
  EXPECT_EQ(listed["runs"][1]["passed"], 1);
  EXPECT_EQ(listed["runs"][0]["environment"], "staging");
  EXPECT_EQ(listed["runs"][0]["complete"], true);

  std::string newest = listed["runs"][0]["runId"];
  out_.str("");
  ASSERT_EQ(
      cli::Run({"history", "show", newest.substr(0, newest.size() - 2), "--history", history, "-v"},
               ctx),
      0)
      << err_.str();
  std::string shown = out_.str();
  EXPECT_NE(shown.find("FAIL  GET /business/payments/v1/client_packages/{uid}"), std::string::npos)
      << shown;
  EXPECT_NE(shown.find("AUTH_FAILED"), std::string::npos) << shown;
  EXPECT_NE(shown.find("test_request"), std::string::npos) << "-v lists the steps:\n" << shown;

  out_.str("");
  err_.str("");
  EXPECT_EQ(cli::Run({"history", "show", "no-such-run", "--history", history}, ctx), 2);
  EXPECT_NE(err_.str().find("no run 'no-such-run'"), std::string::npos) << err_.str();
}

TEST(HistoryPath, TheFlagWinsElseBesideTheConfigurationWhenRecordingByDefault) {
  std::ostringstream out, err;
  testing::MemoryFileSystem fs;
  FakeClock clock(0);
  Context ctx{out, err, fs, clock};
  EXPECT_EQ(HistoryPath(ctx, "", "conf/verity.yaml"), "") << "tests record only when told";
  EXPECT_EQ(HistoryPath(ctx, "h.db", "conf/verity.yaml"), "h.db");
  ctx.history_by_default = true;
  EXPECT_EQ(HistoryPath(ctx, "", "conf/verity.yaml"), "conf/.verity/history.db");
  EXPECT_EQ(HistoryPath(ctx, "", "verity.yaml"), ".verity/history.db");
  EXPECT_EQ(HistoryPath(ctx, "h.db", "verity.yaml"), "h.db");
}

// The whole surface at once: a passing recipe, failing ones, an API that repeats the credentials
// back (in a header, in the body, into an extracted variable that later steps send on), a missing
// token, every report, verbose console output, then the same as a dry run. No stream and no file
// may hold a token value afterwards.
TEST_F(RunCliTest, NoOutputStreamReportOrFileEverHoldsATokenValue) {
  fs_.Add(kSeedPath, SeedDocument());
  fs_.Add("kb/sales/no-fallback.md",
          SeedDocument(false).replace(SeedDocument(false).find("{uid}"), 5, "{uid2}"));
  fs_.Add("kb/reflect.md", R"(---
endpoint: "GET /reflect"
domain: leaks
tokens: [staff]
---

## Prerequisites

```yaml
steps:
  - id: reflect
    method: GET
    path: /reflect
    extract:
      echoed: "$.data.id"
      header_copy: "$.authorization"
```

## Test Request

```yaml
steps:
  - id: send_it_on
    method: POST
    path: "/open/echo/{{echoed}}"
    params: {copy: "{{echoed}}"}
    headers: {X-Copy: "{{header_copy}}"}
    body: {token: "{{echoed}}", again: "{{header_copy}}"}
    expect: {status: 404}
```
)");
  fs_.Add("kb/directory.md", R"(---
endpoint: "GET /business/payments/v1/directory"
domain: leaks
tokens: [directory]
useFallbackApi: true
---

## Test Request

```yaml
steps:
  - {id: refused, method: GET, path: /business/payments/v1/client_packages/x}
```
)");
  fs_.Add("kb/admin.md", R"(---
endpoint: "GET /platform/v1/admin"
domain: leaks
tokens: [admin]
---

## Test Request

```yaml
steps:
  - {id: no_token, method: GET, path: /platform/v1/clients}
```
)");
  std::string all_output;
  testing::TempDir history_dir;  // the history is SQLite, on the real disk
  const std::string history = history_dir.path() + "/history.db";
  for (std::vector<std::string> args :
       {std::vector<std::string>{"-v", "--report-json", "r.json", "--report-junit", "r.xml",
                                 "--report-md", "r.md", "--report-html", "r.html", "--history",
                                 history},
        std::vector<std::string>{"--dry-run", "-v", "--report-json", "dry.json", "--report-html",
                                 "dry.html", "--history", history},
        std::vector<std::string>{"--strict", "--report-md", "strict.md", "--history", history}}) {
    int code = Run(args);
    // Even the dry run fails: the admin recipe cannot be sent without its token.
    EXPECT_EQ(code, 1) << out_.str() << err_.str();
    all_output += out_.str() + err_.str();
  }
  // The API did see the tokens (the run was real) and repeated them back.
  EXPECT_GT(world_.requests_to("/reflect").size(), 0u);
  ASSERT_FALSE(world_.requests_to("/open/echo/").empty());
  EXPECT_NE(world_.requests_to("/open/echo/")[0].body.find(kStaffSecret), std::string::npos)
      << "the recipe really sent the echoed value on, so its masking is put to the test";

  std::vector<std::string> files = fs_.writes();
  EXPECT_GE(files.size(), 7u);
  for (const char* report : {"r.json", "r.xml", "r.md", "r.html", "dry.json", "dry.html"}) {
    EXPECT_NE(std::find(files.begin(), files.end(), report), files.end()) << report;
  }
  for (const std::string& path : files) all_output += "\n--- " + path + "\n" + fs_.Get(path);
  // The history holds both real runs (a dry run is not recorded), every byte of it searched.
  Context ctx{out_, err_, fs_, clock_};
  out_.str("");
  ASSERT_EQ(cli::Run({"history", "--history", history, "--json"}, ctx), 0) << err_.str();
  EXPECT_EQ(Json::parse(out_.str())["runs"].size(), 2u) << out_.str();
  for (const auto& entry : std::filesystem::directory_iterator(history_dir.path())) {
    all_output +=
        "\n--- " + entry.path().string() + "\n" + testing::ReadFileOrDie(entry.path().string());
  }
  EXPECT_NE(all_output.find("--- " + history), std::string::npos);
  for (const char* secret : {kStaffSecret, kDirectorySecret}) {
    EXPECT_EQ(all_output.find(secret), std::string::npos)
        << "found at " << all_output.find(secret) << " in:\n"
        << all_output;
  }
  EXPECT_NE(all_output.find("AUTH_FAILED"), std::string::npos);
}

}  // namespace
}  // namespace verity::cli
