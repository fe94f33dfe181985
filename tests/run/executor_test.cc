#include "run/executor.h"

#include <gtest/gtest.h>

#include "run/executor_fixture.h"
#include "spec/catalog.h"

namespace verity::run::testing {
namespace {

bool HasHeader(const http::HttpRequest& r, std::string_view name, std::string_view value) {
  for (const auto& [n, v] : r.headers) {
    if (n == name && v == value) return true;
  }
  return false;
}

// A test request of one GET /test step: the document most behaviours need.
const char* kOneGet = R"(## Test Request

```yaml
steps:
  - id: test
    method: GET
    path: /test
```
)";

Selection Targets(std::vector<std::string> targets) {
  Selection selection;
  selection.targets = std::move(targets);
  return selection;
}

std::string Doc(const std::string& endpoint, const std::string& steps,
                const std::string& extra_frontmatter = "") {
  return "---\nendpoint: \"" + endpoint + "\"\ndomain: test\nstatus: verified\ntokens: [staff]\n" +
         extra_frontmatter + "---\n\n# Doc\n\n" + steps;
}

TEST_F(ExecutorTest, SeedDocumentPassesThroughTheFallback) {
  AddDoc("sales/get-client-package.md", SeedDocument());
  ScriptSeedWorld(transport);
  RunResult result = RunAll();
  DocumentResult d = Only(result);
  EXPECT_EQ(d.outcome, Outcome::kPass) << d.reason << ": " << d.message;
  ASSERT_EQ(transport.requests().size(), 4u);
  for (const http::HttpRequest& r : transport.requests()) {
    EXPECT_TRUE(r.url.starts_with(kFallback)) << r.url;
    EXPECT_TRUE(HasHeader(r, "Authorization", std::string("Bearer ") + kStaffSecret));
  }
  EXPECT_EQ(transport.requests()[0].url,
            std::string(kFallback) + "/platform/v1/clients?business_id=biz1&per_page=1");
  EXPECT_EQ(transport.requests()[2].body,
            R"({"client_id":"client-1","package_id":"package-1","price":1})");
  EXPECT_EQ(transport.requests()[3].url,
            std::string(kFallback) + "/business/payments/v1/client_packages/cp-1");
  EXPECT_TRUE(d.used_fallback);
  EXPECT_EQ(d.http_status, 200);
  EXPECT_EQ(d.steps.size(), 4u);
  EXPECT_EQ(d.steps[2].extracted["client_package_uid"], "cp-1");
}

TEST_F(ExecutorTest, SeedWithoutTheFallbackFlagFailsWithAuthFailedAndSuggestsTheFallback) {
  AddDoc("sales/get-client-package.md", SeedDocument(/*use_fallback=*/false));
  ScriptSeedWorld(transport);
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(d.outcome, Outcome::kFail);
  EXPECT_EQ(d.reason, "AUTH_FAILED");
  EXPECT_NE(d.suggestion.find("fallback"), std::string::npos) << d.suggestion;
  EXPECT_EQ(transport.requests().back().url,
            std::string(kPrimary) + "/business/payments/v1/client_packages/cp-1");
  // The step without a step-level flag went to the primary; the flagged ones to the fallback.
  EXPECT_TRUE(transport.requests()[0].url.starts_with(kPrimary));
  EXPECT_TRUE(transport.requests()[1].url.starts_with(kFallback));
}

TEST_F(ExecutorTest, DirectoryTokenOnTheFallbackIsRefusedWithAuthFailed) {
  std::string seed = SeedDocument();
  for (size_t at; (at = seed.find("token: staff")) != std::string::npos;)
    seed.replace(at, 12, "token: directory");
  AddDoc("sales/get-client-package.md", seed);
  transport.Script("*", std::string(kFallback) + "/*",
                   Reply(401, R"({"message":"directory tokens are not allowed"})"));
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(d.outcome, Outcome::kFail);
  EXPECT_EQ(d.reason, "PREREQUISITE_FAILED");
  EXPECT_EQ(d.steps[0].reason, "AUTH_FAILED");
  EXPECT_NE(d.steps[0].message.find("directory tokens are not allowed"), std::string::npos);
  EXPECT_EQ(d.steps.size(), 1u) << "onFail: abort stops the prerequisites";
}

const char* kThreeSteps = R"(## Prerequisites

```yaml
steps:
  - id: first
    method: GET
    path: /first
    onFail: ONFAIL
  - id: second
    method: GET
    path: /second
```

## Test Request

```yaml
steps:
  - id: test
    method: GET
    path: /test
```

## Cleanup

```yaml
steps:
  - id: tidy
    method: DELETE
    path: /created
```
)";

