// `verity arazzo lint`: one small bad document per problem code, and the command's output and exit
// codes. Documents live in an in-memory file system beside the OpenAPI file their steps name.
#include "arazzo/lint.h"

#include <gtest/gtest.h>

#include <sstream>

#include "base/clock.h"
#include "base/strings.h"
#include "cli/cli.h"
#include "support/memory_file_system.h"

namespace verity::arazzo {
namespace {

constexpr const char* kApi = R"(openapi: 3.0.3
info: {title: pets, version: "1"}
paths:
  /pets/{id}:
    get:
      operationId: getPet
      responses: {"200": {description: ok}}
  /pets:
    post:
      operationId: addPet
      responses: {"201": {description: created}}
)";

// A clean document; each test replaces one part of it with a mistake.
constexpr const char* kGood = R"(arazzo: 1.0.1
info: {title: t, version: "1"}
sourceDescriptions:
  - name: api
    url: ./api.yaml
    type: openapi
workflows:
  - workflowId: main
    inputs:
      type: object
      properties: {name: {type: string}}
    steps:
      - stepId: add
        operationId: addPet
        requestBody:
          contentType: application/json
          payload: {name: $inputs.name, note: "for {$inputs.name}"}
        successCriteria:
          - condition: $statusCode == 201
        onSuccess:
          - name: next
            type: goto
            stepId: get
        outputs:
          id: $response.body#/id
      - stepId: get
        operationPath: '{$sourceDescriptions.api.url}#/paths/~1pets~1{id}/get'
        parameters:
          - name: id
            in: path
            value: $steps.add.outputs.id
          - reference: $components.parameters.trace
        successCriteria:
          - context: $response.body
            condition: $[?@.name]
            type: jsonpath
        outputs:
          pet: $response.body
    outputs:
      pet: $steps.get.outputs.pet
  - workflowId: again
    dependsOn: [main]
    steps:
      - stepId: run
        workflowId: main
        outputs:
          pet: $outputs.pet
components:
  parameters:
    trace:
      name: X-Trace
      in: header
      value: "1"
)";

class ArazzoLintTest : public ::testing::Test {
 protected:
  ArazzoLintTest() { fs_.Add("/w/api.yaml", kApi); }

  // The codes of the problems of `text`, where `from` in the good document is replaced by `to`.
  std::vector<std::string> Codes(const std::string& from, const std::string& to) {
    std::string text = kGood;
    size_t at = text.find(from);
    EXPECT_NE(std::string::npos, at) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return CodesOf(text);
  }
  std::vector<std::string> CodesOf(const std::string& text) {
    fs_.Add("/w/wf.arazzo.yaml", text);
    problems_ = LintFile(fs_, "/w/wf.arazzo.yaml");
    std::vector<std::string> codes;
    for (const Problem& p : problems_) codes.push_back(p.code);
    return codes;
  }
  std::string Messages() const {
    std::string all;
    for (const Problem& p : problems_) all += FormatProblem(p) + "\n";
    return all;
  }

  testing::MemoryFileSystem fs_;
  std::vector<Problem> problems_;
};

using CodeList = std::vector<std::string>;

TEST_F(ArazzoLintTest, TheGoodDocumentIsClean) {
  EXPECT_EQ(CodeList{}, CodesOf(kGood)) << Messages();
}

TEST_F(ArazzoLintTest, TextThatIsNotYamlIsOneProblem) {
  EXPECT_EQ(CodeList{"ARAZZO_YAML"}, CodesOf("arazzo: [1.0.1\n"));
}

TEST_F(ArazzoLintTest, AJsonDocumentIsCheckedWithPositionsToo) {
  fs_.Add("/w/wf.arazzo.json",
          "{\"arazzo\": \"1.0.1\", \"info\": {\"title\": \"t\", \"version\": \"1\"},\n"
          " \"sourceDescriptions\": [{\"name\": \"api\", \"url\": \"api.yaml\"}],\n"
          " \"workflows\": [{\"workflowId\": \"w\", \"steps\": [\n"
          "   {\"stepId\": \"s\", \"operationId\": \"getPets\"}]}]}\n");
  problems_ = LintFile(fs_, "/w/wf.arazzo.json");
  ASSERT_EQ(1u, problems_.size()) << Messages();
  EXPECT_EQ("ARAZZO_OPERATION_UNRESOLVED", problems_[0].code);
  EXPECT_EQ(4u, problems_[0].pos.line);
  EXPECT_EQ(35u, problems_[0].pos.col);  // the opening quote
}

