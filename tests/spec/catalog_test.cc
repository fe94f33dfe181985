// Reading operations from each spec version, looking them up, and refusing malformed specs with
// a clear message and no crash.
#include "spec/catalog.h"

#include <gtest/gtest.h>

#include <string>

#include "spec/catalog_test_support.h"
#include "support/memory_file_system.h"

namespace verity::spec {
namespace {

using testing::Structural;

using verity::testing::MemoryFileSystem;

constexpr const char* kSwagger2 = R"({
  "swagger": "2.0",
  "basePath": "/business/payments/",
  "consumes": ["application/json"],
  "paths": {
    "/v1/packages/{uid}": {
      "parameters": [
        {"name": "uid", "in": "path", "required": true, "type": "string"},
        {"name": "verbose", "in": "query", "type": "boolean"}
      ],
      "get": {
        "description": "Get a package. Available for **Staff, App, and Directory tokens**.",
        "parameters": [{"name": "verbose", "in": "query", "type": "integer", "required": true}],
        "responses": {
          "200": {"description": "ok", "schema": {"$ref": "#/definitions/Package"}},
          "4XX": {"description": "client error"},
          "default": {"description": "anything else"}
        }
      },
      "put": {
        "x-auth-type": "Application User",
        "parameters": [{"in": "body", "name": "body", "required": true,
                        "schema": {"$ref": "#/definitions/Package"}}],
        "responses": {"200": {"description": "ok"}}
      }
    },
    "/v1/uploads": {
      "post": {
        "consumes": ["multipart/form-data"],
        "parameters": [{"in": "formData", "name": "file", "type": "file"}],
        "responses": {"201": {"description": "created"}}
      }
    }
  },
  "definitions": {"Package": {"type": "object", "properties": {"uid": {"type": "string"}}}}
})";

constexpr const char* kOpenApi31 = R"(openapi: 3.1.0
servers:
  - url: https://api.example.com/v3/
paths:
  /clients/me:
    get:
      description: Only available for **Client** tokens
      responses:
        '200': {description: me}
  /clients/{client_id}:
    get:
      description: Available for staff and app tokens
      responses:
        '200':
          description: one client
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Client'}
              example: {uid: c1}
  /files/{name}.json:
    get:
      responses:
        '200': {$ref: '#/components/responses/Ok'}
components:
  responses:
    Ok: {description: fine}
  schemas:
    Client: {type: [object, 'null']}
)";

class CatalogTest : public ::testing::Test {
 protected:
  CatalogTest() {
    fs_.Add("specs/sales/payments.json", kSwagger2);
    fs_.Add("specs/clients.yaml", kOpenApi31);
  }
  MemoryFileSystem fs_;
};

TEST_F(CatalogTest, DomainsComeFromTheFolderUnderTheRootOrTheFileStem) {
  Catalog catalog(fs_);
  ASSERT_TRUE(catalog.Add("specs"));
  ASSERT_EQ(2u, catalog.files().size());
  EXPECT_EQ("sales", catalog.FindEndpoint("GET /business/payments/v1/packages/{uid}")->domain);
  EXPECT_EQ("clients", catalog.FindEndpoint("GET /v3/clients/me")->domain);
}

TEST_F(CatalogTest, AFilesDomainIsTheSameHoweverItsPathIsWritten) {
  fs_.Add("mcp_swagger/scheduling.json", kSwagger2);
  fs_.Add("swagger/sales/legacy/old.json", kSwagger2);
  auto domain_of = [&](const std::string& path) {
    Catalog catalog(fs_);
    EXPECT_TRUE(catalog.Add(path)) << path;
    return catalog.operations().empty() ? std::string() : catalog.operations().front().domain;
  };
  EXPECT_EQ("scheduling", domain_of("mcp_swagger/scheduling.json"));
  EXPECT_EQ("scheduling", domain_of("./mcp_swagger/scheduling.json"));
  EXPECT_EQ("scheduling", domain_of("mcp_swagger/../mcp_swagger/scheduling.json"));
  EXPECT_EQ("scheduling", domain_of("mcp_swagger"));  // the folder given: the same rule
  EXPECT_EQ("sales", domain_of("swagger"));           // `legacy` folders left out
  EXPECT_EQ("old", domain_of("swagger/sales"));
  // Under a spec root, relative to it.
  Catalog within(fs_);
  ASSERT_TRUE(within.AddWithin("swagger/sales/legacy/old.json", "swagger"));
  EXPECT_EQ("sales", within.operations().front().domain);
}

