// A document built from the spec (doc::Document::from_spec) runs like a recipe, says so in its
// result, and never touches the knowledge base's files: its `file` is where a draft would go.
#include <gtest/gtest.h>

#include "run/executor_fixture.h"
#include "run/kb_writeback.h"

namespace verity::run::testing {
namespace {

const char* kClientRecipe = R"(---
endpoint: "GET /clients/{id}"
domain: clients
status: pending
tokens: [staff]
---

# Get Client

## Test Request

```yaml
steps:
  - id: get
    method: GET
    path: /clients/c1
```
)";

class FromSpecRunTest : public ExecutorTest {
 protected:
  /// The document the spec would give GET /clients/{id}: parsed, never written to `fs`.
  void AddFromSpec(const std::string& text = kClientRecipe) {
    kb.documents.push_back(doc::ParseDocument(text, "kb/clients/get_client.md"));
    ASSERT_FALSE(kb.documents.back().has_errors());
    kb.documents.back().from_spec = true;
  }
};

TEST_F(FromSpecRunTest, ResultOfADocumentBuiltFromTheSpecSaysSourceSpec) {
  AddFromSpec();
  transport.Script("GET", "*/clients/c1", Reply(200, R"({"id":"c1"})"));
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(d.outcome, Outcome::kPass) << d.message;
  EXPECT_EQ(d.source, "spec");
  EXPECT_EQ(d.file, "kb/clients/get_client.md");
}

TEST_F(FromSpecRunTest, ResultOfARecipeSaysSourceRecipe) {
  fs.Add("kb/clients/get_client.md", kClientRecipe);
  kb.documents.push_back(doc::ParseDocument(kClientRecipe, "kb/clients/get_client.md"));
  transport.Script("GET", "*/clients/c1", Reply(200, R"({"id":"c1"})"));
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(d.source, "recipe");
  EXPECT_FALSE(d.kb_updates.empty()) << "the recipe is written back, unlike a spec document";
}

TEST_F(FromSpecRunTest, APassingDocumentBuiltFromTheSpecCreatesNoFile) {
  AddFromSpec();
  transport.Script("GET", "*/clients/c1", Reply(200, R"({"id":"c1"})"));
  RunResult result = RunAll();
  DocumentResult d = Only(result);
  EXPECT_EQ(d.outcome, Outcome::kPass) << d.message;
  EXPECT_TRUE(fs.writes().empty());
  EXPECT_TRUE(fs.reads().empty()) << "not even read: there is no file";
  EXPECT_TRUE(d.kb_updates.empty());
  EXPECT_TRUE(d.write_back_failures.empty()) << "a file it never had is no lost write";
  EXPECT_EQ(result.summary.write_back_failed, 0u);
  EXPECT_EQ(ExitCodeFor(result), 0);
}

TEST_F(FromSpecRunTest, AFailingDocumentBuiltFromTheSpecLeavesAFileAtItsPathUnchanged) {
  // A curated recipe already at the conventional name (the spec document would be drafted under
  // a variant name): a failure of the spec's chain must not count against it.
  std::string curated = std::string(kClientRecipe) + "\n<!-- curated -->\n";
  fs.Add("kb/clients/get_client.md", curated);
  AddFromSpec();
  transport.Script("GET", "*/clients/c1", Reply(500));
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(d.outcome, Outcome::kFail);
  EXPECT_TRUE(fs.writes().empty());
  EXPECT_EQ(fs.Get("kb/clients/get_client.md"), curated);
  EXPECT_TRUE(d.kb_updates.empty());
}

TEST_F(FromSpecRunTest, UsingADocumentBuiltFromTheSpecCountsNoReuseInAnyFile) {
  AddFromSpec(R"(---
endpoint: "GET /clients"
domain: clients
status: pending
tokens: [staff]
---

# List Clients

## Test Request

```yaml
steps:
  - id: list
    method: GET
    path: /clients
```
)");
  AddDoc("clients/get.md", R"(---
endpoint: "GET /clients/{id}"
domain: clients
status: verified
tokens: [staff]
---

# Get Client

## Prerequisites

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
    path: /clients/c1
```
)");
  transport.Script("GET", "*", Reply(200));
  Selection only_the_recipe;
  only_the_recipe.targets = {"kb/clients/get.md"};
  DocumentResult d = Only(RunAll(only_the_recipe));
  EXPECT_EQ(d.outcome, Outcome::kPass) << d.message;
  EXPECT_TRUE(d.write_back_failures.empty());
  for (const std::string& written : fs.writes())
    EXPECT_EQ(written, "kb/clients/get.md") << "only the recipe that ran is updated";
  Result<FileInfo> spec_file = fs.Stat("kb/clients/get_client.md");
  ASSERT_TRUE(spec_file.ok());
  EXPECT_EQ(FileType::kNone, spec_file->type) << "no file is created for it";
}

TEST_F(FromSpecRunTest, TheFallbackFixSkipsADocumentBuiltFromTheSpec) {
  std::string text = kClientRecipe;
  text.insert(text.find("tokens:"), "useFallbackApi: true\n");
  AddFromSpec(text);
  FallbackFix fix = RemoveFallbackFlags(fs, kb, {"kb/clients/get_client.md"});
  EXPECT_TRUE(fix.fixed.empty());
  EXPECT_TRUE(fix.failed.empty());
  ASSERT_EQ(fix.skipped.size(), 1u);
  EXPECT_NE(fix.skipped[0].reason.find("from the spec"), std::string::npos)
      << fix.skipped[0].reason;
  EXPECT_TRUE(fs.writes().empty());
}

// A healer with its answers written down: each failed try gets the next one.
class ScriptedHealer : public Healer {
 public:
  HealDecision Heal(const doc::Document& document, const DocumentResult& result,
                    const std::vector<HealAttempt>& tries) override {
    seen.push_back({document.file, result.reason, tries.size() - 1});
    if (answers.empty()) return {};
    HealDecision next = std::move(answers.front());
    answers.erase(answers.begin());
    return next;
  }
  struct Seen {
    std::string file;
    std::string reason;
    size_t tries_before;
  };
  std::vector<HealDecision> answers;
  std::vector<Seen> seen;
};

std::shared_ptr<const doc::Document> Version(const std::string& text) {
  auto d = std::make_shared<doc::Document>(doc::ParseDocument(text, "kb/clients/get_client.md"));
  d->from_spec = true;
  return d;
}

std::string WithPath(std::string path) {
  std::string text = kClientRecipe;
  text.replace(text.find("/clients/c1"), std::string("/clients/c1").size(), path);
  return text;
}

TEST_F(FromSpecRunTest, AHealedVersionRunsInPlaceOfTheFailedOneAsTheSameDocument) {
  ScriptedHealer scripted;
  scripted.answers.push_back({Version(WithPath("/clients/c2")), "another client", "", ""});
  healer = &scripted;
  size_t started = 0;
  bus.Subscribe([&](uint64_t, const RunEvent& e) {
    if (std::holds_alternative<DocumentStarted>(e)) ++started;
  });
  AddFromSpec();
  transport.Script("GET", "*/clients/c1", Reply(401));
  transport.Script("GET", "*/clients/c2", Reply(200, R"({"id":"c2"})"));
  RunResult result = RunAll();
  DocumentResult d = Only(result);
  EXPECT_EQ(d.outcome, Outcome::kPass) << d.message;
  EXPECT_EQ(started, 1u) << "a try after the first is not a new document";
  EXPECT_EQ(result.summary.totals.total, 1u);
  EXPECT_EQ(result.summary.totals.passed, 1u);
  ASSERT_EQ(d.heal_attempts.size(), 2u);
  EXPECT_EQ(d.heal_attempts[0].change, "as built");
  EXPECT_EQ(d.heal_attempts[0].outcome, Outcome::kFail);
  EXPECT_EQ(d.heal_attempts[0].reason, "AUTH_FAILED");
  EXPECT_EQ(d.heal_attempts[0].http_status, 401);
  EXPECT_EQ(d.heal_attempts[1].change, "another client");
  EXPECT_EQ(d.heal_attempts[1].outcome, Outcome::kPass);
  ASSERT_EQ(scripted.seen.size(), 1u) << "a try that passed is not healed";
  EXPECT_EQ(scripted.seen[0].tries_before, 0u);
  EXPECT_EQ(transport.requests().size(), 2u);
  EXPECT_TRUE(fs.writes().empty());
}

TEST_F(FromSpecRunTest, TheHealersReasonEndsADocumentWithNothingLeftToTry) {
  ScriptedHealer scripted;
  scripted.answers.push_back({nullptr, "", "AUTH_REFUSED", "401: refused with staff"});
  healer = &scripted;
  AddFromSpec();
  transport.Script("GET", "*/clients/c1", Reply(401));
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(d.outcome, Outcome::kFail);
  EXPECT_EQ(d.reason, "AUTH_REFUSED");
  EXPECT_EQ(d.message, "401: refused with staff");
  EXPECT_TRUE(d.heal_attempts.empty()) << "tried once";
}

TEST_F(FromSpecRunTest, EveryTryCleansUpWhatItCreatedBeforeTheNextOneStarts) {
  const std::string creating = R"(---
endpoint: "GET /clients/{id}"
domain: clients
status: pending
---

# Get Client

## Prerequisites

```yaml
steps:
  - id: create
    method: POST
    path: /clients
    extract:
      id: $.id
```

## Test Request

```yaml
steps:
  - id: get
    method: GET
    path: /clients/{{id}}
```

## Cleanup

```yaml
steps:
  - id: remove
    method: DELETE
    path: /clients/{{id}}
```
)";
  ScriptedHealer scripted;
  std::string second = creating;
  // The first such path is the test request's; the cleanup's comes after it.
  second.replace(second.find("path: /clients/{{id}}"), 21, "path: /clients/{{id}}?v=2");
  scripted.answers.push_back({Version(second), "v2", "", ""});
  healer = &scripted;
  AddFromSpec(creating);
  transport.Script("POST", "*/clients", Reply(201, R"({"id":"n1"})"), 1);
  transport.Script("POST", "*/clients", Reply(201, R"({"id":"n2"})"), 1);
  transport.Script("GET", "*/clients/n1", Reply(409));
  transport.Script("GET", "*/clients/n2?v=2", Reply(200));
  transport.Script("DELETE", "*", Reply(204));
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(d.outcome, Outcome::kPass) << d.message;
  std::vector<std::string> sent;
  for (const http::HttpRequest& r : transport.requests())
    sent.push_back(r.method + " " + r.url.substr(r.url.find("/clients")));
  EXPECT_EQ(sent, (std::vector<std::string>{"POST /clients", "GET /clients/n1",
                                            "DELETE /clients/n1", "POST /clients",
                                            "GET /clients/n2?v=2", "DELETE /clients/n2"}));
}

TEST_F(FromSpecRunTest, ARecipeIsNeverGivenToTheHealer) {
  ScriptedHealer scripted;
  scripted.answers.push_back({Version(WithPath("/clients/c2")), "another client", "", ""});
  healer = &scripted;
  AddDoc("clients/get_client.md", kClientRecipe);
  transport.Script("GET", "*/clients/c1", Reply(401));
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(d.outcome, Outcome::kFail);
  EXPECT_TRUE(scripted.seen.empty());
}

TEST_F(FromSpecRunTest, AnOperationLeftOutEndsSkipWithItsReasonAndSendsNothing) {
  doc::Document d;
  d.file = "kb/orders/get_v1_orders_order_id.md";
  d.from_spec = true;
  d.frontmatter.endpoint = "GET /v1/orders/{order_id}";
  d.frontmatter.method = "GET";
  d.frontmatter.path = "/v1/orders/{order_id}";
  d.left_out = doc::Document::LeftOut{"NO_PRODUCER", "no value for path parameter `order_id`"};
  kb.documents.push_back(d);
  RunResult result = RunAll();
  DocumentResult r = Only(result);
  EXPECT_EQ(r.outcome, Outcome::kSkip);
  EXPECT_EQ(r.reason, "NO_PRODUCER");
  EXPECT_EQ(r.message, "no value for path parameter `order_id`");
  EXPECT_EQ(r.source, "spec");
  EXPECT_TRUE(transport.requests().empty());
  EXPECT_EQ(result.summary.totals.skipped, 1u);
  EXPECT_EQ(ExitCodeFor(result), 0);
}

}  // namespace
}  // namespace verity::run::testing
