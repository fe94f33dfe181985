// The responder on small specs written here: the stateful round trip on OpenAPI 3 and Swagger 2.0,
// nested collections, where resources go in wrapped responses, request validation with pointers,
// 404/405, examples, determinism by seed and concurrent callers.
#include "mock/responder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <thread>

#include "spec/validate.h"
#include "support/memory_file_system.h"

namespace verity::mock {
namespace {

using ::testing::HasSubstr;

constexpr std::string_view kOpenApi = R"(openapi: 3.0.3
info: {title: clients, version: '1'}
servers: [{url: 'https://api.example.com/platform/v1'}]
paths:
  /clients:
    get:
      parameters:
        - {name: per_page, in: query, schema: {type: integer, minimum: 1}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [data, status]
                properties:
                  status: {type: string}
                  data:
                    type: object
                    required: [clients, total]
                    properties:
                      clients: {type: array, items: {$ref: '#/components/schemas/Client'}}
                      total: {type: integer}
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/NewClient'}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/OneClient'}}}}
        '201': {description: created, content: {application/json: {schema: {$ref: '#/components/schemas/OneClient'}}}}
        '400': {description: bad}
  /clients/{client_id}:
    parameters: [{name: client_id, in: path, required: true, schema: {type: string}}]
    get:
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/OneClient'}}}}
    put:
      requestBody:
        content: {application/json: {schema: {$ref: '#/components/schemas/NewClient'}}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/OneClient'}}}}
    patch:
      requestBody:
        content: {application/json: {schema: {$ref: '#/components/schemas/ClientPatch'}}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/OneClient'}}}}
    delete:
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {type: object, required: [status], properties: {status: {type: string}}}}}
  /clients/{client_id}/notes:
    get:
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Note'}}}}
    post:
      requestBody:
        content: {application/json: {schema: {type: object, required: [text], properties: {text: {type: string}}}}}
      responses:
        '201': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Note'}}}}
  /clients/{client_id}/notes/{uid}:
    get:
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Note'}}}}
  /search:
    get:
      parameters:
        - {name: q, in: query, required: true, schema: {type: string, minLength: 2}}
        - {name: ids, in: query, schema: {type: array, items: {type: integer}}}
      responses:
        '200': {description: ok, content: {application/json: {example: {hits: []}}}}
  /health:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {state: {type: string}}}
              example: {state: all good}
components:
  schemas:
    Client:
      type: object
      required: [id, first_name, status]
      properties:
        id: {type: string, readOnly: true}
        first_name: {type: string}
        last_name: {type: string}
        email: {type: string, format: email}
        status: {type: string, enum: [lead, customer]}
        age: {type: integer}
    OneClient:
      type: object
      required: [data]
      properties:
        data: {type: object, required: [client], properties: {client: {$ref: '#/components/schemas/Client'}}}
        token: {type: string}
    NewClient:
      type: object
      required: [first_name]
      properties:
        first_name: {type: string}
        last_name: {type: string}
        email: {type: string, format: email}
        status: {type: string, enum: [lead, customer]}
        age: {type: integer, minimum: 0}
        password: {type: string, writeOnly: true}
    ClientPatch:
      type: object
      properties:
        last_name: {type: string}
        age: {type: integer, minimum: 0}
    Note:
      type: object
      required: [uid, text]
      properties:
        uid: {type: string, format: uuid}
        text: {type: string}
)";

constexpr std::string_view kSwagger = R"(swagger: '2.0'
info: {title: payments, version: '1'}
basePath: /business/payments
paths:
  /v1/packages:
    get:
      responses:
        '200':
          description: ok
          schema:
            type: object
            properties:
              success: {type: boolean}
              data: {type: array, items: {$ref: '#/definitions/Package'}}
    post:
      parameters:
        - {name: body, in: body, required: true, schema: {$ref: '#/definitions/NewPackage'}}
      responses:
        '200': {description: ok, schema: {$ref: '#/definitions/OnePackage'}}
        '422': {description: invalid}
  /v1/packages/{package_id}:
    parameters: [{name: package_id, in: path, required: true, type: integer}]
    get:
      responses:
        '200': {description: ok, schema: {$ref: '#/definitions/OnePackage'}}
    put:
      parameters:
        - {name: body, in: body, schema: {$ref: '#/definitions/NewPackage'}}
      responses:
        '200': {description: ok, schema: {$ref: '#/definitions/OnePackage'}}
    delete:
      responses:
        '204': {description: gone}
