// An item path that names its item by another resource's id (`/reviews_settings/{business_uid}`:
// the settings of a business) has one item per owner, which exists as soon as the owner does; the
// mock never saw the owner made, so it makes the item up on first use even where the collection
// can be created into, while a collection keyed by its own ids still answers 404 for unknown ones.
#include <gtest/gtest.h>

#include "base/json.h"
#include "mock/responder.h"
#include "spec/catalog.h"
#include "support/memory_file_system.h"

namespace verity::mock {
namespace {

constexpr char kSettings[] = R"(openapi: 3.0.3
info: {title: settings, version: '1'}
paths:
  /reviews_settings:
    post:
      requestBody:
        content: {application/json: {schema: {$ref: '#/components/schemas/Settings'}}}
      responses:
        '201':
          description: made
          content: {application/json: {schema: {type: object, properties: {data: {$ref: '#/components/schemas/Settings'}}}}}
  /reviews_settings/{business_uid}:
    parameters: [{name: business_uid, in: path, required: true, schema: {type: string}}]
    get:
      responses:
        '200':
          description: one
          content: {application/json: {schema: {type: object, properties: {data: {$ref: '#/components/schemas/Settings'}}}}}
        '404': {description: none}
  /invoices:
    post:
      requestBody:
        content: {application/json: {schema: {$ref: '#/components/schemas/Invoice'}}}
      responses:
        '201':
          description: made
          content: {application/json: {schema: {type: object, properties: {data: {$ref: '#/components/schemas/Invoice'}}}}}
  /invoices/{invoice_uid}:
    parameters: [{name: invoice_uid, in: path, required: true, schema: {type: string}}]
    get:
      responses:
        '200':
          description: one
          content: {application/json: {schema: {type: object, properties: {data: {$ref: '#/components/schemas/Invoice'}}}}}
        '404': {description: none}
components:
  schemas:
    Settings:
      type: object
      properties: {business_uid: {type: string}, auto_reply: {type: boolean}}
    Invoice:
      type: object
      properties: {uid: {type: string}, total: {type: number}}
)";

MockResponse Get(Responder& responder, const std::string& path) {
  MockRequest request;
  request.method = "GET";
  request.path = path;
  return responder.Respond(request);
}

TEST(MockOwnerKeyedItems, AnItemKeyedByItsOwnersIdIsReadableWithoutACreate) {
  verity::testing::MemoryFileSystem fs;
  spec::Catalog catalog(fs);
  ASSERT_TRUE(catalog.AddText("settings.yaml", kSettings, "test"));
  Responder responder(catalog, ResponderOptions{});
  MockResponse settings = Get(responder, "/reviews_settings/b0000000000000001");
  ASSERT_EQ(200, settings.status) << settings.body;
  EXPECT_EQ("b0000000000000001", Json::parse(settings.body)["data"]["business_uid"])
      << settings.body;
}

TEST(MockOwnerKeyedItems, AnItemKeyedByItsOwnIdIsStillUnknownUntilCreated) {
  verity::testing::MemoryFileSystem fs;
  spec::Catalog catalog(fs);
  ASSERT_TRUE(catalog.AddText("settings.yaml", kSettings, "test"));
  Responder responder(catalog, ResponderOptions{});
  EXPECT_EQ(404, Get(responder, "/invoices/never-made").status);
}

}  // namespace
}  // namespace verity::mock
