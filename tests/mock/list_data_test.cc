// What a list answers: seed items that differ from one another (the spec's example first), and
// only the items a query parameter naming one of their members asks for (`?active=true`).
#include <gtest/gtest.h>

#include <set>

#include "base/json.h"
#include "mock/responder.h"
#include "spec/catalog.h"
#include "support/memory_file_system.h"

namespace verity::mock {
namespace {

constexpr char kPackages[] = R"(openapi: 3.0.3
info: {title: packages, version: "1"}
paths:
  /packages:
    get:
      parameters:
        - {name: active, in: query, schema: {type: boolean}}
        - {name: currency, in: query, schema: {type: string}}
        - {name: page, in: query, schema: {type: integer}}
        - {name: per_page, in: query, schema: {type: integer}}
        - {name: offset, in: query, schema: {type: integer}}
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        "200":
          description: all
          content:
            application/json:
              schema: {type: object, properties: {packages: {type: array, items: {$ref: '#/components/schemas/Package'}}}}
    post:
      requestBody:
        content: {application/json: {schema: {$ref: '#/components/schemas/Package'}}}
      responses:
        "201":
          description: made
          content: {application/json: {schema: {type: object, properties: {package: {$ref: '#/components/schemas/Package'}}}}}
  /packages/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    get:
      responses:
        "404":
          description: none
          content:
            application/json:
              schema: {type: object, required: [error], properties: {error: {type: object, required: [reason], properties: {reason: {type: string}}}}}
        "200":
          description: one
          content:
            application/json:
              schema: {type: object, properties: {package: {$ref: '#/components/schemas/Package'}}}
              example: {package: {id: p1, name: Gold, first_name: Dana, active: true, currency: USD}}
components:
  schemas:
    Package:
      type: object
      properties:
        id: {type: string}
        name: {type: string}
        first_name: {type: string}
        active: {type: boolean}
        currency: {type: string, enum: [USD, EUR]}
)";

class Mock {
 public:
  explicit Mock(std::string_view text, size_t seed_items) {
    EXPECT_TRUE(catalog_.AddText("api.yaml", text, "test"));
    ResponderOptions options;
    options.seed_items = seed_items;
    responder_ = std::make_unique<Responder>(catalog_, options);
  }
  Json Call(std::string_view method, std::string_view path, std::string_view body = "") {
    MockRequest request;
    request.method = method;
    request.path = path;
    request.body = body;
    MockResponse response = responder_->Respond(request);
    EXPECT_LT(response.status, 300) << method << " " << path << ": " << response.body;
    return Json::parse(response.body, nullptr, false);
  }