TEST_F(CatalogTest, SwaggerBasePathAndServerPathPrefixThePathKeys) {
  Catalog catalog(fs_);
  ASSERT_TRUE(catalog.Add("specs"));
  EXPECT_NE(nullptr, catalog.FindEndpoint("PUT /business/payments/v1/packages/{uid}"));
  EXPECT_NE(nullptr, catalog.FindEndpoint("GET /v3/clients/{id}"));
  EXPECT_EQ(nullptr, catalog.FindEndpoint("GET /v1/packages/{uid}"));
}

TEST_F(CatalogTest, LiteralSegmentsWinOverPlaceholders) {
  Catalog catalog(fs_);
  ASSERT_TRUE(catalog.Add("specs"));
  EXPECT_EQ("/v3/clients/me", catalog.Find("GET", "/v3/clients/me")->path);
  EXPECT_EQ("/v3/clients/{client_id}", catalog.Find("GET", "/v3/clients/c42")->path);
  EXPECT_EQ("/v3/files/{name}.json", catalog.Find("GET", "/v3/files/report.json")->path);
  EXPECT_EQ(nullptr, catalog.Find("GET", "/v3/files/report.xml"));
  EXPECT_EQ(nullptr, catalog.Find("DELETE", "/v3/clients/c42"));
}

TEST(CatalogLookup, ALastPlaceholderTakesSeveralSegmentsOnlyWhenNothingElseMatches) {
  MemoryFileSystem fs;
  fs.Add("git.yaml", R"(openapi: 3.0.0
paths:
  /repos/{owner}/{repo}/git/refs/{ref}: {delete: {responses: {'204': {description: gone}}}}
  /repos/{owner}/{repo}/git/refs/heads/protected: {delete: {responses: {'403': {description: no}}}}
)");
  Catalog catalog(fs);
  ASSERT_TRUE(catalog.Add("git.yaml"));
  EXPECT_EQ("/repos/{owner}/{repo}/git/refs/{ref}",
            catalog.Find("DELETE", "/repos/o/r/git/refs/heads/feature")->path);
  EXPECT_EQ("/repos/{owner}/{repo}/git/refs/heads/protected",
            catalog.Find("DELETE", "/repos/o/r/git/refs/heads/protected")->path);
  EXPECT_EQ("/repos/{owner}/{repo}/git/refs/{ref}",
            catalog.Find("DELETE", "/repos/o/r/git/refs/tags")->path);
  EXPECT_EQ(nullptr, catalog.Find("DELETE", "/repos/o/r/git/tags/v1/x"));
}

TEST_F(CatalogTest, NearestSuggestsTheClosestOperation) {
  Catalog catalog(fs_);
  ASSERT_TRUE(catalog.Add("specs"));
  Nearest nearest = catalog.FindNearest("GET", "/v3/client/{uid}");
  ASSERT_NE(nullptr, nearest.operation);
  EXPECT_EQ("GET /v3/clients/{client_id}", nearest.operation->Key());
}

TEST_F(CatalogTest, OperationParametersOverridePathLevelOnes) {
  Catalog catalog(fs_);
  ASSERT_TRUE(catalog.Add("specs"));
  const Operation* op = catalog.FindEndpoint("GET /business/payments/v1/packages/{uid}");
  ASSERT_EQ(2u, op->parameters.size());
  EXPECT_EQ("uid", op->parameters[0].name);
  EXPECT_EQ("verbose", op->parameters[1].name);
  EXPECT_TRUE(op->parameters[1].required);
  EXPECT_EQ("integer", (*op->parameters[1].schema.node)["type"]);
}

