// expect's checks in a run: what each subject judges, what a failure says, and that a secret in a
// check or in the answer never shows.
#include "run/checks.h"

#include <gtest/gtest.h>

#include <string>

#include "doc/parser.h"
#include "report/json_report.h"
#include "run/executor_fixture.h"

namespace verity::run {
namespace {

using testing::ExecutorTest;
using testing::kPrimary;
using testing::kStaffSecret;
using testing::Reply;

// A document whose one test-request step reads GET /clients/c1 and holds `expect` (indented
// under the step's `expect:` key).
std::string DocWithExpect(const std::string& expect, const std::string& extract = "") {
  return "---\nendpoint: \"GET /clients/{id}\"\ndomain: clients\nstatus: verified\n---\n\n"
         "# Get Client\n\n## Test Request\n\n```yaml\nsteps:\n"
         "  - id: read\n    method: GET\n    path: \"/clients/c1\"\n" +
         extract + "    expect:\n" + expect + "```\n";
}

class ChecksRun : public ExecutorTest {
 protected:
  DocumentResult RunWith(const std::string& expect, http::HttpOutcome reply,
                         const std::string& extract = "") {
    AddDoc("clients/get_clients_id.md", DocWithExpect(expect, extract));
    transport.Script("GET", std::string(kPrimary) + "/clients/c1", std::move(reply));
    return Only(RunAll());
  }
};

constexpr char kClient[] =
    R"({"data":{"client":{"id":"c1","name":"Ada","age":36,"tags":["vip","new"],)"
    R"("orders":[{"id":1,"total":10.5},{"id":2,"total":99}]}}})";

TEST_F(ChecksRun, EveryKindOfCheckPassesOnAnAnswerThatHoldsWhatTheyAsk) {
  settings.params["client_name"] = "Ada";
  DocumentResult d = RunWith(R"(      status: 200
      body:
        - {path: "$.data.client.name", equals: "{{client_name}}"}
        - {path: "$.data.client.age", equals: 36, type: integer, ge: 18}
        - {path: "$.data.client.tags", contains: vip, count: 2}
        - {path: "$.data.client.orders[*].total", count: {gt: 1}, contains: 99}
        - {path: "$.data.client.orders[?@.total > 1000]", is_empty: true}
        - {path: "$.data.client.deleted_at", absent: true}
        - {path: "$.data.client.id", matches: "^c[0-9]+$", in: [c1, c2], length: 2}
      headers:
        location: {matches: "/clients/{{id}}$"}
        X-Request-Id: {exists: true}
        X-Missing: {absent: true}
      content_type: application/json
      duration_ms: 500
)",
                             Reply(200, kClient,
                                   {{"content-type", "application/json; charset=utf-8"},
                                    {"location", "https://api.test/clients/c1"},
                                    {"x-request-id", "r-1"}}),
                             "    extract:\n      id: \"$.data.client.id\"\n");
  EXPECT_EQ(d.outcome, Outcome::kPass) << d.reason << ": " << d.message;
  ASSERT_EQ(d.steps.size(), 1u);
  EXPECT_EQ(d.steps[0].checks.size(), 18u);
  for (const CheckResult& c : d.steps[0].checks)
    EXPECT_TRUE(c.passed) << CheckLabel(c) << ": " << c.message << "; got " << c.actual;
}

TEST_F(ChecksRun, AFailedCheckFailsTheStepNamingTheCheckItsLineAndBothValues) {
  DocumentResult d = RunWith(R"(      body:
        - {path: "$.data.client.name", equals: "Ada"}
        - {path: "$.data.client.age", equals: "36"}
        - {path: "$.data.client.email", exists: true}
)",
                             Reply(200, kClient));
  EXPECT_EQ(d.outcome, Outcome::kFail);
  EXPECT_EQ(d.reason, "CHECK_FAILED");
  ASSERT_EQ(d.steps.size(), 1u);
  const StepResult& step = d.steps[0];
  EXPECT_EQ(step.message,
            "check at line 19 failed: body $.data.client.age equals \"36\": expected a string, "
            "got a number; got 36 (and 1 more failed check)");
  ASSERT_EQ(step.checks.size(), 3u);
  EXPECT_TRUE(step.checks[0].passed);
  EXPECT_FALSE(step.checks[1].passed);
  EXPECT_EQ(step.checks[1].target, "$.data.client.age");
  EXPECT_EQ(step.checks[1].op, "equals");
  EXPECT_EQ(step.checks[1].expected, "\"36\"");
  EXPECT_EQ(step.checks[1].actual, "36");
  EXPECT_EQ(step.checks[1].line, 19);
  EXPECT_EQ(step.checks[2].actual, "(nothing)");
  EXPECT_EQ(step.checks[2].message, "the path selected nothing");
  // Each failed check is an issue of the step too, so every report lists it.
  ASSERT_EQ(step.issues.size(), 2u);
  EXPECT_EQ(step.issues[1].code, "CHECK_FAILED");
  EXPECT_NE(step.issues[1].message.find("body $.data.client.email exists"), std::string::npos)
      << step.issues[1].message;
}

