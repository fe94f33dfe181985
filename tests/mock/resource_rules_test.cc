// The rules file's `resources` (docs/mock-rules.md, "Resources"): what the API computes when it
// creates, a DELETE that marks instead of removing, and list filters in a query language of the
// API's own, read from the file and applied by the responder.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/json.h"
#include "mock/responder.h"
#include "mock/rules.h"
#include "spec/catalog.h"
#include "support/memory_file_system.h"

namespace verity::mock {
namespace {

using ::testing::HasSubstr;

constexpr char kSilences[] = R"(swagger: "2.0"
info: {title: silences, version: "1"}
paths:
  /silences:
    get:
      parameters: [{name: filter, in: query, type: array, items: {type: string}, collectionFormat: multi}]
      responses:
        "200": {description: all, schema: {type: array, items: {$ref: '#/definitions/silence'}}}
    post:
      parameters:
        - {name: silence, in: body, required: true, schema: {$ref: '#/definitions/silence'}}
      responses:
        "200": {description: made, schema: {type: object, properties: {silenceID: {type: string}}}}
  /silence/{silenceID}:
    parameters: [{name: silenceID, in: path, required: true, type: string, format: uuid}]
    get:
      responses: {"200": {description: one, schema: {$ref: '#/definitions/silence'}}}
    delete:
      responses: {"200": {description: gone}}
definitions:
  silence:
    type: object
    properties:
      id: {type: string}
      matchers:
        type: array
        items: {type: object, properties: {name: {type: string}, value: {type: string}}}
      status:
        type: object
        properties: {state: {type: string, enum: [expired, active, pending]}}
)";

constexpr char kRules[] = R"yaml(resources:
  - path: /silence/{id}
    on_create: {status: {state: active}}
    on_delete: {status: {state: expired}}
    filters:
      - param: filter
        pattern: '(?P<name>\w+)="(?P<value>[^"]*)"'
        path: "$.matchers[?@.name == '{{name}}' && @.value == '{{value}}']"
        exists: true
)yaml";

class Mock {
 public:
  explicit Mock(std::string_view rules) {
    EXPECT_TRUE(catalog_.AddText("api.yaml", kSilences, "test"));
    Result<Rules> parsed = ParseRules(rules, "rules.yaml");
    EXPECT_TRUE(parsed.ok()) << parsed.status().message();
    ResponderOptions options;
    if (parsed.ok()) options.resources = parsed->resources;
    responder_ = std::make_unique<Responder>(catalog_, options);
  }
  MockResponse Call(std::string_view method, std::string_view path, std::string_view body = "",
                    std::vector<std::pair<std::string, std::string>> query = {}) {
    MockRequest request{.method = method, .path = path, .query = std::move(query), .body = body};
    return responder_->Respond(request);
  }
  std::string Create(std::string_view team) {
    MockResponse made =
        Call("POST", "/silences",
             fmt::format(R"({{"matchers": [{{"name": "team", "value": "{}"}}]}})", team));
    EXPECT_EQ(200, made.status) << made.body;
    return Json::parse(made.body).value("silenceID", "");
  }
  const Responder& responder() const { return *responder_; }

 private:
  verity::testing::MemoryFileSystem fs_;
  spec::Catalog catalog_{fs_};
  std::unique_ptr<Responder> responder_;
};

TEST(MockResourceRules, ACreatedResourceTakesWhatTheServerComputes) {
  Mock mock(kRules);
  std::string id = mock.Create("storage");
  MockResponse read = mock.Call("GET", "/silence/" + id);
  ASSERT_EQ(200, read.status) << read.body;
  EXPECT_EQ("active", Json::parse(read.body)["status"]["state"]) << read.body;
}

