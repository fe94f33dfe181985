// How far `verity mock` of a published spec stands in for the real server (issue 19's measure, a
// REST-style API): the recipes of tests/data/alertmanager/kb, one per operation of Prometheus
// Alertmanager's Swagger 2.0 document, and the drafts Verity writes for that server, run against
// the real server from Debian's packages and then, each on a free loopback port, against
// `verity mock` of that document alone, against the mock with
// tests/data/alertmanager/mock-rules.yaml (what the spec cannot say: a silence's computed state, a
// DELETE that expires, the `filter` matcher language), and against `verity mock --replay` of the
// recipes' run recorded through `verity mock --proxy --record`, with the server stopped. Each mock
// run's JSON report is compared with the real run's by `verity report diff` (report::DiffReports).
// What holds is asserted (the real server passes everything, every document pairs by file, the
// replay and the drafts agree on at least 90 %, the rules only add agreement); every measurement is
// printed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "base/json.h"
#include "e2e/alertmanager_server.h"
#include "e2e/mock_child.h"
#include "report/report_diff.h"
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
using testing::VerityExit;

const std::string kRecipes = SourcePath("tests/data/alertmanager/kb");
const std::string kRules = SourcePath("tests/data/alertmanager/mock-rules.yaml");

// One mock run of a knowledge base and its comparison with the real run of it.
struct Measurement {
  VerityExit run, diff_text, diff_json;
  Json report;
  std::optional<report::ReportDiff> diff;
};

// Every run goes one document at a time, in the plan's order: what each server holds when a recipe
// runs is what the same recipes made on it, and a recording matches request for request.
struct World {
  TempDir dir;
  Json spec;
  std::optional<Alertmanager> server;
  VerityExit draft_run, real_run, real_drafts_run, recorded_run;
  Json real_report, real_drafts_report, recorded_report;
  Measurement spec_alone, spec_alone_drafts, with_rules, with_rules_drafts, replay;
  std::string setup_failure;

  std::string drafts_kb() const { return dir.path() + "/kb-drafts"; }

  VerityExit RunAgainst(const std::string& url, const std::string& kb, const std::string& name,
                        std::vector<std::string> args = {"run", "--no-write-back"}) {
    dir.Write(name + ".yaml", testing::AlertmanagerConfig(url, "spec", kb));
    args.insert(args.end(), {"--config", name + ".yaml", "--include-delete", "--no-history",
                             "--concurrency", "1", "--report-json", name + ".json"});
    return RunVerity(dir.path(), std::move(args));
  }

  Json ReportOf(const std::string& name, const VerityExit& run) {
    Json report = Json::parse(SlurpOrEmpty(dir.path() + "/" + name + ".json"), nullptr, false);
    if (!report.is_object()) setup_failure += "no " + name + ".json:\n" + run.out + run.err;
    return report;
  }

  // The knowledge base `kb` run against the mock at `url` as `name`, compared with `real`.
  void Measure(Measurement& m, const MockChild& mock, const std::string& kb,
               const std::string& real, const std::string& name) {
    if (!mock.url()) {
      setup_failure += "verity mock (" + name + ") did not start";
      return;
    }
    m.run = RunAgainst(*mock.url(), kb, name);
    m.report = ReportOf(name, m.run);
    Json real_json = Json::parse(SlurpOrEmpty(dir.path() + "/" + real + ".json"), nullptr, false);
    auto a = report::RunReportFromJson(real_json, real);
    auto b = report::RunReportFromJson(m.report, name);
    if (!a.ok() || !b.ok()) {
      setup_failure += "unreadable report: " + std::string(a.status().message()) +
                       std::string(b.status().message());
      return;
    }
    m.diff = report::DiffReports(*a, *b);
    m.diff_text = RunVerity(dir.path(), {"report", "diff", real + ".json", name + ".json"});
    m.diff_json =
        RunVerity(dir.path(), {"report", "diff", real + ".json", name + ".json", "--json"});
  }

  void RunAgainstTheRealServer() {
    // The drafts Verity writes for every operation from the spec and the real server
    // (alertmanager_drafts_test.cc), measured beside the hand-written recipes.
    draft_run = RunAgainst(server->url(), drafts_kb(), "draft",
                           {"run", "--all-operations", "--allow-writes", "--write-drafts"});
    real_run = RunAgainst(server->url(), kRecipes, "real");
    real_report = ReportOf("real", real_run);
    real_drafts_run = RunAgainst(server->url(), drafts_kb(), "real-drafts");
    real_drafts_report = ReportOf("real-drafts", real_drafts_run);
    MockChild proxy(dir.path(), "recorded-mock",
                    {"spec/alertmanager.json", "--proxy", server->url(), "--record", "recording"});
    if (!proxy.url()) {
      setup_failure += "verity mock --proxy did not start: " + proxy.Stop();
      return;
    }
    recorded_run = RunAgainst(*proxy.url(), kRecipes, "recorded");
    recorded_report = ReportOf("recorded", recorded_run);
  }

