// `verity report diff`: two runs of the same documents, written by the real JSON report writer,
// read back and compared document by document.
#include "report/report_diff.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "base/clock.h"
#include "cli/cli.h"
#include "report/json_report.h"
#include "report/report_fixture.h"
#include "support/memory_file_system.h"

namespace verity::report {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

run::DocumentResult& Find(run::RunResult& run, const std::string& endpoint) {
  for (run::DocumentResult& d : run.documents)
    if (d.endpoint == endpoint) return d;
  throw std::runtime_error("no document " + endpoint);
}

// Writes both runs with the report writer and reads them back as `verity report diff` does.
class ReportDiffTest : public ::testing::Test {
 protected:
  ReportDiff Diff(const run::RunResult& a, const run::RunResult& b) {
    EXPECT_TRUE(WriteJsonReport(fs_, "/r/a.json", a).ok());
    EXPECT_TRUE(WriteJsonReport(fs_, "/r/b.json", b).ok());
    Result<RunReportView> read_a = ReadRunReport(fs_, "/r/a.json");
    Result<RunReportView> read_b = ReadRunReport(fs_, "/r/b.json");
    EXPECT_TRUE(read_a.ok()) << read_a.status().message();
    EXPECT_TRUE(read_b.ok()) << read_b.status().message();
    if (!read_a.ok() || !read_b.ok()) return {};
    return DiffReports(*read_a, *read_b);
  }

  std::string ReadError(const std::string& text) {
    EXPECT_TRUE(fs_.CreateDirectories("/r").ok());
    EXPECT_TRUE(fs_.WriteFileAtomic("/r/bad.json", text).ok());
    Result<RunReportView> read = ReadRunReport(fs_, "/r/bad.json");
    EXPECT_FALSE(read.ok());
    return read.ok() ? "" : read.status().message();
  }

