// Arazzo workflows as recipes: each mapping rule of docs/arazzo.md ("Workflows as recipes") on a
// small document over a small OpenAPI description. The recipe's frontmatter and step block are
// read back with the YAML reader, so the tests also prove that what is written is valid YAML that
// means exactly the values intended.
#include "arazzo/recipes.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/yaml.h"
#include "base/yaml_json.h"
#include "support/memory_file_system.h"

namespace verity::arazzo {
namespace {

using ::testing::HasSubstr;

constexpr const char* kApi = R"(openapi: 3.0.3
info: {title: pets, version: "1"}
servers:
  - url: "https://{region}.pets.example/v2"
    variables:
      region: {default: eu}
paths:
  /pets:
    get:
      operationId: listPets
      parameters:
        - {name: status, in: query}
        - {$ref: "#/components/parameters/Trace"}
      responses: {"200": {description: ok}}
    post:
      operationId: addPet
      requestBody:
        content:
          application/json: {schema: {type: object}}
      responses: {"201": {description: ok}}
  /pets/{petId}/tags/{tag}:
    get:
      operationId: getPetTag
      responses: {"200": {description: ok}}
  /login:
    post:
      operationId: login
      requestBody:
        content:
          application/x-www-form-urlencoded: {schema: {type: object}}
      responses: {"200": {description: ok}}
  /upload:
    post:
      operationId: upload
      requestBody:
        content:
          application/xml: {schema: {type: object}}
      responses: {"200": {description: ok}}
components:
  parameters:
    Trace: {name: X-Trace, in: header, schema: {type: string}}
)";

constexpr const char* kHead = R"(arazzo: 1.0.1
info: {title: t, version: "1"}
sourceDescriptions:
  - {name: pets, url: ./api.yaml}
)";

struct Recipe {
  Json front;
  Json steps;
  std::string text;
  std::vector<Problem> problems;
};

Json YamlJson(std::string_view text) {
  yaml::LoadResult r = yaml::Load(text);
  EXPECT_TRUE(r.errors.empty()) << text;
  return r.root ? yaml::ToJson(*r.root) : Json();
}

Recipe Parse(const WorkflowRecipe& w) {
  Recipe out;
  out.text = w.text;
  out.problems = w.problems;
  if (w.text.empty()) return out;
  size_t end = w.text.find("\n---\n", 4);
  out.front = YamlJson(w.text.substr(4, end - 3));
  size_t open = w.text.find("```yaml\n");
  size_t close = w.text.find("```\n", open + 8);
  out.steps = YamlJson(w.text.substr(open + 8, close - open - 8))["steps"];
  return out;
}

class RecipesTest : public ::testing::Test {
 protected:
  Conversion Convert(const std::string& workflows) {
    fs_.Add("/w/api.yaml", kApi);
    fs_.Add("/w/flow.arazzo.yaml", std::string(kHead) + workflows);
    LoadResult loaded = LoadDocument("/w/flow.arazzo.yaml", fs_.Get("/w/flow.arazzo.yaml"));
    for (const Problem& p : loaded.problems) ADD_FAILURE() << FormatProblem(p);
    return ConvertDocument(fs_, *loaded.document);
  }
  // The one workflow's recipe.
  Recipe One(const std::string& workflows) {
    Conversion c = Convert(workflows);
    EXPECT_EQ(1u, c.workflows.size());
    return Parse(c.workflows.at(0));
  }
  static std::string Codes(const Recipe& r) {
    std::string out;
    for (const Problem& p : r.problems)
      out += (out.empty() ? "" : " ") + fmt::format("{}:{}:{}", p.pos.line, p.pos.col, p.code);
    return out;
  }

  testing::MemoryFileSystem fs_;
};

