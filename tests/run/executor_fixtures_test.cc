// Run-level fixtures: the setup and teardown documents of verity.yaml (docs/run.md, "Setup and
// teardown"), run by the executor outside the plan.
#include <gtest/gtest.h>

#include <string>

#include "run/events.h"
#include "run/executor_fixture.h"

namespace verity::run::testing {
namespace {

std::string Doc(const std::string& endpoint, const std::string& section, const std::string& steps) {
  return "---\nendpoint: \"" + endpoint + "\"\ndomain: test\nstatus: verified\ntokens: [staff]\n" +
         "---\n\n# Doc\n\n## " + section + "\n\n```yaml\nsteps:\n" + steps + "```\n";
}

// Creates a business and hands its id (and a key the API returns) to the run.
const char* kCreateBusiness = R"(  - id: create
    method: POST
    path: /businesses
    token: staff
    body:
      name: fixture
    extract:
      business_uid: "$.id"
    expect:
      status: [201]
)";

const char* kDeleteBusiness = R"(  - id: delete
    method: DELETE
    path: /businesses/{{business_uid}}
    token: staff
    expect:
      status: [200, 204]
)";

// Reads /businesses/{id}/clients<suffix>.
std::string GetClients(const std::string& id, const std::string& suffix = "") {
  return "  - id: " + id + "\n    method: GET\n    path: /businesses/{{business_uid}}/clients" +
         suffix +
         "\n    token: staff\n"
         "    params:\n      scope: \"{{config.params.business_uid}}\"\n";
}

class FixtureTest : public ExecutorTest {
 protected:
  FixtureTest() {
    settings.setup = {"fixtures/create_business.md"};
    settings.teardown = {"DELETE /businesses/{uid}"};
    bus.Subscribe([this](uint64_t, const RunEvent& event) { events.push_back(EventName(event)); });
  }

  void AddFixtures() {
    AddDoc("fixtures/create_business.md", Doc("POST /businesses", "Test Request", kCreateBusiness));
    AddDoc("fixtures/delete_business.md",
           Doc("DELETE /businesses/{uid}", "Test Request", kDeleteBusiness));
  }

  void AddPlan() {
    AddDoc("clients/list.md",
           Doc("GET /businesses/{uid}/clients", "Test Request", GetClients("list")));
    AddDoc("clients/count.md", Doc("GET /businesses/{uid}/clients/count", "Test Request",
                                   GetClients("count", "/count")));
  }

  // Which plan documents ran, by the requests sent: every method and path.
  std::vector<std::string> Sent() const {
    std::vector<std::string> sent;
    for (const http::HttpRequest& r : transport.requests())
      sent.push_back(r.method + " " + r.url.substr(std::string(kPrimary).size()));
    return sent;
  }

  Selection OnlyClients() {
    Selection selection;
    selection.targets = {"kb/clients"};
    return selection;
  }

  std::vector<std::string> events;
};

TEST_F(FixtureTest, SetupRunsFirstAndItsExtractedIdReachesEveryDocumentAndTheTeardown) {
  AddFixtures();
  AddPlan();
  transport.Script("POST", "*/businesses", Reply(201, R"({"id":"biz-42"})"));
  transport.Script("*", "*", Reply(200));
  RunResult result = RunAll(OnlyClients());

  std::vector<std::string> sent = Sent();
  ASSERT_EQ(sent.size(), 4u);
  EXPECT_EQ(sent.front(), "POST /businesses");
  EXPECT_EQ(sent.back(), "DELETE /businesses/biz-42");
  // Both namespaces: {{business_uid}} in the path, {{config.params.business_uid}} in the query.
  EXPECT_EQ(sent[1].substr(0, sent[1].find(' ') + 1), "GET ");
  for (size_t i : {1u, 2u})
    EXPECT_NE(sent[i].find("/businesses/biz-42/clients"), std::string::npos) << sent[i];
  for (size_t i : {1u, 2u}) EXPECT_NE(sent[i].find("scope=biz-42"), std::string::npos) << sent[i];

  ASSERT_EQ(result.documents.size(), 2u);
  for (const DocumentResult& d : result.documents)
    EXPECT_EQ(d.outcome, Outcome::kPass) << d.message;
  // Fixtures are reported as such, and are not the plan's documents.
  EXPECT_EQ(result.summary.totals.total, 2u);
  EXPECT_EQ(result.summary.totals.passed, 2u);
  ASSERT_EQ(result.fixtures.size(), 2u);
  EXPECT_EQ(result.fixtures[0].kind, "setup");
  EXPECT_EQ(result.fixtures[0].result.outcome, Outcome::kPass);
  EXPECT_EQ(result.fixtures[0].result.steps.at(0).extracted["business_uid"], "biz-42");
  EXPECT_EQ(result.fixtures[1].kind, "teardown");
  EXPECT_EQ(result.fixtures[1].name, "DELETE /businesses/{uid}");
  EXPECT_EQ(result.fixtures[1].result.outcome, Outcome::kPass);
  EXPECT_EQ(ExitCodeFor(result), 0);
  EXPECT_EQ(events.front(), "run_started");
  EXPECT_EQ(events[1], "fixture_finished");
  EXPECT_EQ(events[events.size() - 2], "fixture_finished");
  EXPECT_EQ(events.back(), "run_finished");
}