definitions:
  Package:
    type: object
    required: [id, name, price]
    properties:
      id: {type: integer}
      name: {type: string}
      price: {type: number, minimum: 0}
      currency: {type: string, enum: [USD, EUR], x-nullable: true}
  NewPackage:
    type: object
    required: [name, price]
    properties:
      name: {type: string}
      price: {type: number, minimum: 0}
      currency: {type: string, enum: [USD, EUR]}
  OnePackage:
    type: object
    properties:
      success: {type: boolean}
      data: {$ref: '#/definitions/Package'}
)";

class Api {
 public:
  explicit Api(std::string_view text, ResponderOptions options = {}) {
    EXPECT_TRUE(catalog_.AddText("api.yaml", text, "test"));
    EXPECT_FALSE(catalog_.operations().empty());
    responder_ = std::make_unique<Responder>(catalog_, options);
  }

  MockResponse Call(std::string_view method, std::string_view path, std::string_view body = "") {
    MockRequest request;
    request.method = method;
    request.path = path;
    request.body = body;
    return responder_->Respond(request);
  }

  // The answer's body, after checking it against the operation's documented response.
  Json Checked(const MockResponse& response, std::string_view method, std::string_view path) {
    if (response.body.empty()) return Json();
    Result<Json> body = ParseJson(response.body);
    EXPECT_TRUE(body.ok()) << response.body;
    if (!body.ok()) return Json();
    const spec::Operation* op = catalog_.Find(method, path);
    EXPECT_NE(nullptr, op);
    if (!op || response.status >= 300) return *body;
    const spec::Response* documented = op->FindResponse(response.status);
    const spec::MediaSchema* media = documented ? documented->JsonMedia() : nullptr;
    if (media && media->schema) {
      spec::SchemaValidator validator(catalog_.specs());
      for (const spec::SchemaIssue& issue : validator.Validate(media->schema, *body).issues) {
        ADD_FAILURE() << method << " " << path << ": " << issue.code << " " << issue.instance_path
                      << ": " << issue.message << "\n"
                      << response.body;
      }
    }
    return *body;
  }

  Responder& responder() { return *responder_; }

 private:
  verity::testing::MemoryFileSystem fs_;
  spec::Catalog catalog_{fs_};
  std::unique_ptr<Responder> responder_;
};