TEST_F(RecipesTest, AnOperationIdGivesMethodAndPathWithPathParametersFilledIn) {
  Recipe r = One(R"(workflows:
  - workflowId: tag
    steps:
      - stepId: read
        operationId: getPetTag
        parameters:
          - {name: petId, in: path, value: $inputs.pet#/id}
          - {name: tag, in: path, value: 7}
)");
  ASSERT_FALSE(r.text.empty()) << Codes(r);
  EXPECT_EQ("GET", r.steps[0]["method"]);
  EXPECT_EQ("/v2/pets/{{inputs.pet.id}}/tags/7", r.steps[0]["path"])
      << "the server's own path first, as the spec catalog matches operations";
  EXPECT_EQ("GET /v2/pets/{petId}/tags/{tag}", r.front["endpoint"]);
}

TEST_F(RecipesTest, APathPlaceholderNoParameterFillsIsSentAsWrittenWithAWarning) {
  Recipe r = One(R"(workflows:
  - workflowId: tag
    steps:
      - stepId: read
        operationId: getPetTag
        parameters:
          - {name: pet-id, in: path, value: 3}
)");
  ASSERT_FALSE(r.text.empty()) << Codes(r);
  EXPECT_EQ("/v2/pets/3/tags/{tag}", r.steps[0]["path"]);
  ASSERT_EQ("11:13:ARAZZO_RECIPE_PARAMETER 8:9:ARAZZO_RECIPE_PARAMETER", Codes(r));
  EXPECT_THAT(r.problems[0].message, HasSubstr("\"pet-id\" is taken for {petId}"));
  EXPECT_THAT(r.problems[1].message, HasSubstr("no parameter gives {tag} a value"));
}

TEST_F(RecipesTest, AnOperationPathPointsAtTheOperation) {
  Recipe r = One(R"(workflows:
  - workflowId: add
    steps:
      - stepId: add
        operationPath: "{$sourceDescriptions.pets.url}#/paths/~1pets/post"
)");
  ASSERT_FALSE(r.text.empty()) << Codes(r);
  EXPECT_EQ("POST", r.steps[0]["method"]);
  EXPECT_EQ("/v2/pets", r.steps[0]["path"]);
}

TEST_F(RecipesTest, QueryHeaderAndCookieParametersGoWhereTheySay) {
  Recipe s = One(R"(workflows:
  - workflowId: list
    parameters:
      - {name: status, in: query, value: sold}
      - {name: X-Api-Key, in: header, value: $inputs.apiKey}
    steps:
      - stepId: list
        operationId: $sourceDescriptions.pets.listPets
        parameters:
          - {name: status, in: query, value: available}
          - {name: limit, in: query, value: 10}
          - {name: X-Trace, value: "run {$inputs.run}"}
          - {name: session, in: cookie, value: abc}
          - {name: lang, in: cookie, value: en}
)");
  ASSERT_FALSE(s.text.empty()) << Codes(s);
  // The step's own `status` wins over the workflow's; a parameter without `in` is sent where the
  // operation declares it (X-Trace: a header, through a $ref).
  EXPECT_EQ(Json::parse(R"({"status": "available", "limit": 10})"), s.steps[0]["params"]);
  EXPECT_EQ(Json::parse(R"({"X-Api-Key": "{{inputs.apiKey}}", "X-Trace": "run {{inputs.run}}",
                            "Cookie": "session=abc; lang=en"})"),
            s.steps[0]["headers"]);
}

TEST_F(RecipesTest, StatusCriteriaBecomeTheStatusListAndTheOthersStayCriteria) {
  Recipe r = One(R"(workflows:
  - workflowId: list
    steps:
      - stepId: list
        operationId: listPets
        successCriteria:
          - condition: $statusCode == 200 || $statusCode == 201
          - condition: $response.body#/0/status == 'available'
          - {context: $response.body, condition: "$[?@.id > 0]", type: jsonpath}
          - {context: $response.header.Location, condition: "^/pets/", type: regex}
          - context: $response.body
            condition: $.x
            type: {type: jsonpath, version: draft-goessner-dispatch-jsonpath-00}
)");
  ASSERT_FALSE(r.text.empty()) << Codes(r);
  EXPECT_EQ(Json::parse(R"({"status": [200, 201], "criteria": [
      {"condition": "$response.body#/0/status == 'available'"},
      {"context": "$response.body", "condition": "$[?@.id > 0]", "type": "jsonpath"},
      {"context": "$response.header.Location", "condition": "^/pets/", "type": "regex"},
      {"context": "$response.body", "condition": "$.x",
       "type": {"type": "jsonpath", "version": "draft-goessner-dispatch-jsonpath-00"}}]})"),
            r.steps[0]["expect"]);
}