  verity::testing::MemoryFileSystem fs_;
};

TEST_F(ReportDiffTest, RunsEndingEveryDocumentWithTheSameOutcomeAndReasonAgreeWhateverTheMessages) {
  run::RunResult a = testing::SampleRun();
  run::RunResult b = testing::SampleRun();
  b.summary.base_url = "http://127.0.0.1:4010";
  Find(b, "POST /platform/v1/clients").message = "another server's words";
  ReportDiff diff = Diff(a, b);
  EXPECT_EQ(diff.pairs.size(), 5u);
  EXPECT_EQ(diff.agreed, 5u);
  EXPECT_TRUE(diff.only_in_a.empty());
  EXPECT_TRUE(diff.only_in_b.empty());
  for (const DocumentPair& pair : diff.pairs) {
    EXPECT_EQ(pair.paired_by, "file");
    EXPECT_FALSE(pair.first_step.has_value());
  }
  EXPECT_EQ(AgreementLine(diff), "agreement: 5 of 5 documents (100.0 %)");
  std::string text = ReportDiffText(diff);
  EXPECT_THAT(text, Not(HasSubstr("DISAGREE")));
  EXPECT_THAT(text, HasSubstr("B: /r/b.json  run run-20260301-0001  http://127.0.0.1:4010\n"));
}

TEST_F(ReportDiffTest, AnotherOutcomeDisagreesAndNamesTheFirstStepWhoseOutcomeOrStatusDiffers) {
  run::RunResult a = testing::SampleRun();
  run::RunResult b = testing::SampleRun();
  run::DocumentResult& listed = Find(b, "GET /platform/v1/clients");
  listed.outcome = run::Outcome::kFail;
  listed.reason = "VALIDATION_ERROR";
  listed.message = "400 Bad Request";
  listed.http_status = 400;
  listed.steps[0].outcome = run::Outcome::kFail;
  listed.steps[0].reason = "VALIDATION_ERROR";
  listed.steps[0].message = "the mock refused the query";
  listed.steps[0].response->status = 400;
  // Same outcome, another reason: a disagreement too; the first of its two steps is alike.
  Find(b, "POST /platform/v1/clients").reason = "UNEXPECTED_STATUS";
  Find(b, "POST /platform/v1/clients").steps[1].reason = "UNEXPECTED_STATUS";
  // A step whose message is the document's is not printed twice.
  run::DocumentResult& invoice = Find(b, "GET /business/payments/v1/invoices/{uid}");
  invoice.reason = invoice.steps[0].reason = "SERVER_ERROR";
  invoice.message = invoice.steps[0].message = "the invoice store is down";

  ReportDiff diff = Diff(a, b);
  ASSERT_EQ(diff.pairs.size(), 5u);
  EXPECT_EQ(diff.agreed, 2u);
  EXPECT_EQ(diff.disagreed(), 3u);
  const DocumentPair& first = diff.pairs[0];
  EXPECT_FALSE(first.agree);
  EXPECT_EQ(first.a.status, "PASS");
  EXPECT_EQ(first.b.status, "FAIL");
  EXPECT_EQ(first.b.reason, "VALIDATION_ERROR");
  ASSERT_TRUE(first.first_step.has_value());
  ASSERT_TRUE(first.first_step->a.has_value() && first.first_step->b.has_value());
  EXPECT_EQ(first.first_step->a->id, "list_clients");
  EXPECT_EQ(first.first_step->a->http_status, 200);
  EXPECT_EQ(first.first_step->b->http_status, 400);
  const DocumentPair& post = diff.pairs[2];
  EXPECT_FALSE(post.agree);
  ASSERT_TRUE(post.first_step.has_value());
  EXPECT_EQ(post.first_step->a->id, "create_client");

  EXPECT_EQ(AgreementLine(diff), "agreement: 2 of 5 documents (40.0 %)");
  std::string text = ReportDiffText(diff);
  EXPECT_THAT(text, HasSubstr("DISAGREE  GET /platform/v1/clients\n"
                              "  file:  kb/crm/get_platform_v1_clients.md\n"
                              "  A:     PASS 200\n"
                              "  B:     FAIL 400 VALIDATION_ERROR: 400 Bad Request\n"
                              "  first differing step: list_clients (test_request): A PASS 200, B "
                              "FAIL 400 VALIDATION_ERROR\n"
                              "    B: the mock refused the query\n"));
  EXPECT_THAT(text, HasSubstr("first differing step: create_client (test_request): A FAIL 401 "
                              "AUTH_FAILED, B FAIL 401 UNEXPECTED_STATUS"));
  EXPECT_THAT(text, HasSubstr("  B:     ERROR 404 SERVER_ERROR: the invoice store is down\n"
                              "  first differing step: get_invoice (test_request): A ERROR 404 "
                              "RESOURCE_NOT_FOUND, B ERROR 404 SERVER_ERROR\n"
                              "agreement:"));
  // Server text reaches the terminal as one line without control characters.
  EXPECT_THAT(text, Not(HasSubstr("\x01")));
  EXPECT_THAT(text, Not(HasSubstr(testing::kSecret)));
}

TEST_F(ReportDiffTest, ADocumentInOneReportOnlyIsListedAndNotCounted) {
  run::RunResult a = testing::SampleRun();
  run::RunResult b = testing::SampleRun();
  b.documents.erase(b.documents.begin() + 3);  // the ERROR
  run::DocumentResult extra = b.documents[0];
  extra.file = "kb/crm/get_platform_v1_clients__empty.md";
  extra.variant = "empty";
  b.documents.push_back(extra);
  ReportDiff diff = Diff(a, b);
  EXPECT_EQ(diff.pairs.size(), 4u);
  EXPECT_EQ(diff.agreed, 4u);
  ASSERT_EQ(diff.only_in_a.size(), 1u);
  EXPECT_EQ(diff.only_in_a[0].endpoint, "GET /business/payments/v1/invoices/{uid}");
  ASSERT_EQ(diff.only_in_b.size(), 1u);
  EXPECT_EQ(diff.only_in_b[0].variant, "empty");
  std::string text = ReportDiffText(diff);
  EXPECT_THAT(text, HasSubstr("ONLY IN A  GET /business/payments/v1/invoices/{uid}  "
                              "(kb/sales/get_business_payments_v1_invoices_uid.md)  ERROR "
                              "RESOURCE_NOT_FOUND\n"));
  EXPECT_THAT(text, HasSubstr("ONLY IN B  GET /platform/v1/clients [empty]"));
  EXPECT_THAT(text, HasSubstr("1 documents only in A, 1 only in B (not counted below)\n"
                              "agreement: 4 of 4 documents (100.0 %)\n"));
  Json json = ReportDiffJson(diff);
  EXPECT_EQ(json["summary"]["onlyInA"], 1);
  EXPECT_EQ(json["onlyInB"][0]["variant"], "empty");
}

TEST_F(ReportDiffTest, TwoCopiesOfAKnowledgeBasePairByEndpointAndVariant) {
  run::RunResult a = testing::SampleRun();
  run::RunResult b = testing::SampleRun();
  for (run::DocumentResult& d : b.documents) d.file = "/tmp/copy/" + d.file;
  ReportDiff diff = Diff(a, b);
  ASSERT_EQ(diff.pairs.size(), 5u);
  EXPECT_EQ(diff.pairs[0].paired_by, "endpoint");
  EXPECT_EQ(diff.pairs[0].b.file, "/tmp/copy/kb/crm/get_platform_v1_clients.md");
  EXPECT_EQ(diff.agreed, 5u);
}

// Two documents of one endpoint and variant in a report cannot say which of them another report's
// document is: neither is paired by endpoint.
TEST_F(ReportDiffTest, AnEndpointTwoDocumentsShareIsNotPairedByEndpoint) {
  run::RunResult a = testing::SampleRun();
  a.documents.resize(1);
  a.documents.push_back(a.documents[0]);
  a.documents[1].file = "kb/other/get_platform_v1_clients.md";
  run::RunResult b = testing::SampleRun();
  b.documents.resize(1);
  b.documents[0].file = "copy/get_platform_v1_clients.md";
  ReportDiff diff = Diff(a, b);
  EXPECT_TRUE(diff.pairs.empty());
  EXPECT_EQ(diff.only_in_a.size(), 2u);
  EXPECT_EQ(diff.only_in_b.size(), 1u);
  EXPECT_EQ(AgreementLine(diff), "agreement: 0 of 0 documents (N/A)");
}

TEST_F(ReportDiffTest, StepsOfAUsedDocumentAreComparedUnderTheirUseStep) {
  run::RunResult a = testing::SampleRun();
  a.documents.resize(1);
  run::StepResult use;
  use.id = "login";
  use.section = "use";
  run::StepResult inner;
  inner.id = "post";
  inner.section = "test_request";
  use.nested.push_back(inner);
  a.documents[0].steps.insert(a.documents[0].steps.begin(), use);
  run::RunResult b = a;
  b.documents[0].outcome = run::Outcome::kFail;
  b.documents[0].reason = "PREREQUISITE_FAILED";
  b.documents[0].steps[0].nested[0].outcome = run::Outcome::kFail;
  ReportDiff diff = Diff(a, b);
  ASSERT_EQ(diff.pairs.size(), 1u);
  ASSERT_TRUE(diff.pairs[0].first_step.has_value());
  EXPECT_EQ(diff.pairs[0].first_step->a->id, "login/post");
}

TEST_F(ReportDiffTest, AnInvalidReportIsNamedWithTheFileTheCodeAndTheJsonPointer) {
  std::string good = RunReportText(testing::SampleRun());
  Json wrong_status = Json::parse(good);
  wrong_status["results"][2]["status"] = "OK";
  EXPECT_EQ(ReadError(wrong_status.dump()),
            "/r/bad.json: REPORT_INVALID at /results/2/status: expected PASS, SKIP, WARN, ERROR "
            "or FAIL, found \"OK\"");
  Json no_steps = Json::parse(good);
  no_steps["results"][0].erase("steps");
  EXPECT_EQ(ReadError(no_steps.dump()), "/r/bad.json: REPORT_INVALID at /results/0/steps: missing");
  Json step_id = Json::parse(good);
  step_id["results"][2]["steps"][1]["id"] = 7;
  EXPECT_EQ(ReadError(step_id.dump()),
            "/r/bad.json: REPORT_INVALID at /results/2/steps/1/id: expected a string, found a "
            "number");
  Json history = Json::parse(good);
  history["format"] = "verity-history";
  EXPECT_THAT(ReadError(history.dump()),
              HasSubstr("REPORT_INVALID at /format: expected \"verity-run-report\", found "
                        "\"verity-history\""));
  Json newer = Json::parse(good);
  newer["version"] = 2;
  EXPECT_EQ(ReadError(newer.dump()),
            "/r/bad.json: REPORT_INVALID at /version: this verity reads version 1, found 2");
  EXPECT_EQ(ReadError("[]"),
            "/r/bad.json: REPORT_INVALID at the top level: expected an object, found an array");
  EXPECT_THAT(ReadError("{\"format\": "), HasSubstr("/r/bad.json: REPORT_NOT_JSON: "));
  Result<RunReportView> missing = ReadRunReport(fs_, "/r/none.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(), HasSubstr("/r/none.json: REPORT_UNREADABLE: "));
}

// A member this reader does not know is ignored, as the format's versioning promises.
TEST_F(ReportDiffTest, UnknownMembersAreIgnored) {
  Json report = Json::parse(RunReportText(testing::SampleRun()));
  report["results"][0]["somethingNew"] = {{"x", 1}};
  report["summary"]["runId"] = 12;
  Result<RunReportView> read = RunReportFromJson(report, "a.json");
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(read->documents.size(), 5u);
  EXPECT_EQ(read->run_id, "");
}

// The command: exit 0 when every paired document agrees, 1 when one disagrees, 2 when a report
// cannot be read; --json prints the same comparison for scripts.
TEST_F(ReportDiffTest, TheCommandExitsByAgreementAndPrintsJsonOnRequest) {
  run::RunResult a = testing::SampleRun();
  run::RunResult b = testing::SampleRun();
  Find(b, "GET /platform/v1/clients").outcome = run::Outcome::kWarn;
  ASSERT_TRUE(WriteJsonReport(fs_, "/r/a.json", a).ok());
  ASSERT_TRUE(WriteJsonReport(fs_, "/r/b.json", b).ok());
  FakeClock clock(1767225600000);
  auto run = [&](std::vector<std::string> args, std::string* out, std::string* err) {
    std::ostringstream o, e;
    cli::Context ctx{o, e, fs_, clock};
    int code = cli::Run(args, ctx);
    *out = o.str();
    *err = e.str();
    return code;
  };
  std::string out, err;
  EXPECT_EQ(run({"report", "diff", "/r/a.json", "/r/a.json"}, &out, &err), 0) << err;
  EXPECT_THAT(out, HasSubstr("agreement: 5 of 5 documents (100.0 %)\n"));
  EXPECT_EQ(run({"report", "diff", "/r/a.json", "/r/b.json"}, &out, &err), 1) << err;
  EXPECT_THAT(out, HasSubstr("agreement: 4 of 5 documents (80.0 %)\n"));
  EXPECT_THAT(out, Not(HasSubstr(testing::kSecret)));
  EXPECT_THAT(out, Not(HasSubstr("Authorization")));
  EXPECT_EQ(run({"report", "diff", "/r/a.json", "/r/b.json", "--json"}, &out, &err), 1);
  Json json = Json::parse(out);
  EXPECT_EQ(json["format"], "verity-report-diff");
  EXPECT_EQ(json["summary"]["agreed"], 4);
  EXPECT_EQ(json["summary"]["agreementPercent"], 80.0);
  EXPECT_EQ(json["pairs"][0]["agree"], false);
  EXPECT_EQ(json["pairs"][0]["b"]["status"], "WARN");
  EXPECT_EQ(json["pairs"][0]["firstDifferentStep"], Json());
  EXPECT_EQ(json["pairs"][1]["agree"], true);
  EXPECT_EQ(run({"report", "diff", "/r/a.json", "/r/missing.json"}, &out, &err), 2);
  EXPECT_THAT(err, HasSubstr("verity: /r/missing.json: REPORT_UNREADABLE"));
  EXPECT_EQ(out, "");
  EXPECT_EQ(run({"report", "dif", "/r/a.json", "/r/b.json"}, &out, &err), 2);
}

}  // namespace
}  // namespace verity::report