TEST(MockResponder, OpenApi3RoundTripCreateGetListUpdateDeleteThen404) {
  Api api(kOpenApi);
  MockResponse created = api.Call("POST", "/platform/v1/clients",
                                  R"({"first_name": "Ada", "email": "ada@example.com",
                                      "password": "secret"})");
  ASSERT_EQ(201, created.status) << created.body;
  Json body = api.Checked(created, "POST", "/platform/v1/clients");
  const Json& client = body["data"]["client"];
  EXPECT_EQ("Ada", client["first_name"]);
  EXPECT_EQ("ada@example.com", client["email"]);
  EXPECT_FALSE(client.contains("password")) << "writeOnly: stored, never shown";
  ASSERT_TRUE(client["id"].is_string());
  std::string id = client["id"];
  std::string item = "/platform/v1/clients/" + id;

  MockResponse got = api.Call("GET", item);
  ASSERT_EQ(200, got.status) << got.body;
  EXPECT_EQ(client, api.Checked(got, "GET", item)["data"]["client"]);

  MockResponse listed = api.Call("GET", "/platform/v1/clients?per_page=10");
  ASSERT_EQ(200, listed.status) << listed.body;
  const Json clients = api.Checked(listed, "GET", "/platform/v1/clients")["data"]["clients"];
  ASSERT_EQ(3u, clients.size()) << "two seeds and Ada";
  EXPECT_EQ(client, clients[2]);
  EXPECT_NE(clients[0]["id"], clients[1]["id"]);

  MockResponse put = api.Call("PUT", item, R"({"first_name": "Grace"})");
  ASSERT_EQ(200, put.status) << put.body;
  Json replaced = api.Checked(put, "PUT", item)["data"]["client"];
  EXPECT_EQ("Grace", replaced["first_name"]);
  EXPECT_EQ(id, replaced["id"]);
  EXPECT_NE("ada@example.com", replaced.value("email", "")) << "PUT replaces";

  MockResponse patched = api.Call("PATCH", item, R"({"last_name": "Hopper"})");
  ASSERT_EQ(200, patched.status) << patched.body;
  Json merged = api.Checked(patched, "PATCH", item)["data"]["client"];
  EXPECT_EQ("Grace", merged["first_name"]);
  EXPECT_EQ("Hopper", merged["last_name"]);
  EXPECT_EQ("Hopper",
            api.Checked(api.Call("GET", item), "GET", item)["data"]["client"]["last_name"]);

  MockResponse deleted = api.Call("DELETE", item);
  EXPECT_EQ(200, deleted.status) << deleted.body;
  api.Checked(deleted, "DELETE", item);

  MockResponse gone = api.Call("GET", item);
  EXPECT_EQ(404, gone.status);
  EXPECT_THAT(gone.body, HasSubstr("\"NOT_FOUND\""));
  EXPECT_EQ(404, api.Call("PATCH", item, "{}").status);
  EXPECT_EQ(404, api.Call("GET", "/platform/v1/clients/never-made").status);
  EXPECT_EQ(2u, api.Checked(api.Call("GET", "/platform/v1/clients"), "GET",
                            "/platform/v1/clients")["data"]["clients"]
                    .size());
}

// Items whose schema the mock cannot read (a `$ref` to a URL it never fetches) still carry the id
// their item path is addressed by, so what a list shows can be read back, as on the real API.
TEST(MockResponder, ItemsWithoutAReadableSchemaCarryTheIdTheirItemPathImplies) {
  Api api(R"(openapi: 3.0.3
info: {title: offerings, version: '1'}
paths:
  /offerings:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  data:
                    type: object
                    properties:
                      offerings: {type: array, items: {$ref: 'https://example.com/Offering.json'}}
  /offerings/{offering_uid}:
    parameters: [{name: offering_uid, in: path, required: true, schema: {type: string}}]
    get:
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: 'https://example.com/Offering.json'}}}
  /widgets:
    get:
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {type: array, items: {type: object}}}}
  /widgets/{widgetId}:
    parameters: [{name: widgetId, in: path, required: true, schema: {type: string}}]
    get: {responses: {'200': {description: ok, content: {application/json: {schema: {type: object}}}}}}
)");
  MockResponse listed = api.Call("GET", "/offerings");
  ASSERT_EQ(200, listed.status) << listed.body;
  Json offerings = ParseJson(listed.body).value()["data"]["offerings"];
  ASSERT_FALSE(offerings.empty()) << listed.body;
  ASSERT_TRUE(offerings[0].contains("uid")) << listed.body;
  MockResponse got = api.Call("GET", "/offerings/" + offerings[0]["uid"].get<std::string>());
  EXPECT_EQ(200, got.status) << got.body;

  Json widgets = ParseJson(api.Call("GET", "/widgets").body).value();
  ASSERT_FALSE(widgets.empty());
  ASSERT_TRUE(widgets[0].contains("id")) << widgets.dump();
  EXPECT_EQ(200, api.Call("GET", "/widgets/" + widgets[0]["id"].get<std::string>()).status);
}

