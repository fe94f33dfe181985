// One resource behind a plural collection and a singular item path (`POST /silences`,
// `GET /silence/{silenceID}`), as Prometheus Alertmanager's published description spells them:
// what a create made is read back and deleted at the item path, its id fits the item path's
// parameter, and the create's answer names it as the spec does (`{"silenceID": …}`).
#include <gtest/gtest.h>

#include "base/json.h"
#include "e2e/alertmanager_server.h"
#include "mock/responder.h"
#include "spec/catalog.h"
#include "support/memory_file_system.h"

namespace verity::mock {
namespace {

constexpr char kSilences[] = R"(swagger: "2.0"
info: {title: silences, version: "1"}
basePath: /api/v2
paths:
  /alerts:
    get:
      responses:
        "200": {description: all, schema: {type: array, items: {$ref: '#/definitions/alert'}}}
    post:
      parameters:
        - {name: alerts, in: body, required: true, schema: {type: array, items: {$ref: '#/definitions/alert'}}}
      responses:
        "200": {description: taken}
  /silences:
    get:
      responses:
        "200": {description: all, schema: {type: array, items: {$ref: '#/definitions/silence'}}}
    post:
      parameters:
        - {name: silence, in: body, required: true, schema: {$ref: '#/definitions/postable'}}
      responses:
        "200":
          description: made
          schema: {type: object, properties: {silenceID: {type: string}}}
  /silence/{silenceID}:
    parameters: [{name: silenceID, in: path, required: true, type: string, format: uuid}]
    get:
      responses:
        "200": {description: one, schema: {$ref: '#/definitions/silence'}}
        "404": {description: none}
    delete:
      responses: {"200": {description: gone}, "404": {description: none}}
definitions:
  alert:
    type: object
    required: [labels]
    properties: {labels: {type: object, additionalProperties: {type: string}}}
  postable:
    type: object
    required: [comment]
    properties: {comment: {type: string}}
  silence:
    type: object
    required: [id, comment]
    properties: {id: {type: string}, comment: {type: string}}
)";

class Mock {
 public:
  explicit Mock(std::string_view text) {
    EXPECT_TRUE(catalog_.AddText("api.json", text, "test"));
    responder_ = std::make_unique<Responder>(catalog_, ResponderOptions{});
  }
  MockResponse Call(std::string_view method, std::string_view path, std::string_view body = "") {
    MockRequest request;
    request.method = method;
    request.path = path;
    request.body = body;
    return responder_->Respond(request);
  }

 private:
  verity::testing::MemoryFileSystem fs_;
  spec::Catalog catalog_{fs_};
  std::unique_ptr<Responder> responder_;
};

bool LooksLikeUuid(const std::string& s) {
  return s.size() == 36 && s[8] == '-' && s[13] == '-' && s[18] == '-' && s[23] == '-';
}

// Creates a silence, reads it back at the singular path, lists it, deletes it, and reads a 404.
void RoundTrip(Mock& mock, const std::string& create_body) {
  MockResponse created = mock.Call("POST", "/api/v2/silences", create_body);
  ASSERT_EQ(200, created.status) << created.body;
  Json answer = Json::parse(created.body);
  ASSERT_TRUE(answer.contains("silenceID")) << created.body;
  std::string id = answer["silenceID"].get<std::string>();
  EXPECT_TRUE(LooksLikeUuid(id)) << "fits the item path's format: uuid: " << id;
  MockResponse read = mock.Call("GET", "/api/v2/silence/" + id);
  ASSERT_EQ(200, read.status) << read.body;
  EXPECT_EQ(id, Json::parse(read.body)["id"]);
  EXPECT_EQ("why not", Json::parse(read.body)["comment"]);
  bool listed = false;
  for (const Json& item : Json::parse(mock.Call("GET", "/api/v2/silences").body))
    listed = listed || item["id"] == id;
  EXPECT_TRUE(listed);
  EXPECT_EQ(200, mock.Call("DELETE", "/api/v2/silence/" + id).status);
  EXPECT_EQ(404, mock.Call("GET", "/api/v2/silence/" + id).status);
}

TEST(MockResourceIdentity, ASingularItemPathReadsWhatThePluralCollectionCreated) {
  Mock mock(kSilences);
  RoundTrip(mock, R"({"comment": "why not"})");
}

TEST(MockResourceIdentity, ItemsTheListShowsCarryIdsTheItemPathAccepts) {
  Mock mock(kSilences);
  Json list = Json::parse(mock.Call("GET", "/api/v2/silences").body);
  ASSERT_FALSE(list.empty()) << "seeded";
  for (const Json& item : list) {
    std::string id = item["id"].get<std::string>();
    EXPECT_TRUE(LooksLikeUuid(id)) << id;
    EXPECT_EQ(200, mock.Call("GET", "/api/v2/silence/" + id).status) << id;
  }
}

TEST(MockResourceIdentity, AnArrayBodyCreatesEachOfItsItems) {
  Mock mock(kSilences);
  size_t seeded = Json::parse(mock.Call("GET", "/api/v2/alerts").body).size();
  MockResponse posted = mock.Call(
      "POST", "/api/v2/alerts", R"([{"labels": {"team": "storage"}}, {"labels": {"team": "db"}}])");
  ASSERT_EQ(200, posted.status) << posted.body;
  Json alerts = Json::parse(mock.Call("GET", "/api/v2/alerts").body);
  ASSERT_EQ(seeded + 2, alerts.size()) << alerts;
  EXPECT_EQ("storage", alerts[seeded]["labels"]["team"]);
  EXPECT_EQ("db", alerts[seeded + 1]["labels"]["team"]);
}

constexpr char kRpc[] = R"(openapi: 3.0.3
info: {title: kv, version: "1"}
paths:
  /v3/kv/put:
    post:
      requestBody:
        content: {application/json: {schema: {type: object, properties: {key: {type: string}, value: {type: string}}}}}
      responses:
        "200":
          description: put
          content: {application/json: {schema: {type: object, properties: {header: {type: object, properties: {revision: {type: string}}}, prev_kv: {type: object, properties: {key: {type: string}, value: {type: string}}}}}}}
  /v3/lease/grant:
    post:
      requestBody:
        content: {application/json: {schema: {type: object, properties: {TTL: {type: string, format: int64}, ID: {type: string, format: int64}}}}}
      responses:
        "200":
          description: granted
          content: {application/json: {schema: {type: object, properties: {ID: {type: string, format: int64}, TTL: {type: string, format: int64}, error: {type: string}, state: {type: string, enum: [granted, pending]}}}}}
  /refunds:
    post:
      requestBody:
        content: {application/json: {schema: {type: object, properties: {amount: {type: integer}}}}}
      responses:
        "201":
          description: made
          content: {application/json: {schema: {type: object, properties: {refund: {type: object, properties: {id: {type: string}, amount: {type: integer}}}}}}}
)";

