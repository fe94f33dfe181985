// How far `verity mock` of a published spec stands in for the real server (issue 19's measure):
// the recipes of tests/data/alertmanager/kb, one per operation of Prometheus Alertmanager's
// Swagger 2.0 document, and the drafts Verity writes for that server, each run against the real
// server from Debian's packages and against `verity mock` of that document, both on 127.0.0.1 and
// free ports, and each pair of JSON reports compared with `verity report diff`. The tests hold what
// is true today (the real server passes every document, the diff pairs each of them by file, the
// command's exit code and agreement line match the library's) and print the agreement and every
// disagreement with the step where the runs parted; they do not assert an agreement the mock does
// not reach yet.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "base/json.h"
#include "e2e/alertmanager_server.h"
#include "report/report_diff.h"
#include "support/paths.h"
#include "support/process.h"

namespace verity {
namespace {

using namespace std::chrono_literals;
using testing::Alertmanager;
using testing::RunVerity;
using testing::SourcePath;
using testing::TempDir;
using testing::VerityExit;

// One knowledge base's two runs and their comparison.
struct Measurement {
  VerityExit real_run, mock_run, diff_text, diff_json;
  Json real_report, mock_report;
};

// Both knowledge bases run against the real server, then against the mock, in the same order, so
// what each server holds when a recipe runs is what the same recipes made on it.
struct World {
  TempDir dir;
  Json spec;
  std::optional<Alertmanager> server;
  std::string mock_url;
  VerityExit draft_run;
  Measurement recipes, drafts;
  std::string setup_failure;

  std::string drafts_kb() const { return dir.path() + "/kb-drafts"; }

  VerityExit RunAgainst(const std::string& url, const std::string& kb, const std::string& name,
                        std::vector<std::string> args = {"run", "--no-write-back"}) {
    dir.Write(name + ".yaml", testing::AlertmanagerConfig(url, "spec", kb));
    // One document at a time, in the plan's order: what exists on each server when a recipe runs
    // is the same on both sides.
    args.insert(args.end(), {"--config", name + ".yaml", "--include-delete", "--no-history",
                             "--concurrency", "1", "--report-json", name + ".json"});
    return RunVerity(dir.path(), std::move(args));
  }

  // `verity mock` of the published spec on a free loopback port (--port 0; the URL is its first
  // line), stopped by PID when the runs are done.
  void RunAgainstTheMock() {
    testing::ChildOptions options;
    options.argv = {VERITY_BINARY, "mock", "spec/alertmanager.json", "--port", "0", "--seed", "1"};
    options.cwd = dir.path();
    options.stdout_path = dir.path() + "/mock.out";
    options.stderr_path = dir.path() + "/mock.err";
    testing::Child mock(options);
    std::optional<std::string> url = mock.started() ? mock.FirstStdoutLine(20s) : std::nullopt;
    if (!url || !url->starts_with("http://127.0.0.1:")) {
      setup_failure =
          "verity mock did not start: " + mock.error() + testing::SlurpOrEmpty(options.stderr_path);
      return;
    }
    mock_url = *url;
    recipes.mock_run = RunAgainst(mock_url, SourcePath("tests/data/alertmanager/kb"), "mock");
    drafts.mock_run = RunAgainst(mock_url, drafts_kb(), "mock-drafts");
    mock.Stop(5s);
  }

  void Compare(Measurement& m, const std::string& real, const std::string& mock) {
    m.real_report = Json::parse(testing::SlurpOrEmpty(dir.path() + "/" + real), nullptr, false);
    m.mock_report = Json::parse(testing::SlurpOrEmpty(dir.path() + "/" + mock), nullptr, false);
    if (!m.real_report.is_object()) setup_failure += "no " + real + ":\n" + m.real_run.err;
    if (!m.mock_report.is_object()) setup_failure += "no " + mock + ":\n" + m.mock_run.err;
    m.diff_text = RunVerity(dir.path(), {"report", "diff", real, mock});
    m.diff_json = RunVerity(dir.path(), {"report", "diff", real, mock, "--json"});
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
    // The drafts Verity writes for every operation from the spec and the real server
    // (alertmanager_drafts_test.cc), measured beside the hand-written recipes.
    draft_run = RunAgainst(server->url(), drafts_kb(), "draft",
                           {"run", "--all-operations", "--allow-writes", "--write-drafts"});
    recipes.real_run = RunAgainst(server->url(), SourcePath("tests/data/alertmanager/kb"), "real");
    drafts.real_run = RunAgainst(server->url(), drafts_kb(), "real-drafts");
    RunAgainstTheMock();
    if (!setup_failure.empty()) return;
    Compare(recipes, "real.json", "mock.json");
    Compare(drafts, "real-drafts.json", "mock-drafts.json");
  }
};

class AlertmanagerAgreement : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    world_ = new World;
    world_->SetUp();
  }
  static void TearDownTestSuite() {
    delete world_;  // stops the server
    world_ = nullptr;
  }
  void SetUp() override { ASSERT_EQ(world_->setup_failure, ""); }

  static World* world_;
};

World* AlertmanagerAgreement::world_ = nullptr;

// What holds of both measurements today, and the measurement printed for the mock's work.
void CheckAndPrint(const Measurement& m, const Json& spec, const std::string& what) {
  // The real server is the reference: every recipe passes there (alertmanager_test.cc and
  // alertmanager_drafts_test.cc say why).
  EXPECT_EQ(m.real_run.code, 0) << m.real_run.out << m.real_run.err;
  // The mock run ends with 0 or 1 (failures), never a usage or configuration error.
  EXPECT_TRUE(m.mock_run.code == 0 || m.mock_run.code == 1) << m.mock_run.code << m.mock_run.err;

  auto real = report::RunReportFromJson(m.real_report, "real");
  auto mock = report::RunReportFromJson(m.mock_report, "mock");
  ASSERT_TRUE(real.ok()) << real.status().message();
  ASSERT_TRUE(mock.ok()) << mock.status().message();
  report::ReportDiff diff = report::DiffReports(*real, *mock);
  size_t operations = testing::OperationsOf(spec).size();
  EXPECT_EQ(diff.pairs.size(), operations);
  EXPECT_TRUE(diff.only_in_a.empty());
  EXPECT_TRUE(diff.only_in_b.empty());
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

  std::cout << what << ", real Alertmanager (A) vs verity mock of its published spec (B):\n"
            << m.diff_text.out;
  ::testing::Test::RecordProperty("agreement", report::AgreementLine(diff));
}

TEST_F(AlertmanagerAgreement, TheHandWrittenRecipesPairEveryDocumentAndTheAgreementIsPrinted) {
  CheckAndPrint(world_->recipes, world_->spec, "tests/data/alertmanager/kb");
}

TEST_F(AlertmanagerAgreement, TheDraftsOfTheRealServerPairEveryDocumentAndTheAgreementIsPrinted) {
  EXPECT_EQ(world_->draft_run.code, 0) << world_->draft_run.out << world_->draft_run.err;
  CheckAndPrint(world_->drafts, world_->spec, "drafts written by --all-operations --write-drafts");
}

}  // namespace
}  // namespace verity
