// How far `verity mock` stands in for a real RPC-style API (issue 19's second server): the
// recipes of tests/data/etcd/kb, one per operation etcd's JSON gateway can run safely on one
// member (every operation a `POST /v3/<service>/<verb>`), run against Debian's etcd on 127.0.0.1
// and free ports, through `verity mock --proxy --record` in front of it, and then, each on a free
// port, against `verity mock` of the published spec alone, against the mock with
// tests/data/etcd/mock-rules.yaml, and against `verity mock --replay` of the recording with etcd
// stopped. Each mock's JSON report is compared with the real run's by `verity report diff`
// (report::DiffReports). What holds is asserted (the real server passes everything, the recorded
// run is the real run, the replay agrees on at least 90 % of the documents, the rules only add
// agreement); every agreement and disagreement is printed.
//
// Nine of the spec's 41 operations have no recipe, because they cannot run safely on one member:
// member add, remove, promote and update (a member added but never started takes the quorum away),
// auth enable and disable (every other call would then need a token), watch and snapshot (streams
// that do not end after one answer) and transfer-leadership (no other member to lead). For the
// same reason there are no --all-operations drafts here: drafting every operation with writes
// allowed would add a member.
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "base/json.h"
#include "e2e/alertmanager_server.h"
#include "e2e/etcd_server.h"
#include "e2e/mock_child.h"
#include "report/report_diff.h"
#include "support/paths.h"
#include "support/process.h"

namespace verity {
namespace {

using namespace std::chrono_literals;
using testing::Etcd;
using testing::MockChild;
using testing::RunVerity;
using testing::SlurpOrEmpty;
using testing::SourcePath;
using testing::TempDir;
using testing::VerityExit;

// One run of the knowledge base and its comparison with the real run.
struct Measurement {
  VerityExit run, diff_text;
  Json report;
  std::optional<report::ReportDiff> diff;
};

struct World {
  TempDir dir;
  std::optional<Etcd> server;
  VerityExit real_run, recorded_run;
  Json real_report, recorded_report;
  Measurement spec_alone, with_rules, replay;
  // What the spec-alone mock answered to a put, for the symptoms the user saw.
  Json mock_put_answer;
  std::string setup_failure;

  VerityExit RunAgainst(const std::string& url, const std::string& name) {
    dir.Write(name + ".yaml", testing::EtcdConfig(url, "spec", SourcePath("tests/data/etcd/kb")));
    // One document at a time, in the plan's order: the requests, and what each server holds when
    // a recipe runs, are the same on every side, so a recording matches request for request.
    return RunVerity(dir.path(),
                     {"run", "--no-write-back", "--config", name + ".yaml", "--include-delete",
                      "--no-history", "--concurrency", "1", "--report-json", name + ".json"});
  }

  Json ReportOf(const std::string& name, const VerityExit& run) {
    Json report = Json::parse(SlurpOrEmpty(dir.path() + "/" + name + ".json"), nullptr, false);
    if (!report.is_object()) setup_failure += "no " + name + ".json:\n" + run.out + run.err;
    return report;
  }

  void Measure(Measurement& m, const std::optional<std::string>& url, const std::string& name) {
    if (!url) {
      setup_failure += "verity mock (" + name +
                       ") did not start: " + SlurpOrEmpty(dir.path() + "/" + name + "-mock.err");
      return;
    }
    m.run = RunAgainst(*url, name);
    m.report = ReportOf(name, m.run);
    if (!m.report.is_object()) return;
    auto real = report::RunReportFromJson(real_report, "real");
    auto mock = report::RunReportFromJson(m.report, name);
    if (!real.ok() || !mock.ok()) {
      setup_failure += "unreadable report: " + std::string(real.status().message()) +
                       std::string(mock.status().message());
      return;
    }
    m.diff = report::DiffReports(*real, *mock);
    m.diff_text = RunVerity(dir.path(), {"report", "diff", "real.json", name + ".json"});
  }

  void SetUp() {
    std::optional<std::string> spec = testing::PublishedEtcdSpec(dir.path(), &setup_failure);
    if (!spec) return;
    dir.Write("spec/etcd.json", *spec);
    server.emplace(dir.path() + "/etcd");
    if (!server->Start(&setup_failure)) return;
    real_run = RunAgainst(server->url(), "real");
    real_report = ReportOf("real", real_run);
    {
      MockChild proxy(
          dir.path(), "recorded-mock",
          {"spec/etcd.json", "--seed", "1", "--proxy", server->url(), "--record", "recording"});
      if (!proxy.url()) {
        setup_failure = "verity mock --proxy did not start: " + proxy.Stop();
        return;
      }
      recorded_run = RunAgainst(*proxy.url(), "recorded");
      recorded_report = ReportOf("recorded", recorded_run);
    }
    server.reset();  // the real API is gone from here on
    if (!setup_failure.empty()) return;
    {
      // The spec asks every call for an Authorization key; the test's etcd runs without auth,
      // which the spec cannot say: alone, the mock serves every caller.
      MockChild mock(dir.path(), "spec-alone-mock",
                     {"spec/etcd.json", "--seed", "1", "--no-security-check"});
      if (mock.url()) mock_put_answer = PutThrough(*mock.url());
      Measure(spec_alone, mock.url(), "spec-alone");
    }
    {
      MockChild mock(dir.path(), "with-rules-mock",
                     {"spec/etcd.json", "--seed", "1", "--rules",
                      SourcePath("tests/data/etcd/mock-rules.yaml")});
      Measure(with_rules, mock.url(), "with-rules");
    }
    MockChild mock(dir.path(), "replay-mock",
                   {"spec/etcd.json", "--seed", "1", "--replay", "recording"});
    Measure(replay, mock.url(), "replay");
  }