TEST_F(RecipesTest, AStatusConditionOfAnotherShapeKeepsEveryStatusCriterionAsWritten) {
  Recipe r = One(R"(workflows:
  - workflowId: list
    steps:
      - stepId: list
        operationId: listPets
        successCriteria:
          - condition: $statusCode == 200
          - condition: $statusCode < 300
)");
  ASSERT_FALSE(r.text.empty()) << Codes(r);
  EXPECT_EQ(Json::parse(R"({"criteria": [{"condition": "$statusCode == 200"},
                                         {"condition": "$statusCode < 300"}]})"),
            r.steps[0]["expect"]);
}

TEST_F(RecipesTest, OutputsBecomeExtractsNamedAfterTheStepAndActionsAreKeptWithComponents) {
  Recipe r = One(R"(components:
  failureActions:
    again: {name: again, type: retry, retryAfter: 1, retryLimit: 3}
workflows:
  - workflowId: list
    steps:
      - stepId: find-pet
        operationId: listPets
        outputs:
          my_pet_id: $response.body#/0/id
          where: $response.header.Location
        onSuccess:
          - name: done
            type: end
            criteria: [{condition: $statusCode == 200}]
        onFailure:
          - reference: $components.failureActions.again
          - {name: other, type: goto, stepId: find-pet}
)");
  ASSERT_FALSE(r.text.empty()) << Codes(r);
  EXPECT_EQ(Json::parse(R"({"steps.find-pet.outputs.my_pet_id": "$response.body#/0/id",
                            "steps.find-pet.outputs.where": "$response.header.Location"})"),
            r.steps[0]["extract"]);
  EXPECT_EQ(Json::parse(R"([{"name": "done", "type": "end",
                             "criteria": [{"condition": "$statusCode == 200"}]}])"),
            r.steps[0]["onSuccess"]);
  EXPECT_EQ(Json::parse(R"([{"name": "again", "type": "retry", "retryAfter": 1.0, "retryLimit": 3},
                            {"name": "other", "type": "goto", "stepId": "find-pet"}])"),
            r.steps[0]["onFailure"]);
}

TEST_F(RecipesTest, AWorkflowStepRunsTheWorkflowWithItsInputsAndTakesItsEndpoint) {
  Conversion c = Convert(R"(workflows:
  - workflowId: outer
    steps:
      - stepId: find
        operationId: listPets
        outputs: {id: $response.body#/0/id}
      - stepId: add
        workflowId: inner
        parameters:
          - {name: pet_id, value: $steps.find.outputs.id}
        outputs: {order: $outputs.order_id}
    outputs:
      order: $steps.add.outputs.order
  - workflowId: inner
    steps:
      - stepId: add
        operationId: addPet
        outputs: {id: $response.body#/id}
    outputs:
      order_id: $steps.add.outputs.id
)");
  ASSERT_EQ(2u, c.workflows.size());
  Recipe r = Parse(c.workflows[0]);
  ASSERT_FALSE(r.text.empty()) << Codes(r);
  EXPECT_EQ(Json::parse(R"({"id": "add", "useWorkflow": "inner",
                            "with": {"pet_id": "{{steps.find.outputs.id}}"},
                            "extract": {"steps.add.outputs.order": "$outputs.order_id"}})"),
            r.steps[1]);
  EXPECT_EQ("POST /v2/pets", r.front["endpoint"]) << "the endpoint of the workflow run last";
  EXPECT_EQ(Json::parse(R"({"order": "{{steps.add.outputs.order}}"})"), r.front["outputs"]);
}

TEST_F(RecipesTest, ThePayloadTakesItsReplacementsAndAJsonTextPayloadIsJson) {
  Recipe r = One(R"(workflows:
  - workflowId: add
    steps:
      - stepId: add
        operationId: addPet
        requestBody:
          payload: |
            {"name": "{$inputs.name}", "tags": ["a"], "owner": {"id": 1}, "note": "for {$inputs.who}"}
          replacements:
            - {target: /owner/id, value: $steps.x.outputs.owner}
            - {target: /tags/0, value: fixed}
)");
  ASSERT_FALSE(r.text.empty()) << Codes(r);
  EXPECT_EQ(Json::parse(R"({"name": "{{inputs.name}}", "tags": ["fixed"],
                            "owner": {"id": "{{steps.x.outputs.owner}}"},
                            "note": "for {{inputs.who}}"})"),
            r.steps[0]["body"]);
  EXPECT_FALSE(r.steps[0].contains("content_type"));
}