TEST(MockResourceIdentity, ACallToAVerbIsNoCreateButACreateOnlyCollectionIsStill) {
  verity::testing::MemoryFileSystem fs;
  spec::Catalog catalog(fs);
  ASSERT_TRUE(catalog.AddText("kv.yaml", kRpc, "test"));
  Responder responder(catalog, ResponderOptions{});
  EXPECT_EQ(OpKind::kOther, responder.Plan("POST", "/v3/kv/put")->kind);
  EXPECT_EQ(OpKind::kCreate, responder.Plan("POST", "/refunds")->kind);
  MockRequest put;
  put.method = "POST";
  put.path = "/v3/kv/put";
  put.body = R"({"key": "a2V5", "value": "dmFsdWU="})";
  MockResponse answer = responder.Respond(put);
  ASSERT_EQ(200, answer.status) << answer.body;
  EXPECT_EQ(std::string::npos, answer.body.find("dmFsdWU="))
      << "no echo as prev_kv: " << answer.body;
}

TEST(MockResourceIdentity, ACallAnswersWithTheValuesItWasSentWhereTheAnswerNamesThem) {
  verity::testing::MemoryFileSystem fs;
  spec::Catalog catalog(fs);
  ASSERT_TRUE(catalog.AddText("kv.yaml", kRpc, "test"));
  Responder responder(catalog, ResponderOptions{});
  MockRequest grant;
  grant.method = "POST";
  grant.path = "/v3/lease/grant";
  grant.body = R"({"TTL": "60", "state": "revoked"})";
  MockResponse answer = responder.Respond(grant);
  ASSERT_EQ(200, answer.status) << answer.body;
  Json body = Json::parse(answer.body);
  EXPECT_EQ("60", body["TTL"]) << answer.body;
  // A value the answer's schema refuses (not in its enum) is not echoed.
  EXPECT_NE("revoked", body["state"]) << answer.body;
  // What was not sent is generated as before.
  EXPECT_TRUE(body["ID"].is_string()) << answer.body;
}

TEST(MockResourceIdentity, AlertmanagersPublishedDescriptionKeepsOneSilenceBehindBothPaths) {
  std::string error;
  std::optional<std::string> spec = verity::testing::PublishedAlertmanagerSpec(&error);
  if (!spec) GTEST_SKIP() << error;
  Mock mock(*spec);
  RoundTrip(mock,
            R"({"matchers": [{"name": "a", "value": "b", "isRegex": false}], "createdBy": "me",
                "comment": "why not", "startsAt": "2026-12-07T00:00:00Z",
                "endsAt": "2026-12-08T00:00:00Z"})");
}

}  // namespace
}  // namespace verity::mock
