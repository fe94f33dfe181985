// Verity against an API it was not shaped on: Prometheus Alertmanager from Debian's packages,
// described by the Swagger 2.0 document its authors publish (Debian ships it embedded in
// golang-github-prometheus-alertmanager-dev; tools/setup.sh installs both). The test starts the
// real server on 127.0.0.1 and a free port, runs the recipes of tests/data/alertmanager/kb (one per
// operation of that spec) with a configuration that names no credential at all, and checks that
// every recipe passes cleanly, that nothing asked for or sent a token, and that `filter`, an array
// the spec declares `collectionFormat: multi`, reached the server as repeated parameters: the
// server's own filtering is the proof, since it answers one alert of two only when it received
// both matchers.
#include <gtest/gtest.h>
#include <httplib.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/strings.h"
#include "e2e/alertmanager_server.h"
#include "support/paths.h"

namespace verity {
namespace {

using testing::Alertmanager;
using testing::CollectSteps;
using testing::FindResult;
using testing::FindStep;
using testing::OperationsOf;
using testing::RunVerity;
using testing::SourcePath;
using testing::SwaggerJsonOf;
using testing::TempDir;
using Exit = testing::VerityExit;

// The values of one query parameter, decoded, in the order the URL carries them.
std::vector<std::string> QueryValues(const std::string& url, const std::string& name) {
  std::vector<std::string> values;
  size_t question = url.find('?');
  if (question == std::string::npos) return values;
  for (const auto& [key, value] : ParseQuery(std::string_view(url).substr(question + 1)))
    if (key == name) values.push_back(value);
  return values;
}

// One server and one run for the whole suite: each test reads another side of the same report.
struct World {
  TempDir dir;
  Json spec;
  std::optional<Alertmanager> server;
  Exit config_check;
  Exit spec_problems;
  Exit lint;
  Exit run;
  std::string report_text;
  Json report;
  std::string setup_failure;  // empty when the server started and the run produced a report

