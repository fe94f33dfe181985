// `verity arazzo export`: the mapping of docs/arazzo.md ("Export: recipes to Arazzo"), one rule per
// test, on small recipes in an in-memory file system. Every document written must lint clean,
// the file is never overwritten without --force, and a token value never appears in it.
#include "arazzo/export.h"

#include <gtest/gtest.h>

#include <sstream>

#include "arazzo/lint.h"
#include "base/clock.h"
#include "base/yaml.h"
#include "base/yaml_json.h"
#include "cli/cli.h"
#include "support/memory_file_system.h"

namespace verity::arazzo {
namespace {

constexpr const char* kSpec = R"(openapi: 3.0.3
info: {title: shop, version: "1"}
servers: [{url: /v1}]
paths:
  /items:
    get:
      operationId: listItems
      responses: {"200": {description: ok}}
    post:
      responses: {"201": {description: created}}
  /items/{item_id}:
    get:
      operationId: getItem
      responses: {"200": {description: ok}}
    delete:
      operationId: deleteItem
      responses: {"204": {description: gone}}
)";

constexpr const char* kConfig = R"(environments:
  test:
    base_url: http://127.0.0.1:9
    knowledge_base: kb
    spec_root: specs
    params: {shop_id: s-1, limit: 5}
    max_retries: 0
    tokens:
      staff: {env: SHOP_STAFF_TOKEN}
      partner: {env: SHOP_PARTNER_TOKEN, in: header, name: X-Api-Key}
)";

std::string Recipe(const std::string& endpoint, const std::string& sections,
                   const std::string& extra_frontmatter = "") {
  return "---\nendpoint: \"" + endpoint +
         "\"\nswagger: \"shop.yaml\"\nstatus: verified\ntokens: [staff]\n" + extra_frontmatter +
         "---\n\n# Title of " + endpoint + "\n\n" + sections;
}

std::string Section(const std::string& title, const std::string& yaml) {
  return "## " + title + "\n\n```yaml\nsteps:\n" + yaml + "```\n\n";
}

constexpr const char* kCreate = R"(  - id: create
    method: POST
    path: /v1/items
    body: {name: "{{random_firstname}}", shop: "{{shop_id}}", note: "made by {{shop_id}}"}
    extract:
      new_id: "$.data.item.id"
      tags: "$.data.item.tags[?@ == 'x']"
    expect:
      status: [201]
)";

class ArazzoExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs_.Add("/w/verity.yaml", kConfig);
    fs_.Add("/w/specs/shop.yaml", kSpec);
  }

  int Run(std::vector<std::string> args) {
    out_.str(""), err_.str("");
    cli::Context ctx{out_, err_, fs_, clock_};
    ctx.env = [](const std::string& name) -> std::optional<std::string> {
      if (name == "SHOP_STAFF_TOKEN") return "staff-secret-value";
      if (name == "SHOP_PARTNER_TOKEN") return "partner-secret-value";
      return std::nullopt;
    };
    std::vector<std::string> all = {"arazzo", "export", "--config", "/w/verity.yaml"};
    all.insert(all.end(), args.begin(), args.end());
    return cli::Run(all, ctx);
  }

  // Exports to /w/x.arazzo.yaml, checks it lints clean, and returns it as JSON.
  Json Export(std::vector<std::string> targets = {}) {
    targets.insert(targets.end(), {"-o", "/w/x.arazzo.yaml", "--force"});
    EXPECT_EQ(cli::kExitOk, Run(targets)) << err_.str();
    text_ = *fs_.ReadFile("/w/x.arazzo.yaml");
    for (const Problem& p : LintFile(fs_, "/w/x.arazzo.yaml"))
      EXPECT_FALSE(p.is_error()) << FormatProblem(p) << "\n" << text_;
    yaml::LoadResult loaded = yaml::Load(text_);
    EXPECT_TRUE(loaded.root.has_value()) << text_;
    return loaded.root ? yaml::ToJson(*loaded.root) : Json();
  }

  static const Json& Workflow(const Json& doc, const std::string& id) {
    for (const Json& w : doc["workflows"])
      if (w["workflowId"] == id) return w;
    static const Json none;
    ADD_FAILURE() << "no workflow " << id;
    return none;
  }
  static const Json& Step(const Json& workflow, const std::string& id) {
    for (const Json& s : workflow["steps"])
      if (s["stepId"] == id) return s;
    static const Json none;
    ADD_FAILURE() << "no step " << id;
    return none;
  }
  static Json Param(const Json& step, const std::string& name) {
    for (const Json& p : step["parameters"])
      if (p["name"] == name) return p;
    return Json();
  }

  verity::testing::MemoryFileSystem fs_;
  FakeClock clock_{0};
  std::ostringstream out_, err_;
  std::string text_;
};

