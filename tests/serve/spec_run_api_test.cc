// `POST /api/runs` with allOperations (docs/serve.md): an operation of the specs that has no
// recipe runs through the request built from the spec, healed after a failure, as
// `verity run --all-operations` runs it (derive/spec_run.h); writes stay refused unless allowed,
// and a target that names nothing fails the request.
#include <gmock/gmock.h>

#include "serve/serve_fixture.h"

namespace verity::serve::testing {
namespace {

using ::testing::HasSubstr;

// Three operations of the seed's world that no recipe covers: a plain read, a read whose
// required query parameter the spec calls optional (the world's 422 names it), and a write.
constexpr char kPlatformSpec[] = R"({
  "openapi": "3.0.3",
  "info": {"title": "platform", "version": "1"},
  "components": {"securitySchemes": {"staff": {"type": "http", "scheme": "bearer"}}},
  "security": [{"staff": []}],
  "paths": {
    "/platform/v1/payment/packages": {
      "get": {"operationId": "listPackages", "responses": {"200": {"description": "packages"}}}
    },
    "/platform/v1/clients": {
      "get": {
        "operationId": "listClients",
        "parameters": [{"name": "business_id", "in": "query", "required": false,
                        "schema": {"type": "string"}, "example": "biz1"}],
        "responses": {"200": {"description": "clients"}}
      }
    },
    "/echo": {
      "post": {
        "operationId": "echo",
        "requestBody": {"content": {"application/json": {"schema": {
          "type": "object", "properties": {"note": {"type": "string", "example": "hi"}}}}}},
        "responses": {"200": {"description": "what arrived"}}
      }
    }
  }
})";

constexpr char kPackages[] = "GET /platform/v1/payment/packages";
constexpr char kClients[] = "GET /platform/v1/clients";
constexpr char kEcho[] = "POST /echo";

class SpecRunApiTest : public ServeTest {
 protected:
  SpecRunApiTest() {
    fs_.Add("specs/platform/platform.json", kPlatformSpec);
    // business_id is not an environment parameter here: only the server's answer can ask for it.
    adjust_config_ = [](DashboardConfig& config) { config.settings.params = Json::object(); };
  }

  /// The results of a finished run by endpoint, as the history keeps them (the JSON report's).
  std::map<std::string, Json> Results(const std::string& run_id) {
    Json detail = GetJson("/api/history/" + run_id);
    std::map<std::string, Json> out;
    for (const Json& d : detail["results"]) out[d["endpoint"]] = d;
    return out;
  }
};

TEST_F(SpecRunApiTest, AnOperationWithoutARecipeRunsThroughTheRequestBuiltFromTheSpec) {
  Start("", /*with_spec=*/true);
  std::string run_id = RunToTheEnd(Json{{"targets", {kPackages}}, {"allOperations", true}});
  ASSERT_FALSE(run_id.empty());
  std::map<std::string, Json> results = Results(run_id);
  ASSERT_EQ(results.size(), 1u) << "only the operation named";
  const Json& result = results[kPackages];
  EXPECT_EQ(result["status"], "PASS") << result.dump(2);
  EXPECT_EQ(result["source"], "spec");
  std::vector<run::testing::SeenRequest> sent = world_.requests_to("/platform/v1/payment/packages");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].method, "GET");
  EXPECT_EQ(sent[0].server, "primary");

  // Its row shows the result, still without a recipe.
  Json rows = GetJson("/api/operations?q=payment/packages");
  ASSERT_EQ(rows["matched"], 1) << rows.dump(2);
  EXPECT_TRUE(rows["operations"][0]["document"].is_null());
  EXPECT_EQ(rows["operations"][0]["source"], "spec");
  EXPECT_EQ(rows["operations"][0]["lastOutcome"], "PASS");
}

TEST_F(SpecRunApiTest, AFailedRequestBuiltFromTheSpecIsHealedAndItsTriesReported) {
  Start("", /*with_spec=*/true);
  std::string run_id = RunToTheEnd(Json{{"targets", {kClients}}, {"allOperations", true}});
  ASSERT_FALSE(run_id.empty());
  Json result = Results(run_id)[kClients];
  EXPECT_EQ(result["status"], "PASS") << result.dump(2);
  const Json& tries = result["healAttempts"];
  ASSERT_EQ(tries.size(), 2u) << result.dump(2);
  EXPECT_EQ(tries[0]["change"], "as built");
  EXPECT_EQ(tries[0]["httpStatus"], 422);
  EXPECT_THAT(tries[1]["change"].get<std::string>(), HasSubstr("business_id"));
  EXPECT_EQ(tries[1]["status"], "PASS");
  std::vector<run::testing::SeenRequest> sent = world_.requests_to("/platform/v1/clients");
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_TRUE(sent[0].query.empty());
  EXPECT_EQ(sent[1].query.count("business_id"), 1u);
}

