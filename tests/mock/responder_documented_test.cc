// The mock's answers where the specs document them: an invalid request answered in the operation's
// documented error shape, and, of two specs giving one operation, the one that documents a body
// (or documents it whole).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "mock/responder.h"
#include "spec/validate.h"
#include "support/memory_file_system.h"

namespace verity::mock {
namespace {

using ::testing::HasSubstr;

constexpr std::string_view kDocumentedErrors = R"(openapi: 3.0.3
info: {title: documented errors, version: '1'}
paths:
  /notes:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [title]
              properties: {title: {type: string}}
      responses:
        '201': {description: created, content: {application/json: {schema: {type: object}}}}
        '400':
          description: refused
          content:
            application/json:
              schema:
                type: object
                additionalProperties: false
                required: [status, error]
                properties:
                  status: {type: string, enum: [error]}
                  error:
                    type: object
                    required: [code, message]
                    properties:
                      code: {type: integer}
                      message: {type: string}
  /tags:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [name], properties: {name: {type: string}}}
      responses:
        '201': {description: created}
        4XX:
          description: refused
          content:
            application/json:
              schema:
                type: object
                required: [detail]
                properties: {detail: {type: string}, kind: {type: string, enum: [invalid]}}
)";

// The 400 answer, parsed, after checking it against the operation's documented 400 (or 4XX) body.
Json ValidErrorAnswer(spec::Catalog& catalog, const MockResponse& response) {
  Result<Json> body = ParseJson(response.body);
  EXPECT_TRUE(body.ok()) << response.body;
  if (!body.ok() || !response.operation) return Json();
  const spec::Response* documented = response.operation->FindResponse(response.status);
  EXPECT_NE(nullptr, documented);
  if (!documented) return *body;
  spec::SchemaValidator validator(catalog.specs());
  spec::ValidationResult result = validator.Validate(documented->JsonMedia()->schema, *body);
  for (const spec::SchemaIssue& issue : result.issues)
    ADD_FAILURE() << issue.code << " " << issue.instance_path << ": " << issue.message << "\n"
                  << response.body;
  return *body;
}

TEST(MockResponder, AnInvalidRequestIsAnsweredInTheOperationsDocumentedErrorShape) {
  verity::testing::MemoryFileSystem fs;
  spec::Catalog catalog(fs);
  ASSERT_TRUE(catalog.AddText("api.yaml", kDocumentedErrors, "test"));
  Responder responder(catalog);
  MockRequest request;
  request.method = "POST";
  request.path = "/notes";
  request.body = R"({"title": 7})";
  MockResponse refused = responder.Respond(request);
  EXPECT_EQ(400, refused.status);
  Json body = ValidErrorAnswer(catalog, refused);
  EXPECT_EQ("error", body["status"]);
  EXPECT_THAT(body["error"]["message"].get<std::string>(), HasSubstr("body /title"));
  EXPECT_THAT(body["error"]["message"].get<std::string>(), HasSubstr("TYPE_MISMATCH"));
  EXPECT_TRUE(body["error"]["code"].is_number_integer()) << body;

  request.path = "/tags";  // documented under 4XX, the text in `detail`
  request.body = R"({})";
  MockResponse range = responder.Respond(request);
  EXPECT_EQ(400, range.status);
  Json detail = ValidErrorAnswer(catalog, range);
  EXPECT_THAT(detail["detail"].get<std::string>(), HasSubstr("MISSING_REQUIRED_FIELD")) << detail;
}

TEST(MockResponder, OfTwoSpecsGivingOneOperationTheOneWithABodyServesIt) {
  verity::testing::MemoryFileSystem fs;
  spec::Catalog catalog(fs);
  // The legacy spec is loaded first and documents no body; its successor has an example.
  ASSERT_TRUE(catalog.AddText("legacy.yaml", R"(swagger: '2.0'
info: {title: legacy, version: '1'}
paths:
  /platform/v1/services:
    get:
      responses:
        '200': {description: ok}
  /platform/v1/staff:
    get:
      responses:
        '200': {description: ok, schema: {type: object, required: [staff], properties: {staff: {type: array}}}}
)",
                              "test"));
  ASSERT_TRUE(catalog.AddText("current.yaml", R"(openapi: 3.0.3
info: {title: current, version: '2'}
paths:
  /platform/v1/services:
    get:
      responses:
        '200':
          description: ok
          content: {application/json: {example: {data: {services: [{id: s1}]}}}}
  /platform/v1/staff:
    get:
      responses:
        '200':
          description: ok
          content: {application/json: {example: {members: []}}}
)",
                              "test"));
  Responder responder(catalog);
  MockRequest request;
  request.method = "GET";
  request.path = "/platform/v1/services";
  MockResponse services = responder.Respond(request);
  EXPECT_EQ(200, services.status);
  // A list: the store answers it in the example's shape.
  Result<Json> body = ParseJson(services.body);
  ASSERT_TRUE(body.ok()) << "an empty 200 from the legacy spec: '" << services.body << "'";
  EXPECT_TRUE((*body)["data"]["services"].is_array()) << services.body;
  request.path = "/platform/v1/staff";
  MockResponse staff = responder.Respond(request);
  EXPECT_THAT(staff.body, HasSubstr("\"staff\"")) << "both have a body: the first loaded serves it";
}

