#include "report/json_report.h"

#include <gtest/gtest.h>

#include "report/report_fixture.h"
#include "report/text.h"
#include "support/memory_file_system.h"

namespace verity::report {
namespace {

using testing::SampleRun;

TEST(JsonReport, NamesItsFormatAndVersion) {
  Json report = RunReportJson(SampleRun());
  EXPECT_EQ("verity-run-report", report["format"]);
  EXPECT_EQ(1, report["version"]);
  std::vector<std::string> keys;
  for (const auto& [key, value] : report.items()) keys.push_back(key);
  EXPECT_EQ((std::vector<std::string>{"format", "version", "summary", "documentationIssues",
                                      "results", "fixtures", "byDomain"}),
            keys);
}

TEST(JsonReport, SummaryHasTheOriginalFieldsAndVerityAdditions) {
  Json s = RunReportJson(SampleRun())["summary"];
  EXPECT_EQ("2026-03-01T00:00:00.000Z", s["timestamp"]);
  EXPECT_EQ("staging", s["environment"]);
  EXPECT_EQ("https://api.example.com", s["baseUrl"]);
  EXPECT_EQ(5, s["total"]);
  EXPECT_EQ(1, s["passed"]);
  EXPECT_EQ(1, s["failed"]);
  EXPECT_EQ(1, s["warned"]);
  EXPECT_EQ(1, s["errored"]);
  EXPECT_EQ(1, s["skipped"]);
  EXPECT_EQ("50.0%", s["passRate"]);  // (passed + warned) / (total - skipped)
  EXPECT_EQ(50.0, s["passRatePercent"]);
  EXPECT_EQ("3.2s", s["duration"]);
  EXPECT_EQ(3200, s["durationMs"]);
  EXPECT_EQ("run-20260301-0001", s["runId"]);
  EXPECT_EQ("https://fallback.example.com", s["fallbackUrl"]);
  EXPECT_EQ(false, s["dryRun"]);
  EXPECT_EQ("2026-03-01T00:00:03.200Z", s["finishedAt"]);
  EXPECT_EQ(4, s["testable"]);
  EXPECT_EQ("failed", s["verdict"]);
  EXPECT_EQ(1, s["exitCode"]);
}

TEST(JsonReport, EnvironmentIsTheConfiguredNameNotGuessedFromTheUrl) {
  run::RunResult run = SampleRun();
  run.summary.environment = "eu-prod";
  run.summary.base_url = "https://staging.example.com";
  EXPECT_EQ("eu-prod", RunReportJson(run)["summary"]["environment"]);
}

TEST(JsonReport, ResultsCarryTheOriginalFieldsInPlanOrder) {
  Json results = RunReportJson(SampleRun())["results"];
  ASSERT_EQ(5u, results.size());
  const Json& pass = results[0];
  EXPECT_EQ("GET /platform/v1/clients", pass["endpoint"]);
  EXPECT_EQ("crm", pass["domain"]);
  EXPECT_EQ("GET", pass["method"]);
  EXPECT_EQ("/platform/v1/clients", pass["path"]);
  EXPECT_EQ("List clients", pass["summary"]);
  EXPECT_EQ("specs/crm.json", pass["swaggerFile"]);
  EXPECT_EQ("PASS", pass["status"]);
  EXPECT_EQ(200, pass["httpStatus"]);
  EXPECT_EQ("123ms", pass["duration"]);
  EXPECT_EQ(123, pass["durationMs"]);
  EXPECT_EQ("staff", pass["tokenUsed"]);
  EXPECT_TRUE(pass["details"]["reason"].is_null());
  EXPECT_EQ("GET", pass["details"]["request"]["method"]);
  EXPECT_EQ(200, pass["details"]["response"]["status"]);
  EXPECT_EQ(Json::array({"status: verified"}), pass["kbUpdates"]);
  EXPECT_EQ("c1", pass["steps"][0]["extracted"]["client_uid"]);

  EXPECT_EQ("WARN", results[1]["status"]);
  EXPECT_EQ("ERROR", results[3]["status"]);
  const Json& skip = results[4];
  EXPECT_EQ("SKIP", skip["status"]);
  EXPECT_EQ("DELETE_DISABLED", skip["details"]["reason"]);
  EXPECT_TRUE(skip["httpStatus"].is_null());
  EXPECT_TRUE(skip["details"]["request"].is_null());
}

TEST(JsonReport, FailureDetailsShowTheFailingStepWithAttemptsAndIssuePointers) {
  const Json fail = RunReportJson(SampleRun())["results"][2];
  const Json& details = fail["details"];
  EXPECT_EQ("AUTH_FAILED", details["reason"]);
  EXPECT_EQ(testing::kHostileMessage, details["friendlyMessage"]);
  EXPECT_EQ("Set useFallbackApi: true; the fallback URL accepts this token", details["suggestion"]);
  EXPECT_EQ("create_client", details["step"]);
  EXPECT_EQ("https://fallback.example.com/platform/v1/clients", details["request"]["url"]);
  EXPECT_EQ("fallback", details["request"]["base"]);
  EXPECT_EQ(401, details["response"]["status"]);
  ASSERT_EQ(4u, details["errors"].size());
  EXPECT_EQ("AUTH_FAILED", details["errors"][0]["code"]);
  EXPECT_EQ("/error", details["errors"][0]["pointer"]);
  EXPECT_EQ("/error", details["errors"][0]["path"]);
  EXPECT_EQ(true, fail["usedFallback"]);

  const Json& step = fail["steps"][1];
  EXPECT_EQ("create_client", step["id"]);
  EXPECT_EQ("FAIL", step["status"]);
  ASSERT_EQ(2u, step["attempts"].size());
  EXPECT_EQ("primary", step["attempts"][0]["base"]);
  EXPECT_EQ(502, step["attempts"][0]["status"]);
  EXPECT_EQ("502 Bad Gateway: resent to the fallback", step["attempts"][0]["retryReason"]);
  EXPECT_EQ(60, step["attempts"][1]["durationMs"]);
  EXPECT_EQ("/data/uid", step["issues"][2]["pointer"]);
}

TEST(JsonReport, MasksAuthorizationEvenWhenTheProducerDidNot) {
  Json fail = RunReportJson(SampleRun())["results"][2];
  EXPECT_EQ("Bearer ****6789", fail["details"]["request"]["headers"]["Authorization"]);
  EXPECT_EQ("application/json", fail["details"]["request"]["headers"]["Content-Type"]);
  EXPECT_EQ(std::string::npos, RunReportText(SampleRun()).find(testing::kSecret));
}

TEST(JsonReport, ListsDocumentationIssuesWithTheirEndpoint) {
  Json issues = RunReportJson(SampleRun())["documentationIssues"];
  ASSERT_EQ(1u, issues.size());
  EXPECT_EQ("GET /platform/v1/clients/{uid}", issues[0]["endpoint"]);
  EXPECT_EQ("MISSING_TOKEN_DOCUMENTATION", issues[0]["issue"]);
  EXPECT_EQ("The operation names no token", issues[0]["message"]);
  EXPECT_EQ("warning", issues[0]["severity"]);
}

TEST(JsonReport, CountsByDomainWithPassRates) {
  Json by_domain = RunReportJson(SampleRun())["byDomain"];
  ASSERT_EQ(2u, by_domain.size());
  const Json& crm = by_domain["crm"];
  EXPECT_EQ(1, crm["passed"]);
  EXPECT_EQ(1, crm["failed"]);
  EXPECT_EQ(1, crm["warned"]);
  EXPECT_EQ(0, crm["errored"]);
  EXPECT_EQ(0, crm["skipped"]);
  EXPECT_EQ(3, crm["total"]);
  EXPECT_EQ("66.7%", crm["passRate"]);
  EXPECT_EQ(66.7, crm["passRatePercent"]);
  EXPECT_EQ("0.0%", by_domain["sales"]["passRate"]);
}

TEST(JsonReport, PassRateIsNotApplicableWhenNothingWasTestable) {
  run::RunResult run = SampleRun();
  run.documents = {run.documents[4]};
  run.summary.totals = {};
  run.summary.totals.Add(run::Outcome::kSkip);
  Json report = RunReportJson(run);
  EXPECT_EQ("N/A", report["summary"]["passRate"]);
  EXPECT_TRUE(report["summary"]["passRatePercent"].is_null());
  EXPECT_EQ("N/A", report["byDomain"]["sales"]["passRate"]);
}

TEST(JsonReport, FormatsDurationsLikeTheOriginalTool) {
  EXPECT_EQ("0ms", FormatDuration(0));
  EXPECT_EQ("999ms", FormatDuration(999.4));
  EXPECT_EQ("1.0s", FormatDuration(1000));
  EXPECT_EQ("3.2s", FormatDuration(3249));
  EXPECT_EQ("59.9s", FormatDuration(59940));
  EXPECT_EQ("1m 0s", FormatDuration(59960));
  EXPECT_EQ("2m 5s", FormatDuration(125400));
  EXPECT_EQ("61m 1s", FormatDuration(3661000));
}

TEST(JsonReport, WritesPrettyJsonAtomicallyIntoANewFolder) {
  verity::testing::MemoryFileSystem fs;
  ASSERT_TRUE(WriteJsonReport(fs, "reports/run.json", SampleRun()).ok());
  EXPECT_EQ(std::vector<std::string>{"reports/run.json"}, fs.writes());
  std::string text = fs.Get("reports/run.json");
  EXPECT_EQ(0u, text.find("{\n  \"format\": \"verity-run-report\",\n  \"version\": 1,"));
  EXPECT_EQ('\n', text.back());
  Result<Json> parsed = ParseJson(text);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(RunReportJson(SampleRun()), *parsed);
}

TEST(JsonReport, ReplacesInvalidUtf8InACapturedBody) {
  run::RunResult run = SampleRun();
  run.documents[0].steps[0].response->body = "ok \xff\xfe binary";
  std::string text = RunReportText(run);
  EXPECT_NE(std::string::npos, text.find("ok \xEF\xBF\xBD\xEF\xBF\xBD binary"));
}

}  // namespace
}  // namespace verity::report
