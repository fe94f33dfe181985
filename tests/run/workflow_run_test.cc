// Recipes that are workflows (docs/workflow-format.md, "Workflows"): Arazzo success criteria with
// what they saw when they fail, runtime-expression extracts, onSuccess/onFailure actions (end,
// goto, retry), and useWorkflow steps with inputs and outputs, all through the executor.
#include <gtest/gtest.h>

#include "doc/parser.h"
#include "run/executor_fixture.h"

namespace verity::run::testing {
namespace {

std::string Workflow(const std::string& frontmatter, const std::string& steps) {
  return "---\nendpoint: \"GET /v1/pets\"\n" + frontmatter +
         "---\n# A workflow\n\n## Test Request\n\n```yaml\nsteps:\n" + steps + "```\n";
}

TEST_F(ExecutorTest, AFailedCriterionShowsTheValueOfEachExpressionInIt) {
  transport.Script("GET", "*/v1/pets/7", Reply(200, R"({"status":"sold","id":7})"));
  AddDoc("pets/read.md", Workflow("workflow: read\n", R"(  - id: read
    method: GET
    path: /v1/pets/7
    expect:
      criteria:
        - condition: $statusCode == 200 && $response.body#/status == 'available'
)"));
  DocumentResult d = Only(RunAll());
  ASSERT_EQ(Outcome::kFail, d.outcome);
  EXPECT_EQ("CHECK_FAILED", d.steps.at(0).reason);
  EXPECT_EQ(
      "check at line 16 failed: criterion $statusCode == 200 && $response.body#/status == "
      "'available': the condition is false; got $statusCode = 200, $response.body#/status = "
      "\"sold\"",
      d.steps.at(0).message);
}

TEST_F(ExecutorTest, RegexAndJsonPathCriteriaReadTheirContext) {
  transport.Script("POST", "*/v1/pets",
                   Reply(201, R"({"tags":[{"name":"cute"}]})", {{"Location", "/v1/pets/9"}}));
  AddDoc("pets/create.md", Workflow("workflow: create\n", R"(  - id: create
    method: POST
    path: /v1/pets
    body: {name: Rex}
    expect:
      status: 201
      criteria:
        - {context: $response.header.Location, condition: "^/v1/pets/[0-9]+$", type: regex}
        - {context: $response.body, condition: "$.tags[?@.name == 'cute']", type: jsonpath}
        - {condition: "$request.body#/name == 'rex'"}
)"));
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(Outcome::kPass, d.outcome) << d.message;
  ASSERT_EQ(3u, d.steps.at(0).checks.size());
  for (const CheckResult& c : d.steps.at(0).checks) EXPECT_TRUE(c.passed) << c.message;
}

TEST_F(ExecutorTest, RuntimeExpressionExtractsReadTheStatusHeadersAndBody) {
  transport.Script("POST", "*/v1/pets", Reply(201, R"([{"id":4}])", {{"Location", "/v1/pets/4"}}));
  transport.Script("GET", "*/v1/pets/4", Reply(200, R"({"id":4})"));
  AddDoc("pets/create.md", Workflow("workflow: create\n", R"(  - id: create
    method: POST
    path: /v1/pets
    expect: {status: 201}
    extract:
      steps.create.outputs.id: $response.body#/0/id
      steps.create.outputs.where: $response.header.location
      steps.create.outputs.status: $statusCode
  - id: read
    method: GET
    path: /v1/pets/{{steps.create.outputs.id}}
)"));
  DocumentResult d = Only(RunAll());
  ASSERT_EQ(Outcome::kPass, d.outcome) << d.message;
  EXPECT_EQ(Json(4), d.steps.at(0).extracted["steps.create.outputs.id"]);
  EXPECT_EQ(Json("/v1/pets/4"), d.steps.at(0).extracted["steps.create.outputs.where"]);
  EXPECT_EQ(Json(201), d.steps.at(0).extracted["steps.create.outputs.status"]);
}

TEST_F(ExecutorTest, AnOnSuccessGotoWhoseCriteriaHoldSkipsAheadAndEndStopsTheWorkflow) {
  transport.Script("GET", "*/v1/check", Reply(200, R"({"eligible":false})"));
  transport.Script("GET", "*/v1/refuse", Reply(200, "{}"));
  AddDoc("pets/flow.md", Workflow("workflow: flow\n", R"(  - id: check
    method: GET
    path: /v1/check
    onSuccess:
      - {name: eligible, type: goto, stepId: buy, criteria: [{condition: "$response.body#/eligible == true"}]}
      - {name: notEligible, type: goto, stepId: refuse}
  - id: buy
    method: POST
    path: /v1/buy
  - id: refuse
    method: GET
    path: /v1/refuse
    onSuccess: [{name: done, type: end}]
  - id: never
    method: GET
    path: /v1/never
)"));
  DocumentResult d = Only(RunAll());
  ASSERT_EQ(Outcome::kPass, d.outcome) << d.message;
  ASSERT_EQ(2u, d.steps.size());
  EXPECT_EQ("check", d.steps[0].id);
  EXPECT_EQ("onSuccess action notEligible: goto \"refuse\"", d.steps[0].message);
  EXPECT_EQ("refuse", d.steps[1].id);
  EXPECT_EQ(2u, transport.requests().size());
}

TEST_F(ExecutorTest, AnOnFailureRetrySendsTheStepAgainUpToItsLimitThenFails) {
  transport.Script("GET", "*/v1/job", Reply(202, R"({"state":"running"})"), 2);
  transport.Script("GET", "*/v1/job", Reply(200, R"({"state":"done"})"));
  AddDoc("pets/poll.md", Workflow("workflow: poll\n", R"(  - id: poll
    method: GET
    path: /v1/job
    expect: {status: 200}
    onFailure: [{name: wait, type: retry, retryAfter: 0.5, retryLimit: 3}]
)"));
  DocumentResult d = Only(RunAll());
  ASSERT_EQ(Outcome::kPass, d.outcome) << d.message;
  ASSERT_EQ(3u, d.steps.size());
  EXPECT_EQ(Outcome::kSkip, d.steps[0].outcome);
  EXPECT_NE(std::string::npos, d.steps[0].message.find("tried again (1 of 3"));
  EXPECT_EQ(Outcome::kPass, d.steps[2].outcome);
  EXPECT_GE(ticker.NowMs(), 2000) << "two waits of retryAfter, from 1000";
}

TEST_F(ExecutorTest, ARetryThatRunsOutOfTriesFailsTheWorkflow) {
  transport.Script("GET", "*/v1/job", Reply(503, "{}"));
  settings.retry.max_retries = 0;
  AddDoc("pets/poll.md", Workflow("workflow: poll\n", R"(  - id: poll
    method: GET
    path: /v1/job
    onFailure: [{type: retry, retryLimit: 1}]
)"));
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(Outcome::kFail, d.outcome);
  EXPECT_EQ(2u, transport.requests().size());
  EXPECT_NE(std::string::npos, d.message.find("retried 1 time"));
}

TEST_F(ExecutorTest, AGotoLoopIsCutOffWithFlowAction) {
  transport.Script("GET", "*/v1/poll", Reply(200, "{}"));
  AddDoc("pets/loop.md", Workflow("workflow: loop\n", R"(  - id: poll
    method: GET
    path: /v1/poll
    onSuccess: [{type: goto, stepId: poll}]
)"));
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(Outcome::kFail, d.outcome);
  EXPECT_EQ("FLOW_ACTION", d.reason);
  EXPECT_EQ(1001u, transport.requests().size());
}

TEST_F(ExecutorTest, AUseWorkflowStepGivesInputsAndReadsTheOutputsHandedBack) {
  transport.Script("POST", "*/v1/orders", Reply(200, R"({"id":"o-1"})"));
  AddDoc("pets/place.md",
         "---\nendpoint: \"POST /v1/orders\"\nworkflow: place-order\n"
         "outputs:\n  order_id: \"{{steps.place.outputs.id}}\"\n---\n# Place\n\n"
         "## Test Request\n\n```yaml\nsteps:\n  - id: place\n    method: POST\n"
         "    path: /v1/orders\n    body: {petId: \"{{inputs.pet_id}}\"}\n"
         "    extract:\n      steps.place.outputs.id: $response.body#/id\n```\n");
  AddDoc("pets/buy.md",
         Workflow("workflow: buy\noutputs:\n  bought: \"{{steps.order.outputs.order}}\"\n",
                  R"(  - id: order
    useWorkflow: place-order
    with: {pet_id: 12}
    extract:
      steps.order.outputs.order: $outputs.order_id
)"));
  Selection only_buy;
  only_buy.targets = {"kb/pets/buy.md"};
  DocumentResult d = Only(RunAll(only_buy));
  ASSERT_EQ(Outcome::kPass, d.outcome) << d.message;
  EXPECT_EQ(Json("o-1"), d.steps.at(0).extracted["steps.order.outputs.order"]);
  ASSERT_EQ(1u, transport.requests().size());
  EXPECT_EQ(R"({"petId":12})", transport.requests()[0].body) << "the input keeps its type";
}

TEST_F(ExecutorTest, AWorkflowStartsWithTheRunsInputs) {
  transport.Script("GET", "*/v1/pets?tag=cute", Reply(200, "[]"));
  settings.inputs = {{"tag", "cute"}};
  AddDoc("pets/find.md", Workflow("workflow: find\n", R"(  - id: find
    method: GET
    path: /v1/pets
    params: {tag: "{{inputs.tag}}"}
)"));
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(Outcome::kPass, d.outcome) << d.message;
}

TEST(WorkflowParseTest, CriteriaAndActionsThatCannotWorkAreReportedWhereWritten) {
  doc::Document d = doc::ParseDocument(
      "---\nendpoint: \"GET /v1/a\"\n---\n# A\n\n## Test Request\n\n```yaml\nsteps:\n"
      "  - id: a\n    method: GET\n    path: /v1/a\n    expect:\n      criteria:\n"
      "        - condition: $statusCode ==\n"
      "        - {condition: x, type: xpath, context: $response.body}\n"
      "        - {condition: \"$.a\", type: jsonpath}\n"
      "    onSuccess: [{type: retry}]\n"
      "    onFailure: [{type: goto}, {type: goto, workflowId: w}]\n"
      "    extract:\n      x: $response.bodyy\n```\n",
      "kb/a.md");
  std::vector<std::string> codes;
  for (const doc::Diagnostic& diagnostic : d.diagnostics)
    codes.push_back(diagnostic.code + ":" + std::to_string(diagnostic.pos.line));
  EXPECT_EQ(
      (std::vector<std::string>{"CRITERION_INVALID:15", "CRITERION_UNSUPPORTED:16",
                                "CRITERION_INVALID:17", "ACTION_INVALID:18", "ACTION_INVALID:19",
                                "ACTION_UNSUPPORTED:19", "EXTRACT_EXPRESSION_INVALID:21"}),
      codes);
}

}  // namespace
}  // namespace verity::run::testing
