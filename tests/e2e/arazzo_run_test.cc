// `verity run FILE.arazzo.yaml` on the specification's own pet-coupons example, against `verity
// mock` of the OpenAPI description published beside it: the workflows become recipes in memory
// and run through the executor, outputs flow from step to step and into a called workflow, and a
// failure says which value the example never gave.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "base/json.h"
#include "e2e/alertmanager_server.h"
#include "e2e/mock_child.h"
#include "support/paths.h"

namespace verity {
namespace {

using testing::MockChild;
using testing::RunVerity;
using testing::SharedPath;
using testing::TempDir;

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class ArazzoRunEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override { Start("pet-coupons"); }

  // The official example NAME (NAME.arazzo.yaml beside NAME.openapi.yaml) and a mock of its
  // description.
  void Start(const std::string& name) {
    example = name;
    mock.reset();
    for (std::string file : {name + ".arazzo.yaml", name + ".openapi.yaml"}) {
      std::string text = Slurp(SharedPath("conformance/arazzo/" + file));
      if (text.empty()) GTEST_SKIP() << "the Arazzo examples are absent: " << SharedPath(file);
      dir.Write(file, text);
    }
    mock.emplace(dir.path(), "mock-" + name, std::vector<std::string>{name + ".openapi.yaml"});
    ASSERT_TRUE(mock->url()) << mock->Stop();
  }

  // Runs the example with `args` after the document and the mock's URL; the JSON report's results.
  Json Run(std::vector<std::string> args, int expected_code) {
    std::vector<std::string> command = {"run",
                                        example + ".arazzo.yaml",
                                        "--base-url",
                                        *mock->url(),
                                        "--no-history",
                                        "--token-env",
                                        "petstore_auth=ARAZZO_TEST_TOKEN",
                                        "--report-json",
                                        "report.json"};
    command.insert(command.end(), args.begin(), args.end());
    testing::VerityExit exit = RunVerity(dir.path(), command, std::chrono::seconds(60),
                                         {{"ARAZZO_TEST_TOKEN", "arazzo-e2e-secret-token"}});
    EXPECT_EQ(expected_code, exit.code) << exit.out << exit.err;
    EXPECT_EQ(std::string::npos, (exit.out + exit.err).find("arazzo-e2e-secret-token"));
    std::string report = Slurp(dir.path() + "/report.json");
    EXPECT_EQ(std::string::npos, report.find("arazzo-e2e-secret-token"));
    Json parsed = Json::parse(report, nullptr, false);
    return parsed.is_object() ? parsed["results"] : Json::array();
  }

  TempDir dir;
  std::string example;
  std::optional<MockChild> mock;
};

TEST_F(ArazzoRunEndToEnd, AWorkflowWithItsInputsPlacesTheOrder) {
  Json results = Run({"--workflow", "place-order", "--input", "pet_id=7", "--input", "quantity=2",
                      "--input", "coupon_code=SAVE10"},
                     0);
  ASSERT_EQ(1u, results.size());
  EXPECT_EQ("PASS", results[0]["status"]);
  EXPECT_EQ("place-order.md", results[0]["file"]);
}

TEST_F(ArazzoRunEndToEnd, OutputsFlowIntoTheNextStepAndIntoTheCalledWorkflow) {
  Json results = Run({"--workflow", "apply-coupon", "--input", R"(my_pet_tags=["puppy"])"}, 1);
  ASSERT_EQ(1u, results.size());
  const Json& r = results[0];
  // apply-coupon calls place-order without a quantity, which the description requires to be an
  // integer: the example's own gap, which the mock refuses.
  EXPECT_EQ("ERROR", r["status"]) << r["details"].dump();
  EXPECT_EQ("place-order", r["details"]["step"]);
  Json sent = Json::parse(r["details"]["request"]["body"].get<std::string>());
  EXPECT_EQ(nullptr, sent["quantity"]);
  // What find-pet and find-coupons answered reached the order.
  EXPECT_TRUE(sent["petId"].is_number_integer()) << sent.dump();
  EXPECT_TRUE(sent["couponCode"].is_string()) << sent.dump();
  EXPECT_NE(std::string::npos,
            r["details"]["friendlyMessage"].get<std::string>().find("expected integer, got null"));
}

TEST_F(ArazzoRunEndToEnd, AnInputThatIsACredentialNeverShows) {
  Start("oauth");
  // The mock's token answer leaves out the optional access_token the workflow reads: a FAIL, and
  // the form it was sent carried the secret, masked.
  Json results = Run({"--workflow", "client-credentials-flow", "--input", "client_id=app-7",
                      "--input", "client_secret=arazzo-e2e-secret-token"},
                     1);
  ASSERT_EQ(1u, results.size());
  EXPECT_EQ("FAIL", results[0]["status"]);
  EXPECT_NE(std::string::npos,
            results[0]["details"]["request"]["body"].get<std::string>().find("client_secret=****"))
      << results[0]["details"]["request"].dump();
}

// A description whose server has a path of its own (`https://api.example.com/platform/v1`): the
// steps' paths start with it, so the mock serves them and the answers are validated against the
// operations (an operation not found would make the run WARN).
TEST(ArazzoRunServerPath, StepsCarryTheServersPathAndTheirAnswersAreValidated) {
  TempDir dir;
  dir.Write("clients.yaml",
            Slurp(testing::SourcePath("examples/specs/swagger/clients/clients.yaml")));
  dir.Write("clients.arazzo.yaml", R"(arazzo: 1.0.1
info: {title: clients, version: "1"}
sourceDescriptions:
  - {name: clients, url: ./clients.yaml, type: openapi}
workflows:
  - workflowId: list-clients
    steps:
      - stepId: list
        operationPath: '{$sourceDescriptions.clients.url}#/paths/~1clients/get'
        successCriteria:
          - condition: $statusCode == 200
)");
  MockChild mock(dir.path(), "mock", {"clients.yaml"});
  ASSERT_TRUE(mock.url()) << mock.Stop();
  testing::VerityExit exit =
      RunVerity(dir.path(), {"run", "clients.arazzo.yaml", "--base-url", *mock.url(),
                             "--no-history", "--report-json", "report.json"});
  EXPECT_EQ(0, exit.code) << exit.out << exit.err;
  Json report = Json::parse(Slurp(dir.path() + "/report.json"), nullptr, false);
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ("PASS", report["results"][0]["status"]) << report["results"][0].dump();
  EXPECT_EQ("GET /platform/v1/clients", report["results"][0]["endpoint"]);
}

TEST_F(ArazzoRunEndToEnd, AnUnknownWorkflowIsAUsageError) {
  Json results = Run({"--workflow", "no-such-flow"}, 2);
  EXPECT_TRUE(results.empty());
}

}  // namespace
}  // namespace verity
