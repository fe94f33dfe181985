// `verity run` with an environment's setup and teardown documents, against the seed's world on
// 127.0.0.1: the setup creates a client package, every document reads it by the id the setup
// extracted, and the teardown deletes it whatever happened in between.
#include <gtest/gtest.h>

#include <map>
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
using run::testing::SeedWorldServer;

std::string Recipe(const std::string& endpoint, const std::string& steps) {
  return "---\nendpoint: \"" + endpoint +
         "\"\ndomain: sales\nstatus: pending\ntokens: [staff]\n---\n\n# Recipe\n\n"
         "## Test Request\n\n```yaml\nsteps:\n" +
         steps + "```\n";
}

const char kCreatePackage[] = R"(  - id: create
    method: POST
    path: /platform/v1/payment/client_packages
    useFallbackApi: true
    body: {client_id: client-1, package_id: package-1, price: 1}
    extract:
      client_package_uid: "$.data.client_package.id"
    expect: {status: [201]}
)";

const char kDeletePackage[] = R"(  - id: delete
    method: DELETE
    path: /platform/v1/payment/client_packages/{{client_package_uid}}
    useFallbackApi: true
    expect: {status: [200]}
)";

// Reads the package the setup created; `status` is what the recipe expects.
std::string ReadPackage(const std::string& id, int status) {
  return "  - id: " + id +
         "\n    method: GET\n    path: /business/payments/v1/client_packages/"
         "{{client_package_uid}}\n    useFallbackApi: true\n    expect: {status: [" +
         std::to_string(status) + "]}\n";
}

class FixturesCliTest : public ::testing::Test {
 protected:
  FixturesCliTest() : world_(kStaffSecret, kDirectorySecret), clock_(1767225600000) {
    env_["VERITY_STAFF_TOKEN"] = kStaffSecret;
    fs_.Add("kb/fixtures/create_package.md",
            Recipe("POST /platform/v1/payment/client_packages", kCreatePackage));
    fs_.Add("kb/fixtures/delete_package.md",
            Recipe("DELETE /platform/v1/payment/client_packages/{uid}", kDeletePackage));
    fs_.Add("kb/sales/read-package.md",
            Recipe("GET /business/payments/v1/client_packages/{uid}", ReadPackage("read", 200)));
  }

  void WriteConfig(const std::string& setup) {
    fs_.Add("verity.yaml",
            "defaults:\n  setup: " + setup +
                "\n  teardown: [\"DELETE /platform/v1/payment/client_packages/{uid}\"]\n"
                "environments:\n  staging:\n    base_url: " +
                world_.primary_url() + "\n    fallback_url: " + world_.fallback_url() +
                "\n    knowledge_base: kb\n    rate_limit: off\n    timeout: 2s\n"
                "    tokens:\n      staff: {env: VERITY_STAFF_TOKEN}\n");
  }

  int Run(std::vector<std::string> args) {
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

  size_t Reads() const { return world_.requests_to("/business/payments/v1/").size(); }

  SeedWorldServer world_;
  testing::MemoryFileSystem fs_;
  FakeClock clock_;
  std::map<std::string, std::string> env_;
  std::ostringstream out_, err_;
};

TEST_F(FixturesCliTest, SetupsIdReachesEveryDocumentAndTeardownDeletesItEvenWhenOneFails) {
  fs_.Add("kb/sales/read-package-twice.md",
          Recipe("GET /business/payments/v1/client_packages/{id}", ReadPackage("again", 204)));
  WriteConfig("[fixtures/create_package.md]");
  int code = Run({"--report-json", "out/report.json"});
  EXPECT_EQ(code, 1) << out_.str() << err_.str();

  auto reads = world_.requests_to("/business/payments/v1/");
  ASSERT_EQ(reads.size(), 2u) << out_.str();
  for (const auto& r : reads) EXPECT_EQ(r.path, "/business/payments/v1/client_packages/cp-1");
  EXPECT_EQ(world_.live_client_packages(), 0u) << out_.str();
  EXPECT_EQ(world_.requests().back().method, "DELETE");

  Json report = Json::parse(fs_.Get("out/report.json"));
  // The fixtures are not the run's documents: two documents, one passed, one failed.
  EXPECT_EQ(report["summary"]["total"], 2) << report["summary"].dump();
  EXPECT_EQ(report["summary"]["passed"], 1);
  EXPECT_EQ(report["summary"]["failed"], 1);
  ASSERT_EQ(report["fixtures"].size(), 2u);
  EXPECT_EQ(report["fixtures"][0]["kind"], "setup");
  EXPECT_EQ(report["fixtures"][0]["result"]["status"], "PASS");
  EXPECT_EQ(report["fixtures"][1]["kind"], "teardown");
  EXPECT_EQ(report["fixtures"][1]["result"]["status"], "PASS");
  // Fixture files are not written back.
  EXPECT_NE(fs_.Get("kb/fixtures/create_package.md").find("status: pending"), std::string::npos);
}

TEST_F(FixturesCliTest, ASetupThatFailsHalfWaySkipsEveryDocumentAndTheTeardownStillDeletes) {
  fs_.Add("kb/fixtures/check_clients.md",
          Recipe("GET /platform/v1/clients",
                 "  - id: clients\n    method: GET\n    path: /platform/v1/clients\n"
                 "    expect: {status: [200]}\n"));  // no business_id: the world answers 422
  WriteConfig("[fixtures/create_package.md, \"GET /platform/v1/clients\"]");
  int code = Run({"--report-json", "out/report.json"});
  EXPECT_EQ(code, 1) << out_.str() << err_.str();
  EXPECT_EQ(Reads(), 0u);
  EXPECT_EQ(world_.live_client_packages(), 0u);
  EXPECT_NE(out_.str().find("SETUP_FAILED"), std::string::npos) << out_.str();
  Json report = Json::parse(fs_.Get("out/report.json"));
  ASSERT_EQ(report["results"].size(), 1u);
  EXPECT_EQ(report["results"][0]["status"], "SKIP");
  EXPECT_EQ(report["results"][0]["details"]["reason"], "SETUP_FAILED")
      << report["results"][0].dump();
  std::string why = report["summary"]["setupFailure"].get<std::string>();
  EXPECT_NE(why.find("GET /platform/v1/clients\" (kb/fixtures/check_clients.md)"),
            std::string::npos)
      << why;
  EXPECT_NE(why.find("step \"clients\""), std::string::npos) << why;
}

TEST_F(FixturesCliTest, AFixtureThatNamesNoDocumentIsAConfigurationErrorAndSendsNothing) {
  WriteConfig("[fixtures/create_pakage.md]");
  int code = Run({});
  EXPECT_EQ(code, 2) << out_.str() << err_.str();
  EXPECT_TRUE(world_.requests().empty());
  EXPECT_NE(err_.str().find("FIXTURE_NOT_FOUND"), std::string::npos) << err_.str();
  EXPECT_NE(err_.str().find("did you mean \"fixtures/create_package.md\""), std::string::npos)
      << err_.str();
}

}  // namespace
}  // namespace verity::cli