TEST_F(CatalogTest, SwaggerBodyAndFormDataBecomeRequestBodies) {
  Catalog catalog(fs_);
  ASSERT_TRUE(catalog.Add("specs"));
  const Operation* put = catalog.FindEndpoint("PUT /business/payments/v1/packages/{uid}");
  ASSERT_EQ(1u, put->request_bodies.size());
  EXPECT_EQ("application/json", put->request_bodies[0].media_type);
  EXPECT_EQ("specs/sales/payments.json#/paths/~1v1~1packages~1{uid}/put/parameters/0/schema",
            put->request_bodies[0].schema.Location());
  EXPECT_TRUE(put->request_body_required);
  for (const Parameter& p : put->parameters) EXPECT_NE("body", p.in);

  const Operation* upload = catalog.FindEndpoint("POST /business/payments/v1/uploads");
  ASSERT_EQ(1u, upload->request_bodies.size());
  EXPECT_EQ("multipart/form-data", upload->request_bodies[0].media_type);
  ASSERT_EQ(1u, upload->parameters.size());
  EXPECT_EQ("formData", upload->parameters[0].in);
}

TEST_F(CatalogTest, ResponsesAreFoundByCodeThenRangeThenDefault) {
  Catalog catalog(fs_);
  ASSERT_TRUE(catalog.Add("specs"));
  const Operation* op = catalog.FindEndpoint("GET /business/payments/v1/packages/{uid}");
  EXPECT_EQ("200", op->FindResponse(200)->status);
  EXPECT_EQ("4XX", op->FindResponse(404)->status);
  EXPECT_EQ("default", op->FindResponse(500)->status);
  const MediaSchema* media = op->FindResponse(200)->JsonMedia();
  ASSERT_NE(nullptr, media);
  EXPECT_EQ("#/definitions/Package", (*media->schema.node)["$ref"]);

  const Operation* me = catalog.FindEndpoint("GET /v3/clients/me");
  EXPECT_EQ(nullptr, me->FindResponse(404));
  const Operation* file = catalog.FindEndpoint("GET /v3/files/{name}.json");
  EXPECT_EQ("fine", file->FindResponse(200)->description) << "response $ref followed";
  const Operation* client = catalog.FindEndpoint("GET /v3/clients/{id}");
  EXPECT_EQ("c1", (*client->FindResponse(200)->JsonMedia()->example.node)["uid"]);
}

TEST_F(CatalogTest, TokensComeFromTheDescriptionThenXAuthType) {
  Catalog catalog(fs_);
  ASSERT_TRUE(catalog.Add("specs"));
  const Operation* get = catalog.FindEndpoint("GET /business/payments/v1/packages/{uid}");
  EXPECT_EQ((std::vector<std::string>{"staff", "app", "directory"}), get->tokens.tokens);
  EXPECT_EQ("description", get->tokens.source);
  const Operation* put = catalog.FindEndpoint("PUT /business/payments/v1/packages/{uid}");
  EXPECT_FALSE(put->tokens.found);
  EXPECT_TRUE(put->tokens.is_legacy);
  EXPECT_EQ((std::vector<std::string>{"client"}),
            catalog.FindEndpoint("GET /v3/clients/me")->tokens.tokens);
  EXPECT_EQ((std::vector<std::string>{"staff", "app"}),
            catalog.FindEndpoint("GET /v3/clients/{id}")->tokens.tokens);
  EXPECT_FALSE(catalog.FindEndpoint("GET /v3/files/{n}.json")->tokens.found);
}

