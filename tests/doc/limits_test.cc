// The bounds on what one document may hold (doc/limits.h): past each, the parse keeps what it read
// up to the bound and reports one error with a stable code where the bound was crossed.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "doc/markdown_blocks.h"
#include "doc/parse_test_support.h"
#include "doc/parser.h"

namespace verity::doc {
namespace {

constexpr std::string_view kFrontmatter =
    "---\nendpoint: GET /x\ndomain: d\nstatus: verified\n---\n";  // 5 lines

std::string Repeat(std::string_view piece, size_t times) {
  std::string out;
  for (size_t i = 0; i < times; ++i) out += piece;
  return out;
}

// A Test Request step block whose `steps:` line is line 8; `steps` follows it.
std::string WithSteps(std::string_view steps) {
  return std::string(kFrontmatter) + "## Test Request\n```yaml\nsteps:\n" + std::string(steps) +
         "```\n";
}

std::vector<std::string> Codes(const Document& d) {
  std::vector<std::string> out;
  for (const Diagnostic& diag : d.diagnostics) out.push_back(diag.code);
  return out;
}

size_t RefCount(const Document& d) {
  size_t n = 0;
  for (const Step& s : d.steps) n += s.refs.size();
  return n;
}

TEST(DocumentLimits, PlaceholdersPastTheBoundAreOneErrorAtTheFirstOneNotRead) {
  ParseOptions options;
  options.max_placeholders = 10;
  Document d = ParseDocument(
      WithSteps("  - id: a\n    method: GET\n    path: /x/" + Repeat("{{a}}", 50) + "\n"), "p.md",
      options);
  EXPECT_EQ(10u, RefCount(d));
  // The path value starts at column 11 of line 11; the eleventh "{{" is 50 columns further.
  EXPECT_EQ(std::vector<std::string>{"p.md:11:64: error: more than 10 placeholders in the "
                                     "document; the rest are not read [PLACEHOLDER_LIMIT]"},
            Formatted(d));
}

TEST(DocumentLimits, TheRealBoundKeepsTheStepPathOfTheDashboardAttackToTenThousandRecords) {
  // The document of the 2.6 GB `kb show --json`: 4.15 MB, a step path of 830 000 placeholders.
  std::string text =
      WithSteps("  - id: a\n    method: GET\n    path: /x/" + Repeat("{{a}}", 830000) + "\n");
  ASSERT_LT(text.size(), ParseOptions{}.max_bytes);
  Document d = ParseDocument(text, "big.md");
  EXPECT_EQ(10000u, RefCount(d));
  EXPECT_EQ(std::vector<std::string>{"PLACEHOLDER_LIMIT"}, Codes(d));
  EXPECT_TRUE(d.has_errors());
}

TEST(DocumentLimits, PlaceholdersAreCountedAcrossStepsAndBlocks) {
  ParseOptions options;
  options.max_placeholders = 3;
  Document d = ParseDocument(WithSteps("  - id: a\n    method: GET\n    path: /{{a}}/{{b}}\n"
                                       "  - id: b\n    method: GET\n    path: /{{c}}/{{d}}\n"),
                             "p.md", options);
  ASSERT_EQ(2u, d.steps.size());
  EXPECT_EQ(2u, d.steps[0].refs.size());
  EXPECT_EQ(1u, d.steps[1].refs.size());
  EXPECT_EQ(std::vector<std::string>{"PLACEHOLDER_LIMIT"}, Codes(d));
  EXPECT_EQ((SourcePos{14, 18}), d.diagnostics[0].pos);  // {{d}}
}

TEST(DocumentLimits, StepsPastTheBoundAreOneErrorAtTheFirstStepNotRead) {
  ParseOptions options;
  options.max_steps = 3;
  Document d =
      ParseDocument(WithSteps(Repeat("  - {id: s, method: GET, path: /x}\n", 5)), "s.md", options);
  EXPECT_EQ(3u, d.steps.size());
  EXPECT_EQ(std::vector<std::string>{"s.md:12:5: error: more than 3 steps in the document; the "
                                     "rest are not read [STEP_LIMIT]"},
            Formatted(d));
}

TEST(DocumentLimits, StepsAreCountedAcrossBlocks) {
  ParseOptions options;
  options.max_steps = 2;
  std::string block = "```yaml\nsteps:\n  - {id: s, method: GET, path: /x}\n```\n";
  Document d = ParseDocument(std::string(kFrontmatter) + "## Prerequisites\n" + block + block +
                                 "## Test Request\n" + block,
                             "s.md", options);
  EXPECT_EQ(2u, d.steps.size());
  EXPECT_EQ(std::vector<std::string>{"STEP_LIMIT"}, Codes(d));
  EXPECT_EQ(18u, d.diagnostics[0].pos.line);  // the Test Request's step
}

TEST(DocumentLimits, DiagnosticsPastTheBoundBecomeOneErrorAtTheFirstOneDropped) {
  ParseOptions options;
  options.max_diagnostics = 4;
  // Every repeated key is a YAML_DUPLICATE_KEY error; the fifth repeat is on line 10.
  Document d = ParseDocument(
      "---\nendpoint: GET /x\ndomain: d\nstatus: verified\n" + Repeat("a: 1\n", 10) + "---\n",
      "d.md", options);
  ASSERT_EQ(5u, d.diagnostics.size());
  EXPECT_EQ("DIAGNOSTIC_LIMIT", d.diagnostics[4].code);
  EXPECT_EQ("d.md:10:1: error: more than 4 diagnostics; the rest are not shown [DIAGNOSTIC_LIMIT]",
            Formatted(d)[4]);
}

TEST(DocumentLimits, YamlNodesAreCountedAcrossFrontmatterAndStepBlocks) {
  ParseOptions options;
  options.max_yaml_nodes = 40;
  // The frontmatter is 7 nodes; the block 12 more up to the body's list, whose 22nd item is past
  // the bound.
  Document d = ParseDocument(WithSteps("  - id: a\n    method: GET\n    path: /x\n    body: [" +
                                       Repeat("1, ", 30) + "]\n"),
                             "n.md", options);
  EXPECT_TRUE(d.frontmatter_parsed);
  EXPECT_TRUE(d.steps.empty());
  ASSERT_EQ(std::vector<std::string>{"YAML_NODE_LIMIT"}, Codes(d));
  EXPECT_EQ("more than 40 YAML nodes in the document (frontmatter and step blocks together)",
            d.diagnostics[0].message);
  EXPECT_EQ(12u, d.diagnostics[0].pos.line);
}

TEST(DocumentLimits, SectionsPastTheBoundStopTheBodyAtTheFirstOneNotRead) {
  ParseOptions options;
  options.max_sections = 3;
  Document d =
      ParseDocument(std::string(kFrontmatter) + Repeat("## a\ntext\n", 5), "h.md", options);
  EXPECT_EQ(3u, d.sections.size());
  EXPECT_EQ(std::vector<std::string>{"h.md:12:1: error: more than 3 sections in the document; the "
                                     "rest is not read [SECTION_LIMIT]"},
            Formatted(d));
}

TEST(DocumentLimits, EmptyCodeBlocksPastTheBoundAreReportedAtTheirFence) {
  ParseOptions options;
  options.max_code_blocks = 3;
  Document d = ParseDocument(std::string(kFrontmatter) + Repeat("```\n```\n", 5), "c.md", options);
  EXPECT_EQ(3u, d.blocks.size());
  EXPECT_EQ(std::vector<std::string>{"c.md:12:1: error: more than 3 fenced code blocks in the "
                                     "document; the rest is not read [CODE_BLOCK_LIMIT]"},
            Formatted(d));
}

TEST(DocumentLimits, TableCellsPastTheBoundAreReportedAtTheirRow) {
  ParseOptions options;
  options.max_table_cells = 5;
  Document d =
      ParseDocument(std::string(kFrontmatter) + "## T\n|a|b|\n|---|---|\n" + Repeat("|c|d|\n", 4),
                    "t.md", options);
  ASSERT_EQ(1u, d.sections.size());
  EXPECT_EQ(std::vector<std::string>{"t.md:10:1: error: more than 5 table cells in the document; "
                                     "the rest is not read [TABLE_LIMIT]"},
            Formatted(d));
}

TEST(DocumentLimits, LongKeysAreCutInThePlaceholdersWhere) {
  // 20 nested 1 000-byte keys: the placeholder below them must not carry 20 000 bytes of "where".
  std::string body;
  for (int i = 0; i < 20; ++i) body += "{" + std::string(1000, 'k') + ": ";
  body += "\"{{a}}\"" + std::string(20, '}');
  Document d = ParseDocument(
      WithSteps("  - id: a\n    method: GET\n    path: /x\n    body: " + body + "\n"), "w.md");
  ASSERT_EQ(1u, d.steps.size());
  ASSERT_EQ(1u, d.steps[0].refs.size());
  EXPECT_TRUE(d.steps[0].refs[0].where.starts_with("body/kkkk"));
  EXPECT_LE(d.steps[0].refs[0].where.size(), 300u);
  EXPECT_TRUE(d.diagnostics.empty());
}

TEST(MarkdownBlocksLimit, ListItemsPastTheBoundEndTheViewWithANote) {
  std::vector<MarkdownBlock> blocks = MarkdownBlocks(Repeat("- a\n", 100), 10);
  ASSERT_EQ(2u, blocks.size());
  EXPECT_EQ(MarkdownBlock::Kind::kList, blocks[0].kind);
  EXPECT_EQ(9u, blocks[0].items.size());  // the list itself is the first of the ten
  EXPECT_EQ("[more than 10 blocks, list items and table rows: the rest is not shown]",
            blocks[1].text);
}

TEST(MarkdownBlocksLimit, ADocumentUnderTheBoundIsShownWhole) {
  std::vector<MarkdownBlock> blocks = MarkdownBlocks("# T\n\npara\n\n- a\n- b\n", 10);
  ASSERT_EQ(3u, blocks.size());
  EXPECT_EQ(2u, blocks[2].items.size());
}

}  // namespace
}  // namespace verity::doc
