// The dashboard's operations list shows the last result of an operation without a recipe that
// ran from the spec, tagged as such; a recipe's row says it is one.
#include <gtest/gtest.h>

#include "serve/serve_fixture.h"

namespace verity::serve::testing {
namespace {

// An operation no recipe covers, beside the seed's.
constexpr char kClientsSpec[] =
    R"({"openapi": "3.0.3", "info": {"title": "Clients", "version": "1"},
  "paths": {"/clients/{id}": {"get": {"summary": "Get a client",
    "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
    "responses": {"200": {"description": "the client"}}}}}})";

TEST_F(ServeTest, AnOperationWithoutARecipeShowsItsLastRunFromTheSpec) {
  fs_.Add("specs/clients/clients.json", kClientsSpec);
  Start("", /*with_spec=*/true);
  Json before = GetJson("/api/operations");
  std::string key;
  for (const Json& op : before["operations"]) {
    if (op["key"] == kSeedEndpoint) {
      EXPECT_EQ("recipe", op["source"]);
    }
    if (op["document"].is_null() && key.empty()) {
      key = op["key"].get<std::string>();
      EXPECT_TRUE(op["source"].is_null()) << "never run: neither recipe nor spec";
    }
  }
  ASSERT_FALSE(key.empty()) << "the spec has operations without a recipe";

  run::RunSummary summary;
  summary.run_id = "100-spec";
  summary.started_at_ms = 100;
  store::History& history = dashboard_->history();
  ASSERT_TRUE(history.BeginRun(summary, 1, "cli").ok());
  run::DocumentResult d;
  d.file = "kb/sales/drafted-here.md";
  d.endpoint = key;
  d.source = "spec";
  d.outcome = run::Outcome::kFail;
  d.reason = "UNEXPECTED_STATUS";
  ASSERT_TRUE(history.RecordDocument(summary.run_id, 0, d).ok());

  Json after = GetJson("/api/operations");
  bool found = false;
  for (const Json& op : after["operations"]) {
    if (op["key"] != key) continue;
    found = true;
    EXPECT_EQ("spec", op["source"]);
    EXPECT_EQ("FAIL", op["lastOutcome"]);
    EXPECT_EQ("UNEXPECTED_STATUS", op["lastReason"]);
    EXPECT_EQ("100-spec", op["lastRunId"]);
    EXPECT_TRUE(op["document"].is_null()) << "still no recipe: the file was never written";
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace verity::serve::testing