// Reads of unchanged data come from the answer cache: every kind of change must still show.
TEST(MockResponder, RepeatedReadsAreIdenticalAndEveryChangeShowsInTheNextRead) {
  Api api(kOpenApi);
  auto list = [&api] { return api.Call("GET", "/platform/v1/clients"); };
  MockResponse first = list();
  ASSERT_EQ(200, first.status) << first.body;
  EXPECT_EQ(first.body, list().body);
  EXPECT_EQ(first.headers, list().headers);

  MockResponse created = api.Call("POST", "/platform/v1/clients", R"({"first_name": "Ada"})");
  ASSERT_EQ(201, created.status) << created.body;
  std::string id = Json::parse(created.body)["data"]["client"]["id"];
  std::string item = "/platform/v1/clients/" + id;
  Json clients = api.Checked(list(), "GET", "/platform/v1/clients")["data"]["clients"];
  ASSERT_EQ(3u, clients.size()) << "the create shows in a list read before it";
  EXPECT_EQ("Ada", clients[2]["first_name"]);

  EXPECT_EQ("Ada", api.Checked(api.Call("GET", item), "GET", item)["data"]["client"]["first_name"]);
  ASSERT_EQ(200, api.Call("PATCH", item, R"({"first_name": "Grace"})").status);
  EXPECT_EQ("Grace",
            api.Checked(api.Call("GET", item), "GET", item)["data"]["client"]["first_name"]);
  ASSERT_EQ(200, api.Call("PUT", item, R"({"first_name": "Hedy"})").status);
  EXPECT_EQ("Hedy",
            api.Checked(api.Call("GET", item), "GET", item)["data"]["client"]["first_name"]);
  EXPECT_EQ("Hedy",
            api.Checked(list(), "GET", "/platform/v1/clients")["data"]["clients"][2]["first_name"]);

  ASSERT_EQ(200, api.Call("DELETE", item).status);
  EXPECT_EQ(404, api.Call("GET", item).status);
  EXPECT_EQ(first.body, list().body) << "back to the two seed clients";
}

TEST(MockResponder, FindsWhereTheResourceSitsInEachResponse) {
  Api api(kOpenApi);
  const Responder::OperationPlan* list = api.responder().Plan("GET", "/platform/v1/clients");
  ASSERT_NE(nullptr, list);
  EXPECT_EQ(OpKind::kList, list->kind);
  EXPECT_EQ("/data/clients", list->slot);
  const Responder::OperationPlan* create = api.responder().Plan("POST", "/platform/v1/clients");
  ASSERT_NE(nullptr, create);
  EXPECT_EQ(OpKind::kCreate, create->kind);
  EXPECT_EQ(201, create->status) << "201 for a create when documented, though 200 is too";
  EXPECT_EQ("/data/client", create->slot);
  const Responder::OperationPlan* notes =
      api.responder().Plan("GET", "/platform/v1/clients/x/notes");
  ASSERT_NE(nullptr, notes);
  EXPECT_TRUE(notes->slot_found);
  EXPECT_EQ("", notes->slot) << "a bare array is the list";
  const Responder::OperationPlan* remove = api.responder().Plan("DELETE", "/platform/v1/clients/x");
  ASSERT_NE(nullptr, remove);
  EXPECT_EQ(OpKind::kDelete, remove->kind);
  EXPECT_FALSE(remove->slot_found) << "{status} has no place for a client";
  const Responder::OperationPlan* health = api.responder().Plan("GET", "/platform/v1/health");
  ASSERT_NE(nullptr, health);
  EXPECT_TRUE(health->from_example);
}

TEST(MockResponder, NestedCollectionsAreKeptPerParentWithUuidIds) {
  Api api(kOpenApi);
  MockResponse note = api.Call("POST", "/platform/v1/clients/a/notes", R"({"text": "hello"})");
  ASSERT_EQ(201, note.status) << note.body;
  Json made = api.Checked(note, "POST", "/platform/v1/clients/a/notes");
  EXPECT_EQ("hello", made["text"]);
  std::string uid = made["uid"];
  EXPECT_EQ(36u, uid.size()) << uid;
  EXPECT_EQ(200, api.Call("GET", "/platform/v1/clients/a/notes/" + uid).status);
  EXPECT_EQ(404, api.Call("GET", "/platform/v1/clients/b/notes/" + uid).status);
  Json a = api.Checked(api.Call("GET", "/platform/v1/clients/a/notes"), "GET",
                       "/platform/v1/clients/a/notes");
  Json b = api.Checked(api.Call("GET", "/platform/v1/clients/b/notes"), "GET",
                       "/platform/v1/clients/b/notes");
  EXPECT_EQ(3u, a.size());
  EXPECT_EQ(2u, b.size());
  std::vector<std::string> ids = api.responder().IdsBeside("GET", "/platform/v1/clients/a/notes/x");
  ASSERT_EQ(3u, ids.size());
  EXPECT_EQ(uid, ids.back());
}

