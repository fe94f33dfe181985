// Hostile and broken documents: each gets exact diagnostics at file positions, none stops the
// others, and none makes the loader crash, hang or read what it must not.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/file_system.h"
#include "doc/diagnostic.h"
#include "doc/parser.h"
#include "kb/knowledge_base.h"
#include "kb/lint.h"
#include "support/memory_file_system.h"
#include "support/paths.h"

namespace verity::kb {
namespace {

using doc::Diagnostic;
using doc::Document;

std::vector<std::string> Errors(const std::vector<Diagnostic>& diagnostics) {
  std::vector<std::string> out;
  for (const Diagnostic& d : diagnostics)
    if (d.is_error()) out.push_back(doc::FormatDiagnostic(d));
  return out;
}

std::vector<std::string> Codes(const Document& d) {
  std::vector<std::string> out;
  for (const Diagnostic& diag : d.diagnostics) out.push_back(diag.code);
  return out;
}

constexpr std::string_view kGoodDocument = R"(---
endpoint: "GET /platform/v1/clients"
domain: clients
status: verified
---

# List clients

## Test Request

```yaml
steps:
  - id: list_clients
    method: GET
    path: "/platform/v1/clients"
    expect:
      status: 200
```
)";

std::string WithStepBody(std::string_view body_yaml) {
  return "---\nendpoint: \"POST /a\"\ndomain: d\nstatus: verified\n---\n\n## Test Request\n\n"
         "```yaml\nsteps:\n  - id: s\n    method: POST\n    path: /a\n    body: " +
         std::string(body_yaml) + "\n```\n";
}

TEST(BadInput, EveryBrokenDocumentGetsItsOwnExactErrorAtItsFilePosition) {
  PosixFileSystem fs;
  std::string root = testing::SourcePath("tests/data/bad");
  Result<KnowledgeBase> kb = LoadKnowledgeBase(fs, {root});
  ASSERT_TRUE(kb.ok()) << kb.status().message();
  ASSERT_EQ(15u, kb->documents.size());
  std::vector<Diagnostic> diagnostics = Lint(*kb);
  for (Diagnostic& d : diagnostics) d.file = d.file.substr(root.size() + 1);
  EXPECT_EQ(
      (std::vector<std::string>{
          // The copy the anchor &d keeps is what crosses the budget.
          "alias_bomb_frontmatter.md:14:4: error: frontmatter: aliases expand to more than 10000 "
          "nodes (alias bomb?) [YAML_ALIAS_LIMIT]",
          "alias_bomb_step.md:29:10: error: aliases expand to more than 10000 nodes (alias bomb?) "
          "[YAML_ALIAS_LIMIT]",
          "binary_garbage.md:1:1: error: not a UTF-8 text document (byte 0x89 at offset 0) "
          "[NOT_TEXT]",
          "empty.md: error: document is empty [EMPTY_DOCUMENT]",
          "expect_status_type.md:26:15: error: expect.status must be an HTTP status code or a list "
          "of them, got string \"abc\" [EXPECT_STATUS_TYPE]",
          "frontmatter_duplicate_key.md:7:1: error: frontmatter: duplicate key \"status\" (first "
          "defined at line 6) [YAML_DUPLICATE_KEY]",
          "frontmatter_field_type.md:9:14: error: timesReused must be a non-negative integer, got "
          "string \"many\" [FIELD_TYPE]",
          "frontmatter_yaml_syntax_error.md:5:8: error: frontmatter: while parsing a flow sequence "
          "did not find expected ',' or ']' [YAML_SYNTAX]",
          "no_frontmatter.md:1:1: error: required field \"endpoint\" is missing [FIELD_REQUIRED]",
          "no_frontmatter.md:1:1: error: required field \"domain\" is missing [FIELD_REQUIRED]",
          "no_frontmatter.md:1:1: error: required field \"status\" is missing [FIELD_REQUIRED]",
          "no_frontmatter.md:1:1: error: no frontmatter: a workflow document starts with a \"---\" "
          "line, its fields, and another \"---\" line [FRONTMATTER_MISSING]",
          "step_duplicate_key.md:25:5: error: duplicate key \"method\" (first defined at line 22) "
          "[YAML_DUPLICATE_KEY]",
          "step_not_mapping.md:21:5: error: a step must be a mapping, got string \"get_resources\" "
          "[STEP_BLOCK_SHAPE]",
          "step_tab_indentation.md:24:1: error: tab character used for indentation (YAML allows "
          "only spaces) [YAML_TAB]",
          "step_yaml_syntax_error.md:23:10: error: mapping values are not allowed in this context "
          "[YAML_SYNTAX]",
          "template_syntax.md:23:37: error: unterminated placeholder in path: \"{{\" without "
          "\"}}\" "
          "[TEMPLATE_SYNTAX]",
          "template_syntax.md:26:21: error: empty placeholder: a variable name is missing in "
          "params/business_id [TEMPLATE_SYNTAX]",
          "unterminated_frontmatter.md:1:1: error: frontmatter opened here is never closed (no "
          "\"---\" line follows) [FRONTMATTER_UNTERMINATED]",
      }),
      Errors(diagnostics));
}

TEST(BadInput, ADuplicateStepKeyKeepsTheFirstValueAndTheStep) {
  PosixFileSystem fs;
  Document d = LoadDocument(fs, testing::SourcePath("tests/data/bad/step_duplicate_key.md"),
                            PathRoots::Anywhere());
  ASSERT_EQ(1u, d.steps.size());
  EXPECT_EQ("GET", d.steps[0].method);
}

TEST(BadInput, BadDocumentsNeverHideTheGoodOnesBesideThem) {
  testing::MemoryFileSystem fs;
  fs.Add("kb/a/empty.md", "");
  fs.Add("kb/a/garbage.md", std::string("\x00\x01\xff\xfe", 4));
  fs.Add("kb/b/get_platform_v1_clients.md", std::string(kGoodDocument));
  fs.Add("kb/c/unterminated.md", "---\nendpoint: \"GET /x\"\n");
  fs.Add("kb/c/tabs.md", WithStepBody("\n\t- 1"));
  Result<KnowledgeBase> kb = LoadKnowledgeBase(fs, {"kb"});
  ASSERT_TRUE(kb.ok());
  ASSERT_EQ(5u, kb->documents.size());
  const Document* good = kb->FindEndpoint("GET /platform/v1/clients").at(0);
  EXPECT_FALSE(good->has_errors());
  ASSERT_EQ(1u, good->steps.size());
  EXPECT_EQ("list_clients", good->steps[0].id);
  for (const Document& d : kb->documents)
    if (&d != good) {
      EXPECT_TRUE(d.has_errors()) << d.file;
    }
}

TEST(BadInput, AnOversizedDocumentIsRefusedWithoutBeingRead) {
  testing::MemoryFileSystem fs;
  fs.Add("kb/clients/huge.md", std::string(kGoodDocument) + std::string(20u << 20, 'x'));
  fs.Add("kb/clients/get_platform_v1_clients.md", std::string(kGoodDocument));
  Result<KnowledgeBase> kb = LoadKnowledgeBase(fs, {"kb"});
  ASSERT_TRUE(kb.ok());
  ASSERT_EQ(2u, kb->documents.size());
  EXPECT_EQ(std::vector<std::string>{"DOCUMENT_TOO_LARGE"}, Codes(kb->documents[1]));
  EXPECT_EQ(std::vector<std::string>{"kb/clients/get_platform_v1_clients.md"}, fs.reads());
  EXPECT_EQ(1u, kb->documents[0].steps.size());
}

TEST(BadInput, DeepFlowNestingInAStepBodyIsTooDeepNotACrash) {
  std::string nested = std::string(10000, '[') + std::string(10000, ']');
  Document d = doc::ParseDocument(WithStepBody(nested), "deep.md");
  std::vector<std::string> codes = Codes(d);
  ASSERT_EQ(std::vector<std::string>{"YAML_TOO_DEEP"}, codes);
  EXPECT_EQ(14u, d.diagnostics[0].pos.line);  // the line of `body:`
  EXPECT_TRUE(d.steps.empty());
}

TEST(BadInput, DeepBlockNestingInTheFrontmatterIsTooDeepNotACrash) {
  std::string fields = "endpoint: \"GET /a\"\ndeep:\n";
  for (int i = 0; i < 10000; ++i) fields += std::string(static_cast<size_t>(i % 3), ' ') + "- ";
  fields += "x\n";
  Document d = doc::ParseDocument("---\n" + fields + "---\n# T\n", "deep.md");
  ASSERT_EQ(std::vector<std::string>{"YAML_TOO_DEEP"}, Codes(d));
  EXPECT_EQ(4u, d.diagnostics[0].pos.line);
  EXPECT_FALSE(d.frontmatter_parsed);
}

TEST(BadInput, DeeplyNestedMarkdownIsReadWithoutACrash) {
  std::string quotes = std::string(10000, '>') + " ## Not a section\n";
  std::string lists;
  for (int i = 0; i < 10000; ++i)
    lists += std::string(static_cast<size_t>(i) * 2 % 64, ' ') + "- x\n";
  for (const std::string& body : {quotes, lists}) {
    Document d = doc::ParseDocument(
        "---\nendpoint: \"GET /a\"\ndomain: d\nstatus: verified\n---\n# T\n\n" + body +
            "\n## Test Request\n\n```yaml\nsteps:\n  - id: s\n    method: GET\n    path: /a\n```\n",
        "deep.md");
    EXPECT_FALSE(d.has_errors());
    ASSERT_EQ(1u, d.steps.size());
    EXPECT_EQ("Test Request", d.sections.back().title);
  }
}

TEST(BadInput, AliasBombsStopAtTheAliasLimitWithoutExpanding) {
  std::string bomb = "\n      a: &a [x, x, x, x, x, x, x, x, x, x]";
  char prev = 'a';
  for (char c = 'b'; c <= 'j'; ++c, ++prev)
    bomb += std::string("\n      ") + c + ": &" + c + " [*" + prev + ", *" + prev + ", *" + prev +
            ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" +
            prev + ", *" + prev + "]";
  Document d = doc::ParseDocument(WithStepBody(bomb), "bomb.md");
  EXPECT_EQ(std::vector<std::string>{"YAML_ALIAS_LIMIT"}, Codes(d));
  EXPECT_TRUE(d.steps.empty());
}

TEST(BadInput, LintOfAnUnreadableFrontmatterReportsOnlyTheYamlError) {
  Document d = doc::ParseDocument("---\nendpoint: [unclosed\n---\n# T\n", "kb/d/x.md");
  KnowledgeBase kb{{"kb"}, {d}, PathRoots::OfRealPaths({"kb"})};
  std::vector<std::string> codes;
  for (const Diagnostic& diag : Lint(kb)) codes.push_back(diag.code);
  EXPECT_EQ(std::vector<std::string>{"YAML_SYNTAX"}, codes);
}

}  // namespace
}  // namespace verity::kb