std::string WithOnFail(const std::string& mode) {
  std::string text = kThreeSteps;
  text.replace(text.find("ONFAIL"), 6, mode);
  return text;
}

TEST_F(ExecutorTest, TheRunSummarySaysHowManyRequestsASecondTheRateLimitAllows) {
  settings.rate_limit = *ParseRateLimit("rps=500,in_flight=8");
  AddDoc("a.md", Doc("GET /test", kOneGet));
  transport.Script("*", "*", Reply(200));
  EXPECT_EQ("at most 500 requests/s", RunAll().summary.rate_limit);
}

TEST_F(ExecutorTest, AbortStopsTheDocumentButCleanupStillRuns) {
  AddDoc("a.md", Doc("GET /test", WithOnFail("abort")));
  transport.Script("GET", "*/first", Reply(500));
  transport.Script("*", "*", Reply(200));
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(d.outcome, Outcome::kFail);
  EXPECT_EQ(d.reason, "PREREQUISITE_FAILED");
  ASSERT_EQ(d.steps.size(), 2u);
  EXPECT_EQ(d.steps[0].reason, "SERVER_ERROR");
  EXPECT_EQ(d.steps[1].id, "tidy");
  EXPECT_EQ(d.steps[1].section, "cleanup");
  EXPECT_EQ(transport.requests().back().method, "DELETE");
}

TEST_F(ExecutorTest, SkipToleratesTheFailureAndTheDocumentPasses) {
  AddDoc("a.md", Doc("GET /test", WithOnFail("skip")));
  transport.Script("GET", "*/first", Reply(500));
  transport.Script("*", "*", Reply(200));
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(d.outcome, Outcome::kPass) << d.message;
  EXPECT_EQ(d.steps[0].outcome, Outcome::kSkip);
  EXPECT_EQ(d.steps.size(), 4u);
}

TEST_F(ExecutorTest, ContinueRunsTheRestButTheDocumentFails) {
  AddDoc("a.md", Doc("GET /test", WithOnFail("continue")));
  transport.Script("GET", "*/first", Reply(500));
  transport.Script("*", "*", Reply(200));
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(d.outcome, Outcome::kFail);
  EXPECT_EQ(d.steps.size(), 4u);
  EXPECT_EQ(d.steps[2].outcome, Outcome::kPass);
}

TEST_F(ExecutorTest, AFailingCleanupIsAWarningNotAFailure) {
  AddDoc("a.md", Doc("GET /test", WithOnFail("abort")));
  transport.Script("DELETE", "*", Reply(500));
  transport.Script("*", "*", Reply(200));
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(d.outcome, Outcome::kWarn);
  EXPECT_EQ(d.reason, "CLEANUP_FAILED");
}