// "location pointer CODE" per issue of a validation answer.
std::vector<std::string> Issues(const MockResponse& response) {
  std::vector<std::string> out;
  Result<Json> body = ParseJson(response.body);
  EXPECT_TRUE(body.ok()) << response.body;
  if (!body.ok()) return out;
  for (const Json& e : (*body)["errors"]) {
    out.push_back(e["location"].get<std::string>() + " " + e["pointer"].get<std::string>() + " " +
                  e["code"].get<std::string>());
    EXPECT_FALSE(e["message"].get<std::string>().empty());
  }
  return out;
}

// Only gmock's header-only matchers link here (no libgmock), so no UnorderedElementsAre.
std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

TEST(MockResponder, InvalidRequestsGet400WithEveryIssueAndItsPointer) {
  Api api(kOpenApi);
  MockResponse wrong =
      api.Call("POST", "/platform/v1/clients", R"({"first_name": 12, "status": "vip", "age": -1})");
  EXPECT_EQ(400, wrong.status);
  EXPECT_THAT(Sorted(Issues(wrong)),
              ::testing::ElementsAre("body /age SCHEMA_MISMATCH", "body /first_name TYPE_MISMATCH",
                                     "body /status ENUM_MISMATCH"));
  EXPECT_THAT(Issues(api.Call("POST", "/platform/v1/clients", R"({"last_name": "x"})")),
              ::testing::ElementsAre("body /first_name MISSING_REQUIRED_FIELD"));
  EXPECT_THAT(Issues(api.Call("POST", "/platform/v1/clients", "")),
              ::testing::ElementsAre("body  MISSING_REQUIRED_FIELD"));
  EXPECT_THAT(Issues(api.Call("POST", "/platform/v1/clients", "{\"first_name\": ")),
              ::testing::ElementsAre("body  INVALID_JSON"));
  EXPECT_THAT(Issues(api.Call("GET", "/platform/v1/clients?per_page=abc")),
              ::testing::ElementsAre("query /per_page TYPE_MISMATCH"));
  EXPECT_THAT(Issues(api.Call("GET", "/platform/v1/clients?per_page=0")),
              ::testing::ElementsAre("query /per_page SCHEMA_MISMATCH"));
  EXPECT_EQ(404, api.Call("PATCH", "/platform/v1/clients/x", R"({"id": "mine"})").status)
      << "an unknown id is a 404, not a validation error";
  EXPECT_EQ(404, api.Call("PATCH", "/platform/v1/clients/x", R"({"age": 3})").status);
}

TEST(MockResponder, QueryParametersAreRequiredAndTypedAsTheSpecSays) {
  Api api(kOpenApi);
  EXPECT_THAT(Issues(api.Call("GET", "/platform/v1/search")),
              ::testing::ElementsAre("query /q MISSING_REQUIRED_FIELD"));
  EXPECT_THAT(Issues(api.Call("GET", "/platform/v1/search?q=a&ids=1,x")),
              ::testing::ElementsAre("query /q SCHEMA_MISMATCH", "query /ids/1 TYPE_MISMATCH"));
  MockResponse found = api.Call("GET", "/platform/v1/search?q=a%20b&ids=1,2");
  EXPECT_EQ(200, found.status) << found.body;
  EXPECT_EQ(R"({"hits":[]})", found.body);
  MockRequest decoded;
  decoded.method = "GET";
  decoded.path = "/platform/v1/search";
  decoded.query = {{"q", "ab"}};
  EXPECT_EQ(200, api.responder().Respond(decoded).status) << "query pairs from the server count";
}