TEST_F(CatalogTest, OperationsWithoutTokenDocumentationOrDescriptionAreReported) {
  Catalog catalog(fs_);
  ASSERT_TRUE(catalog.Add("specs"));
  std::vector<std::string> seen;
  for (const CatalogProblem& p : catalog.problems()) {
    EXPECT_FALSE(p.is_error);
    if (p.code == kMissingTokenDocumentation || p.code == "MISSING_DESCRIPTION") {
      seen.push_back(p.code + " " + p.location);
    }
    if (p.location == "specs/sales/payments.json#/paths/~1v1~1packages~1{uid}/put" &&
        p.code == kMissingTokenDocumentation) {
      EXPECT_NE(std::string::npos, p.message.find("application-user scheme")) << p.message;
    }
  }
  EXPECT_EQ(
      (std::vector<std::string>{
          "MISSING_TOKEN_DOCUMENTATION specs/clients.yaml#/paths/~1files~1{name}.json/get",
          "MISSING_DESCRIPTION specs/clients.yaml#/paths/~1files~1{name}.json/get",
          "MISSING_TOKEN_DOCUMENTATION specs/sales/payments.json#/paths/~1v1~1packages~1{uid}/put",
          "MISSING_DESCRIPTION specs/sales/payments.json#/paths/~1v1~1packages~1{uid}/put",
          "MISSING_TOKEN_DOCUMENTATION specs/sales/payments.json#/paths/~1v1~1uploads/post",
          "MISSING_DESCRIPTION specs/sales/payments.json#/paths/~1v1~1uploads/post"}),
      seen);
}

TEST(TokenDocumentation, EveryOriginPatternAccumulates) {
  EXPECT_EQ((std::vector<std::string>{"staff"}), TokensFromDescription("Available for **Staff**"));
  EXPECT_EQ((std::vector<std::string>{"operator"}),
            TokensFromDescription("**Available for Operator only**"));
  EXPECT_EQ((std::vector<std::string>{"admin", "business"}),
            TokensFromDescription("**Only available for Internal** … available for business "
                                  "tokens"));
  EXPECT_EQ((std::vector<std::string>{"app", "client"}),
            TokensFromDescription("Only available for **Application & Client**"));
  EXPECT_TRUE(TokensFromDescription("Lists packages.").empty());
  TokenDoc doc = DocumentedTokens("", "Directory");
  EXPECT_EQ((std::vector<std::string>{"directory"}), doc.tokens);
  EXPECT_EQ("x-auth-type", doc.source);
}

TEST(CatalogProblems, NotASpecIsReportedAndTheOthersStillLoad) {
  MemoryFileSystem fs;
  fs.Add("specs/a.json", R"({"openapi": "3.0.3", "paths": {"/x": {"get": {"responses": {}}}}})");
  fs.Add("specs/package.json", R"({"name": "not-a-spec"})");
  fs.Add("specs/notes.txt", "ignored");
  fs.Add("specs/old.json", R"({"swagger": "1.2", "paths": {}})");
  Catalog catalog(fs);
  ASSERT_TRUE(catalog.Add("specs"));
  EXPECT_EQ(1u, catalog.operations().size());
  ASSERT_EQ(2u, Structural(catalog).size());
  EXPECT_EQ(kNotASpec, Structural(catalog)[0].code);
  EXPECT_EQ("specs/old.json", Structural(catalog)[0].location);
  EXPECT_NE(std::string::npos, Structural(catalog)[0].message.find("unsupported Swagger version"));
  EXPECT_EQ("specs/package.json", Structural(catalog)[1].location);
}

TEST(SpecText, ADocumentThatIsNotAnObjectIsNamedWithTheRightArticle) {
  auto array = ParseSpecText("list.json", "[1, 2]");
  ASSERT_FALSE(array.ok());
  EXPECT_NE(std::string::npos,
            array.status().message().find("the document is an array, not an object"))
      << array.status().message();
  auto text = ParseSpecText("text.json", R"("hello")");
  ASSERT_FALSE(text.ok());
  EXPECT_NE(std::string::npos,
            text.status().message().find("the document is a string, not an object"))
      << text.status().message();
  auto null = ParseSpecText("empty.json", "null");
  ASSERT_FALSE(null.ok());
  EXPECT_NE(std::string::npos, null.status().message().find("the document is null, not an object"))
      << null.status().message();
}