TEST_F(ExecutorTest, AnExtractMissFailsTheStepAndNamesTheVariable) {
  AddDoc("a.md", Doc("GET /test", R"(## Test Request

```yaml
steps:
  - id: test
    method: GET
    path: /test
    extract:
      client_id: "$.data.clients[0].id"
```
)"));
  transport.Script("*", "*", Reply(200, R"({"data":{"clients":[]}})"));
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(d.outcome, Outcome::kFail);
  EXPECT_EQ(d.reason, "EXTRACT_MISS");
  EXPECT_NE(d.message.find("client_id"), std::string::npos) << d.message;
}

TEST_F(ExecutorTest, AnUnresolvedVariableFailsBeforeAnythingIsSent) {
  AddDoc("a.md", Doc("GET /test", R"(## Test Request

```yaml
steps:
  - id: test
    method: GET
    path: "/clients/{{nobody_sets_this}}"
```
)"));
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(d.reason, "UNRESOLVED_VARIABLE");
  EXPECT_TRUE(transport.requests().empty());
}

TEST_F(ExecutorTest, QueryParamsAreSentOnPostToo) {
  AddDoc("a.md", Doc("POST /things", R"(## Test Request

```yaml
steps:
  - id: create
    method: POST
    path: /things
    params:
      business_id: "{{business_id}}"
      tags: [a, b]
    body:
      name: x
```
)"));
  transport.Script("*", "*", Reply(201));
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(d.outcome, Outcome::kPass);
  EXPECT_EQ(transport.requests()[0].url,
            std::string(kPrimary) + "/things?business_id=biz1&tags[]=a&tags[]=b");
  EXPECT_TRUE(HasHeader(transport.requests()[0], "Content-Type", "application/json"));
}

TEST_F(ExecutorTest, TooManyRequestsHonoursRetryAfterThenPasses) {
  AddDoc("a.md", Doc("GET /test", kOneGet));
  transport.Script("GET", "*", Reply(429, "{}", {{"retry-after", "2"}}), 1);
  transport.Script("GET", "*", Reply(200));
  int64_t before = ticker.NowMs();
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(d.outcome, Outcome::kPass);
  ASSERT_EQ(d.steps[0].attempts.size(), 2u);
  EXPECT_EQ(d.steps[0].attempts[0].status, 429);
  EXPECT_NE(d.steps[0].attempts[0].retry_reason.find("Retry-After"), std::string::npos);
  EXPECT_GE(ticker.NowMs() - before, 2000);
}

TEST_F(ExecutorTest, PersistentRateLimitingEndsAsRateLimited) {
  AddDoc("a.md", Doc("GET /test", kOneGet));
  transport.Script("GET", "*", Reply(429));
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(d.reason, "RATE_LIMITED");
  EXPECT_EQ(transport.requests().size(), 4u) << "one send and three retries";
}

TEST_F(ExecutorTest, ATimeoutIsRetriedForGetAndReportedAsTimeout) {
  AddDoc("a.md", Doc("GET /test", kOneGet));
  transport.Script("GET", "*", http::TransportError{http::TransportErrorCode::kTimeout, "slow"});
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(d.reason, "TIMEOUT");
  EXPECT_EQ(transport.requests().size(), 4u);
}

TEST_F(ExecutorTest, AGatewayFailureOnThePrimaryIsResentToTheFallbackAndWarned) {
  AddDoc("a.md", Doc("GET /test", kOneGet));
  transport.Script("GET", std::string(kPrimary) + "/*", Reply(502, "Bad Gateway"));
  transport.Script("GET", std::string(kFallback) + "/test", Reply(200));
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(d.outcome, Outcome::kWarn);
  EXPECT_EQ(d.reason, "BAD_GATEWAY_FALLBACK");
  EXPECT_TRUE(d.steps[0].used_fallback);
  EXPECT_EQ(d.steps[0].attempts.size(), 2u);
}

TEST_F(ExecutorTest, DeleteTestRequestsAreSkippedUnlessIncluded) {
  AddDoc("a.md", Doc("DELETE /things/{id}", R"(## Test Request

```yaml
steps:
  - id: remove
    method: DELETE
    path: /things/1
```
)"));
  transport.Script("*", "*", Reply(204, ""));
  EXPECT_EQ(Only(RunAll()).reason, "DELETE_DISABLED");
  EXPECT_TRUE(transport.requests().empty());
  settings.include_delete = true;
  EXPECT_EQ(Only(RunAll()).outcome, Outcome::kPass);
}

TEST_F(ExecutorTest, AMissingTokenFailsTheStepAndSaysWhy) {
  settings.tokens.erase("directory");
  settings.token_problems["directory"] = "VERITY_DIRECTORY_TOKEN is not set";
  AddDoc("a.md", Doc("GET /test", R"(## Test Request

```yaml
steps:
  - id: test
    method: GET
    path: /test
    token: directory
```
)"));
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(d.reason, "MISSING_TOKEN");
  EXPECT_NE(d.message.find("VERITY_DIRECTORY_TOKEN is not set"), std::string::npos);
}

TEST_F(ExecutorTest, UseRunsTheOtherRecipeImportsItsVariablesAndCountsTheReuse) {
  AddDoc("clients/list.md", Doc("GET /clients", R"(## Test Request

```yaml
steps:
  - id: list
    method: GET
    path: /clients
    extract:
      client_id: "$.clients[0].id"
```
)"));
  AddDoc("clients/get.md", Doc("GET /clients/{id}", R"(## Prerequisites

```yaml
steps:
  - id: fetch_client
    use: "GET /clients"
```

## Test Request

```yaml
steps:
  - id: get
    method: GET
    path: "/clients/{{client_id}}"
```
)"));
  transport.Script("GET", "*/clients", Reply(200, R"({"clients":[{"id":"c9"}]})"));
  transport.Script("GET", "*/clients/c9", Reply(200, R"({"id":"c9"})"));
  RunResult result = RunAll(Targets({"kb/clients/get.md"}));
  DocumentResult d = Only(result);
  EXPECT_EQ(d.outcome, Outcome::kPass) << d.message;
  ASSERT_EQ(d.steps.size(), 2u);
  EXPECT_EQ(d.steps[0].section, "use");
  EXPECT_EQ(d.steps[0].nested.size(), 1u);
  EXPECT_EQ(d.steps[0].extracted["client_id"], "c9");
  EXPECT_NE(fs.Get("kb/clients/list.md").find("timesReused: 1"), std::string::npos);
}

TEST_F(ExecutorTest, AUseCycleIsReportedInsteadOfRecursing) {
  AddDoc("a.md", Doc("GET /a", R"(## Test Request

```yaml
steps:
  - id: to_b
    use: "GET /b"
```
)"));
  AddDoc("b.md", Doc("GET /b", R"(## Test Request

```yaml
steps:
  - id: to_a
    use: "GET /a"
```
)"));
  RunResult result = RunAll(Targets({"GET /a"}));
  DocumentResult d = Only(result);
  EXPECT_EQ(d.outcome, Outcome::kFail);
  EXPECT_EQ(d.steps[0].nested.at(0).reason, "USE_CYCLE");
  EXPECT_TRUE(transport.requests().empty());
}

TEST_F(ExecutorTest, PassingMarksTheDocumentVerifiedAndFailingDemotesOnlyAfterTwoRuns) {
  AddDoc("a.md", Doc("GET /test", kOneGet));
  transport.Script("GET", "*", Reply(200), 1);
  transport.Script("GET", "*", Reply(500));
  RunAll();
  std::string text = fs.Get("kb/a.md");
  EXPECT_NE(text.find("verifiedAt: 2026-01-01T00:00:00.000Z"), std::string::npos) << text;
  RunAll();
  text = fs.Get("kb/a.md");
  EXPECT_NE(text.find("status: verified"), std::string::npos) << "one failure does not demote";
  EXPECT_NE(text.find("consecutiveFailures: 1"), std::string::npos) << text;
  RunAll();
  text = fs.Get("kb/a.md");
  EXPECT_NE(text.find("status: failed"), std::string::npos) << text;
  EXPECT_NE(text.find("consecutiveFailures: 2"), std::string::npos);
}

TEST_F(ExecutorTest, NoWriteBackLeavesTheFileUntouched) {
  settings.write_back = false;
  AddDoc("a.md", Doc("GET /test", kOneGet));
  transport.Script("GET", "*", Reply(200));
  RunAll();
  EXPECT_TRUE(fs.writes().empty());
}

TEST_F(ExecutorTest, AWriteBackThatFailsIsReportedPerDocumentAndMakesTheRunExitThree) {
  AddDoc("a.md", Doc("GET /test", kOneGet));
  AddDoc("b/b.md", Doc("GET /other", kOneGet));
  fs.FailWritesUnder("kb/a.md", "No space left on device");
  transport.Script("GET", "*", Reply(200));
  RunResult result = RunAll();
  ASSERT_EQ(result.documents.size(), 2u);
  const DocumentResult& a =
      result.documents[0].file == "kb/a.md" ? result.documents[0] : result.documents[1];
  const DocumentResult& b = &a == &result.documents[0] ? result.documents[1] : result.documents[0];
  EXPECT_EQ(a.outcome, Outcome::kPass) << "the API passed; only the record of it was lost";
  ASSERT_EQ(a.write_back_failures.size(), 1u);
  EXPECT_EQ(a.write_back_failures[0].file, "kb/a.md");
  EXPECT_NE(a.write_back_failures[0].error.find("No space left on device"), std::string::npos);
  EXPECT_TRUE(a.kb_updates.empty());
  EXPECT_TRUE(b.write_back_failures.empty());
  EXPECT_NE(fs.Get("kb/b/b.md").find("status: verified"), std::string::npos);
  EXPECT_EQ(result.summary.write_back_failed, 1u);
  EXPECT_EQ(ExitCodeFor(result), 3);
}

TEST_F(ExecutorTest, ATimesReusedThatCannotBeWrittenIsReportedOnTheDocumentThatUsedIt) {
  AddDoc("clients/list.md", Doc("GET /clients", kOneGet));
  AddDoc("clients/get.md", Doc("GET /clients/{id}", R"(## Prerequisites

```yaml
steps:
  - id: fetch
    use: "GET /clients"
```

## Test Request

```yaml
steps:
  - id: get
    method: GET
    path: /clients/1
```
)"));
  fs.FailWritesUnder("kb/clients/list.md", "Read-only file system");
  transport.Script("GET", "*", Reply(200));
  DocumentResult d = Only(RunAll(Targets({"kb/clients/get.md"})));
  ASSERT_EQ(d.write_back_failures.size(), 1u);
  EXPECT_EQ(d.write_back_failures[0].file, "kb/clients/list.md");
  EXPECT_NE(fs.Get("kb/clients/get.md").find("status: verified"), std::string::npos);
}

TEST_F(ExecutorTest, NoWriteBackMeansNoWriteBackFailure) {
  settings.write_back = false;
  AddDoc("a.md", Doc("GET /test", kOneGet));
  fs.FailWritesUnder("kb", "Read-only file system");
  transport.Script("GET", "*", Reply(200));
  RunResult result = RunAll();
  EXPECT_EQ(result.summary.write_back_failed, 0u);
  EXPECT_EQ(ExitCodeFor(result), 0);
}

TEST_F(ExecutorTest, DryRunSendsNothingAndShowsMaskedRequests) {
  dry_run = http::DryRunTransport();
  AddDoc("sales/get-client-package.md", SeedDocument());
  DocumentResult d = Only(RunAll());
  EXPECT_TRUE(transport.requests().empty());
  EXPECT_EQ(d.outcome, Outcome::kSkip);
  EXPECT_EQ(d.reason, "DRY_RUN");
  ASSERT_EQ(d.steps.size(), 4u);
  ASSERT_TRUE(d.steps[3].request);
  EXPECT_EQ(
      d.steps[3].request->url,
      std::string(kFallback) + "/business/payments/v1/client_packages/%3Cclient_package_uid%3E");
  for (const auto& [name, value] : d.steps[3].request->headers)
    EXPECT_EQ(value.find(kStaffSecret), std::string::npos);
  EXPECT_TRUE(fs.writes().empty());
}

TEST_F(ExecutorTest, SchemaMismatchOfTheTestRequestFailsWithThePointer) {
  spec::Catalog specs(fs);
  specs.AddText("specs/things.yaml", R"(openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /things/{id}:
    get:
      description: "Requires a staff token."
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [id]
                properties:
                  id: {type: integer}
)",
                "things");
  catalog = &specs;
  AddDoc("a.md", Doc("GET /things/{id}", R"(## Test Request

```yaml
steps:
  - id: get
    method: GET
    path: /things/7
```
)"));
  transport.Script("GET", "*", Reply(200, R"({"id":"7"})"));
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(d.outcome, Outcome::kFail);
  EXPECT_EQ(d.reason, "TYPE_MISMATCH");
  ASSERT_FALSE(d.steps[0].issues.empty());
  EXPECT_EQ(d.steps[0].issues[0].pointer, "/id");
}

TEST_F(ExecutorTest, EventsArriveInOrderAndCountEveryDocument) {
  std::vector<std::string> names;
  bus.Subscribe([&](uint64_t, const RunEvent& e) { names.push_back(EventName(e)); });
  AddDoc("a.md", Doc("GET /test", kOneGet));
  transport.Script("GET", "*", Reply(200));
  RunAll();
  EXPECT_EQ(names, (std::vector<std::string>{"run_started", "document_started", "step_finished",
                                             "document_finished", "run_finished"}));
}

TEST_F(ExecutorTest, TheDeadlineStopsTheRunAndSkipsWhatDidNotStart) {
  settings.deadline_ms = 1500;
  settings.concurrency = 1;
  for (int i = 0; i < 3; ++i) {
    AddDoc("d" + std::to_string(i) + ".md", Doc("GET /t" + std::to_string(i), R"(## Test Request

```yaml
steps:
  - id: test
    method: GET
    path: /test
    sleep: 1000
```
)"));
  }
  transport.Script("GET", "*", Reply(200));
  RunResult result = RunAll();
  EXPECT_TRUE(result.summary.stopped);
  EXPECT_EQ(result.documents[2].reason, "NOT_RUN");
  EXPECT_EQ(ExitCodeFor(result), 1);
}

}  // namespace
}  // namespace verity::run::testing