TEST_F(RecipesTest, AFormPayloadBecomesFormFieldsAndAnotherJsonMediaTypeAHeader) {
  Conversion c = Convert(R"(workflows:
  - workflowId: login
    steps:
      - stepId: login
        operationId: login
        requestBody:
          payload: {grant_type: client_credentials, client_id: $inputs.id}
  - workflowId: multi
    steps:
      - stepId: add
        operationId: addPet
        requestBody:
          contentType: multipart/form-data
          payload: {name: rex}
  - workflowId: patch
    steps:
      - stepId: add
        operationId: addPet
        requestBody:
          contentType: application/merge-patch+json
          payload: {name: rex}
)");
  Recipe form = Parse(c.workflows[0]);
  ASSERT_FALSE(form.text.empty()) << Codes(form);
  EXPECT_EQ("form", form.steps[0]["content_type"]) << "from the operation's only media type";
  EXPECT_EQ(Json::parse(R"({"grant_type": "client_credentials", "client_id": "{{inputs.id}}"})"),
            form.steps[0]["form_fields"]);
  EXPECT_FALSE(form.steps[0].contains("body"));
  Recipe multi = Parse(c.workflows[1]);
  EXPECT_EQ("multipart", multi.steps[0]["content_type"]);
  Recipe patch = Parse(c.workflows[2]);
  EXPECT_EQ("application/merge-patch+json", patch.steps[0]["headers"]["Content-Type"]);
  EXPECT_EQ(Json::parse(R"({"name": "rex"})"), patch.steps[0]["body"]);
}

TEST_F(RecipesTest, AnXmlBodyIsAnErrorForItsWorkflowOnly) {
  Conversion c = Convert(R"(workflows:
  - workflowId: xml
    steps:
      - stepId: up
        operationId: upload
        requestBody:
          payload: "<pet/>"
  - workflowId: fine
    steps:
      - stepId: list
        operationId: listPets
)");
  ASSERT_EQ(2u, c.workflows.size());
  EXPECT_TRUE(c.workflows[0].text.empty());
  EXPECT_EQ("11:11:ARAZZO_RECIPE_BODY", Codes(Parse(c.workflows[0])));
  EXPECT_FALSE(c.workflows[1].text.empty());
}

