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

}  // namespace
}  // namespace verity::mock
