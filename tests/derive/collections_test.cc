// The index of a catalog's collections by name, and that recipes built with it are the recipes
// built by reading every operation.
#include "derive/collections.h"

#include <gtest/gtest.h>

#include "base/file_system.h"
#include "derive/operations.h"
#include "derive/recipe.h"
#include "kb/knowledge_base.h"
#include "spec/catalog.h"

namespace verity::derive {
namespace {

// Two descriptions: the same collection in both (a named producer prefers the consumer's own
// description, then the shortest path), one that needs an environment param, a name that is
// its own singular, and consumers that find their values only by a collection's name.
constexpr const char* kShop = R"(openapi: 3.0.3
info: {title: shop, version: "1"}
paths:
  /v1/clients:
    get:
      responses:
        "200":
          description: a page
          content:
            application/json:
              example: {data: {clients: [{id: c1, name: Ada}]}}
    post:
      requestBody:
        content: {application/json: {schema: {type: object, properties: {name: {type: string}}}}}
      responses:
        "201":
          description: created
          content: {application/json: {example: {client: {id: c2}}}}
  /v1/clients/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    get: {responses: {"200": {description: ok}}}
  /v1/businesses/{business_id}/staff:
    parameters: [{name: business_id, in: path, required: true, schema: {type: string}}]
    get:
      responses:
        "200":
          description: staff
          content: {application/json: {example: {staff: [{staff_id: s1}]}}}
  /v1/invoices/{client_id}:
    parameters: [{name: client_id, in: path, required: true, schema: {type: string}}]
    get: {responses: {"200": {description: ok}}}
  /v1/shifts/{staff_id}:
    parameters: [{name: staff_id, in: path, required: true, schema: {type: string}}]
    get: {responses: {"200": {description: ok}}}
  /v1/notes/{note_uid}:
    parameters: [{name: note_uid, in: path, required: true, schema: {type: string}}]
    delete: {responses: {"204": {description: gone}}}
)";

constexpr const char* kPartners = R"(openapi: 3.0.3
info: {title: partners, version: "1"}
paths:
  /partners/v2/clients:
    get:
      responses:
        "200":
          description: a page
          content:
            application/json:
              example: {clients: [{uid: p1}]}
  /partners/v2/reports/{client_uid}:
    parameters: [{name: client_uid, in: path, required: true, schema: {type: string}}]
    get: {responses: {"200": {description: ok}}}
  /partners/v2/notes:
    post:
      responses:
        "201":
          description: created
          content: {application/json: {example: {note: {uid: n1}}}}
)";

class CollectionIndexTest : public ::testing::Test {
 protected:
  CollectionIndexTest() : catalog_(fs_) {
    EXPECT_TRUE(catalog_.AddText("specs/shop.yaml", kShop, "shop"));
    EXPECT_TRUE(catalog_.AddText("specs/partners.yaml", kPartners, "partners"));
  }

  std::vector<std::string> Found(const CollectionIndex& index, std::string_view method,
                                 std::string_view name) {
    std::vector<std::string> out;
    for (const spec::Operation* op : index.Find(method, name)) out.push_back(op->Key());
    return out;
  }

  PosixFileSystem fs_;
  spec::Catalog catalog_;
};

TEST_F(CollectionIndexTest, FindsACollectionByItsNameOrItsSingularPerMethodInCatalogOrder) {
  CollectionIndex index(catalog_);
  std::vector<std::string> clients = {"GET /v1/clients", "GET /partners/v2/clients"};
  EXPECT_EQ(clients, Found(index, "GET", "client"));
  EXPECT_EQ(clients, Found(index, "GET", "clients"));
  EXPECT_EQ(std::vector<std::string>{"POST /v1/clients"}, Found(index, "POST", "client"));
  // A name that is its own singular is listed once.
  EXPECT_EQ(std::vector<std::string>{"GET /v1/businesses/{business_id}/staff"},
            Found(index, "GET", "staff"));
  // A path that ends in a parameter is an item, not a collection.
  EXPECT_TRUE(Found(index, "GET", "invoice").empty());
  EXPECT_TRUE(Found(index, "DELETE", "note").empty());
  EXPECT_TRUE(Found(index, "GET", "order").empty());
}

TEST_F(CollectionIndexTest, RecipesBuiltWithTheIndexAreThoseBuiltByReadingEveryOperation) {
  kb::KnowledgeBase kb;
  kb.roots = {"kb"};
  OperationScope scope;
  scope.allow_writes = true;
  scope.include_delete = true;
  scope.derive.params = {"business_id"};
  SpecDocuments planned = DeriveMissing(kb, catalog_, scope);  // with the index

  DeriveOptions options = scope.derive;
  options.allow_writes = true;
  size_t compared = 0;
  for (const DerivedRecipe& recipe : planned.recipes) {
    Result<DerivedRecipe> alone =
        DeriveRecipe(*catalog_.FindEndpoint(recipe.endpoint), catalog_, options);
    ASSERT_TRUE(alone.ok()) << recipe.endpoint << ": " << alone.status().ToString();
    EXPECT_EQ(alone->text, recipe.text) << recipe.endpoint;
    EXPECT_EQ(alone->producers, recipe.producers) << recipe.endpoint;
    ++compared;
  }
  EXPECT_EQ(compared, catalog_.operations().size() - planned.left_out.size());
  // What came from a collection found by name, as the scan would have found it: the consumer's
  // own description first, an environment param in the list's path, a create's id.
  auto producers = [&](const std::string& endpoint) {
    for (const DerivedRecipe& r : planned.recipes)
      if (r.endpoint == endpoint) return r.producers;
    return std::vector<std::string>{"(not built)"};
  };
  EXPECT_EQ(std::vector<std::string>{"GET /v1/clients"}, producers("GET /v1/invoices/{client_id}"));
  EXPECT_EQ(std::vector<std::string>{"GET /partners/v2/clients"},
            producers("GET /partners/v2/reports/{client_uid}"));
  EXPECT_EQ(std::vector<std::string>{"GET /v1/businesses/{business_id}/staff"},
            producers("GET /v1/shifts/{staff_id}"));
  EXPECT_EQ(std::vector<std::string>{"POST /partners/v2/notes"},
            producers("DELETE /v1/notes/{note_uid}"));
}

}  // namespace
}  // namespace verity::derive