  static Json PutThrough(const std::string& url) {
    httplib::Client client(url);
    auto answer = client.Post("/v3/kv/put", R"({"key":"dmVyaXR5","value":"cHV0LXZhbHVl"})",
                              "application/json");
    return answer ? Json::parse(answer->body, nullptr, false) : Json();
  }
};

class EtcdAgreement : public testing::SharedWorldTest<World> {};

// Passed, with or without warnings: the negative recipes pass with statuses the spec does not
// document (UNDOCUMENTED_STATUS, a warning).
size_t Passed(const Json& report) {
  const Json& summary = report["summary"];
  return summary.value("passed", size_t{0}) + summary.value("warned", size_t{0});
}

void Print(const Measurement& m, const std::string& what) {
  std::cout << "real etcd (A) vs " << what << " (B):\n" << m.diff_text.out;
  ::testing::Test::RecordProperty(what, report::AgreementLine(*m.diff));
}

TEST_F(EtcdAgreement, TheRealServerPassesEveryRecipeDirectlyAndThroughTheRecordingProxy) {
  size_t documents = world_->real_report["results"].size();
  EXPECT_GE(documents, 35u);
  EXPECT_EQ(world_->real_run.code, 0) << world_->real_run.out << world_->real_run.err;
  EXPECT_EQ(Passed(world_->real_report), documents) << world_->real_run.out;
  EXPECT_EQ(world_->recorded_run.code, 0) << world_->recorded_run.out;
  EXPECT_EQ(Passed(world_->recorded_report), documents) << world_->recorded_run.out;
}

TEST_F(EtcdAgreement, TheReplayOfTheRecordingWithEtcdStoppedAgreesOnAtLeastNinetyPercent) {
  const report::ReportDiff& diff = *world_->replay.diff;
  EXPECT_EQ(diff.pairs.size(), world_->real_report["results"].size());
  EXPECT_TRUE(diff.only_in_a.empty());
  EXPECT_TRUE(diff.only_in_b.empty());
  for (const report::DocumentPair& pair : diff.pairs) EXPECT_EQ(pair.paired_by, "file");
  EXPECT_GE(diff.agreed * 10, diff.pairs.size() * 9) << world_->replay.diff_text.out;
  EXPECT_EQ(world_->replay.diff_text.code, diff.disagreed() == 0 ? 0 : 1);
  Print(world_->replay, "verity mock --replay of the recorded real run");
}

TEST_F(EtcdAgreement, TheSpecAloneAndTheRulesAreMeasuredAndTheRulesOnlyAddAgreement) {
  for (const Measurement* m : {&world_->spec_alone, &world_->with_rules}) {
    // 0 or 1 (failures), never a usage or configuration error.
    EXPECT_TRUE(m->run.code == 0 || m->run.code == 1) << m->run.code << m->run.err;
    EXPECT_EQ(m->diff->pairs.size(), world_->real_report["results"].size());
  }
  EXPECT_GE(world_->with_rules.diff->agreed, world_->spec_alone.diff->agreed);
  Print(world_->spec_alone, "verity mock of the published spec alone");
  Print(world_->with_rules, "verity mock with tests/data/etcd/mock-rules.yaml");
}

TEST_F(EtcdAgreement, TheSpecAloneMockAnswersAPutWithDigitsForIdsAndDoesNotEchoTheValue) {
  const Json& answer = world_->mock_put_answer;
  ASSERT_TRUE(answer.is_object()) << answer;
  // cluster_id and member_id are uint64, revision int64: protobuf's JSON writes them as digits.
  for (const char* field : {"cluster_id", "member_id", "revision", "raft_term"}) {
    const Json& value = answer["header"][field];
    ASSERT_TRUE(value.is_string()) << answer;
    EXPECT_EQ(value.get<std::string>().find_first_not_of("0123456789"), std::string::npos)
        << field << " = " << value;
  }
  // A put is a call, not a create: the value just sent is not handed back as the previous one.
  if (answer.contains("prev_kv")) {
    EXPECT_NE(answer["prev_kv"].value("value", ""), "cHV0LXZhbHVl") << answer;
  }
}

}  // namespace
}  // namespace verity