TEST(MockResponder, OfTwoSpecsGivingOneOperationTheOneWithoutRemoteRefsServesIt) {
  verity::testing::MemoryFileSystem fs;
  spec::Catalog catalog(fs);
  // The published spec refers to schemas on the web (never fetched); the bundled edition of the
  // same operation has them inline.
  ASSERT_TRUE(catalog.AddText("published.yaml", R"(openapi: 3.0.3
info: {title: published, version: '1'}
paths:
  /v3/invoices:
    post:
      responses:
        '201':
          description: created
          content:
            application/json:
              schema:
                allOf:
                  - $ref: 'https://example.invalid/entities/response.json'
                  - properties: {data: {$ref: 'https://example.invalid/entities/invoice.json'}}
)",
                              "test"));
  ASSERT_TRUE(catalog.AddText("bundled.yaml", R"(openapi: 3.0.3
info: {title: bundled, version: '1'}
paths:
  /v3/invoices:
    post:
      responses:
        '201':
          description: created
          content:
            application/json:
              schema:
                type: object
                required: [success, data]
                properties:
                  success: {type: boolean}
                  data:
                    type: object
                    required: [uid]
                    properties: {uid: {type: string}, total: {type: number}}
)",
                              "test"));
  Responder responder(catalog);
  MockRequest request;
  request.method = "POST";
  request.path = "/v3/invoices";
  request.body = R"({"total": 12})";
  MockResponse created = responder.Respond(request);
  EXPECT_EQ(201, created.status) << created.body;
  Result<Json> body = ParseJson(created.body);
  ASSERT_TRUE(body.ok()) << created.body;
  EXPECT_TRUE(body->contains("success")) << "the published spec's holes served: " << created.body;
  EXPECT_TRUE((*body)["data"]["uid"].is_string()) << created.body;
}

TEST(MockResponder, AReadWhoseExampleLeavesTheResourceEmptyTakesItsMembersFromTheList) {
  verity::testing::MemoryFileSystem fs;
  spec::Catalog catalog(fs);
  ASSERT_TRUE(catalog.AddText("services.yaml", R"(openapi: 3.0.3
info: {title: services, version: '1'}
paths:
  /services:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json: {example: {data: {services: [{id: s1, name: Consultation}]}}}
  /services/{service_uid}:
    get:
      parameters: [{name: service_uid, in: path, required: true, schema: {type: string}}]
      responses:
        '200':
          description: ok
          content: {application/json: {example: {data: {service: {}}, status: OK}}}
)",
                              "test"));
  ResponderOptions options;
  options.seed_items = 2;
  Responder responder(catalog, options);
  MockRequest request;
  request.method = "GET";
  request.path = "/services";
  MockResponse list = responder.Respond(request);
  Result<Json> body = ParseJson(list.body);
  ASSERT_TRUE(body.ok()) << list.body;
  const Json& services = (*body)["data"]["services"];
  ASSERT_TRUE(services.is_array() && !services.empty()) << list.body;
  ASSERT_TRUE(services[0]["id"].is_string()) << "items shaped by the empty read: " << list.body;
  EXPECT_TRUE(services[0].contains("name")) << list.body;
  std::string item_path = "/services/" + services[0]["id"].get<std::string>();
  request.path = item_path;
  MockResponse read = responder.Respond(request);
  EXPECT_EQ(200, read.status) << read.body;
  Result<Json> one = ParseJson(read.body);
  ASSERT_TRUE(one.ok()) << read.body;
  EXPECT_EQ(services[0]["id"], (*one)["data"]["service"]["id"]) << read.body;
}

}  // namespace
}  // namespace verity::mock