TEST_F(ArazzoLintTest, AFileThatCannotBeReadIsOneProblem) {
  problems_ = LintFile(fs_, "/w/none.yaml");
  ASSERT_EQ(1u, problems_.size());
  EXPECT_EQ("ARAZZO_READ", problems_[0].code);
}

TEST_F(ArazzoLintTest, AWrongTypeIsReportedWhereItIsWritten) {
  EXPECT_EQ(CodeList{"ARAZZO_TYPE"}, Codes("dependsOn: [main]", "dependsOn: main"));
  EXPECT_EQ(42u, problems_[0].pos.line) << Messages();
}

TEST_F(ArazzoLintTest, AnUnknownKeyNamesTheNearestKnownOne) {
  EXPECT_EQ(CodeList{"ARAZZO_UNKNOWN_KEY"},
            Codes("successCriteria:\n          - condition: $statusCode == 201",
                  "successCriterias:\n          - condition: $statusCode == 201"));
  EXPECT_NE(std::string::npos, Messages().find("did you mean \"successCriteria\"")) << Messages();
}

TEST_F(ArazzoLintTest, ExtensionsAreKeptQuiet) {
  EXPECT_EQ(CodeList{},
            Codes("  - workflowId: main\n", "  - workflowId: main\n    x-owner: team\n"));
}

TEST_F(ArazzoLintTest, ARequiredFieldThatIsMissingIsReported) {
  EXPECT_EQ(CodeList{"ARAZZO_MISSING"},
            Codes("info: {title: t, version: \"1\"}", "info: {title: t}"));
}

TEST_F(ArazzoLintTest, AnUnsupportedVersionIsReported) {
  EXPECT_EQ(CodeList{"ARAZZO_VERSION"}, Codes("arazzo: 1.0.1", "arazzo: 2.0.0"));
}

TEST_F(ArazzoLintTest, AValueOutsideItsEnumerationIsReported) {
  EXPECT_EQ(CodeList{"ARAZZO_INVALID_VALUE"}, Codes("in: path", "in: body"));
}

TEST_F(ArazzoLintTest, AStepNeedsExactlyOneTarget) {
  EXPECT_EQ(CodeList{"ARAZZO_STEP_TARGET"},
            Codes("operationId: addPet", "operationId: addPet\n        workflowId: main"));
}

TEST_F(ArazzoLintTest, AGotoNeedsOneTarget) {
  EXPECT_EQ(CodeList{"ARAZZO_ACTION_TARGET"}, Codes("            stepId: get\n", ""));
}

TEST_F(ArazzoLintTest, AReferenceToAMissingComponentIsReported) {
  EXPECT_EQ(CodeList{"ARAZZO_REFERENCE_UNRESOLVED"},
            Codes("$components.parameters.trace", "$components.parameters.trac"));
}

TEST_F(ArazzoLintTest, AResolvedReferenceBringsTheComponentsParameter) {
  fs_.Add("/w/wf.arazzo.yaml", kGood);
  LoadResult loaded = LoadDocument("/w/wf.arazzo.yaml", kGood);
  ASSERT_TRUE(loaded.document.has_value());
  const Step& get = loaded.document->workflows[0].steps[1];
  ASSERT_EQ(2u, get.parameters.size());
  EXPECT_EQ("X-Trace", get.parameters[1].name);
  EXPECT_EQ("header", get.parameters[1].in);
}

TEST_F(ArazzoLintTest, ADuplicateStepIdIsReported) {
  EXPECT_EQ(CodeList{"ARAZZO_DUPLICATE_ID"},
            Codes("      - stepId: get\n",
                  "      - stepId: add\n        operationId: getPet\n      - stepId: get\n"))
      << Messages();
}

TEST_F(ArazzoLintTest, ADuplicateWorkflowIdIsReported) {
  CodeList codes = Codes("workflowId: again", "workflowId: main");
  EXPECT_EQ(CodeList{"ARAZZO_DUPLICATE_ID"}, codes) << Messages();
}

TEST_F(ArazzoLintTest, AnUnreadableSourceIsAWarningAndLeavesStepsUnchecked) {
  EXPECT_EQ(CodeList{"ARAZZO_SOURCE_UNREADABLE"}, Codes("./api.yaml", "./gone.yaml"));
  EXPECT_FALSE(problems_[0].is_error());
}

TEST_F(ArazzoLintTest, ASourceThatIsNotOpenApiIsReported) {
  fs_.Add("/w/api.yaml", "hello: world\n");
  EXPECT_EQ(CodeList{"ARAZZO_SOURCE_INVALID"}, CodesOf(kGood));
}

