// `verity mock --proxy` in front of a real API, recording, then `verity mock --replay` with the API
// gone: Debian's Prometheus Alertmanager on 127.0.0.1 (tests/e2e/alertmanager_server.h), a few
// recipes of tests/data/alertmanager/kb run through the proxy with a credential configured in the
// query (which Alertmanager ignores), the server stopped, and the same recipes run against the
// replay. The outcomes must be the same, and the credential must appear in no recording.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/json.h"
#include "e2e/alertmanager_server.h"
#include "e2e/mock_child.h"
#include "support/paths.h"
#include "support/process.h"

namespace verity {
namespace {

using testing::Alertmanager;
using testing::MockChild;
using testing::RunVerity;
using testing::SlurpOrEmpty;
using testing::SourcePath;
using testing::TempDir;

constexpr char kToken[] = "e2e-proxy-canary-7f3a9c1d5b2e8046";

// Recipes whose requests are the same from run to run (no random query values), so that every
// request of the replayed run has its recorded exchange.
const std::vector<std::string> kRecipes = {
    "get_api_v2_status.md", "get_api_v2_receivers.md", "post_api_v2_silences.md",
    "get_api_v2_silence_silenceid.md", "delete_api_v2_silence_silenceid.md"};

std::string Config(const std::string& url) {
  return testing::AlertmanagerConfig(url, "spec", SourcePath("tests/data/alertmanager/kb")) +
         "    tokens:\n"
         "      probe: {file: probe.token, in: query, name: access_token}\n"
         "    default_token: probe\n";
}

// Each recipe's outcome and the statuses its steps saw, by endpoint.
std::map<std::string, std::string> Outcomes(const Json& report) {
  std::map<std::string, std::string> out;
  if (!report.is_object()) return out;
  for (const Json& result : report["results"]) {
    std::vector<const Json*> steps;
    testing::CollectSteps(result["steps"], &steps);
    std::string line = result["status"].get<std::string>();
    for (const Json* step : steps)
      line += " " + step->value("id", "") + "=" + step->value("status", "");
    out[result["endpoint"].get<std::string>()] = line;
  }
  return out;
}

// The access log's request lines that hold `mark`.
size_t Requests(const std::string& log, const std::string& mark) {
  size_t count = 0;
  for (size_t at = 0; at < log.size();) {
    size_t end = log.find('\n', at);
    if (end == std::string::npos) end = log.size();
    std::string line = log.substr(at, end - at);
    bool request =
        line.find(" /api/v2/") != std::string::npos && line.find(" ms") != std::string::npos;
    if (request && line.find(mark) != std::string::npos) ++count;
    at = end + 1;
  }
  return count;
}

testing::VerityExit RunRecipes(const TempDir& dir, const std::string& report) {
  std::vector<std::string> args = {"run"};
  for (const std::string& recipe : kRecipes)
    args.push_back(SourcePath("tests/data/alertmanager/kb/alertmanager/" + recipe));
  // One document at a time: three recipes create a silence with the same request, and which of
  // the recorded ids each gets depends on the order the requests arrive in.
  for (const char* more : {"--config", "verity.yaml", "--concurrency", "1", "--include-delete",
                           "--no-write-back", "--no-history", "--report-json"})
    args.push_back(more);
  args.push_back(report);
  return RunVerity(dir.path(), args);
}

TEST(MockProxyEndToEnd, ARunRecordedThroughTheProxyReplaysWithTheServerStoppedToTheSameOutcomes) {
  std::string failure;
  std::optional<std::string> swagger = testing::PublishedAlertmanagerSpec(&failure);
  ASSERT_TRUE(swagger) << failure;
  TempDir dir;
  dir.Write("spec/alertmanager.json", *swagger);
  dir.Write("alertmanager/alertmanager.yml", testing::kAlertmanagerConfig);
  dir.Write("probe.token", kToken);
  std::optional<Alertmanager> server(std::in_place, dir.path() + "/alertmanager");
  ASSERT_TRUE(server->Start(&failure)) << failure;

  MockChild proxy(dir.path(), "proxy", {"spec", "--proxy", server->url(), "--record", "recording"});
  ASSERT_TRUE(proxy.url()) << SlurpOrEmpty(dir.path() + "/proxy.err");
  dir.Write("verity.yaml", Config(*proxy.url()));
  testing::VerityExit recorded_run = RunRecipes(dir, "recorded.json");
  std::string proxy_log = proxy.Stop();
  server.reset();  // the real API is gone from here on

  Json recorded = Json::parse(SlurpOrEmpty(dir.path() + "/recorded.json"), nullptr, false);
  ASSERT_TRUE(recorded.is_object()) << recorded_run.out << recorded_run.err;
  EXPECT_EQ(recorded_run.code, 0) << recorded_run.out << recorded_run.err;
  EXPECT_EQ(recorded["summary"]["passed"], kRecipes.size()) << recorded_run.out;
  // Every request went through the proxy and was matched to its operation; Alertmanager answers as
  // its spec says, so nothing drifted.
  EXPECT_NE(proxy_log.find("GET /api/v2/status?access_token=*** 200"), std::string::npos)
      << proxy_log;
  EXPECT_EQ(Requests(proxy_log, "via=proxy"), Requests(proxy_log, ""));
  EXPECT_EQ(proxy_log.find("drift:"), std::string::npos) << proxy_log;
  EXPECT_EQ(proxy_log.find(kToken), std::string::npos);

  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path() + "/recording")) {
    std::string text = SlurpOrEmpty(entry.path().string());
    ++files;
    EXPECT_EQ(text.find(kToken), std::string::npos) << entry.path();
    Json exchange = Json::parse(text, nullptr, false);
    ASSERT_TRUE(exchange.is_object()) << entry.path();
    // The credential was there, and only its value went.
    EXPECT_NE(exchange["query"].get<std::string>().find("access_token=***"), std::string::npos)
        << text;
  }
  EXPECT_GE(files, kRecipes.size());

  MockChild replay(dir.path(), "replay", {"spec", "--replay", "recording"});
  ASSERT_TRUE(replay.url()) << SlurpOrEmpty(dir.path() + "/replay.err");
  dir.Write("verity.yaml", Config(*replay.url()));
  testing::VerityExit replayed_run = RunRecipes(dir, "replayed.json");
  std::string replay_log = replay.Stop();
  Json replayed = Json::parse(SlurpOrEmpty(dir.path() + "/replayed.json"), nullptr, false);
  ASSERT_TRUE(replayed.is_object()) << replayed_run.out << replayed_run.err;
  EXPECT_EQ(replayed_run.code, recorded_run.code) << replayed_run.out << replayed_run.err;
  EXPECT_EQ(Outcomes(replayed), Outcomes(recorded)) << replay_log;
  EXPECT_EQ(Outcomes(recorded).size(), kRecipes.size());
  // Every request of the second run was answered from the recording, none by the generated
  // behaviour, and there were as many as the recorded run sent.
  EXPECT_EQ(Requests(replay_log, "via=replay"), Requests(proxy_log, "")) << replay_log;
}

}  // namespace
}  // namespace verity