TEST_F(ExecutorTest, ACheckComparesWithTheBodyItsStepSentAsRequestBody) {
  AddDoc("clients/post_clients.md",
         "---\nendpoint: \"POST /clients\"\ndomain: clients\nstatus: verified\n---\n\n"
         "# Create\n\n## Test Request\n\n```yaml\nsteps:\n"
         "  - id: create\n    method: POST\n    path: /clients\n"
         "    body: {name: \"{{random_firstname}}\", age: 36}\n"
         "    expect:\n      body:\n"
         "        - {path: \"$.name\", equals: \"{{request.body.name}}\"}\n"
         "        - {path: \"$.age\", equals: \"{{request.body.age}}\"}\n```\n");
  transport.Script("POST", std::string(kPrimary) + "/clients",
                   Reply(201, R"({"name":"Someone","age":36})"));
  DocumentResult d = Only(RunAll());
  ASSERT_EQ(d.steps.size(), 1u);
  ASSERT_EQ(d.steps[0].checks.size(), 2u);
  // The generated name went out, and the answer holds another: the check says which.
  std::string sent = Json::parse(transport.requests().at(0).body)["name"];
  EXPECT_FALSE(d.steps[0].checks[0].passed);
  EXPECT_EQ(d.steps[0].checks[0].expected, Json(sent).dump());
  EXPECT_EQ(d.steps[0].checks[0].actual, "\"Someone\"");
  // A number sent stays a number.
  EXPECT_TRUE(d.steps[0].checks[1].passed) << d.steps[0].checks[1].message;
}

TEST_F(ChecksRun, ChecksAreNotJudgedWhenTheStatusIsAlreadyWrong) {
  DocumentResult d = RunWith("      status: 200\n      body: {\"$.a\": 1}\n",
                             Reply(404, R"({"error":"no such client"})"));
  EXPECT_EQ(d.reason, "RESOURCE_NOT_FOUND");
  EXPECT_TRUE(d.steps[0].checks.empty());
}

TEST_F(ChecksRun, AnOperandNamingAVariableNobodySetFailsTheCheckAndSaysWhich) {
  DocumentResult d =
      RunWith("      body: {\"$.data.client.id\": \"{{client_uid}}\"}\n", Reply(200, kClient));
  EXPECT_EQ(d.reason, "CHECK_FAILED");
  ASSERT_EQ(d.steps[0].checks.size(), 1u);
  EXPECT_EQ(d.steps[0].checks[0].actual, "(not evaluated)");
  EXPECT_NE(d.steps[0].checks[0].message.find("client_uid"), std::string::npos)
      << d.steps[0].checks[0].message;
}

TEST_F(ChecksRun, ABodyThatIsNotJsonFailsBodyChecksButNotHeaderChecks) {
  DocumentResult d = RunWith(R"(      body: {"$.a": 1}
      headers: {content-type: {matches: "^text/"}}
)",
                             Reply(200, "<html>", {{"content-type", "text/html"}}));
  ASSERT_EQ(d.steps[0].checks.size(), 2u);
  EXPECT_FALSE(d.steps[0].checks[0].passed);
  EXPECT_EQ(d.steps[0].checks[0].message, "the response body is not JSON");
  EXPECT_TRUE(d.steps[0].checks[1].passed) << d.steps[0].checks[1].message;
}

