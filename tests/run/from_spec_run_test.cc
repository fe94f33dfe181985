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

}  // namespace
}  // namespace verity::run::testing
