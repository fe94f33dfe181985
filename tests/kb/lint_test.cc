#include "kb/lint.h"

#include <gtest/gtest.h>

#include "doc/diagnostic.h"
#include "doc/parser.h"
#include "support/memory_file_system.h"
#include "support/paths.h"

namespace verity::kb {
namespace {

using testing::MemoryFileSystem;
using testing::SharedPath;
using testing::SourcePath;

std::vector<std::string> LintLines(const std::map<std::string, std::string>& files,
                                   LintOptions options = {}) {
  MemoryFileSystem fs;
  for (const auto& [path, text] : files) fs.Add(path, text);
  Result<KnowledgeBase> kb = LoadKnowledgeBase(fs, {"kb"});
  EXPECT_TRUE(kb.ok());
  std::vector<std::string> lines;
  for (const doc::Diagnostic& d : Lint(*kb, options)) lines.push_back(doc::FormatDiagnostic(d));
  return lines;
}

const char kHeader[] =
    "---\nendpoint: \"GET /platform/v1/things\"\ndomain: sales\nstatus: verified\n---\n";

std::string WithSteps(const std::string& test_request, const std::string& prerequisites = "") {
  std::string out = kHeader;
  out += "# Things\n\n";
  if (!prerequisites.empty())
    out += "## Prerequisites\n\n```yaml\nsteps:\n" + prerequisites + "```\n\n";
  out += "## Test Request\n\n```yaml\nsteps:\n" + test_request + "```\n";
  return out;
}

TEST(Lint, TheCorpusAndTheSeedHaveNoErrors) {
  PosixFileSystem fs;
  Result<KnowledgeBase> kb = LoadKnowledgeBase(
      fs, {SharedPath("corpus/vcita/workflows"), SharedPath("seed/000_11cb7a21dc1c2995.txt")});
  ASSERT_TRUE(kb.ok());
  EXPECT_EQ(286u, kb->documents.size());
  for (const doc::Diagnostic& d : Lint(*kb)) EXPECT_FALSE(d.is_error()) << doc::FormatDiagnostic(d);
}

TEST(Lint, TheExampleKnowledgeBaseIsClean) {
  PosixFileSystem fs;
  Result<KnowledgeBase> kb = LoadKnowledgeBase(fs, {SourcePath("examples/kb")});
  ASSERT_TRUE(kb.ok());
  std::vector<doc::Diagnostic> diags = Lint(*kb);
  EXPECT_TRUE(diags.empty()) << doc::FormatDiagnostic(diags.front());
}

TEST(Lint, RequiresEndpointDomainAndStatus) {
  EXPECT_EQ(
      (std::vector<std::string>{
          "kb/sales/get_x.md: warning: no steps in a \"## Test Request\" section: nothing to "
          "run [NO_TEST_REQUEST]",
          "kb/sales/get_x.md:1:1: error: required field \"domain\" is missing [FIELD_REQUIRED]",
          "kb/sales/get_x.md:1:1: error: required field \"status\" is missing [FIELD_REQUIRED]"}),
      LintLines({{"kb/sales/get_x.md", "---\nendpoint: \"GET /x\"\n---\n# X\n"}}));
}

TEST(Lint, ChecksTheEndpointShapeAndMethod) {
  std::vector<std::string> lines = LintLines(
      {{"kb/sales/x.md", "---\nendpoint: \"FETCH /x\"\ndomain: sales\nstatus: pending\n---\n"}});
  ASSERT_EQ(2u, lines.size());
  EXPECT_EQ(
      "kb/sales/x.md:2:11: error: unknown HTTP method \"FETCH\" in endpoint [ENDPOINT_INVALID]",
      lines[1]);
}

TEST(Lint, WarnsAboutStatusVariantsAndSkipsWithoutReason) {
  std::vector<std::string> lines = LintLines(
      {{"kb/sales/get_x.md", "---\nendpoint: \"GET /x\"\ndomain: sales\nstatus: skip\n---\n"}});
  EXPECT_EQ((std::vector<std::string>{
                "kb/sales/get_x.md:4:9: warning: skipped without a reason: add skipReason (or a "
                "\"## Skip Reason\" section) [SKIP_WITHOUT_REASON]",
                "kb/sales/get_x.md:4:9: warning: status \"skip\" is read as \"skipped\"; write "
                "\"skipped\" [STATUS_NONCANONICAL]"}),
            lines);
}

TEST(Lint, FlagsFileNamesAndFoldersThatBreakTheConvention) {
  std::vector<std::string> lines =
      LintLines({{"kb/clients/things.md",
                  WithSteps("  - id: a\n    method: GET\n    path: /platform/v1/things\n")}});
  EXPECT_EQ((std::vector<std::string>{
                "kb/clients/things.md: warning: file name does not follow the convention; expected "
                "\"get_platform_v1_things.md\" [FILENAME_CONVENTION]",
                "kb/clients/things.md:3:9: warning: document of domain \"sales\" is in folder "
                "\"clients\" [DOMAIN_FOLDER]"}),
            lines);
}

TEST(Lint, ASkipReasonWithoutSkipOrOnFailSkipIsExplained) {
  std::vector<std::string> lines =
      LintLines({{"kb/sales/get_platform_v1_things.md",
                  WithSteps("  - id: a\n    method: GET\n    path: /platform/v1/things\n"
                            "    skipReason: \"not ready\"\n"
                            "  - id: b\n    method: GET\n    path: /platform/v1/things\n"
                            "    onFail: skip\n    skipReason: \"no data\"\n"
                            "  - id: c\n    method: GET\n    path: /platform/v1/things\n"
                            "    skip: true\n    skipReason: \"not ready\"\n")}});
  EXPECT_EQ((std::vector<std::string>{
                "kb/sales/get_platform_v1_things.md:15:5: warning: step \"a\": skipReason is the "
                "message shown when onFail: skip tolerates a failure, and this step has no onFail: "
                "skip, so it runs and the reason is never shown; add skip: true to skip the step, "
                "or onFail: skip to tolerate its failure [SKIP_REASON_WITHOUT_SKIP]"}),
            lines);
}

TEST(Lint, ChecksStepIdsMethodsStatusesOnFailAndExtractPaths) {
  std::string doc = WithSteps(
      "  - id: a\n    method: GET\n    path: /x\n"
      "  - id: a\n    method: FETCH\n    path: /x\n    expect:\n      status: [200, 999]\n"
      "    onFail: explode\n    extract:\n      v: data.id\n"
      "  - method: GET\n    path: /x\n");
  EXPECT_EQ(
      (std::vector<std::string>{
          "kb/sales/get_platform_v1_things.md:15:5: error: step \"a\": onFail must be abort, "
          "skip or continue, got \"explode\" [ON_FAIL_INVALID]",
          "kb/sales/get_platform_v1_things.md:15:5: error: step \"a\": expect.status 999 is "
          "not an HTTP status (100-599) [STATUS_CODE_INVALID]",
          "kb/sales/get_platform_v1_things.md:15:5: error: step id \"a\" is already used at "
          "line 12 [STEP_ID_DUPLICATE]",
          "kb/sales/get_platform_v1_things.md:15:5: error: step \"a\": unknown HTTP method "
          "\"FETCH\" [STEP_METHOD_INVALID]",
          "kb/sales/get_platform_v1_things.md:22:10: error: extract v: \"data.id\" is not a valid "
          "JSONPath: a query must start with '$' [EXTRACT_PATH_INVALID]",
          "kb/sales/get_platform_v1_things.md:23:5: error: step has no id [STEP_ID_MISSING]"}),
      LintLines({{"kb/sales/get_platform_v1_things.md", doc}}));
}

TEST(Lint, AHeaderExtractIsCleanAndItsMatchMustBeAValidExpression) {
  std::string doc = WithSteps(
      "  - id: a\n    method: POST\n    path: /x\n    extract:\n"
      "      id: {header: Location, match: \"([^/]+)$\"}\n"
      "      bad: {header: Location, match: \"([unclosed\"}\n");
  std::vector<std::string> lines = LintLines({{"kb/sales/get_platform_v1_things.md", doc}});
  ASSERT_EQ(1u, lines.size()) << ::testing::PrintToString(lines);
  EXPECT_NE(std::string::npos, lines[0].find(":17:")) << lines[0];
  EXPECT_NE(std::string::npos,
            lines[0].find("extract bad: match \"([unclosed\" is not a valid regular expression"))
      << lines[0];
  EXPECT_NE(std::string::npos, lines[0].find("[EXTRACT_MATCH_INVALID]")) << lines[0];
}

TEST(Lint, AnExtractDefaultShorthandWarnsWithTheCanonicalFormAndACopyIsClean) {
  std::string doc = WithSteps(
      "  - id: a\n    method: GET\n    path: /x\n    extract:\n"
      "      rule_uid: \"$.data.rules[0].uid || 'example_rule_uid'\"\n"
      "      staff_uid: \"{{staff_id}}\"\n");
  EXPECT_EQ((std::vector<std::string>{
                "kb/sales/get_platform_v1_things.md:16:18: warning: extract rule_uid: `|| "
                "\"example_rule_uid\"` is read as a default; write it as {path: "
                "\"$.data.rules[0].uid\", default: \"example_rule_uid\"} "
                "[EXTRACT_DEFAULT_SHORTHAND]"}),
            LintLines({{"kb/sales/get_platform_v1_things.md", doc}}));
}

TEST(Lint, AllowsAnIdReusedAcrossPrerequisitesAndTestRequestWithAWarning) {
  std::string doc = WithSteps("  - id: a\n    method: GET\n    path: /x\n",
                              "  - id: a\n    method: GET\n    path: /y\n");
  EXPECT_EQ((std::vector<std::string>{"kb/sales/get_platform_v1_things.md:21:5: warning: step id "
                                      "\"a\" is also used in prerequisites at line 12 "
                                      "[STEP_ID_REUSED]"}),
            LintLines({{"kb/sales/get_platform_v1_things.md", doc}}));
}

TEST(Lint, WarnsAboutVariablesWithoutASource) {
  std::string doc = WithSteps(
      "  - id: use\n    method: GET\n    path: \"/x/{{found}}/{{business_id}}/{{today_date}}\"\n"
      "    body:\n      late: \"{{made_later}}\"\n      nope: \"{{resolved.uid}}\"\n"
      "      conf: \"{{config.params.client_uid}}\"\n"
      "    extract:\n      made_later: $.id\n",
      "  - id: find\n    method: GET\n    path: /y\n    extract:\n      found: $.id\n");
  EXPECT_EQ((std::vector<std::string>{
                "kb/sales/get_platform_v1_things.md:27:14: warning: {{made_later}} in step \"use\" "
                "(body/late) is not extracted by an earlier step and is not a configured or "
                "built-in variable [UNKNOWN_VARIABLE]",
                "kb/sales/get_platform_v1_things.md:28:14: warning: {{resolved.uid}} in step "
                "\"use\" (body/nope) is not extracted by an earlier step and is not a configured "
                "or built-in variable [UNKNOWN_VARIABLE]"}),
            LintLines({{"kb/sales/get_platform_v1_things.md", doc}}));
}

TEST(Lint, ACheckMayUseItsOwnStepsExtractsButNotAVariableWithoutASource) {
  std::string doc = WithSteps(
      "  - id: create\n    method: POST\n    path: /x\n"
      "    extract:\n      new_id: $.id\n"
      "    expect:\n      headers:\n        Location: {matches: \"/x/{{new_id}}$\"}\n"
      "      body:\n        - {path: $.name, equals: \"{{sent_name}}\"}\n");
  EXPECT_EQ((std::vector<std::string>{
                "kb/sales/get_platform_v1_things.md:21:35: warning: {{sent_name}} in step "
                "\"create\" (expect/body/0/equals) is not extracted by an earlier step and is not "
                "a configured or built-in variable [UNKNOWN_VARIABLE]"}),
            LintLines({{"kb/sales/get_platform_v1_things.md", doc}}));
}

TEST(Lint, AVariableWithADefaultNeedsNoSource) {
  std::string doc = WithSteps(
      "  - id: use\n    method: GET\n    path: \"/x/{{ tenant | default: 'main' }}/{{region}}\"\n");
  std::vector<std::string> lines = LintLines({{"kb/sales/get_platform_v1_things.md", doc}});
  ASSERT_EQ(1u, lines.size());
  EXPECT_NE(std::string::npos, lines[0].find("{{region}}")) << lines[0];
}

TEST(Lint, KnownVariablesAreConfigurable) {
  std::string doc = WithSteps("  - id: use\n    method: GET\n    path: \"/x/{{tenant}}\"\n");
  LintOptions options;
  EXPECT_EQ(1u, LintLines({{"kb/sales/get_platform_v1_things.md", doc}}, options).size());
  options.known_variables.push_back("tenant");
  EXPECT_TRUE(LintLines({{"kb/sales/get_platform_v1_things.md", doc}}, options).empty());
}

TEST(Lint, ReportsDuplicateEndpointsAcrossFilesOnTheLaterFile) {
  std::string doc = WithSteps("  - id: a\n    method: GET\n    path: /x\n");
  std::vector<std::string> lines =
      LintLines({{"kb/sales/get_platform_v1_things.md", doc}, {"kb/sales/z_copy.md", doc}});
  ASSERT_EQ(2u, lines.size());
  EXPECT_EQ(
      "kb/sales/z_copy.md:2:11: warning: endpoint \"GET /platform/v1/things\" is also "
      "documented in kb/sales/get_platform_v1_things.md [DUPLICATE_ENDPOINT]",
      lines[1]);
}

}  // namespace
}  // namespace verity::kb

namespace verity::kb {
namespace {

TEST(Lint, PointsAtTheOffendingCharacterOfAnInvalidExtractPath) {
  doc::Document d = doc::ParseDocument(
      "---\nendpoint: \"GET /a\"\ndomain: d\nstatus: verified\n---\n## Test Request\n"
      "```yaml\nsteps:\n  - id: s\n    method: GET\n    path: /a\n    extract:\n"
      "      ok: \"$.data[?(@.x=='y')].id | [0]\"\n      bad: \"$.data[?@.x ==]\"\n```\n",
      "kb/d/get_a.md");
  KnowledgeBase kb{{"kb"}, {d}, PathRoots::OfRealPaths({"kb"})};
  std::vector<std::string> lines;
  for (const doc::Diagnostic& diag : Lint(kb)) lines.push_back(doc::FormatDiagnostic(diag));
  ASSERT_EQ(1u, lines.size());
  EXPECT_EQ(0u, lines[0].find("kb/d/get_a.md:14:27: error: extract bad: ")) << lines[0];
}

}  // namespace
}  // namespace verity::kb
