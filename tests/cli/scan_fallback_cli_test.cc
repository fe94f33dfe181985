// `verity scan-fallback`, in-process, against the seed's world on 127.0.0.1 (its primary refuses
// /business/payments/v1/*; everything else works on both bases): the text and JSON output, --fix,
// the exit codes, and no token value in any output.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>

#include "base/clock.h"
#include "base/json.h"
#include "cli/cli.h"
#include "run/executor_fixture.h"
#include "run/seed_world_server.h"
#include "support/memory_file_system.h"

namespace verity::cli {
namespace {

using run::testing::kDirectorySecret;
using run::testing::kStaffSecret;
using run::testing::SeedDocument;
using run::testing::SeedWorldServer;

const char kSeedPath[] = "kb/sales/get-client-package.md";
const char kPackagesPath[] = "kb/sales/list-packages.md";

// A recipe flagged for the fallback whose endpoint the primary now serves, with the notice.
const char kPackages[] = R"(---
endpoint: "GET /platform/v1/payment/packages"
domain: sales
status: verified
tokens: [staff]
useFallbackApi: true
---

# List Packages

> ⚠️ Fallback API Required
> This endpoint must use the fallback API URL.

## Test Request

```yaml
steps:
  - id: list
    method: GET
    path: "/platform/v1/payment/packages"
    useFallback: true
    params:
      business_id: "{{business_id}}"
    expect:
      status: [200]
```
)";

const char kPackagesFixed[] = R"(---
endpoint: "GET /platform/v1/payment/packages"
domain: sales
status: verified
tokens: [staff]
---

# List Packages

## Test Request

```yaml
steps:
  - id: list
    method: GET
    path: "/platform/v1/payment/packages"
    params:
      business_id: "{{business_id}}"
    expect:
      status: [200]
```
)";

class ScanFallbackCliTest : public ::testing::Test {
 protected:
  ScanFallbackCliTest() : world_(kStaffSecret, kDirectorySecret), clock_(1767225600000) {
    env_["VERITY_STAFF_TOKEN"] = kStaffSecret;
    env_["VERITY_DIRECTORY_TOKEN"] = kDirectorySecret;
    fs_.Add(kSeedPath, SeedDocument());
    fs_.Add(kPackagesPath, kPackages);
  }

  void WriteConfig(bool with_fallback) {
    fs_.Add("verity.yaml",
            "environments:\n  staging:\n    base_url: " + world_.primary_url() + "\n" +
                (with_fallback ? "    fallback_url: " + world_.fallback_url() + "\n" : "") +
                "    knowledge_base: kb\n"
                "    params: {business_id: biz1}\n"
                "    rate_limit: off\n"
                "    timeout: 2s\n"
                "    tokens:\n"
                "      staff: {env: VERITY_STAFF_TOKEN}\n"
                "      directory: {env: VERITY_DIRECTORY_TOKEN}\n");
  }

  int Run(std::vector<std::string> args) {
    if (want_config_ && fs_.Get("verity.yaml").empty()) WriteConfig(true);
    out_.str(""), err_.str("");
    args.insert(args.begin(), "scan-fallback");
    Context ctx{out_, err_, fs_, clock_};
    ctx.env = [this](const std::string& name) -> std::optional<std::string> {
      auto it = env_.find(name);
      if (it == env_.end()) return std::nullopt;
      return it->second;
    };
    int code = cli::Run(args, ctx);
    for (const char* secret : {kStaffSecret, kDirectorySecret}) {
      EXPECT_EQ(out_.str().find(secret), std::string::npos) << out_.str();
      EXPECT_EQ(err_.str().find(secret), std::string::npos) << err_.str();
    }
    return code;
  }

  SeedWorldServer world_;
  bool want_config_ = true;
  testing::MemoryFileSystem fs_;
  FakeClock clock_;
  std::map<std::string, std::string> env_;
  std::ostringstream out_, err_;
};