TEST_F(ChecksRun, AHeaderCheckSaysTheHeaderIsAbsentOrPresentAndShowsACookieMasked) {
  DocumentResult d = RunWith(R"(      headers:
        Location: {exists: true}
        Set-Cookie: {absent: true}
)",
                             Reply(200, "{}", {{"set-cookie", "session=s3cr3t-session-value"}}));
  ASSERT_EQ(d.steps[0].checks.size(), 2u);
  EXPECT_EQ(d.steps[0].checks[0].message, "the header is absent");
  EXPECT_EQ(d.steps[0].checks[0].actual, "(nothing)");
  EXPECT_EQ(d.steps[0].checks[1].message, "the header is present");
  EXPECT_EQ(d.steps[0].checks[1].expected, "true");
  EXPECT_EQ(d.steps[0].checks[1].actual.find("s3cr3t"), std::string::npos)
      << d.steps[0].checks[1].actual;
}

TEST_F(ChecksRun, TheMediaTypeIgnoresParametersUnlessTheCheckNamesThem) {
  struct Case {
    const char* want;
    const char* got;
    bool passes;
  };
  for (const Case& c :
       {Case{"application/json", "application/json; charset=utf-8", true},
        Case{"application/json", "Application/JSON", true},
        Case{"application/json; charset=UTF-8", "application/json;charset=utf-8", true},
        Case{"application/json; charset=utf-8", "application/json", false},
        Case{"application/*", "application/problem+json", true},
        Case{"application/json", "application/problem+json", false},
        Case{"application/json", "text/json", false}}) {
    doc::Check check;
    check.subject = doc::Check::Subject::kContentType;
    check.op = "equals";
    check.operand = c.want;
    http::HttpResponse response;
    response.headers = {{"content-type", c.got}};
    std::vector<CheckResult> r = RunChecks({check}, response, {});
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].passed, c.passes) << c.want << " vs " << c.got;
  }
}

TEST_F(ChecksRun, TheDurationIsTheTransfersOwnTiming) {
  doc::Check check;
  check.subject = doc::Check::Subject::kDuration;
  check.op = "le";
  check.operand = 500;
  http::HttpResponse response;
  response.timings.total_ms = 512.34;
  std::vector<CheckResult> r = RunChecks({check}, response, {});
  EXPECT_FALSE(r[0].passed);
  EXPECT_EQ(r[0].actual, "512.3");
  EXPECT_EQ(CheckLabel(r[0]), "duration_ms <= 500");
  response.timings.total_ms = 499.9;
  EXPECT_TRUE(RunChecks({check}, response, {})[0].passed);
}

TEST_F(ChecksRun, NoSecretShowsInAFailedCheckWhetherTheCheckOrTheAnswerCarriesIt) {
  settings.params["client_name"] = "Ada";
  std::string echo = std::string(R"({"data":{"client":{"note":"token )") + kStaffSecret +
                     R"( was used","id":"c1"}}})";
  DocumentResult d = RunWith(
      R"(      body:
        - {path: "$.data.client.note", equals: "token {{token_copy}}"}
        - {path: "$", is_empty: true}
      headers:
        authorization: {equals: "Bearer nothing"}
        x-echo: {equals: "nothing"}
)",
      Reply(200, echo,
            {{"authorization", std::string("Bearer ") + kStaffSecret}, {"x-echo", kStaffSecret}}),
      "    extract:\n      token_copy: \"$.data.client.note\"\n");
  ASSERT_EQ(d.steps[0].checks.size(), 4u);
  Json report = report::DocumentReportJson(d);
  std::string all = report.dump() + d.steps[0].message;
  for (const CheckResult& c : d.steps[0].checks)
    all += CheckLabel(c) + c.message + c.actual + c.expected;
  EXPECT_EQ(all.find(kStaffSecret), std::string::npos) << all;
  EXPECT_EQ(all.find(std::string(kStaffSecret).substr(0, 12)), std::string::npos) << all;
}

}  // namespace
}  // namespace verity::run