TEST(MockResourceRules, ADeleteThatMarksLeavesTheResourceReadableAndListed) {
  Mock mock(kRules);
  std::string id = mock.Create("storage");
  ASSERT_EQ(200, mock.Call("DELETE", "/silence/" + id).status);
  MockResponse read = mock.Call("GET", "/silence/" + id);
  ASSERT_EQ(200, read.status) << read.body;
  EXPECT_EQ("expired", Json::parse(read.body)["status"]["state"]);
  bool listed = false;
  for (const Json& item : Json::parse(mock.Call("GET", "/silences").body))
    listed = listed || item["id"] == id;
  EXPECT_TRUE(listed);
}

TEST(MockResourceRules, WithoutOnDeleteADeleteRemoves) {
  Mock mock("resources: [{path: /silences, on_create: {status: {state: active}}}]");
  std::string id = mock.Create("storage");
  ASSERT_EQ(200, mock.Call("DELETE", "/silence/" + id).status);
  EXPECT_EQ(404, mock.Call("GET", "/silence/" + id).status);
}

TEST(MockResourceRules, AFilterInTheApisOwnLanguageKeepsOnlyTheItemsThatHoldEveryValue) {
  Mock mock(kRules);
  std::string storage = mock.Create("storage");
  mock.Create("network");
  Json one = Json::parse(mock.Call("GET", "/silences", "", {{"filter", R"(team="storage")"}}).body);
  ASSERT_EQ(1u, one.size()) << one;
  EXPECT_EQ(storage, one[0]["id"]);
  Json none = Json::parse(mock.Call("GET", "/silences", "",
                                    {{"filter", R"(team="storage")"}, {"filter", R"(team="db")"}})
                              .body);
  EXPECT_TRUE(none.empty()) << none;
  // A quote in the value stays inside the JSONPath's string: it matches nothing, breaks nothing.
  Json quoted = Json::parse(mock.Call("GET", "/silences", "", {{"filter", R"(team="it's")"}}).body);
  EXPECT_TRUE(quoted.empty()) << quoted;
}

TEST(MockResourceRules, AValueThePatternDoesNotMatchFiltersNothing) {
  Mock mock(kRules);
  size_t all = Json::parse(mock.Call("GET", "/silences").body).size();
  Json listed = Json::parse(mock.Call("GET", "/silences", "", {{"filter", "team=~st.*"}}).body);
  EXPECT_EQ(all, listed.size());
}

TEST(MockResourceRules, APathNoCollectionHasIsANote) {
  Mock mock(R"(resources: [{path: "/nowhere/{id}", on_delete: {gone: true}}])");
  ASSERT_EQ(1u, mock.responder().notes().size());
  EXPECT_THAT(mock.responder().notes()[0], HasSubstr("no collection of the specs has the path"));
}

TEST(MockResourceRulesParse, EachProblemIsReportedWithItsPlaceAndCode) {
  Result<Rules> rules = ParseRules(R"yaml(resources:
  - path: silences
    on_create: active
    colour: blue
    filters:
      - {param: filter, pattern: "(", path: "$.a", exists: true}
      - {param: filter, path: "$[", exists: true}
      - {param: filter, path: "$.a", frobs: true}
      - {path: "$.a"}
)yaml",
                                   "rules.yaml");
  ASSERT_FALSE(rules.ok());
  std::string text = rules.status().message();
  EXPECT_THAT(text, HasSubstr("rules.yaml:2:"));
  EXPECT_THAT(text, HasSubstr("a path of the spec, starting with /"));
  EXPECT_THAT(text, HasSubstr("rules.yaml:3:"));
  EXPECT_THAT(text, HasSubstr("[MOCK_RULE_UNKNOWN_KEY]"));
  EXPECT_THAT(text, HasSubstr("filters[0].pattern"));
  EXPECT_THAT(text, HasSubstr("filters[1].path"));
  EXPECT_THAT(text, HasSubstr("\"frobs\" is neither"));
  EXPECT_THAT(text, HasSubstr("filters[3]: param is required"));
  EXPECT_THAT(text, HasSubstr("[MOCK_RULE_FILTER]"));
}

}  // namespace
}  // namespace verity::mock