TEST_F(ArazzoLintTest, AnUnknownSourceNameIsReported) {
  EXPECT_EQ(CodeList{"ARAZZO_SOURCE_UNKNOWN"},
            Codes("operationId: addPet", "operationId: $sourceDescriptions.apis.addPet"));
  EXPECT_NE(std::string::npos, Messages().find("did you mean \"api\"")) << Messages();
}

TEST_F(ArazzoLintTest, AnOperationIdTheSourceLacksIsReported) {
  EXPECT_EQ(CodeList{"ARAZZO_OPERATION_UNRESOLVED"},
            Codes("operationId: addPet", "operationId: addPets"));
  EXPECT_EQ(CodeList{"ARAZZO_OPERATION_UNRESOLVED"},
            Codes("operationId: addPet", "operationId: $sourceDescriptions.api.removePet"));
}

TEST_F(ArazzoLintTest, AnOperationIdThatDiffersOnlyInCaseIsAWarning) {
  EXPECT_EQ(CodeList{"ARAZZO_OPERATION_CASE"}, Codes("operationId: addPet", "operationId: AddPet"));
}

TEST_F(ArazzoLintTest, AnOperationPathThatPointsNowhereIsReported) {
  EXPECT_EQ(CodeList{"ARAZZO_OPERATION_UNRESOLVED"}, Codes("~1pets~1{id}/get", "~1pets~1{id}/put"));
}

TEST_F(ArazzoLintTest, AnOperationPathWithoutASourceUrlIsReported) {
  EXPECT_EQ(CodeList{"ARAZZO_OPERATION_PATH"}, Codes("'{$sourceDescriptions.api.url}#/paths",
                                                     "'{$sourceDescriptions.api.name}#/paths"));
}

TEST_F(ArazzoLintTest, AWorkflowIdThatNamesNothingIsReported) {
  EXPECT_EQ(CodeList{"ARAZZO_WORKFLOW_UNRESOLVED"},
            Codes("workflowId: main\n        outputs", "workflowId: mainn\n        outputs"));
  EXPECT_NE(std::string::npos, Messages().find("did you mean \"main\"")) << Messages();
  EXPECT_EQ(CodeList{"ARAZZO_WORKFLOW_UNRESOLVED"},
            Codes("dependsOn: [main]", "dependsOn: [nope]"));
}

TEST_F(ArazzoLintTest, AWorkflowOfAnArazzoSourceIsLookedUpThere) {
  fs_.Add("/w/other.arazzo.yaml",
          "arazzo: 1.0.1\ninfo: {title: o, version: '1'}\nsourceDescriptions:\n"
          "  - {name: api, url: ./api.yaml}\nworkflows:\n"
          "  - workflowId: login\n    steps:\n      - {stepId: s, operationId: getPet}\n");
  std::string with_source = kGood;
  with_source.replace(
      with_source.find("workflows:"), 10,
      "  - name: other\n    url: ./other.arazzo.yaml\n    type: arazzo\nworkflows:");
  std::string good = with_source;
  good.replace(good.find("workflowId: main\n        outputs"), 16,
               "workflowId: $sourceDescriptions.other.login");
  EXPECT_EQ(CodeList{}, CodesOf(good)) << Messages();
  std::string bad = with_source;
  bad.replace(bad.find("workflowId: main\n        outputs"), 16,
              "workflowId: $sourceDescriptions.other.logout");
  EXPECT_EQ(CodeList{"ARAZZO_WORKFLOW_UNRESOLVED"}, CodesOf(bad)) << Messages();
}

TEST_F(ArazzoLintTest, AGotoToAStepThatDoesNotExistIsReported) {
  EXPECT_EQ(CodeList{"ARAZZO_GOTO_UNRESOLVED"},
            Codes("stepId: get\n        outputs", "stepId: got\n        outputs"));
}

TEST_F(ArazzoLintTest, ACriterionThatDoesNotParseIsReportedAtItsColumn) {
  EXPECT_EQ(CodeList{"ARAZZO_CRITERION"}, Codes("$statusCode == 201", "$statusCode = 201"));
  EXPECT_EQ(36u, problems_[0].pos.col) << Messages();
  EXPECT_EQ(CodeList{"ARAZZO_CRITERION"}, Codes("$[?@.name]", "$[?@.name"));
}

TEST_F(ArazzoLintTest, ARegexCriterionIsCompiled) {
  EXPECT_EQ(CodeList{"ARAZZO_CRITERION"}, Codes("condition: $[?@.name]\n            type: jsonpath",
                                                "condition: '(a'\n            type: regex"));
}

