// A step's checks reach the dashboard: the live events and the history it serves carry each check
// with its path, operator, expected and seen values, mark and line.
#include <gtest/gtest.h>

#include <future>

#include "serve/serve_fixture.h"

namespace verity::serve::testing {
namespace {

// The seed's test request with two checks: the client it read back is the one it created (passes)
// and a price the answer does not hold (fails).
std::string SeedWithChecks() {
  std::string text = run::testing::SeedDocument();
  const std::string status = "    expect:\n      status: [200]\n";
  size_t at = text.rfind(status);
  EXPECT_NE(at, std::string::npos);
  if (at == std::string::npos) return text;
  text.insert(at + status.size(),
              "      body:\n"
              "        - path: \"$.data.client_package.client_id\"\n"
              "          equals: \"{{client_id}}\"\n"
              "        - path: \"$.data.client_package.price\"\n"
              "          equals: 2\n");
  return text;
}

const Json* LastStepWithChecks(const Json& result) {
  const Json* found = nullptr;
  for (const Json& step : result["steps"])
    if (step.contains("checks")) found = &step;
  return found;
}

void ExpectTheSeedChecks(const Json& result) {
  const Json* step = LastStepWithChecks(result);
  ASSERT_NE(step, nullptr) << result.dump(2);
  const Json& checks = (*step)["checks"];
  ASSERT_EQ(checks.size(), 2u) << checks.dump(2);
  EXPECT_EQ(checks[0]["passed"], true);
  EXPECT_EQ(checks[0]["actual"], "\"client-1\"");
  EXPECT_EQ(checks[1]["passed"], false);
  EXPECT_EQ(checks[1]["subject"], "body");
  EXPECT_EQ(checks[1]["target"], "$.data.client_package.price");
  EXPECT_EQ(checks[1]["op"], "equals");
  EXPECT_EQ(checks[1]["expected"], "2");
  EXPECT_EQ(checks[1]["actual"], "(nothing)");
  EXPECT_GT(checks[1]["line"].get<int>(), checks[0]["line"].get<int>());
}

TEST_F(ServeTest, ChecksReachTheLiveEventsAndTheHistoryWithTheirMarksAndValues) {
  fs_.Add(kSeedFile, SeedWithChecks());
  Start();
  auto events = std::async(std::launch::async, [this] { return ReadEvents("run_finished"); });
  std::string run_id = RunToTheEnd({{"targets", {kSeedEndpoint}}, {"rateLimit", "off"}});
  ASSERT_FALSE(run_id.empty());

  const Frame* finished = nullptr;
  std::vector<Frame> frames = events.get();
  for (const Frame& f : frames)
    if (f.name == "document_finished") finished = &f;
  ASSERT_NE(finished, nullptr);
  EXPECT_EQ(finished->data["result"]["status"], "FAIL");
  EXPECT_EQ(finished->data["result"]["details"]["reason"], "CHECK_FAILED");
  ExpectTheSeedChecks(finished->data["result"]);

  Json detail = GetJson("/api/history/" + run_id);
  ASSERT_EQ(detail["results"].size(), 1u) << detail.dump(2);
  ExpectTheSeedChecks(detail["results"][0]);
}

}  // namespace
}  // namespace verity::serve::testing