TEST(CatalogProblems, InvalidJsonAndYamlGiveFileLineAndColumn) {
  MemoryFileSystem fs;
  fs.Add("bad.json", "{\n  \"openapi\": \"3.0.0\",\n  \"paths\": {,}\n}");
  fs.Add("bad.yaml", "openapi: 3.0.0\npaths:\n  /x: [unclosed\n");
  Catalog catalog(fs);
  EXPECT_TRUE(catalog.Add("bad.json"));
  EXPECT_TRUE(catalog.Add("bad.yaml"));
  ASSERT_EQ(2u, Structural(catalog).size());
  EXPECT_EQ("SPEC_PARSE_ERROR", Structural(catalog)[0].code);
  EXPECT_EQ("bad.json:3:13", Structural(catalog)[0].location);
  EXPECT_EQ("SPEC_PARSE_ERROR", Structural(catalog)[1].code);
  EXPECT_EQ(0u, Structural(catalog)[1].location.find("bad.yaml:"))
      << Structural(catalog)[1].location;
}

TEST(CatalogProblems, AMissingPathFailsTheAdd) {
  MemoryFileSystem fs;
  Catalog catalog(fs);
  EXPECT_FALSE(catalog.Add("nowhere"));
  EXPECT_EQ("SPEC_READ_ERROR", Structural(catalog)[0].code);
}

TEST(CatalogProblems, AFileOverTheSizeLimitIsRefusedWithoutBeingRead) {
  MemoryFileSystem fs;
  fs.Add("huge.json", std::string(50u << 20, ' '));
  SpecSetOptions options;
  options.max_file_bytes = 32u << 20;
  Catalog catalog(fs, options);
  EXPECT_TRUE(catalog.Add("huge.json"));
  ASSERT_EQ(1u, Structural(catalog).size());
  EXPECT_EQ("SPEC_TOO_LARGE", Structural(catalog)[0].code);
  EXPECT_TRUE(fs.reads().empty());
}

TEST(CatalogProblems, AFiftyMegabyteFileWithinTheLimitIsParsedAndRefusedWithItsPosition) {
  MemoryFileSystem fs;
  std::string text = "{\"openapi\": \"3.0.0\", \"paths\": {}, \"x-pad\": \"";
  text.append(50u << 20, 'a');
  text += "\" oops}";
  fs.Add("big.json", text);
  Catalog catalog(fs);
  EXPECT_TRUE(catalog.Add("big.json"));
  ASSERT_EQ(1u, Structural(catalog).size());
  EXPECT_EQ("SPEC_PARSE_ERROR", Structural(catalog)[0].code);
  EXPECT_EQ("big.json:1:" + std::to_string(text.size() - 4), Structural(catalog)[0].location);
}

TEST(CatalogProblems, DeepNestingIsAParseErrorNotAStackOverflow) {
  MemoryFileSystem fs;
  std::string deep = R"({"openapi": "3.0.0", "paths": )" + std::string(200000, '[') +
                     std::string(200000, ']') + "}";
  fs.Add("deep.json", deep);
  std::string yaml = "openapi: 3.0.0\npaths: " + std::string(5000, '[') + std::string(5000, ']');
  fs.Add("deep.yaml", yaml);
  Catalog catalog(fs);
  EXPECT_TRUE(catalog.Add("deep.json"));
  EXPECT_TRUE(catalog.Add("deep.yaml"));
  ASSERT_EQ(2u, Structural(catalog).size());
  EXPECT_EQ("SPEC_PARSE_ERROR", Structural(catalog)[0].code);
  EXPECT_NE(std::string::npos, Structural(catalog)[0].message.find("nesting deeper than"));
  EXPECT_EQ("SPEC_PARSE_ERROR", Structural(catalog)[1].code);
}