TEST(MockResponder, UnknownPathsAre404AndOtherMethods405) {
  Api api(kOpenApi);
  MockResponse none = api.Call("GET", "/platform/v1/nothing");
  EXPECT_EQ(404, none.status);
  EXPECT_THAT(none.body, HasSubstr("NO_OPERATION"));
  EXPECT_EQ(nullptr, none.operation);
  MockResponse method = api.Call("DELETE", "/platform/v1/clients");
  EXPECT_EQ(405, method.status);
  bool allow = false;
  for (const auto& [name, value] : method.headers) {
    if (name == "Allow") {
      allow = true;
      EXPECT_EQ("GET, POST", value);
    }
  }
  EXPECT_TRUE(allow);
}

TEST(MockResponder, NonCrudOperationsAnswerTheirExample) {
  Api api(kOpenApi);
  MockResponse health = api.Call("GET", "/platform/v1/health");
  EXPECT_EQ(200, health.status);
  EXPECT_EQ(R"({"state":"all good"})", health.body);
  ASSERT_NE(nullptr, health.operation);
  EXPECT_EQ("GET /platform/v1/health", health.operation->Key());
}

TEST(MockResponder, Swagger2RoundTripWithIntegerIdsAnd422) {
  Api api(kSwagger);
  const std::string base = "/business/payments/v1/packages";
  MockResponse created = api.Call("POST", base, R"({"name": "Gold", "price": 9.5})");
  ASSERT_EQ(200, created.status) << created.body;
  Json package = api.Checked(created, "POST", base)["data"];
  EXPECT_EQ("Gold", package["name"]);
  ASSERT_TRUE(package["id"].is_number_integer()) << package;
  EXPECT_EQ(3, package["id"]) << "two seeds first";
  std::string item = base + "/3";
  EXPECT_EQ(package, api.Checked(api.Call("GET", item), "GET", item)["data"]);
  Json list = api.Checked(api.Call("GET", base), "GET", base);
  ASSERT_EQ(3u, list["data"].size());
  MockResponse put = api.Call("PUT", item, R"({"name": "Platinum", "price": 20})");
  EXPECT_EQ("Platinum", api.Checked(put, "PUT", item)["data"]["name"]);
  MockResponse deleted = api.Call("DELETE", item);
  EXPECT_EQ(204, deleted.status);
  EXPECT_EQ("", deleted.body);
  EXPECT_EQ(404, api.Call("GET", item).status);

  MockResponse invalid =
      api.Call("POST", base, R"({"name": "Gold", "price": "9", "currency": "GBP"})");
  EXPECT_EQ(422, invalid.status) << "the spec documents 422 and not 400";
  EXPECT_THAT(Sorted(Issues(invalid)),
              ::testing::ElementsAre("body /currency ENUM_MISMATCH", "body /price TYPE_MISMATCH"));
  EXPECT_THAT(Issues(api.Call("GET", base + "/abc")),
              ::testing::ElementsAre("path /package_id TYPE_MISMATCH"));
}

TEST(MockResponder, TheSeedDecidesTheIds) {
  auto first_id = [](uint64_t seed) {
    ResponderOptions options;
    options.seed = seed;
    Api api(kOpenApi, options);
    MockResponse created = api.Call("POST", "/platform/v1/clients", R"({"first_name": "A"})");
    return ParseJson(created.body).value()["data"]["client"]["id"].get<std::string>();
  };
  EXPECT_EQ(first_id(5), first_id(5));
  EXPECT_NE(first_id(5), first_id(6));
}

TEST(MockResponder, ConcurrentCallersEachGetTheirOwnResource) {
  Api api(kOpenApi);
  std::vector<std::thread> threads;
  std::vector<std::set<std::string>> made(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        MockResponse r = api.Call("POST", "/platform/v1/clients", R"({"first_name": "T"})");
        if (r.status != 201) continue;
        std::string id = ParseJson(r.body).value()["data"]["client"]["id"];
        if (api.Call("GET", "/platform/v1/clients/" + id).status == 200) made[t].insert(id);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::set<std::string> all;
  for (const auto& ids : made) all.insert(ids.begin(), ids.end());
  EXPECT_EQ(200u, all.size());
}

}  // namespace
}  // namespace verity::mock