  void SetUp() {
    std::optional<std::string> swagger = testing::PublishedAlertmanagerSpec(&setup_failure);
    if (!swagger) return;
    spec = Json::parse(*swagger);
    dir.Write("spec/alertmanager.json", *swagger);
    dir.Write("alertmanager/alertmanager.yml", testing::kAlertmanagerConfig);
    std::filesystem::create_directories(drafts_kb());
    server.emplace(dir.path() + "/alertmanager");
    if (!server->Start(&setup_failure)) return;
    RunAgainstTheRealServer();
    server.reset();  // the real API is gone from here on
    if (!setup_failure.empty()) return;
    const std::vector<std::string> spec_args = {"spec/alertmanager.json", "--seed", "1"};
    {
      MockChild mock(dir.path(), "spec-alone-mock", spec_args);
      Measure(spec_alone, mock, kRecipes, "real", "spec-alone");
      Measure(spec_alone_drafts, mock, drafts_kb(), "real-drafts", "spec-alone-drafts");
    }
    {
      std::vector<std::string> args = spec_args;
      args.insert(args.end(), {"--rules", kRules});
      MockChild mock(dir.path(), "with-rules-mock", args);
      Measure(with_rules, mock, kRecipes, "real", "with-rules");
      Measure(with_rules_drafts, mock, drafts_kb(), "real-drafts", "with-rules-drafts");
    }
    MockChild mock(dir.path(), "replay-mock", {"spec/alertmanager.json", "--replay", "recording"});
    Measure(replay, mock, kRecipes, "real", "replay");
  }
};

class AlertmanagerAgreement : public testing::SharedWorldTest<World> {};

// Passed, with or without warnings.
size_t Passed(const Json& report) {
  const Json& summary = report["summary"];
  return summary.value("passed", size_t{0}) + summary.value("warned", size_t{0});
}

// What holds of every measurement, and the measurement printed.
void CheckAndPrint(const Measurement& m, size_t operations, const std::string& what) {
  ASSERT_TRUE(m.diff) << what;
  // The mock run ends with 0 or 1 (failures), never a usage or configuration error.
  EXPECT_TRUE(m.run.code == 0 || m.run.code == 1) << m.run.code << m.run.err;
  const report::ReportDiff& diff = *m.diff;
  EXPECT_EQ(diff.pairs.size(), operations) << what;
  EXPECT_TRUE(diff.only_in_a.empty()) << what;
  EXPECT_TRUE(diff.only_in_b.empty()) << what;
  for (const report::DocumentPair& pair : diff.pairs) {
    EXPECT_EQ(pair.paired_by, "file") << pair.a.endpoint;
    EXPECT_EQ(pair.a.status, "PASS") << pair.a.endpoint;
  }
  // The command says what the library says: its last line, its exit code, its JSON.
  EXPECT_EQ(m.diff_text.code, diff.disagreed() == 0 ? 0 : 1) << m.diff_text.out << m.diff_text.err;
  EXPECT_THAT(m.diff_text.out, ::testing::EndsWith(report::AgreementLine(diff) + "\n"));
  Json json = Json::parse(m.diff_json.out, nullptr, false);
  ASSERT_TRUE(json.is_object()) << m.diff_json.out << m.diff_json.err;
  EXPECT_EQ(json["summary"]["paired"], operations);
  EXPECT_EQ(json["summary"]["agreed"], diff.agreed);
  std::cout << "real Alertmanager (A) vs " << what << " (B):\n" << m.diff_text.out;
  ::testing::Test::RecordProperty(what, report::AgreementLine(diff));
}

bool AtLeastNinetyPercent(const Measurement& m) {
  return m.diff && m.diff->agreed * 10 >= m.diff->pairs.size() * 9;
}

TEST_F(AlertmanagerAgreement, TheRealServerPassesEveryDocumentDirectlyAndThroughTheRecordingProxy) {
  size_t operations = testing::OperationsOf(world_->spec).size();
  EXPECT_EQ(world_->draft_run.code, 0) << world_->draft_run.out << world_->draft_run.err;
  for (const auto* run : {&world_->real_run, &world_->real_drafts_run, &world_->recorded_run})
    EXPECT_EQ(run->code, 0) << run->out << run->err;
  for (const Json* report :
       {&world_->real_report, &world_->real_drafts_report, &world_->recorded_report})
    EXPECT_EQ(Passed(*report), operations) << *report;
}

TEST_F(AlertmanagerAgreement, TheReplayOfTheRecordingWithTheServerStoppedAgreesOnNinetyPercent) {
  CheckAndPrint(world_->replay, testing::OperationsOf(world_->spec).size(),
                "verity mock --replay of the recorded real run");
  EXPECT_TRUE(AtLeastNinetyPercent(world_->replay)) << world_->replay.diff_text.out;
}

TEST_F(AlertmanagerAgreement, TheRulesSayWhatTheSpecCannotAndOnlyAddAgreement) {
  size_t operations = testing::OperationsOf(world_->spec).size();
  CheckAndPrint(world_->spec_alone, operations, "verity mock of the published spec alone");
  CheckAndPrint(world_->with_rules, operations,
                "verity mock with tests/data/alertmanager/mock-rules.yaml");
  ASSERT_TRUE(world_->spec_alone.diff && world_->with_rules.diff);
  EXPECT_GT(world_->with_rules.diff->agreed, world_->spec_alone.diff->agreed);
}

TEST_F(AlertmanagerAgreement, TheDraftsOfTheRealServerAgreeWithTheMockOnNinetyPercent) {
  size_t operations = testing::OperationsOf(world_->spec).size();
  CheckAndPrint(world_->spec_alone_drafts, operations,
                "verity mock of the spec alone, drafts of --all-operations --write-drafts");
  CheckAndPrint(world_->with_rules_drafts, operations,
                "verity mock with rules, drafts of --all-operations --write-drafts");
  EXPECT_TRUE(AtLeastNinetyPercent(world_->spec_alone_drafts));
  EXPECT_TRUE(AtLeastNinetyPercent(world_->with_rules_drafts));
}

}  // namespace
}  // namespace verity