TEST_F(RecipesTest, AnExpressionWithoutAValueBeforeTheRequestIsAnErrorAtItsPosition) {
  Conversion c = Convert(R"(workflows:
  - workflowId: bad
    steps:
      - stepId: list
        operationId: listPets
        parameters:
          - {name: status, in: query, value: $response.body#/status}
          - {name: X-Trace, in: header, value: "x {$statusCode}"}
      - stepId: other
        operationId: nothingLikeThis
  - workflowId: good
    steps:
      - stepId: list
        operationId: listPets
)");
  Recipe bad = Parse(c.workflows[0]);
  EXPECT_TRUE(bad.text.empty());
  EXPECT_EQ(
      "11:46:ARAZZO_RECIPE_TEMPLATE 12:48:ARAZZO_RECIPE_TEMPLATE 14:22:ARAZZO_RECIPE_OPERATION",
      Codes(bad));
  EXPECT_THAT(FormatProblem(bad.problems[0]),
              HasSubstr("/w/flow.arazzo.yaml:11:46: error: $response.body#/status: a value sent"));
  EXPECT_FALSE(c.workflows[1].text.empty()) << "one workflow never stops the others";
}

TEST_F(RecipesTest, ExpressionsInValuesSentBecomeTemplates) {
  Recipe r = One(R"(workflows:
  - workflowId: add
    steps:
      - stepId: add
        operationId: addPet
        requestBody:
          payload:
            a: $inputs.x#/a/0/b
            b: $steps.s.outputs.o
            c: $workflows.w.outputs.o
            d: "{$sourceDescriptions.pets.url}"
            e: $sourceDescriptions.pets.url
            f: "Bearer {$inputs.token} and {$steps.s.outputs.o#/k}"
            g: plain text
            h: 3
)");
  ASSERT_FALSE(r.text.empty()) << Codes(r);
  EXPECT_EQ(Json::parse(R"({"a": "{{inputs.x.a.0.b}}", "b": "{{steps.s.outputs.o}}",
                            "c": "{{workflows.w.outputs.o}}", "d": "./api.yaml",
                            "e": "./api.yaml",
                            "f": "Bearer {{inputs.token}} and {{steps.s.outputs.o.k}}",
                            "g": "plain text", "h": 3})"),
            r.steps[0]["body"]);
}

TEST_F(RecipesTest, ANameThatATemplateCannotHoldIsAnError) {
  Recipe r = One(R"(workflows:
  - workflowId: add
    steps:
      - stepId: add
        operationId: addPet
        requestBody:
          payload: {a: "$inputs.x#/a b"}
)");
  EXPECT_TRUE(r.text.empty());
  EXPECT_EQ("11:24:ARAZZO_RECIPE_TEMPLATE", Codes(r));
}

TEST_F(RecipesTest, TheFrontmatterCarriesTheWorkflow) {
  Conversion c = Convert(R"(components:
  inputs:
    id: {type: string}
  successActions:
    done: {name: done, type: end}
workflows:
  - workflowId: Buy Pet!
    summary: "Buy a pet:
      the whole way"
    description: |
      First line.

      ## not a heading
    dependsOn: [other]
    inputs:
      type: object
      properties:
        pet: {$ref: "#/components/inputs/id"}
    steps:
      - stepId: list
        operationId: listPets
    successActions:
      - reference: $components.successActions.done
    failureActions:
      - {name: stop, type: end}
    outputs:
      first: $steps.list.outputs.first
  - workflowId: other
    steps:
      - stepId: list
        operationId: listPets
)");
  ASSERT_EQ(2u, c.workflows.size());
  EXPECT_EQ("buy_pet.md", c.workflows[0].file);
  Recipe r = Parse(c.workflows[0]);
  ASSERT_FALSE(r.text.empty()) << Codes(r);
  EXPECT_EQ(Json::parse(R"({
      "endpoint": "GET /v2/pets", "workflow": "Buy Pet!", "domain": "pets", "status": "pending",
      "dependsOn": ["other"],
      "inputs": {"type": "object", "properties": {"pet": {"type": "string"}}},
      "outputs": {"first": "{{steps.list.outputs.first}}"},
      "successActions": [{"name": "done", "type": "end"}],
      "failureActions": [{"name": "stop", "type": "end"}],
      "arazzo": "flow.arazzo.yaml#/workflows/0"})"),
            r.front);
  EXPECT_THAT(r.text, HasSubstr("\n# Buy a pet: the whole way\n\nFirst line. ## not a heading\n\n"
                                "## Test Request\n\n```yaml\nsteps:\n  - id: list\n"));
}

