// Shared reads: a `shared: true` GET that several documents send alike goes to the API once a
// run, its 2xx answer standing for every document, whether it reached the step while the request
// was in flight or after; anything else (another credential, a failure, a write to the
// collection in between, a dry run) is each document's own request again.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "doc/parser.h"
#include "run/executor_fixture.h"

namespace verity::run::testing {
namespace {

using ::testing::HasSubstr;

// A recipe that takes a client from the shared list, then reads it.
// `endpoint` orders it in the plan (by resource, then phase).
std::string Reader(const std::string& name, const std::string& token = "",
                   const std::string& endpoint = "GET /v1/clients/{uid}") {
  return "---\nendpoint: \"" + endpoint + "\"\nvariant: " + name +
         "\n---\n# Read\n\n## Prerequisites\n\n```yaml\nsteps:\n"
         "  - id: list_clients\n    method: GET\n    path: /v1/clients\n    shared: true\n" +
         (token.empty() ? "" : "    token: " + token + "\n") +
         "    extract:\n      uid: $.clients[0].uid\n```\n\n## Test Request\n\n```yaml\nsteps:\n"
         "  - id: read\n    method: GET\n    path: /v1/clients/{{uid}}\n```\n";
}

size_t Sent(const http::FakeTransport& transport, const std::string& path) {
  size_t n = 0;
  for (const http::HttpRequest& r : transport.requests())
    n += r.url == std::string(kPrimary) + path ? 1 : 0;
  return n;
}

class SharedReadsTest : public ExecutorTest {
 protected:
  // The list and the client it shows; after what a test scripts first.
  void ScriptClients() {
    transport.Script("GET", "*/v1/clients", Reply(200, R"({"clients":[{"uid":"c1"}]})"));
    transport.Script("GET", "*/v1/clients/c1", Reply(200, R"({"uid":"c1"})"));
  }
};

TEST_F(SharedReadsTest, DocumentsThatReachTheReadWhileItIsInFlightTakeItsAnswer) {
  for (const char* name : {"a", "b", "c"})
    AddDoc(std::string("read_") + name + ".md", Reader(name));
  ScriptClients();
  RunResult result = RunAll();
  ASSERT_EQ(3u, result.documents.size());
  EXPECT_EQ(1u, Sent(transport, "/v1/clients"));
  EXPECT_EQ(3u, Sent(transport, "/v1/clients/c1"));
  size_t shared = 0;
  for (const DocumentResult& d : result.documents) {
    EXPECT_EQ(Outcome::kPass, d.outcome) << d.file << ": " << d.message;
    const StepResult& list = d.steps.at(0);
    EXPECT_EQ("c1", list.extracted["uid"]) << d.file;
    if (list.shared_from.empty()) continue;
    ++shared;
    EXPECT_TRUE(list.attempts.empty()) << "nothing was sent for it";
    EXPECT_THAT(list.shared_from, HasSubstr("step \"list_clients\""));
  }
  EXPECT_EQ(2u, shared);
}

TEST_F(SharedReadsTest, ADocumentThatComesAfterTheAnswerTakesItToo) {
  settings.concurrency = 1;
  AddDoc("read_a.md", Reader("a"));
  AddDoc("read_b.md", Reader("b"));
  ScriptClients();
  RunResult result = RunAll();
  EXPECT_EQ(1u, Sent(transport, "/v1/clients"));
  EXPECT_EQ("kb/read_a.md, step \"list_clients\"", result.documents.at(1).steps.at(0).shared_from);
  EXPECT_EQ(Outcome::kPass, result.documents.at(1).outcome);
}

TEST_F(SharedReadsTest, AnotherCredentialIsAnotherRequest) {
  AddDoc("read_a.md", Reader("a"));
  AddDoc("read_b.md", Reader("b", "directory"));
  ScriptClients();
  RunAll();
  EXPECT_EQ(2u, Sent(transport, "/v1/clients"));
}

TEST_F(SharedReadsTest, AFailedAnswerIsNotSharedEachDocumentSendsItsOwn) {
  settings.concurrency = 1;
  transport.Script("GET", "*/v1/clients", Reply(404, "{}"), 1);  // once, then the list
  AddDoc("read_a.md", Reader("a"));
  AddDoc("read_b.md", Reader("b"));
  ScriptClients();
  RunResult result = RunAll();
  EXPECT_EQ(2u, Sent(transport, "/v1/clients"));
  EXPECT_EQ(Outcome::kFail, result.documents.at(0).outcome);
  EXPECT_EQ(Outcome::kPass, result.documents.at(1).outcome);
  EXPECT_TRUE(result.documents.at(1).steps.at(0).shared_from.empty());
}

TEST_F(SharedReadsTest, AWriteToTheCollectionMakesTheNextReadGoToTheApi) {
  settings.concurrency = 1;
  transport.Script("DELETE", "*/v1/clients/c9", Reply(204, ""));
  ScriptClients();
  // The plan runs them in this order: their resources are /v1/a, /v1/b and /v1/c.
  AddDoc("read_a.md", Reader("a", "", "GET /v1/a/{uid}"));
  AddDoc("write.md",
         "---\nendpoint: \"GET /v1/b\"\n---\n# Stats\n\n## Test Request\n\n```yaml\nsteps:\n"
         "  - id: remove\n    method: DELETE\n    path: /v1/clients/c9\n"
         "    expect:\n      status: [204]\n```\n");
  AddDoc("read_c.md", Reader("c", "", "GET /v1/c/{uid}"));
  settings.include_delete = true;
  RunResult result = RunAll();
  ASSERT_EQ(3u, result.documents.size());
  EXPECT_EQ("kb/write.md", result.documents.at(1).file);
  for (const DocumentResult& d : result.documents)
    EXPECT_EQ(Outcome::kPass, d.outcome) << d.file << ": " << d.message;
  EXPECT_EQ(2u, Sent(transport, "/v1/clients")) << "the list after the DELETE is read again";
}

TEST_F(SharedReadsTest, AWriteElsewhereKeepsTheAnswer) {
  settings.concurrency = 1;
  transport.Script("DELETE", "*/v1/orders/o1", Reply(204, ""));
  ScriptClients();
  AddDoc("read_a.md", Reader("a", "", "GET /v1/a/{uid}"));
  AddDoc("write.md",
         "---\nendpoint: \"GET /v1/b\"\n---\n# Stats\n\n## Test Request\n\n```yaml\nsteps:\n"
         "  - id: remove\n    method: DELETE\n    path: /v1/orders/o1\n"
         "    expect:\n      status: [204]\n```\n");
  AddDoc("read_c.md", Reader("c", "", "GET /v1/c/{uid}"));
  settings.include_delete = true;
  RunAll();
  EXPECT_EQ(1u, Sent(transport, "/v1/clients"));
}

TEST_F(SharedReadsTest, ADryRunSendsNothingAndEveryDocumentEnds) {
  dry_run = http::DryRunTransport();
  for (const char* name : {"a", "b"}) AddDoc(std::string("read_") + name + ".md", Reader(name));
  ScriptClients();
  RunResult result = RunAll();
  ASSERT_EQ(2u, result.documents.size());
  for (const DocumentResult& d : result.documents)
    EXPECT_EQ("DRY_RUN", d.steps.at(0).reason) << d.file;
  EXPECT_TRUE(transport.requests().empty());
}

}  // namespace
}  // namespace verity::run::testing