 private:
  verity::testing::MemoryFileSystem fs_;
  spec::Catalog catalog_{fs_};
  std::unique_ptr<Responder> responder_;
};

TEST(MockListData, SeedItemsDifferFromOneAnotherAndTheExampleComesFirst) {
  Mock mock(kPackages, 3);
  Json packages = mock.Call("GET", "/packages")["packages"];
  ASSERT_EQ(3u, packages.size()) << packages;
  EXPECT_EQ("Dana", packages[0]["first_name"]) << "the example's values first";
  std::set<std::string> names;
  for (const Json& p : packages) names.insert(p["first_name"].get<std::string>());
  EXPECT_EQ(3u, names.size()) << packages;
}

TEST(MockListData, AQueryParameterThatNamesAMemberFiltersTheList) {
  Mock mock(kPackages, 0);
  mock.Call("POST", "/packages", R"({"name": "Gold", "active": true, "currency": "USD"})");
  mock.Call("POST", "/packages", R"({"name": "Lead", "active": false, "currency": "EUR"})");
  mock.Call("POST", "/packages", R"({"name": "Iron", "active": true, "currency": "EUR"})");
  auto names = [&](const std::string& query) {
    std::vector<std::string> out;
    Json answer = mock.Call("GET", "/packages" + query);
    for (const Json& p : answer["packages"]) out.push_back(p["name"].get<std::string>());
    return out;
  };
  EXPECT_EQ((std::vector<std::string>{"Gold", "Iron"}), names("?active=true"));
  EXPECT_EQ((std::vector<std::string>{"Lead"}), names("?active=false"));
  EXPECT_EQ((std::vector<std::string>{"Iron"}), names("?active=true&currency=EUR"));
  EXPECT_EQ((std::vector<std::string>{"Gold", "Lead", "Iron"}), names("?currency=USD,EUR"));
  // Not a member of the items: paging is not a filter.
  EXPECT_EQ(3u, names("?page=2").size());
  // The cached answer of one filter is not another's.
  EXPECT_EQ(2u, names("?active=true").size());
}

TEST(MockListData, PagingParametersTheListDeclaresAnswerOnePage) {
  Mock mock(kPackages, 0);
  for (const char* name : {"A", "B", "C", "D", "E"})
    mock.Call("POST", "/packages", std::string(R"({"name": ")") + name + R"("})");
  auto names = [&](const std::string& query) {
    std::string out;
    Json answer = mock.Call("GET", "/packages" + query);
    for (const Json& p : answer["packages"]) out += p["name"].get<std::string>();
    return out;
  };
  EXPECT_EQ("ABCDE", names(""));
  EXPECT_EQ("AB", names("?limit=2"));
  EXPECT_EQ("CD", names("?limit=2&offset=2"));
  EXPECT_EQ("E", names("?per_page=2&page=3"));
  EXPECT_EQ("", names("?per_page=2&page=4"));
  EXPECT_EQ("DE", names("?offset=3"));
  // A page alone says nothing of its size.
  EXPECT_EQ("ABCDE", names("?page=2"));
}

constexpr char kCursorList[] = R"(openapi: 3.0.3
info: {title: events, version: "1"}
paths:
  /events:
    get:
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
        - {name: cursor, in: query, schema: {type: string}}
      responses:
        "200":
          description: a page
          content:
            application/json:
              schema:
                type: object
                properties:
                  events: {type: array, items: {$ref: '#/components/schemas/Event'}}
                  has_more: {type: boolean}
                  meta:
                    type: object
                    properties:
                      total_count: {type: integer}
                      next_cursor: {type: string}
    post:
      requestBody:
        content: {application/json: {schema: {$ref: '#/components/schemas/Event'}}}
      responses:
        "201":
          description: made
          content: {application/json: {schema: {$ref: '#/components/schemas/Event'}}}
components:
  schemas:
    Event:
      type: object
      properties: {id: {type: string}, name: {type: string}}
)";

TEST(MockListData, ACursorWalksThePagesToTheEndAndThePagingMembersSayWhereItIs) {
  Mock mock(kCursorList, 0);
  for (const char* name : {"A", "B", "C", "D", "E"})
    mock.Call("POST", "/events", std::string(R"({"name": ")") + name + R"("})");
  std::string walked, cursor;
  size_t pages = 0;
  for (bool more = true; more && pages < 10; ++pages) {
    Json answer = mock.Call("GET", "/events?limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor));
    for (const Json& event : answer["events"]) walked += event["name"].get<std::string>();
    EXPECT_EQ(5, answer["meta"]["total_count"]) << answer;
    more = answer["has_more"].get<bool>();
    cursor = answer["meta"]["next_cursor"].get<std::string>();
    EXPECT_EQ(more, !cursor.empty()) << answer;
  }
  EXPECT_EQ("ABCDE", walked);
  EXPECT_EQ(3u, pages);
  // A cursor no item has answers an empty page, not the first one again.
  EXPECT_TRUE(mock.Call("GET", "/events?cursor=nothing-like-it")["events"].empty());
}

TEST(MockListData, AnUnknownIdAnswersTheOperationsDocumented404Body) {
  verity::testing::MemoryFileSystem fs;
  spec::Catalog catalog(fs);
  ASSERT_TRUE(catalog.AddText("api.yaml", kPackages, "test"));
  Responder responder(catalog, ResponderOptions{});
  MockRequest request;
  request.method = "GET";
  request.path = "/packages/nope";
  MockResponse response = responder.Respond(request);
  ASSERT_EQ(404, response.status) << response.body;
  Json body = Json::parse(response.body);
  ASSERT_TRUE(body["error"]["reason"].is_string()) << response.body;
  EXPECT_NE(std::string::npos, body["error"]["reason"].get<std::string>().find("nope"))
      << response.body;
}

}  // namespace
}  // namespace verity::mock
