// Shared creates: a `shared: true` POST that several documents send alike makes one resource for
// all of them, and its shared cleanup deletes it once, after every document has ended, even when
// the run was stopped. A DELETE of what it made by another document ends the sharing: the next
// document creates anew, and nothing is deleted twice.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "doc/parser.h"
#include "run/executor_fixture.h"

namespace verity::run::testing {
namespace {

using ::testing::HasSubstr;

// A recipe that creates a client (shared), sends `method` to it, and deletes it again (shared).
// `endpoint` orders it in the plan (by resource, then phase).
std::string Reader(const std::string& name, const std::string& endpoint = "GET /v1/clients/{uid}",
                   const std::string& method = "GET") {
  return "---\nendpoint: \"" + endpoint + "\"\nvariant: " + name +
         "\n---\n# Read\n\n## Prerequisites\n\n```yaml\nsteps:\n"
         "  - id: create_client\n    method: POST\n    path: /v1/clients\n    shared: true\n"
         "    body: {name: Ada}\n    extract:\n      uid: $.uid\n```\n\n"
         "## Test Request\n\n```yaml\nsteps:\n  - id: read\n    method: " +
         method +
         "\n    path: /v1/clients/{{uid}}\n```\n\n## Cleanup\n\n```yaml\nsteps:\n"
         "  - id: delete_client\n    method: DELETE\n    path: /v1/clients/{{uid}}\n"
         "    shared: true\n    onFail: continue\n```\n";
}

// A recipe that creates its own client and deletes it in its test request.
std::string Deleter(const std::string& uid_from_list) {
  return "---\nendpoint: \"DELETE /v1/clients/{uid}\"\n---\n# Delete\n\n## Prerequisites\n\n"
         "```yaml\nsteps:\n  - id: list\n    method: GET\n    path: /v1/clients\n"
         "    extract:\n      uid: " +
         uid_from_list +
         "\n```\n\n## Test Request\n\n```yaml\nsteps:\n"
         "  - id: delete\n    method: DELETE\n    path: /v1/clients/{{uid}}\n```\n";
}

std::vector<std::string> Sent(const http::FakeTransport& transport) {
  std::vector<std::string> sent;
  for (const http::HttpRequest& r : transport.requests())
    sent.push_back(r.method + " " + r.url.substr(std::string(kPrimary).size()));
  return sent;
}

class SharedCreatesTest : public ExecutorTest {
 protected:
  SharedCreatesTest() { settings.include_delete = true; }
};

TEST_F(SharedCreatesTest, DocumentsThatCreateTheSameResourceShareOneAndDeleteItOnceAtTheEnd) {
  for (const char* name : {"a", "b", "c"})
    AddDoc(std::string("read_") + name + ".md", Reader(name));
  transport.Script("POST", "*/v1/clients", Reply(201, R"({"uid":"c1","name":"Ada"})"));
  transport.Script("*", "*/v1/clients/c1", Reply(200, R"({"uid":"c1"})"));
  RunResult result = RunAll();
  std::vector<std::string> sent = Sent(transport);
  EXPECT_EQ(1, std::count(sent.begin(), sent.end(), "POST /v1/clients"));
  EXPECT_EQ(3, std::count(sent.begin(), sent.end(), "GET /v1/clients/c1"));
  EXPECT_EQ(1, std::count(sent.begin(), sent.end(), "DELETE /v1/clients/c1"));
  EXPECT_EQ("DELETE /v1/clients/c1", sent.back()) << "deleted after every document ended";
  for (const DocumentResult& d : result.documents) {
    EXPECT_EQ(Outcome::kPass, d.outcome) << d.file << ": " << d.message;
    EXPECT_EQ("CLEANUP_DEFERRED", d.steps.back().reason) << d.file;
    EXPECT_TRUE(d.steps.back().attempts.empty()) << d.file;
  }
  ASSERT_EQ(1u, result.fixtures.size());
  const FixtureResult& cleanup = result.fixtures[0];
  EXPECT_EQ("cleanup", cleanup.kind);
  EXPECT_THAT(cleanup.name, HasSubstr(", step \"delete_client\""));
  // The others' cleanup steps name the one that deletes it.
  size_t naming = 0;
  for (const DocumentResult& d : result.documents)
    naming += d.steps.back().message.find(cleanup.name) != std::string::npos ? 1 : 0;
  EXPECT_EQ(2u, naming);
  EXPECT_EQ(Outcome::kPass, cleanup.result.outcome);
  EXPECT_EQ(0u, result.summary.fixtures_failed);
}

TEST_F(SharedCreatesTest, ACreateThatFailedIsEachDocumentsOwnAgain) {
  settings.concurrency = 1;
  AddDoc("read_a.md", Reader("a"));
  AddDoc("read_b.md", Reader("b"));
  transport.Script("POST", "*/v1/clients", Reply(500), 1);
  transport.Script("POST", "*/v1/clients", Reply(201, R"({"uid":"c2"})"));
  transport.Script("*", "*/v1/clients/c2", Reply(200, R"({"uid":"c2"})"));
  RunResult result = RunAll();
  std::vector<std::string> sent = Sent(transport);
  EXPECT_EQ(2, std::count(sent.begin(), sent.end(), "POST /v1/clients"));
  EXPECT_EQ(Outcome::kPass, result.documents.at(1).outcome) << result.documents.at(1).message;
  EXPECT_EQ(1, std::count(sent.begin(), sent.end(), "DELETE /v1/clients/c2"));
}

TEST_F(SharedCreatesTest, ADeleteOfWhatTheCreateMadeEndsItsSharingAndItsCleanup) {
  settings.concurrency = 1;
  AddDoc("a_read.md", Reader("a"));
  // Takes the shared client from the list and deletes it; the next reader creates its own.
  AddDoc("b_delete.md", Deleter("$.clients[0].uid"));
  AddDoc("c_read.md", Reader("c", "GET /v9/notes/{uid}"));
  transport.Script("POST", "*/v1/clients", Reply(201, R"({"uid":"c1"})"), 1);
  transport.Script("POST", "*/v1/clients", Reply(201, R"({"uid":"c2"})"));
  transport.Script("GET", "*/v1/clients", Reply(200, R"({"clients":[{"uid":"c1"}]})"));
  transport.Script("*", "*/v1/clients/c1", Reply(200, R"({"uid":"c1"})"));
  transport.Script("*", "*/v1/clients/c2", Reply(200, R"({"uid":"c2"})"));
  RunResult result = RunAll();
  std::vector<std::string> sent = Sent(transport);
  EXPECT_EQ(2, std::count(sent.begin(), sent.end(), "POST /v1/clients"));
  EXPECT_EQ(1, std::count(sent.begin(), sent.end(), "DELETE /v1/clients/c1"))
      << "deleted by the test, not again by the cleanup";
  EXPECT_EQ(1, std::count(sent.begin(), sent.end(), "DELETE /v1/clients/c2"));
  for (const DocumentResult& d : result.documents)
    EXPECT_EQ(Outcome::kPass, d.outcome) << d.file << ": " << d.message;
}

TEST_F(SharedCreatesTest, ADeleteAtTheItemPathSpelledInTheSingularEndsTheSharingToo) {
  settings.concurrency = 1;
  // `POST /v1/silences` makes what `DELETE /v1/silence/{id}` removes.
  auto reader = [](const std::string& name) {
    return "---\nendpoint: \"GET /v1/silence/{id}\"\nvariant: " + name +
           "\n---\n# Read\n\n## Prerequisites\n\n```yaml\nsteps:\n"
           "  - id: create\n    method: POST\n    path: /v1/silences\n    shared: true\n"
           "    body: {comment: quiet}\n    extract:\n      id: $.silenceID\n```\n\n"
           "## Test Request\n\n```yaml\nsteps:\n  - id: read\n    method: GET\n"
           "    path: /v1/silence/{{id}}\n```\n";
  };
  AddDoc("a_read.md", reader("a"));
  AddDoc("b_delete.md",
         "---\nendpoint: \"GET /v1/silence/{id}\"\nvariant: b\n---\n# Expire\n\n"
         "## Prerequisites\n\n```yaml\nsteps:\n  - id: create\n    method: POST\n"
         "    path: /v1/silences\n    shared: true\n    body: {comment: quiet}\n"
         "    extract:\n      id: $.silenceID\n```\n\n## Test Request\n\n```yaml\nsteps:\n"
         "  - id: expire\n    method: DELETE\n    path: /v1/silence/{{id}}\n```\n");
  AddDoc("c_read.md", reader("c"));
  transport.Script("POST", "*/v1/silences", Reply(200, R"({"silenceID":"s1"})"), 1);
  transport.Script("POST", "*/v1/silences", Reply(200, R"({"silenceID":"s2"})"));
  transport.Script("*", "*/v1/silence/s1", Reply(200, R"({"id":"s1"})"));
  transport.Script("*", "*/v1/silence/s2", Reply(200, R"({"id":"s2"})"));
  RunResult result = RunAll();
  std::vector<std::string> sent = Sent(transport);
  EXPECT_EQ(2, std::count(sent.begin(), sent.end(), "POST /v1/silences"));
  EXPECT_EQ(1, std::count(sent.begin(), sent.end(), "GET /v1/silence/s2"))
      << "the reader after the delete made its own";
  for (const DocumentResult& d : result.documents)
    EXPECT_EQ(Outcome::kPass, d.outcome) << d.file << ": " << d.message;
}

TEST_F(SharedCreatesTest, AnUpdateOfWhatTheCreateMadeDoesNotEndItsSharing) {
  settings.concurrency = 1;
  AddDoc("a_read.md", Reader("a"));
  AddDoc("b_update.md", Reader("b", "PUT /v1/clients/{uid}", "PUT"));
  AddDoc("c_read.md", Reader("c", "GET /v9/notes/{uid}"));
  transport.Script("POST", "*/v1/clients", Reply(201, R"({"uid":"c1"})"));
  transport.Script("*", "*/v1/clients/c1", Reply(200, R"({"uid":"c1"})"));
  RunResult result = RunAll();
  for (const DocumentResult& d : result.documents)
    EXPECT_EQ(Outcome::kPass, d.outcome) << d.file << ": " << d.message;
  std::vector<std::string> sent = Sent(transport);
  EXPECT_EQ(1, std::count(sent.begin(), sent.end(), "POST /v1/clients"));
}

TEST_F(SharedCreatesTest, WhatARunStoppedAtItsDeadlineCreatedIsStillDeleted) {
  settings.deadline_ms = 500;
  AddDoc("read_a.md", Reader("a"));
  transport.Script("POST", "*/v1/clients", Reply(201, R"({"uid":"c1"})"));
  // The test request waits past the deadline; the run stops there.
  transport.Script("GET", "*", Reply(429, "{}", {{"retry-after", "5"}}));
  transport.Script("DELETE", "*/v1/clients/c1", Reply(204, ""));
  RunResult result = RunAll();
  EXPECT_TRUE(result.summary.stopped);
  EXPECT_EQ("DELETE /v1/clients/c1", Sent(transport).back());
  ASSERT_EQ(1u, result.fixtures.size());
  EXPECT_EQ(Outcome::kPass, result.fixtures[0].result.outcome);
}

TEST_F(SharedCreatesTest, ADryRunDefersTheCleanupAndSendsNothing) {
  dry_run = http::DryRunTransport();
  AddDoc("read_a.md", Reader("a"));
  RunResult result = RunAll();
  EXPECT_TRUE(transport.requests().empty());
  for (const FixtureResult& f : result.fixtures) EXPECT_EQ("DRY_RUN", f.result.reason);
}

TEST(SharedCreatesParseTest, ASharedDeleteOutsideTheCleanupIsSentByEveryDocumentAndSaysSo) {
  doc::Document d = doc::ParseDocument(
      "---\nendpoint: \"DELETE /v1/clients/{id}\"\n---\n# Delete\n\n## Test Request\n\n"
      "```yaml\nsteps:\n  - id: delete\n    method: DELETE\n    path: /v1/clients/1\n"
      "    shared: true\n```\n",
      "kb/delete.md");
  ASSERT_EQ(1u, d.diagnostics.size());
  EXPECT_EQ("SHARED_DELETE", d.diagnostics[0].code);
  EXPECT_EQ(13, d.diagnostics[0].pos.line);
  EXPECT_FALSE(d.StepsIn(doc::SectionKind::kTestRequest).at(0)->shared);
}

TEST(SharedCreatesParseTest, ASharedCreateAndASharedCleanupAreAccepted) {
  doc::Document d = doc::ParseDocument(Reader("a"), "kb/read.md");
  EXPECT_TRUE(d.diagnostics.empty()) << d.diagnostics.at(0).message;
  EXPECT_TRUE(d.StepsIn(doc::SectionKind::kPrerequisites).at(0)->shared);
  EXPECT_TRUE(d.StepsIn(doc::SectionKind::kCleanup).at(0)->shared);
}

}  // namespace
}  // namespace verity::run::testing