TEST_F(ArazzoExportTest, EachRecipeIsAWorkflowNamedAfterItsFileWithItsStepsInOrder) {
  fs_.Add("/w/kb/get_items_item_id.md",
          Recipe("GET /v1/items/{item_id}",
                 Section("Prerequisites", kCreate) + Section("Test Request", R"(  - id: read
    method: GET
    path: "/v1/items/{{new_id}}"
  - id: ignored
    method: GET
    path: /v1/items
    skip: true
)") + Section("Cleanup", R"(  - id: remove
    method: DELETE
    path: "/v1/items/{{new_id}}"
    expect: {status: [204]}
    onFail: continue
)")));
  Json doc = Export();
  const Json& w = Workflow(doc, "get_items_item_id");
  EXPECT_EQ("Title of GET /v1/items/{item_id}", w["summary"]);
  std::vector<std::string> ids;
  for (const Json& s : w["steps"]) ids.push_back(s["stepId"]);
  EXPECT_EQ((std::vector<std::string>{"create", "read", "remove"}), ids);
  EXPECT_EQ("specs/shop.yaml", doc["sourceDescriptions"][0]["url"]);
}

TEST_F(ArazzoExportTest, AnOperationWithAnIdIsNamedByItElseByItsPath) {
  fs_.Add("/w/kb/get_items_item_id.md",
          Recipe("GET /v1/items/{item_id}",
                 Section("Prerequisites", kCreate) + Section("Test Request", R"(  - id: read
    method: GET
    path: "/v1/items/{{new_id}}"
)")));
  Json w = Workflow(Export(), "get_items_item_id");
  EXPECT_EQ("{$sourceDescriptions.shop.url}#/paths/~1items/post",
            Step(w, "create")["operationPath"]);
  EXPECT_EQ("$sourceDescriptions.shop.getItem", Step(w, "read")["operationId"]);
}

TEST_F(ArazzoExportTest, PlaceholdersBecomeStepOutputsOrInputs) {
  fs_.Add("/w/kb/get_items_item_id.md",
          Recipe("GET /v1/items/{item_id}",
                 Section("Prerequisites", kCreate) + Section("Test Request", R"(  - id: read
    method: GET
    path: "/v1/items/{{new_id}}?shop={{shop_id}}"
    params: {limit: "{{limit}}"}
    headers: {X-Trace: "trace-{{shop_id}}"}
)")));
  Json w = Workflow(Export(), "get_items_item_id");
  const Json& create = Step(w, "create");
  EXPECT_EQ("$inputs.random_firstname", create["requestBody"]["payload"]["name"]);
  EXPECT_EQ("made by {$inputs.shop_id}", create["requestBody"]["payload"]["note"]);
  EXPECT_EQ("application/json", create["requestBody"]["contentType"]);
  const Json& read = Step(w, "read");
  EXPECT_EQ((Json{{"name", "item_id"}, {"in", "path"}, {"value", "$steps.create.outputs.new_id"}}),
            Param(read, "item_id"));
  EXPECT_EQ("query", Param(read, "shop")["in"]);
  EXPECT_EQ("$inputs.shop_id", Param(read, "shop")["value"]);
  EXPECT_EQ("$inputs.limit", Param(read, "limit")["value"]);
  EXPECT_EQ("trace-{$inputs.shop_id}", Param(read, "X-Trace")["value"]);
  EXPECT_EQ("integer", w["inputs"]["properties"]["limit"]["type"]);
  EXPECT_EQ("string", w["inputs"]["properties"]["shop_id"]["type"]);
}

TEST_F(ArazzoExportTest, AFilterIsKeptAsWrittenAndWarnedAbout) {
  fs_.Add("/w/kb/get_items.md", Recipe("GET /v1/items", Section("Test Request", R"(  - id: list
    method: GET
    path: /v1/items
    params: {prefix: "{{shop_id | slice: 0:2}}"}
)")));
  Json w = Workflow(Export(), "get_items");
  Json p = Param(Step(w, "list"), "prefix");
  EXPECT_EQ("{{shop_id | slice: 0:2}}", p["value"]);
  EXPECT_EQ(true, p["x-verity-template"]);
  EXPECT_NE(std::string::npos, err_.str().find("/w/kb/get_items.md:14: warning:")) << err_.str();
}

TEST_F(ArazzoExportTest, AUseStepRunsTheUsedRecipesWorkflowAndReadsItsOutputs) {
  fs_.Add("/w/kb/post_items.md", Recipe("POST /v1/items", Section("Test Request", kCreate) +
                                                              Section("Cleanup", R"(  - id: remove
    method: DELETE
    path: "/v1/items/{{new_id}}"
)")));
  fs_.Add("/w/kb/get_items_item_id.md",
          Recipe("GET /v1/items/{item_id}", Section("Prerequisites", R"(  - id: fresh
    use: "POST /v1/items"
)") + Section("Test Request", R"(  - id: read
    method: GET
    path: "/v1/items/{{new_id}}"
)")));
  // Only the user is selected: the recipe it uses comes along.
  Json doc = Export({"/w/kb/get_items_item_id.md"});
  const Json& used = Workflow(doc, "post_items");
  EXPECT_EQ("$steps.create.outputs.new_id", used["outputs"]["new_id"]);
  // Run by another workflow, it stops before its cleanup, as `use:` does.
  EXPECT_EQ("$inputs.skip_cleanup == true",
            Step(used, "create")["onSuccess"][0]["criteria"][0]["condition"]);
  const Json& w = Workflow(doc, "get_items_item_id");
  const Json& fresh = Step(w, "fresh");
  EXPECT_EQ("post_items", fresh["workflowId"]);
  EXPECT_EQ("$outputs.new_id", fresh["outputs"]["new_id"]);
  EXPECT_EQ(true, Param(fresh, "skip_cleanup")["value"]);
  EXPECT_EQ("$inputs.token_staff", Param(fresh, "token_staff")["value"]);
  EXPECT_EQ("$steps.fresh.outputs.new_id", Param(Step(w, "read"), "item_id")["value"]);
}

TEST_F(ArazzoExportTest, StatusesAndSimpleChecksBecomeSuccessCriteria) {
  fs_.Add("/w/kb/get_items.md", Recipe("GET /v1/items", Section("Test Request", R"(  - id: list
    method: GET
    path: /v1/items
    expect:
      status: [200, 206]
      content_type: application/json
      body:
        - {path: "$.data.shop", equals: "{{shop_id}}"}
        - {path: "$.data.items[0].name", matches: "^a"}
        - {path: "$.data.count", equals: 3}
        - {path: "$.data.items", exists: true}
        - {path: "$.data.items", count: {gt: 0}}
      headers:
        X-Page: {matches: "^[0-9]+$"}
      duration_ms: 500
  - id: again
    method: GET
    path: /v1/items
)")));
  Json w = Workflow(Export(), "get_items");
  Json list = Step(w, "list")["successCriteria"];
  EXPECT_EQ("$statusCode == 200 || $statusCode == 206", list[0]["condition"]);
  EXPECT_EQ((Json{{"context", "$response.header.Content-Type"},
                  {"condition", "^application/json"},
                  {"type", "regex"}}),
            list[1]);
  EXPECT_EQ("$response.body#/data/shop == $inputs.shop_id", list[2]["condition"]);
  EXPECT_EQ((Json{{"context", "$response.body#/data/items/0/name"},
                  {"condition", "^a"},
                  {"type", "regex"}}),
            list[3]);
  EXPECT_EQ("$response.body#/data/count == 3", list[4]["condition"]);
  EXPECT_EQ("jsonpath", list[5]["type"]);
  EXPECT_EQ("$response.header.X-Page", list[6]["context"]);
  Json kept = Step(w, "list")["x-verity-expect"];
  ASSERT_EQ(2u, kept.size());
  EXPECT_EQ((Json{{"gt", 0}}), kept[0]["count"]);
  EXPECT_EQ(500, kept[1]["le"]);
  EXPECT_EQ("$statusCode >= 200 && $statusCode < 300",
            Step(w, "again")["successCriteria"][0]["condition"]);
}

TEST_F(ArazzoExportTest, ASimpleExtractionIsAPointerOutputAndAnyOtherIsKept) {
  fs_.Add("/w/kb/post_items.md", Recipe("POST /v1/items", Section("Test Request", kCreate)));
  Json w = Workflow(Export(), "post_items");
  const Json& create = Step(w, "create");
  EXPECT_EQ((Json{{"new_id", "$response.body#/data/item/id"}}), create["outputs"]);
  EXPECT_EQ("$.data.item.tags[?@ == 'x']", create["x-verity-extract"]["tags"]);
  EXPECT_FALSE(w["outputs"].contains("tags"));
  EXPECT_NE(std::string::npos, err_.str().find("the extraction tags is kept")) << err_.str();
}

TEST_F(ArazzoExportTest, ATokenIsAHeaderFromAnInputAndItsValueNeverAppears) {
  fs_.Add("/w/kb/get_items.md", Recipe("GET /v1/items", Section("Test Request", R"(  - id: as_staff
    method: GET
    path: /v1/items
  - id: as_partner
    method: GET
    path: /v1/items
    token: partner
)")));
  Json w = Workflow(Export(), "get_items");
  EXPECT_EQ("Bearer {$inputs.token_staff}", Param(Step(w, "as_staff"), "Authorization")["value"]);
  EXPECT_EQ("{$inputs.token_partner}", Param(Step(w, "as_partner"), "X-Api-Key")["value"]);
  EXPECT_EQ("password", w["inputs"]["properties"]["token_staff"]["format"]);
  EXPECT_EQ(std::string::npos, text_.find("secret-value"));
  EXPECT_EQ(std::string::npos, out_.str().find("secret-value"));
  EXPECT_EQ(std::string::npos, err_.str().find("secret-value"));
}

TEST_F(ArazzoExportTest, OnFailContinueGoesToTheNextStepAndAbortIsTheDefault) {
  fs_.Add("/w/kb/get_items.md", Recipe("GET /v1/items", Section("Test Request", R"(  - id: first
    method: GET
    path: /v1/items
    onFail: continue
  - id: second
    method: GET
    path: /v1/items
    onFail: abort
  - id: last
    method: GET
    path: /v1/items
    onFail: skip
)")));
  Json w = Workflow(Export(), "get_items");
  EXPECT_EQ((Json::array({{{"name", "continue"}, {"type", "goto"}, {"stepId", "second"}}})),
            Step(w, "first")["onFailure"]);
  EXPECT_FALSE(Step(w, "second").contains("onFailure"));
  EXPECT_EQ("skip", Step(w, "last")["x-verity-onFail"]);
}

TEST_F(ArazzoExportTest, RetriesOfTheEnvironmentAreARetryAction) {
  fs_.Add("/w/verity.yaml", std::string(kConfig).replace(
                                std::string(kConfig).find("max_retries: 0"), 14, "max_retries: 2"));
  fs_.Add("/w/kb/get_items.md", Recipe("GET /v1/items", Section("Test Request", R"(  - id: list
    method: GET
    path: /v1/items
)")));
  Json doc = Export();
  EXPECT_EQ("$components.failureActions.retry_unavailable",
            Step(Workflow(doc, "get_items"), "list")["onFailure"][0]["reference"]);
  EXPECT_EQ(2, doc["components"]["failureActions"]["retry_unavailable"]["retryLimit"]);
}

TEST_F(ArazzoExportTest, AnExistingFileIsNeverOverwrittenWithoutForce) {
  fs_.Add("/w/kb/get_items.md", Recipe("GET /v1/items", Section("Test Request", R"(  - id: list
    method: GET
    path: /v1/items
)")));
  fs_.Add("/w/x.arazzo.yaml", "mine");
  EXPECT_EQ(cli::kExitUsage, Run({"-o", "/w/x.arazzo.yaml"}));
  EXPECT_EQ("mine", *fs_.ReadFile("/w/x.arazzo.yaml"));
  EXPECT_NE(std::string::npos, err_.str().find("--force")) << err_.str();
  EXPECT_EQ(cli::kExitOk, Run({"-o", "/w/x.arazzo.yaml", "--force"})) << err_.str();
  EXPECT_NE("mine", *fs_.ReadFile("/w/x.arazzo.yaml"));
}

TEST_F(ArazzoExportTest, TargetsSelectRecipesAsRunDoes) {
  fs_.Add("/w/kb/get_items.md", Recipe("GET /v1/items", Section("Test Request", R"(  - id: list
    method: GET
    path: /v1/items
)")));
  fs_.Add("/w/kb/post_items.md", Recipe("POST /v1/items", Section("Test Request", kCreate)));
  Json doc = Export({"GET /v1/*"});
  ASSERT_EQ(1u, doc["workflows"].size());
  EXPECT_EQ("get_items", doc["workflows"][0]["workflowId"]);
  EXPECT_EQ(cli::kExitUsage, Run({"DELETE /nothing", "-o", "/w/y.yaml"}));
}

TEST(ArazzoExportYaml, StringsThatYamlWouldReadOtherwiseAreQuoted) {
  Json doc = {{"a", "plain text"}, {"b", "true"},        {"c", "12"},
              {"d", "$x: y"},      {"e", Json::array()}, {"f", {{"g", Json::array({1, "no"})}}}};
  std::string text = ToYaml(doc);
  yaml::LoadResult loaded = yaml::Load(text);
  ASSERT_TRUE(loaded.root) << text;
  EXPECT_EQ(doc, yaml::ToJson(*loaded.root)) << text;
  EXPECT_NE(std::string::npos, text.find("a: plain text\n"));
}

}  // namespace
}  // namespace verity::arazzo