TEST_F(SpecRunApiTest, HealTriesOfOneSendTheBuiltRequestOnlyOnce) {
  Start("", /*with_spec=*/true);
  std::string run_id =
      RunToTheEnd(Json{{"targets", {kClients}}, {"allOperations", true}, {"healTries", 1}});
  Json result = Results(run_id)[kClients];
  EXPECT_EQ(result["status"], "FAIL") << result.dump(2);
  EXPECT_EQ(world_.requests_to("/platform/v1/clients").size(), 1u);
}

TEST_F(SpecRunApiTest, AWriteWithoutAllowWritesIsSkippedAndNothingIsSent) {
  Start("", /*with_spec=*/true);
  std::string run_id = RunToTheEnd(Json{{"targets", {kEcho}}, {"allOperations", true}});
  ASSERT_FALSE(run_id.empty());
  Json result = Results(run_id)[kEcho];
  EXPECT_EQ(result["status"], "SKIP") << result.dump(2);
  EXPECT_EQ(result["details"]["reason"], "WRITE_NOT_ALLOWED");
  EXPECT_EQ(result["source"], "spec");
  EXPECT_TRUE(world_.requests_to("/echo").empty());
}

TEST_F(SpecRunApiTest, AWriteWithAllowWritesIsSent) {
  Start("", /*with_spec=*/true);
  std::string run_id =
      RunToTheEnd(Json{{"targets", {kEcho}}, {"allOperations", true}, {"allowWrites", true}});
  Json result = Results(run_id)[kEcho];
  EXPECT_EQ(result["status"], "PASS") << result.dump(2);
  std::vector<run::testing::SeenRequest> sent = world_.requests_to("/echo");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].method, "POST");
}

TEST_F(SpecRunApiTest, RecipesAndOperationsWithoutOneRunTogether) {
  Start("", /*with_spec=*/true);
  std::string run_id = RunToTheEnd(
      Json{{"targets", {kSeedEndpoint, kPackages}}, {"allOperations", true}, {"rateLimit", "off"}});
  std::map<std::string, Json> results = Results(run_id);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[kSeedEndpoint]["source"], "recipe");
  EXPECT_EQ(results[kPackages]["source"], "spec");
}

TEST_F(SpecRunApiTest, WithoutAllOperationsAnOperationWithoutARecipeIsRefused) {
  Start("", /*with_spec=*/true);
  httplib::Result refused = Post("/api/runs", Json{{"targets", {kPackages}}});
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400);
  EXPECT_THAT(refused->body, HasSubstr("has a recipe"));
  EXPECT_TRUE(world_.requests().empty());
}

TEST_F(SpecRunApiTest, AnUnknownTargetFailsTheRequestAndNamesIt) {
  Start("", /*with_spec=*/true);
  httplib::Result refused = Post(
      "/api/runs", Json{{"targets", {kPackages, "GET /no/such/thing"}}, {"allOperations", true}});
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400);
  EXPECT_THAT(refused->body, HasSubstr("GET /no/such/thing"));
  EXPECT_THAT(refused->body, HasSubstr("neither a document"));
  EXPECT_EQ(GetJson("/api/runs/current")["state"], "idle");
  EXPECT_TRUE(world_.requests().empty());
}

TEST_F(SpecRunApiTest, WithoutASpecAllOperationsIsRefused) {
  Start();
  httplib::Result refused = Post("/api/runs", Json{{"allOperations", true}});
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400);
  EXPECT_THAT(refused->body, HasSubstr("spec_root"));
}

TEST_F(SpecRunApiTest, SpecRunOptionsAreCheckedAndNeedAllOperations) {
  Start("", /*with_spec=*/true);
  for (const Json& body :
       {Json{{"allowWrites", true}}, Json{{"healTries", 2}}, Json{{"allOperations", "yes"}},
        Json{{"allOperations", true}, {"healTries", 0}},
        Json{{"allOperations", true}, {"healTries", 17}},
        Json{{"allOperations", true}, {"healTries", 1.5}}}) {
    httplib::Result refused = Post("/api/runs", body);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 400) << body.dump() << ": " << refused->body;
  }
  EXPECT_TRUE(world_.requests().empty());
}

}  // namespace
}  // namespace verity::serve::testing