TEST_F(ScanFallbackCliTest, PrintsALinePerDocumentWithBothSidesAndTheCounts) {
  std::string seed_before = fs_.Get(kSeedPath);
  EXPECT_EQ(Run({}), 0) << out_.str() << err_.str();
  std::string out = out_.str();
  EXPECT_NE(out.find("PRIMARY_NOW_WORKS      GET /platform/v1/payment/packages"), std::string::npos)
      << out;
  EXPECT_NE(out.find("FALLBACK_STILL_NEEDED  GET /business/payments/v1/client_packages/{uid}"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("fallback PASS 200"), std::string::npos) << out;
  EXPECT_NE(out.find("primary FAIL 401 AUTH_FAILED"), std::string::npos) << out;
  EXPECT_NE(out.find("2 scanned in"), std::string::npos) << out;
  EXPECT_NE(out.find("1 PRIMARY_NOW_WORKS, 1 FALLBACK_STILL_NEEDED, 0 FALLBACK_BROKEN"),
            std::string::npos)
      << out;
  // A scan observes: no status, verifiedAt or timesReused changes.
  EXPECT_EQ(fs_.Get(kSeedPath), seed_before);
  EXPECT_EQ(fs_.Get(kPackagesPath), kPackages);
}

TEST_F(ScanFallbackCliTest, JsonHasResultsCountsFixedAndSkipped) {
  EXPECT_EQ(Run({"--json"}), 0) << err_.str();
  Json out = Json::parse(out_.str(), nullptr, false);
  ASSERT_FALSE(out.is_discarded()) << out_.str();
  ASSERT_EQ(out["results"].size(), 2u);
  EXPECT_EQ(out["counts"]["total"], 2);
  EXPECT_EQ(out["counts"]["PRIMARY_NOW_WORKS"], 1);
  EXPECT_EQ(out["counts"]["FALLBACK_STILL_NEEDED"], 1);
  EXPECT_TRUE(out["fixed"].empty());
  EXPECT_TRUE(out["skipped"].empty());
  for (const Json& r : out["results"]) {
    if (r["endpoint"] != "GET /business/payments/v1/client_packages/{uid}") continue;
    EXPECT_EQ(r["recommendation"], "FALLBACK_STILL_NEEDED");
    EXPECT_EQ(r["fallback"]["outcome"], "PASS");
    EXPECT_EQ(r["primary"]["status"], 401);
    EXPECT_EQ(r["primary"]["url"], world_.primary_url());
  }
}

TEST_F(ScanFallbackCliTest, FixRemovesTheFlagOnlyWhereTheRecommendationSaysSo) {
  std::string seed_before = fs_.Get(kSeedPath);
  EXPECT_EQ(Run({"--fix", "PRIMARY_NOW_WORKS,FALLBACK_BROKEN"}), 0) << out_.str() << err_.str();
  EXPECT_EQ(fs_.Get(kPackagesPath), kPackagesFixed);
  EXPECT_EQ(fs_.Get(kSeedPath), seed_before);
  EXPECT_NE(out_.str().find("fixed kb/sales/list-packages.md: removed 5 lines"), std::string::npos)
      << out_.str();
  EXPECT_NE(out_.str().find("  - > ⚠️ Fallback API Required"), std::string::npos) << out_.str();
}

TEST_F(ScanFallbackCliTest, JsonListsWhatTheFixChanged) {
  EXPECT_EQ(Run({"--json", "--fix", "PRIMARY_NOW_WORKS"}), 0) << err_.str();
  Json out = Json::parse(out_.str(), nullptr, false);
  ASSERT_EQ(out["fixed"].size(), 1u) << out_.str();
  EXPECT_EQ(out["fixed"][0]["file"], kPackagesPath);
  EXPECT_EQ(out["fixed"][0]["removed"][0], "useFallbackApi: true");
}

TEST_F(ScanFallbackCliTest, NamedDocumentsAreScannedWithoutTheFlag) {
  fs_.Add(kSeedPath, SeedDocument(/*use_fallback=*/false));
  EXPECT_EQ(Run({"--json", kSeedPath}), 0) << err_.str();
  Json out = Json::parse(out_.str(), nullptr, false);
  ASSERT_EQ(out["results"].size(), 1u) << out_.str();
  EXPECT_EQ(out["results"][0]["useFallbackApi"], false);
}

TEST_F(ScanFallbackCliTest, WithoutAFallbackUrlItIsAUsageErrorAndSendsNothing) {
  WriteConfig(false);
  EXPECT_EQ(Run({}), 2);
  EXPECT_NE(err_.str().find("fallback"), std::string::npos) << err_.str();
  EXPECT_TRUE(world_.requests().empty());
}

TEST_F(ScanFallbackCliTest, AnUnknownRecommendationForFixIsAUsageError) {
  EXPECT_EQ(Run({"--fix", "PRIMARY_NOW_WORKS,SOMETIMES"}), 2);
  EXPECT_NE(err_.str().find("SOMETIMES"), std::string::npos) << err_.str();
  EXPECT_TRUE(world_.requests().empty());
}

TEST_F(ScanFallbackCliTest, AFixThatCannotBeWrittenExitsThreeAndSaysWhy) {
  fs_.FailWritesUnder("kb", "Read-only file system");
  EXPECT_EQ(Run({"--fix", "PRIMARY_NOW_WORKS"}), 3);
  EXPECT_NE(out_.str().find("not fixed kb/sales/list-packages.md: WRITE_BACK_FAILED: cannot create "
                            "a temporary file for kb/sales/list-packages.md: Read-only file "
                            "system"),
            std::string::npos)
      << out_.str();
  EXPECT_EQ(fs_.Get(kPackagesPath), kPackages);
}

TEST_F(ScanFallbackCliTest, WorksFromTheCommandLineAloneWithoutAConfigFile) {
  want_config_ = false;
  EXPECT_EQ(Run({"--json", "--base-url", world_.primary_url(), "--fallback-url",
                 world_.fallback_url(), "--kb", "kb", "--token-env", "staff=VERITY_STAFF_TOKEN"}),
            0)
      << err_.str();
  Json out = Json::parse(out_.str(), nullptr, false);
  EXPECT_EQ(out["results"].size(), 2u) << out_.str();
}

TEST_F(ScanFallbackCliTest, NeverPrintsATokenValueEvenWhenTheApiEchoesIt) {
  // /reflect repeats the Authorization header in its answer; expecting 201 makes both sides fail
  // with the answer's words in their messages.
  fs_.Add("kb/echo.md", R"(---
endpoint: "GET /reflect"
domain: test
tokens: [staff]
useFallbackApi: true
---

# Reflect

## Test Request

```yaml
steps:
  - id: reflect
    method: GET
    path: "/reflect"
    expect:
      status: [201]
```
)");
  EXPECT_EQ(Run({"kb/echo.md"}), 0) << err_.str();
  EXPECT_NE(out_.str().find("BOTH_FAILING"), std::string::npos) << out_.str();
  EXPECT_EQ(Run({"--json", "kb/echo.md"}), 0) << err_.str();
  // Run() checks every output for both token values.
}

}  // namespace
}  // namespace verity::cli