TEST_F(FixtureTest, TeardownRunsAfterADocumentFails) {
  AddFixtures();
  AddPlan();
  transport.Script("POST", "*/businesses", Reply(201, R"({"id":"biz-42"})"));
  transport.Script("GET", "*/clients/count*", Reply(500));
  transport.Script("*", "*", Reply(200));
  RunResult result = RunAll(OnlyClients());
  EXPECT_EQ(result.summary.totals.failed, 1u);
  EXPECT_EQ(Sent().back(), "DELETE /businesses/biz-42");
  EXPECT_EQ(result.fixtures.back().result.outcome, Outcome::kPass);
  EXPECT_EQ(ExitCodeFor(result), 1);
}

TEST_F(FixtureTest, ASetupFailureSendsNoDocumentSkipsThemWithTheReasonAndFailsTheRun) {
  AddFixtures();
  AddPlan();
  transport.Script("POST", "*/businesses", Reply(422, R"({"error":"name taken"})"));
  transport.Script("*", "*", Reply(200));
  RunResult result = RunAll(OnlyClients());

  // Only the setup's request went out: no plan document, and no teardown request, since nothing
  // was created (its id was never extracted).
  EXPECT_EQ(Sent(), std::vector<std::string>{"POST /businesses"});
  for (const DocumentResult& d : result.documents) {
    EXPECT_EQ(d.outcome, Outcome::kSkip);
    EXPECT_EQ(d.reason, "SETUP_FAILED");
    EXPECT_NE(d.message.find("fixtures/create_business.md"), std::string::npos) << d.message;
    EXPECT_NE(d.message.find("step \"create\""), std::string::npos) << d.message;
  }
  EXPECT_NE(result.summary.setup_failure.find("step \"create\""), std::string::npos);
  EXPECT_EQ(result.summary.fixtures_failed, 1u);
  EXPECT_EQ(result.summary.totals.skipped, 2u);
  ASSERT_EQ(result.fixtures.size(), 2u);
  EXPECT_EQ(result.fixtures[0].result.outcome, Outcome::kFail);
  EXPECT_EQ(result.fixtures[1].result.outcome, Outcome::kPass);
  EXPECT_EQ(result.fixtures[1].result.steps.at(0).outcome, Outcome::kSkip);
  EXPECT_EQ(ExitCodeFor(result), 1);
}

TEST_F(FixtureTest, TeardownRemovesWhatASetupThatFailedHalfWayCreated) {
  AddFixtures();
  AddDoc("fixtures/seed_clients.md",
         Doc("POST /businesses/{uid}/clients", "Test Request", R"(  - id: seed
    method: POST
    path: /businesses/{{business_uid}}/clients
    token: staff
    expect:
      status: [201]
)"));
  AddPlan();
  settings.setup = {"fixtures/create_business.md", "fixtures/seed_clients.md"};
  transport.Script("POST", "*/businesses", Reply(201, R"({"id":"biz-42"})"));
  transport.Script("POST", "*/businesses/biz-42/clients", Reply(503), 0);
  transport.Script("*", "*", Reply(200));
  settings.retry.max_retries = 0;
  RunResult result = RunAll(OnlyClients());

  std::vector<std::string> sent = Sent();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[0], "POST /businesses");
  EXPECT_EQ(sent[1], "POST /businesses/biz-42/clients");
  EXPECT_EQ(sent[2], "DELETE /businesses/biz-42");
  EXPECT_NE(result.summary.setup_failure.find("fixtures/seed_clients.md"), std::string::npos)
      << result.summary.setup_failure;
  for (const DocumentResult& d : result.documents) EXPECT_EQ(d.reason, "SETUP_FAILED");
}

TEST_F(FixtureTest, TeardownRunsAfterTheRunIsStoppedOrPassesItsDeadline) {
  AddFixtures();
  AddPlan();
  settings.deadline_ms = 500;
  transport.Script("POST", "*/businesses", Reply(201, R"({"id":"biz-42"})"));
  // The first plan document sleeps past the deadline; the run stops there.
  transport.Script("GET", "*", Reply(429, "{}", {{"retry-after", "5"}}));
  transport.Script("*", "*", Reply(200));
  RunResult result = RunAll(OnlyClients());
  EXPECT_TRUE(result.summary.stopped);
  EXPECT_EQ(Sent().back(), "DELETE /businesses/biz-42");
  EXPECT_EQ(result.fixtures.back().result.outcome, Outcome::kPass);
  EXPECT_EQ(ExitCodeFor(result), 1);
}