  void SetUp() {
    std::optional<std::string> swagger = testing::PublishedAlertmanagerSpec(&setup_failure);
    if (!swagger) return;
    spec = Json::parse(*swagger);
    dir.Write("spec/alertmanager.json", *swagger);
    dir.Write("alertmanager/alertmanager.yml", testing::kAlertmanagerConfig);
    server.emplace(dir.path() + "/alertmanager");
    if (!server->Start(&setup_failure)) return;
    dir.Write("verity.yaml", testing::AlertmanagerConfig(server->url(), "spec",
                                                         SourcePath("tests/data/alertmanager/kb")));
    config_check = RunVerity(dir.path(), {"config", "check", "--config", "verity.yaml"});
    spec_problems = RunVerity(dir.path(), {"spec", "problems", "spec"});
    lint = RunVerity(dir.path(), {"kb", "lint", SourcePath("tests/data/alertmanager/kb"),
                                  "--spec-root", "spec"});
    run =
        RunVerity(dir.path(), {"run", "--config", "verity.yaml", "--include-delete",
                               "--no-write-back", "--no-history", "--report-json", "report.json"});
    report_text = testing::SlurpOrEmpty(dir.path() + "/report.json");
    report = Json::parse(report_text, nullptr, false);
    if (!report.is_object()) setup_failure = "no JSON report:\n" + run.out + run.err;
  }
};

class AlertmanagerEndToEnd : public testing::SharedWorldTest<World> {};

TEST_F(AlertmanagerEndToEnd, EveryOperationOfThePublishedSpecHasARecipeThatPassesCleanly) {
  const Json& report = world_->report;
  EXPECT_EQ(world_->run.code, 0) << world_->run.out << world_->run.err;
  std::set<std::string> endpoints;
  for (const Json& result : report["results"]) {
    endpoints.insert(result["endpoint"].get<std::string>());
    EXPECT_EQ(result["status"], "PASS") << result["endpoint"] << ": " << result["details"].dump(2);
    EXPECT_EQ(result["swaggerFile"], "alertmanager.json") << result["endpoint"];
    EXPECT_TRUE(result["documentationIssues"].empty())
        << result["endpoint"] << ": " << result["documentationIssues"].dump(2);
  }
  EXPECT_EQ(endpoints, OperationsOf(world_->spec));
  // Lint agrees: every recipe names an operation of the spec and holds nothing to warn about.
  EXPECT_EQ(world_->lint.code, 0) << world_->lint.out << world_->lint.err;
  EXPECT_NE(world_->lint.out.find("0 errors, 0 warnings"), std::string::npos)
      << world_->lint.out << world_->lint.err;
  EXPECT_EQ(report["summary"]["passed"], OperationsOf(world_->spec).size());
  EXPECT_EQ(report["summary"]["warned"], 0);
}

TEST_F(AlertmanagerEndToEnd, AnEnvironmentWithoutCredentialsIsValidAndNothingSendsOne) {
  const Exit& check = world_->config_check;
  EXPECT_EQ(check.code, 0) << check.out << check.err;
  EXPECT_EQ(check.err, "");

  // A spec that declares no security asks for no credential: nothing to document per operation.
  const Exit& problems = world_->spec_problems;
  EXPECT_EQ(problems.code, 0) << problems.out << problems.err;
  EXPECT_EQ((problems.out + problems.err).find("MISSING_TOKEN"), std::string::npos)
      << problems.out << problems.err;

  const Json& report = world_->report;
  EXPECT_EQ(world_->report_text.find("MISSING_TOKEN"), std::string::npos) << world_->report_text;
  EXPECT_EQ(world_->run.out.find("MISSING_TOKEN"), std::string::npos) << world_->run.out;
  size_t requests = 0;
  for (const Json& result : report["results"]) {
    EXPECT_TRUE(result["tokenUsed"].is_null()) << result["endpoint"];
    std::vector<const Json*> steps;
    CollectSteps(result["steps"], &steps);
    for (const Json* step : steps) {
      const Json& request = (*step)["request"];
      if (!request.is_object()) continue;
      ++requests;
      EXPECT_TRUE((*step)["tokenUsed"].is_null()) << result["endpoint"] << " " << (*step)["id"];
      for (const auto& [name, value] : request["headers"].items()) {
        std::string lower = name;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        EXPECT_NE(lower, "authorization") << result["endpoint"] << " " << (*step)["id"];
      }
    }
  }
  EXPECT_GE(requests, OperationsOf(world_->spec).size());
}

TEST_F(AlertmanagerEndToEnd,
       ArrayFiltersArriveRepeatedAsTheSpecSerializesThemAndTheServerAppliesEach) {
  const Json& report = world_->report;
  const Json* alerts = FindResult(report, "GET /api/v2/alerts");
  ASSERT_NE(alerts, nullptr);
  const Json* get_alerts = FindStep(*alerts, "get_storage_alerts");
  ASSERT_NE(get_alerts, nullptr);
  std::string url = (*get_alerts)["request"]["url"];
  EXPECT_EQ(QueryValues(url, "filter"),
            (std::vector<std::string>{"alertname=\"VerityGetAlerts\"", "team=\"storage\""}))
      << url;
  Json answer = Json::parse((*get_alerts)["response"]["body"].get<std::string>(), nullptr, false);
  ASSERT_TRUE(answer.is_array()) << (*get_alerts)["response"]["body"];
  ASSERT_EQ(answer.size(), 1u) << answer.dump(2);
  EXPECT_EQ(answer[0]["labels"]["team"], "storage");

  // Both alerts are there: one came back because the server applied the second matcher.
  httplib::Client client("127.0.0.1", world_->server->port());
  auto both = client.Get("/api/v2/alerts?filter=alertname%3D%22VerityGetAlerts%22");
  ASSERT_TRUE(both);
  Json all = Json::parse(both->body, nullptr, false);
  ASSERT_TRUE(all.is_array()) << both->body;
  EXPECT_EQ(all.size(), 2u) << both->body;

  const Json* groups = FindResult(report, "GET /api/v2/alerts/groups");
  ASSERT_NE(groups, nullptr);
  const Json* get_groups = FindStep(*groups, "get_network_groups");
  ASSERT_NE(get_groups, nullptr);
  url = (*get_groups)["request"]["url"];
  EXPECT_EQ(QueryValues(url, "filter"),
            (std::vector<std::string>{"alertname=\"VerityGetAlertGroups\"", "team=\"network\""}))
      << url;
  // value(): a const Json's operator[] on an absent key is undefined behaviour, not a failure.
  EXPECT_EQ(get_groups->value("extracted", Json::object()).value("team", Json()), "network")
      << get_groups->dump(2);

  const Json* silences = FindResult(report, "GET /api/v2/silences");
  ASSERT_NE(silences, nullptr);
  const Json* get_silences = FindStep(*silences, "get_storage_silences");
  ASSERT_NE(get_silences, nullptr);
  url = (*get_silences)["request"]["url"];
  std::vector<std::string> filters = QueryValues(url, "filter");
  ASSERT_EQ(filters.size(), 3u) << url;
  EXPECT_EQ(filters[1], "team=\"storage\"");
  answer = Json::parse((*get_silences)["response"]["body"].get<std::string>(), nullptr, false);
  ASSERT_TRUE(answer.is_array()) << (*get_silences)["response"]["body"];
  ASSERT_EQ(answer.size(), 1u) << answer.dump(2);
  const Json* storage_silence = FindStep(*silences, "storage_silence");
  ASSERT_NE(storage_silence, nullptr);
  EXPECT_EQ(
      answer[0]["id"],
      storage_silence->value("extracted", Json::object()).value("storage_silence_id", Json()));
}

TEST(AlertmanagerSpec, TheSwaggerDocumentIsTheRawStringAssignedToSwaggerJsonNotItsFlatCopy) {
  std::string go =
      "var (\n\tSwaggerJSON json.RawMessage\n\tFlatSwaggerJSON json.RawMessage\n)\n"
      "func init() {\n\tSwaggerJSON = json.RawMessage([]byte(`{\"swagger\": \"2.0\"}`))\n"
      "\tFlatSwaggerJSON = json.RawMessage([]byte(`{\"flat\": true}`))\n}\n";
  EXPECT_EQ(SwaggerJsonOf(go), "{\"swagger\": \"2.0\"}");
  EXPECT_EQ(SwaggerJsonOf("package restapi\n"), std::nullopt);
}

}  // namespace
}  // namespace verity