TEST(CatalogProblems, DanglingRefsNameTheFileAndPointer) {
  MemoryFileSystem fs;
  fs.Add("api.yaml", R"(openapi: 3.0.0
paths:
  /x:
    get:
      responses:
        '200': {$ref: '#/components/responses/Nope'}
        '404': {$ref: 'missing.yaml#/NotFound'}
)");
  Catalog catalog(fs);
  ASSERT_TRUE(catalog.Add("api.yaml"));
  ASSERT_EQ(1u, catalog.operations().size());
  ASSERT_EQ(2u, Structural(catalog).size());
  const CatalogProblem local = Structural(catalog)[0];
  EXPECT_EQ("REF_UNRESOLVED", local.code);
  EXPECT_FALSE(local.is_error);
  EXPECT_EQ("api.yaml#/paths/~1x/get/responses/200", local.location);
  EXPECT_NE(std::string::npos,
            local.message.find("'#/components/responses/Nope' points at nothing"))
      << local.message;
  EXPECT_NE(std::string::npos, Structural(catalog)[1].message.find("missing.yaml"))
      << Structural(catalog)[1].message;
}

TEST(CatalogProblems, CyclicRefsEndInAnErrorNotALoop) {
  MemoryFileSystem fs;
  fs.Add("api.yaml", R"(openapi: 3.0.0
paths:
  /x:
    $ref: '#/components/pathItems/A'
components:
  pathItems:
    A: {$ref: '#/components/pathItems/B'}
    B: {$ref: '#/components/pathItems/A'}
  schemas:
    Tree:
      type: object
      properties:
        children: {type: array, items: {$ref: '#/components/schemas/Tree'}}
)");
  Catalog catalog(fs);
  ASSERT_TRUE(catalog.Add("api.yaml"));
  ASSERT_EQ(1u, Structural(catalog).size());
  EXPECT_NE(std::string::npos, Structural(catalog)[0].message.find("cycle"))
      << Structural(catalog)[0].message;
  // A schema that contains itself is fine: refs are followed lazily, one hop at a time.
  SchemaRef tree = SpecSet::At(*catalog.files()[0], "/components/schemas/Tree");
  SchemaRef items = tree.Child("properties").Child("children").Child("items");
  Result<SchemaRef> followed = catalog.specs().Follow(items);
  ASSERT_TRUE(followed.ok());
  EXPECT_EQ(tree.node, followed->node);
}

TEST(CatalogProblems, RefsReachOtherFilesRelativeToTheReferringOne) {
  MemoryFileSystem fs;
  fs.Add("api/main.yaml", R"(openapi: 3.0.0
paths:
  /x:
    get:
      responses:
        '200': {$ref: 'shared/../shared/responses.yaml#/Ok'}
)");
  fs.Add("api/shared/responses.yaml", "Ok:\n  description: from another file\n");
  Catalog catalog(fs);
  ASSERT_TRUE(catalog.Add("api/main.yaml"));
  EXPECT_TRUE(Structural(catalog).empty()) << Structural(catalog)[0].message;
  EXPECT_EQ("from another file", catalog.operations()[0].FindResponse(200)->description);
}

TEST(CatalogProblems, MappedUrlsAreReadFromALocalFolder) {
  MemoryFileSystem fs;
  fs.Add("api.json", R"({"openapi": "3.0.0", "paths": {"/x": {"get": {"responses": {
      "200": {"$ref": "https://example.com/hub/entities/ok.json"}}}}}})");
  fs.Add("hub/entities/ok.json", R"({"description": "mapped"})");
  Catalog unmapped(fs);
  ASSERT_TRUE(unmapped.Add("api.json"));
  ASSERT_EQ(1u, Structural(unmapped).size());
  EXPECT_NE(std::string::npos, Structural(unmapped)[0].message.find("--ref-map"));
  SpecSetOptions options;
  options.url_mappings = {{"https://example.com/hub/", "hub"}};
  Catalog mapped(fs, options);
  ASSERT_TRUE(mapped.Add("api.json"));
  EXPECT_TRUE(Structural(mapped).empty());
  EXPECT_EQ("mapped", mapped.operations()[0].FindResponse(200)->description);
}

}  // namespace
}  // namespace verity::spec