TEST_F(FixtureTest, AFixtureIsNotRunAgainAsAPlanDocumentAndIsNotWrittenBack) {
  AddFixtures();
  AddPlan();
  transport.Script("POST", "*/businesses", Reply(201, R"({"id":"biz-42"})"));
  transport.Script("*", "*", Reply(200));
  std::string before = *fs.ReadFile("kb/fixtures/create_business.md");
  RunResult result = RunAll();  // the whole knowledge base, fixtures included
  EXPECT_EQ(Sent().size(), 4u);
  for (const DocumentResult& d : result.documents) {
    if (d.file.find("fixtures/") != std::string::npos) {
      EXPECT_EQ(d.outcome, Outcome::kSkip);
      EXPECT_EQ(d.reason, "FIXTURE_DOCUMENT");
    }
  }
  EXPECT_EQ(*fs.ReadFile("kb/fixtures/create_business.md"), before);
}

TEST_F(FixtureTest, AFixtureThatNamesNoDocumentFailsTheSetupWithFixtureNotFound) {
  AddPlan();
  settings.setup = {"fixtures/missing.md"};
  settings.teardown.clear();
  transport.Script("*", "*", Reply(200));
  RunResult result = RunAll(OnlyClients());
  EXPECT_TRUE(transport.requests().empty());
  ASSERT_EQ(result.fixtures.size(), 1u);
  EXPECT_EQ(result.fixtures[0].result.reason, "FIXTURE_NOT_FOUND");
  for (const DocumentResult& d : result.documents) EXPECT_EQ(d.reason, "SETUP_FAILED");
  EXPECT_EQ(ExitCodeFor(result), 1);
}

TEST_F(FixtureTest, ASecretTheSetupExtractsStaysMaskedInEveryResult) {
  AddDoc("fixtures/login.md", Doc("POST /login", "Test Request", R"(  - id: login
    method: POST
    path: /login
    token: staff
    extract:
      session: "$.session"
    expect:
      status: [200]
)"));
  AddDoc("clients/list.md", Doc("GET /clients", "Test Request", R"(  - id: list
    method: GET
    path: /clients
    token: staff
    headers:
      X-Session: "{{session}}"
)"));
  settings.setup = {"fixtures/login.md"};
  settings.teardown.clear();
  // The session the API returns holds the staff token: a derived secret.
  std::string session = std::string("sess-") + kStaffSecret;
  transport.Script("POST", "*/login", Reply(200, R"({"session":")" + session + R"("})"));
  transport.Script("*", "*", Reply(200));
  RunResult result = RunAll(OnlyClients());
  ASSERT_EQ(transport.requests().size(), 2u);
  bool sent = false;
  for (const auto& [name, value] : transport.requests()[1].headers)
    sent = sent || (name == "X-Session" && value == session);
  EXPECT_TRUE(sent);
  std::string shown = result.fixtures.at(0).result.steps.at(0).extracted.dump() +
                      result.documents.at(0).steps.at(0).request->headers[0].second;
  for (const auto& [name, value] : result.documents.at(0).steps.at(0).request->headers)
    shown += value;
  EXPECT_EQ(shown.find(kStaffSecret), std::string::npos) << shown;
  EXPECT_EQ(shown.find(session), std::string::npos) << shown;
}

TEST_F(FixtureTest, ADryRunRunsTheFixturesUnsentAndTheDocumentsUseTheSetupsStandIns) {
  AddFixtures();
  AddPlan();
  dry_run = http::DryRunTransport();
  RunResult result = RunAll(OnlyClients());
  ASSERT_EQ(dry_run->requests().size(), 4u);
  EXPECT_EQ(dry_run->requests()[0].method, "POST");
  EXPECT_NE(dry_run->requests()[1].url.find("%3Cbusiness_uid%3E"), std::string::npos)
      << dry_run->requests()[1].url;
  EXPECT_EQ(dry_run->requests()[3].method, "DELETE");
  EXPECT_TRUE(result.summary.setup_failure.empty()) << result.summary.setup_failure;
  for (const DocumentResult& d : result.documents) EXPECT_EQ(d.reason, "DRY_RUN");
  EXPECT_EQ(result.fixtures.at(0).result.reason, "DRY_RUN");
}

TEST_F(FixtureTest, ARunStoppedBeforeItBeganSendsNothingNotEvenTheTeardown) {
  AddFixtures();
  AddPlan();
  settings.teardown = {"fixtures/delete_business.md"};
  transport.Script("*", "*", Reply(200));
  kb.roots = {"kb"};
  kb.confinement = PathRoots::OfRealPaths({"kb"});
  auto plan = MakePlan(kb, OnlyClients());
  ASSERT_TRUE(plan.ok());
  Executor executor(settings, kb, catalog,
                    ExecutorServices{&transport, &ticker, &clock, &random, &bus, &fs});
  executor.Stop();
  RunResult result = executor.Run(*plan);
  EXPECT_TRUE(transport.requests().empty());
  EXPECT_TRUE(result.summary.stopped);
  for (const DocumentResult& d : result.documents) EXPECT_EQ(d.reason, "NOT_RUN");
  for (const FixtureResult& f : result.fixtures) EXPECT_EQ(f.kind, "setup");
  EXPECT_TRUE(result.summary.setup_failure.empty()) << result.summary.setup_failure;
}

}  // namespace
}  // namespace verity::run::testing