TEST_F(ArazzoLintTest, AnXPathCriterionIsReportedUnsupported) {
  EXPECT_EQ(CodeList{"ARAZZO_UNSUPPORTED"},
            Codes("type: jsonpath", "type: {type: xpath, version: xpath-30}"));
  EXPECT_FALSE(problems_[0].is_error());
}

TEST_F(ArazzoLintTest, AnExpressionThatDoesNotParseIsReported) {
  EXPECT_EQ(CodeList{"ARAZZO_EXPRESSION"}, Codes("$response.body#/id", "$response.bdy#/id"));
  EXPECT_EQ(CodeList{"ARAZZO_EXPRESSION"}, Codes("for {$inputs.name}", "for {$input.name}"));
  EXPECT_EQ(CodeList{"ARAZZO_EXPRESSION"}, Codes("pet: $response.body\n", "pet: response.body\n"));
}

TEST_F(ArazzoLintTest, AStepOutputNeverDefinedIsAWarning) {
  EXPECT_EQ(CodeList{"ARAZZO_OUTPUT_UNDEFINED"},
            Codes("$steps.add.outputs.id", "$steps.add.outputs.uid"));
  EXPECT_FALSE(problems_[0].is_error());
  EXPECT_EQ(CodeList{"ARAZZO_OUTPUT_UNDEFINED"}, Codes("$steps.get.outputs.pet", "$steps.get.pet"));
  EXPECT_EQ(CodeList{"ARAZZO_OUTPUT_UNDEFINED"}, Codes("$outputs.pet", "$outputs.pets"));
}

TEST_F(ArazzoLintTest, AStepThatDoesNotExistIsReported) {
  EXPECT_EQ(CodeList{"ARAZZO_STEP_UNKNOWN"},
            Codes("$steps.add.outputs.id", "$steps.ad.outputs.id"));
}

// The command itself: the format of `verity kb lint` and its exit codes.
class ArazzoLintCliTest : public ArazzoLintTest {
 protected:
  int Run(std::vector<std::string> args) {
    out_.str(""), err_.str("");
    cli::Context ctx{out_, err_, fs_, clock_};
    return cli::Run(args, ctx);
  }
  FakeClock clock_{0};
  std::ostringstream out_, err_;
};

TEST_F(ArazzoLintCliTest, ACleanDocumentExitsZero) {
  fs_.Add("/w/wf.arazzo.yaml", kGood);
  EXPECT_EQ(cli::kExitOk, Run({"arazzo", "lint", "/w/wf.arazzo.yaml"}));
  EXPECT_EQ("1 document checked: 0 errors, 0 warnings\n", out_.str());
}

TEST_F(ArazzoLintCliTest, ProblemsPrintWithFileLineAndColumnAndExitOne) {
  std::string bad = kGood;
  bad.replace(bad.find("addPet"), 6, "addPets");
  fs_.Add("/w/bad.arazzo.yaml", bad);
  fs_.Add("/w/wf.arazzo.yaml", kGood);
  EXPECT_EQ(cli::kExitFindings,
            Run({"arazzo", "lint", "/w/bad.arazzo.yaml", "/w/none.yaml", "/w/wf.arazzo.yaml"}));
  EXPECT_NE(std::string::npos,
            out_.str().find("/w/bad.arazzo.yaml:14:22: error: step \"add\": no operation has "
                            "operationId \"addPets\"; did you mean \"addPet\"? "
                            "[ARAZZO_OPERATION_UNRESOLVED]\n"))
      << out_.str();
  EXPECT_NE(std::string::npos, out_.str().find("[ARAZZO_READ]")) << out_.str();
  EXPECT_NE(std::string::npos, out_.str().find("3 documents checked: 2 errors, 0 warnings\n"))
      << out_.str();
}

TEST_F(ArazzoLintCliTest, WarningsAloneExitZeroAndJsonListsThem) {
  std::string warned = kGood;
  warned.replace(warned.find("./api.yaml"), 10, "./gone.yaml");
  fs_.Add("/w/wf.arazzo.yaml", warned);
  EXPECT_EQ(cli::kExitOk, Run({"arazzo", "lint", "--format", "json", "/w/wf.arazzo.yaml"}));
  Json out = Json::parse(out_.str());
  ASSERT_EQ(1u, out.size());
  EXPECT_EQ("warning", out[0]["severity"]);
  EXPECT_EQ("ARAZZO_SOURCE_UNREADABLE", out[0]["code"]);
}

}  // namespace
}  // namespace verity::arazzo