TEST_F(RecipesTest, FileNamesAreSlugsOfTheIdsAndUnique) {
  EXPECT_EQ("apply-coupon.md", RecipeFileName("apply-coupon"));
  EXPECT_EQ("oidc-par-authzcode.md", RecipeFileName("OIDC-PAR-AuthzCode"));
  EXPECT_EQ("workflow.md", RecipeFileName("$$$"));
  Conversion c = Convert(R"(workflows:
  - workflowId: A
    steps: [{stepId: s, operationId: listPets}]
  - workflowId: a
    steps: [{stepId: s, operationId: listPets}]
)");
  EXPECT_EQ("a.md", c.workflows[0].file);
  EXPECT_EQ("a-2.md", c.workflows[1].file);
}

TEST_F(RecipesTest, TheArazzoFieldIsRelativeToTheFolderTheRecipesGoIn) {
  fs_.Add("/w/api.yaml", kApi);
  fs_.Add("/w/specs/flow.arazzo.yaml",
          "arazzo: 1.0.1\ninfo: {title: t, version: '1'}\nsourceDescriptions:\n"
          "  - {name: pets, url: ../api.yaml}\nworkflows:\n"
          "  - workflowId: w\n    steps: [{stepId: s, operationId: listPets}]\n");
  LoadResult loaded =
      LoadDocument("/w/specs/flow.arazzo.yaml", fs_.Get("/w/specs/flow.arazzo.yaml"));
  Conversion c =
      ConvertDocument(fs_, *loaded.document, {.recipe_dir = "/w/kb/imported", .arazzo_path = ""});
  EXPECT_EQ("../../specs/flow.arazzo.yaml#/workflows/0", Parse(c.workflows[0]).front["arazzo"]);
}

TEST_F(RecipesTest, EachSourceGivesItsFileAndServer) {
  fs_.Add("/w/swagger.yaml",
          "swagger: '2.0'\ninfo: {title: s, version: '1'}\nhost: api.example\n"
          "basePath: /v1\nschemes: [http]\npaths: {}\n");
  fs_.Add("/w/api.yaml", kApi);
  LoadResult loaded = LoadDocument("/w/flow.arazzo.yaml", R"(arazzo: 1.0.1
info: {title: t, version: "1"}
sourceDescriptions:
  - {name: pets, url: ./api.yaml}
  - {name: old, url: swagger.yaml}
  - {name: far, url: "https://example.com/specs/missing.yaml"}
workflows:
  - workflowId: w
    steps: [{stepId: s, operationId: $sourceDescriptions.far.op}]
)");
  Conversion c = ConvertDocument(fs_, *loaded.document);
  ASSERT_EQ(3u, c.sources.size());
  EXPECT_EQ("https://eu.pets.example/v2", c.sources[0].server_url);
  EXPECT_EQ("/w/api.yaml", c.sources[0].spec_path);
  EXPECT_EQ("http://api.example/v1", c.sources[1].server_url);
  EXPECT_EQ("", c.sources[2].spec_path);
  Recipe r = Parse(c.workflows[0]);
  ASSERT_EQ(1u, r.problems.size()) << Codes(r);
  EXPECT_THAT(r.problems[0].message,
              HasSubstr("https://example.com/specs/missing.yaml is not fetched and no copy is at "
                        "/w/missing.yaml"));
}

TEST_F(RecipesTest, ASourceGivenByUrlIsReadFromACopyBesideTheDocument) {
  fs_.Add("/w/published.yaml", kApi);
  LoadResult loaded = LoadDocument("/w/flow.arazzo.yaml", R"(arazzo: 1.0.1
info: {title: t, version: "1"}
sourceDescriptions:
  - {name: pets, url: "https://example.com/specs/published.yaml?raw=1"}
workflows:
  - workflowId: w
    steps: [{stepId: s, operationId: listPets}]
)");
  Conversion c = ConvertDocument(fs_, *loaded.document);
  EXPECT_EQ("/w/published.yaml", c.sources[0].spec_path);
  EXPECT_FALSE(c.workflows[0].text.empty()) << Codes(Parse(c.workflows[0]));
}

}  // namespace
}  // namespace verity::arazzo
