// Required frontmatter fields whatever shape the frontmatter has (missing, empty, only comments,
// not a mapping), and what lint may print about one document: at most a bound of diagnostics, none
// of them a copy of a long step id.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "doc/diagnostic.h"
#include "kb/lint.h"
#include "support/memory_file_system.h"

namespace verity::kb {
namespace {

using testing::MemoryFileSystem;

std::vector<std::string> Errors(const std::string& text, LintOptions options = {}) {
  MemoryFileSystem fs;
  fs.Add("kb/d/get_x.md", text);
  Result<KnowledgeBase> kb = LoadKnowledgeBase(fs, {"kb"});
  EXPECT_TRUE(kb.ok());
  std::vector<std::string> lines;
  for (const doc::Diagnostic& d : Lint(*kb, options))
    if (d.is_error()) lines.push_back(doc::FormatDiagnostic(d));
  return lines;
}

std::vector<std::string> RequiredAt(std::string_view where) {
  std::vector<std::string> out;
  for (const char* key : {"endpoint", "domain", "status"})
    out.push_back("kb/d/get_x.md" + std::string(where) + ": error: required field \"" + key +
                  "\" is missing [FIELD_REQUIRED]");
  return out;
}

TEST(LintRequiredFields, EmptyFrontmatterMissesEveryRequiredField) {
  EXPECT_EQ(RequiredAt(":1:1"), Errors("---\n---\n# X\n"));
  EXPECT_EQ(RequiredAt(":1:1"), Errors("---\n---\n"));
  EXPECT_EQ(RequiredAt(":1:1"), Errors("---\r\n---\r\n# X\r\n"));
  EXPECT_EQ(RequiredAt(":1:1"), Errors("---\n...\n# X\n"));
}

TEST(LintRequiredFields, FrontmatterOfOnlyBlankLinesAndCommentsMissesEveryRequiredField) {
  EXPECT_EQ(RequiredAt(":1:1"), Errors("---\n\n# endpoint: GET /x\n\n---\n# X\n"));
}

TEST(LintRequiredFields, ANullFrontmatterMissesEveryRequiredField) {
  EXPECT_EQ(RequiredAt(":1:1"), Errors("---\n~\n---\n# X\n"));
}

TEST(LintRequiredFields, NoFrontmatterIsItsOwnErrorAndMissesEveryRequiredField) {
  std::vector<std::string> expected = RequiredAt(":1:1");
  expected.push_back(
      "kb/d/get_x.md:1:1: error: no frontmatter: a workflow document starts with a "
      "\"---\" line, its fields, and another \"---\" line [FRONTMATTER_MISSING]");
  EXPECT_EQ(expected, Errors("# X\n\nno fields at all\n"));
}

TEST(LintRequiredFields, FrontmatterThatIsNotAMappingIsAShapeErrorAndMissesEveryRequiredField) {
  std::vector<std::string> expected = RequiredAt(":1:1");
  expected.push_back(
      "kb/d/get_x.md:2:1: error: frontmatter must be a mapping of fields [FRONTMATTER_SHAPE]");
  EXPECT_EQ(expected, Errors("---\n- endpoint: GET /x\n- domain: d\n---\n# X\n"));
  expected.back() =
      "kb/d/get_x.md:2:1: error: frontmatter must be a mapping of fields [FRONTMATTER_SHAPE]";
  EXPECT_EQ(expected, Errors("---\nendpoint GET /x\n---\n# X\n"));
}

TEST(LintRequiredFields, AFieldWrittenEmptyIsMissingAtItsKey) {
  EXPECT_EQ((std::vector<std::string>{"kb/d/get_x.md:3:1: error: required field \"domain\" is "
                                      "missing [FIELD_REQUIRED]",
                                      "kb/d/get_x.md:4:1: error: required field \"status\" is "
                                      "missing [FIELD_REQUIRED]"}),
            Errors("---\nendpoint: GET /x\ndomain: \"\"\nstatus:\n---\n# X\n"));
}

TEST(LintRequiredFields, UnreadableFrontmatterYamlIsReportedAloneNotAsMissingFields) {
  EXPECT_EQ((std::vector<std::string>{"kb/d/get_x.md:3:1: error: frontmatter: while parsing a flow "
                                      "sequence did not find expected ',' or ']' [YAML_SYNTAX]"}),
            Errors("---\nendpoint: [GET /x\n---\n# X\n"));
}

TEST(LintDiagnosticLimit, LintFindingsPastTheBoundBecomeOneErrorPerDocument) {
  LintOptions options;
  options.max_diagnostics = 5;
  // Twenty steps without an id: STEP_ID_MISSING, STEP_METHOD_INVALID and STEP_PATH_MISSING each.
  std::string text =
      "---\nendpoint: GET /x\ndomain: d\nstatus: verified\n---\n## Test Request\n```yaml\nsteps:\n";
  for (int i = 0; i < 20; ++i) text += "  - {description: x}\n";
  text += "```\n";
  std::vector<std::string> errors = Errors(text, options);
  ASSERT_EQ(6u, errors.size());
  size_t limits = 0;
  for (const std::string& e : errors)
    limits += e ==
              "kb/d/get_x.md:10:5: error: more than 5 diagnostics; the rest are not shown "
              "[DIAGNOSTIC_LIMIT]";
  EXPECT_EQ(1u, limits);
}

TEST(LintDiagnosticLimit, ALongStepIdIsShortenedInEveryMessageAboutTheStep) {
  // One step, a 100 000-byte id, 50 placeholders without a source: 50 warnings naming the step.
  std::string id(100000, 'i');
  std::string text =
      "---\nendpoint: GET /x\ndomain: d\nstatus: verified\n---\n## Test Request\n"
      "```yaml\nsteps:\n  - id: " +
      id + "\n    method: GET\n    path: /x/";
  for (int i = 0; i < 50; ++i) text += "{{a}}";
  text += "\n```\n";
  MemoryFileSystem fs;
  fs.Add("kb/d/get_x.md", text);
  Result<KnowledgeBase> kb = LoadKnowledgeBase(fs, {"kb"});
  ASSERT_TRUE(kb.ok());
  std::vector<doc::Diagnostic> diagnostics = Lint(*kb);
  ASSERT_EQ(50u, diagnostics.size());
  size_t bytes = 0;
  for (const doc::Diagnostic& d : diagnostics) bytes += d.message.size();
  EXPECT_LT(bytes, 50u * 400u);
  EXPECT_NE(std::string::npos, diagnostics[0].message.find("in step \"iiii"));
}

}  // namespace
}  // namespace verity::kb
