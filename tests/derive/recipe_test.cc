// The rules by which a recipe is built from the spec: where each value comes from, in order, and
// what the recipe says when none is found. One small description exercises every rule.
#include "derive/recipe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/file_system.h"
#include "derive/operations.h"
#include "doc/parser.h"
#include "spec/catalog.h"

namespace verity::derive {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kSpec = R"(openapi: 3.0.3
info: {title: shop, version: "1"}
paths:
  /v1/clients:
    get:
      parameters:
        - {name: filter, in: query, required: true, schema: {type: string, example: active}}
        - {name: page, in: query, schema: {type: integer}}
      responses:
        "200":
          description: a page
          content:
            application/json:
              schema:
                type: object
                properties:
                  data:
                    type: object
                    properties:
                      clients: {type: array, items: {$ref: '#/components/schemas/Client'}}
    post:
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/NewClient'}}}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {type: object, properties: {client: {$ref: '#/components/schemas/Client'}}}
  /v1/clients/{client_uid}:
    parameters: [{name: client_uid, in: path, required: true, schema: {type: string}}]
    get: {responses: {"200": {description: ok}, "404": {description: none}}}
    delete: {responses: {"204": {description: gone}}}
  /v1/clients/{client_uid}/send:
    parameters: [{name: client_uid, in: path, required: true, schema: {type: string}}]
    post: {responses: {"202": {description: sent}}}
  /v1/invoices/{client_uid}:
    parameters: [{name: client_uid, in: path, required: true, schema: {type: string}}]
    get: {responses: {"200": {description: ok}}}
  /v1/locales/{locale}:
    parameters: [{name: locale, in: path, required: true, schema: {type: string, enum: ["en US", fr]}}]
    get: {responses: {"200": {description: ok}}}
  /v1/businesses/{business_id}/staff:
    parameters: [{name: business_id, in: path, required: true, schema: {type: string}}]
    get: {responses: {"200": {description: ok}}}
  /v1/orders/{order_id}:
    parameters: [{name: order_id, in: path, required: true, schema: {type: string}}]
    get: {responses: {"200": {description: ok}}}
  /v1/health:
    get:
      summary: "Health\n## Test Request\n```yaml\nsteps: []\n```"
      responses: {"200": {description: ok}}
  /v1/widgets:
    post:
      requestBody:
        content: {application/json: {schema: {type: object, required: [name], properties: {name: {type: string}}}}}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {type: object, properties: {widget: {type: object, properties: {id: {type: integer}, name: {type: string}}}}}
  /v1/widgets/{widget_id}:
    parameters: [{name: widget_id, in: path, required: true, schema: {type: integer}}]
    get: {responses: {"200": {description: ok}}}
    put:
      requestBody:
        content: {application/json: {schema: {type: object, required: [name], properties: {name: {type: string}}}}}
      responses: {"200": {description: ok}}
    delete: {responses: {"204": {description: gone}}}
  /v1/tickets:
    post:
      requestBody:
        content:
          application/json:
            schema: {type: object, required: [client_uid, seats], properties: {client_uid: {type: string}, seats: {type: integer}}}
      responses:
        "201":
          description: made
          content: {application/json: {schema: {type: object, properties: {ticket: {type: object, properties: {id: {type: string}}}}}}}
  /v1/tickets/{ticket_id}:
    parameters: [{name: ticket_id, in: path, required: true, schema: {type: string}}]
    get: {responses: {"200": {description: ok}}}
components:
  schemas:
    Client:
      type: object
      required: [uid, email]
      properties: {uid: {type: string}, email: {type: string, format: email}, first_name: {type: string}}
    NewClient:
      type: object
      required: [email, first_name]
      properties: {email: {type: string, format: email}, first_name: {type: string}, notes: {type: string}}
)";

class DeriveTest : public ::testing::Test {
 protected:
  DeriveTest() : catalog_(fs_) { EXPECT_TRUE(catalog_.AddText("specs/shop.yaml", kSpec, "shop")); }

  const spec::Operation& Op(const std::string& endpoint) {
    const spec::Operation* op = catalog_.FindEndpoint(endpoint);
    EXPECT_NE(nullptr, op) << endpoint;
    return *op;
  }

  // The recipe's text, after checking that it parses clean and names its endpoint.
  std::string Text(const std::string& endpoint, const DeriveOptions& options = {}) {
    Result<DerivedRecipe> recipe = DeriveRecipe(Op(endpoint), catalog_, options);
    if (!recipe.ok()) return "refused: " + recipe.status().message();
    doc::Document d = doc::ParseDocument(recipe->text, "kb/" + recipe->file);
    for (const doc::Diagnostic& diag : d.diagnostics)
      ADD_FAILURE() << endpoint << ":" << diag.pos.line << ": " << diag.message << "\n"
                    << recipe->text;
    EXPECT_EQ(endpoint, d.frontmatter.endpoint);
    return recipe->text;
  }

  PosixFileSystem fs_;
  spec::Catalog catalog_;
};

TEST_F(DeriveTest, APathIdComesFromTheListOfItsCollectionRunFirstWithItsRequiredQuery) {
  std::string text = Text("GET /v1/clients/{client_uid}");
  EXPECT_THAT(text, HasSubstr("## Prerequisites"));
  // The list is the same request in every recipe that reads a client: shared, sent once a run.
  EXPECT_THAT(text, HasSubstr("    method: GET\n    path: \"/v1/clients\"\n    shared: true\n"
                              "    params: {\"filter\":\"active\"}\n"
                              "    extract:\n      client_uid: \"$.data.clients[0].uid\"\n"));
  EXPECT_THAT(text, HasSubstr("path: \"/v1/clients/{{client_uid}}\""));
  EXPECT_THAT(text, HasSubstr("status: [200]"));  // the 404 is not a success
}

TEST_F(DeriveTest, TheEnvironmentsParamBeatsAProducerByNameOrAlias) {
  DeriveOptions options;
  options.params = {"business_uid"};
  std::string text = Text("GET /v1/businesses/{business_id}/staff", options);
  EXPECT_THAT(text, HasSubstr("path: \"/v1/businesses/{{business_uid}}/staff\""));
  EXPECT_THAT(text, Not(HasSubstr("## Prerequisites")));
  options.params = {"client_uid"};
  EXPECT_THAT(Text("GET /v1/clients/{client_uid}", options), Not(HasSubstr("## Prerequisites")));
}

TEST_F(DeriveTest, AnIdWithoutAListOfItsOwnComesFromTheCollectionNamedAfterIt) {
  std::string text = Text("GET /v1/invoices/{client_uid}");
  EXPECT_THAT(text, HasSubstr("path: \"/v1/clients\""));
  EXPECT_THAT(text, HasSubstr("client_uid: \"$.data.clients[0].uid\""));
}

TEST_F(DeriveTest, ASpecValueForAPathParameterIsUsedPercentEncoded) {
  EXPECT_THAT(Text("GET /v1/locales/{locale}"), HasSubstr("path: \"/v1/locales/en%20US\""));
}

TEST_F(DeriveTest, NoProducerNamesTheParameterTheAliasesAndWhatWasTried) {
  std::string text = Text("GET /v1/orders/{order_id}");
  EXPECT_THAT(text, HasSubstr("refused: NO_PRODUCER: "));
  EXPECT_THAT(text, HasSubstr("`order_id`"));
  EXPECT_THAT(text, HasSubstr("order_id, order_uid, orderId, order"));
  EXPECT_THAT(text, HasSubstr("no GET /v1/orders"));
  EXPECT_THAT(text, HasSubstr("creating one is tried only when writes are allowed"));
}

TEST_F(DeriveTest, ACreateProducesAnIdOnlyWhenWritesAreAllowedAndIsDeletedAfterwards) {
  EXPECT_THAT(Text("GET /v1/widgets/{widget_id}"), HasSubstr("refused: NO_PRODUCER"));
  DeriveOptions options;
  options.allow_writes = true;
  std::string text = Text("GET /v1/widgets/{widget_id}", options);
  EXPECT_THAT(text, HasSubstr("    method: POST\n    path: \"/v1/widgets\"\n"));
  EXPECT_THAT(text, HasSubstr("    body: {\"name\":"));
  EXPECT_THAT(text, HasSubstr("widget_id: \"$.widget.id\""));
  EXPECT_THAT(text, HasSubstr("## Cleanup"));
  EXPECT_THAT(text, HasSubstr("    method: DELETE\n    path: \"/v1/widgets/{{widget_id}}\"\n"));
  // The operation under test deletes the created widget itself: no second DELETE.
  EXPECT_THAT(Text("DELETE /v1/widgets/{widget_id}", options), Not(HasSubstr("## Cleanup")));
}

TEST_F(DeriveTest, AReadSharesItsCreateWithTheRunAndAWriteToTheCreatedItemMakesItsOwn) {
  DeriveOptions options;
  options.allow_writes = true;
  std::string read = Text("GET /v1/widgets/{widget_id}", options);
  EXPECT_THAT(read, HasSubstr("    path: \"/v1/widgets\"\n    shared: true\n"));
  EXPECT_THAT(read, HasSubstr("    path: \"/v1/widgets/{{widget_id}}\"\n    shared: true\n"
                              "    onFail: continue\n"));
  for (const char* changes : {"PUT /v1/widgets/{widget_id}", "DELETE /v1/widgets/{widget_id}"}) {
    std::string text = Text(changes, options);
    EXPECT_THAT(text, HasSubstr("    method: POST\n    path: \"/v1/widgets\"\n")) << changes;
    EXPECT_THAT(text, Not(HasSubstr("shared: true"))) << changes;
  }
}

TEST_F(DeriveTest, ABodyCarriesTheRequiredMembersOnlyAndExpectsTheDocumentedSuccess) {
  std::string text = Text("POST /v1/clients");
  EXPECT_THAT(text, HasSubstr("\"email\":"));
  EXPECT_THAT(text, HasSubstr("\"first_name\":"));
  EXPECT_THAT(text, Not(HasSubstr("\"notes\"")));
  EXPECT_THAT(text, HasSubstr("status: [201]"));
}

TEST_F(DeriveTest, ACreateUnderTestDeletesWhatItMadeWhenWritesAreAllowed) {
  DeriveOptions writes;
  writes.allow_writes = true;
  std::string text = Text("POST /v1/widgets", writes);
  EXPECT_THAT(
      text, HasSubstr("    extract:\n      widget_id: {path: \"$.widget.id\", optional: true}\n"));
  EXPECT_THAT(text, HasSubstr("## Cleanup"));
  EXPECT_THAT(text, HasSubstr("    method: DELETE\n    path: \"/v1/widgets/{{widget_id}}\"\n"));
  EXPECT_THAT(Text("POST /v1/widgets"), Not(HasSubstr("## Cleanup")));
  // A client's create answer shows its `uid`, which the DELETE of /v1/clients/{client_uid} takes.
  EXPECT_THAT(Text("POST /v1/clients", writes), HasSubstr("/v1/clients/{{client_uid}}"));
}

TEST_F(DeriveTest, ABodyReferenceToAnotherResourceTakesAParamOrAnIdProducedFirst) {
  std::string text = Text("POST /v1/tickets");
  EXPECT_THAT(text, HasSubstr("\"client_uid\":\"{{client_uid}}\""));
  EXPECT_THAT(text, HasSubstr("id: list_client_uid"));
  EXPECT_THAT(text, HasSubstr("client_uid: \"$.data.clients[0].uid\""));
  EXPECT_THAT(text, HasSubstr("\"seats\":")) << "not a reference: generated";

  DeriveOptions env;
  env.params = {"client_uid"};
  text = Text("POST /v1/tickets", env);
  EXPECT_THAT(text, HasSubstr("\"client_uid\":\"{{client_uid}}\""));
  EXPECT_THAT(text, Not(HasSubstr("## Prerequisites")));

  // A create run as a producer has what it refers to produced before it.
  DeriveOptions writes;
  writes.allow_writes = true;
  text = Text("GET /v1/tickets/{ticket_id}", writes);
  ASSERT_THAT(text, HasSubstr("id: create_ticket_id"));
  EXPECT_LT(text.find("id: list_client_uid"), text.find("id: create_ticket_id"));
}

TEST(DeriveNestedTest, ABodyReferenceInsideAnObjectOrAnArrayItemIsProducedToo) {
  PosixFileSystem fs;
  spec::Catalog catalog(fs);
  ASSERT_TRUE(catalog.AddText("specs/book.yaml", R"(openapi: 3.0.3
info: {title: book, version: "1"}
paths:
  /clients:
    get:
      responses:
        "200":
          description: clients
          content: {application/json: {schema: {type: array, items: {type: object, properties: {id: {type: string}}}}}}
  /bookings:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [booking]
              properties:
                booking:
                  type: object
                  required: [client_id, guests]
                  properties:
                    client_id: {type: string}
                    guests: {type: array, minItems: 1, items: {type: object, required: [client_id], properties: {client_id: {type: string}}}}
      responses: {"201": {description: made}}
)",
                              "book"));
  Result<DerivedRecipe> recipe =
      DeriveRecipe(*catalog.FindEndpoint("POST /bookings"), catalog, DeriveOptions{});
  ASSERT_TRUE(recipe.ok()) << recipe.status().message();
  EXPECT_THAT(recipe->text, HasSubstr("client_id: \"$[0].id\""));
  EXPECT_THAT(
      recipe->text,
      HasSubstr(
          R"("booking":{"client_id":"{{client_id}}","guests":[{"client_id":"{{client_id}}"}]})"));
  ASSERT_EQ(1u, recipe->producers.size()) << "one list gives both";
  bool named = false;
  for (const ValueSource& v : recipe->sources) named |= v.name == "booking.client_id";
  EXPECT_TRUE(named) << "the source names the member by its place in the body";
}

TEST_F(DeriveTest, AConfiguredProducerBeatsTheInferredOneForTheParameterAndItsAliases) {
  DeriveOptions options;
  options.params = {"business_id"};
  options.producers["client_id"] = {"GET /v1/businesses/{business_id}/staff", "$.data[0].client",
                                    Json::parse(R"({"per_page": 1})")};
  std::string text = Text("GET /v1/clients/{client_uid}", options);
  EXPECT_THAT(text, HasSubstr("path: \"/v1/businesses/{{business_id}}/staff\""));
  EXPECT_THAT(text, HasSubstr("params: {\"per_page\":1}"));
  EXPECT_THAT(text, HasSubstr("client_uid: \"$.data[0].client\""));
  EXPECT_THAT(text, Not(HasSubstr("filter"))) << "the inferred list is not used";

  // One whose path needs a value no param gives cannot be called: inference takes over.
  options.params.clear();
  text = Text("GET /v1/clients/{client_uid}", options);
  EXPECT_THAT(text, HasSubstr("path: \"/v1/clients\""));
}

TEST_F(DeriveTest, ASummaryWithLineBreaksStaysOneLineOfTheSummary) {
  std::string text = Text("GET /v1/health");
  EXPECT_THAT(text, HasSubstr("no recipe: Health ## Test Request ```yaml steps: [] ```.\n"));
}

TEST(DeriveAliases, AnIdParameterIsKnownByItsResourcesOtherSpellings) {
  EXPECT_EQ((std::vector<std::string>{"client_uid", "client_id", "clientId", "client"}),
            ParameterAliases("client_uid"));
  EXPECT_EQ((std::vector<std::string>{"staffId", "staff_id", "staff_uid", "staff"}),
            ParameterAliases("staffId"));
  EXPECT_EQ((std::vector<std::string>{"uid"}), ParameterAliases("uid"));
}

TEST(DeriveActions, AVerbAtTheEndOfAWritePathIsAnAction) {
  EXPECT_TRUE(IsActionEndpoint("POST", "/v1/orders/{id}/cancel"));
  EXPECT_TRUE(IsActionEndpoint("POST", "/v1/payments/{uid}/refund"));
  EXPECT_TRUE(IsActionEndpoint("POST", "/v1/messages/send-sms"));
  EXPECT_FALSE(IsActionEndpoint("GET", "/v1/orders/{id}/cancel"));
  EXPECT_FALSE(IsActionEndpoint("POST", "/v1/orders"));
  EXPECT_FALSE(IsActionEndpoint("PUT", "/v1/orders/{id}"));
}

TEST_F(DeriveTest, OnlyReadsAreBuiltUnlessWritesDeletesAndActionsAreAllowed) {
  kb::KnowledgeBase kb;
  kb.roots = {"kb"};
  kb.documents.push_back(doc::ParseDocument(
      "---\nendpoint: \"GET /v1/clients\"\ndomain: shop\n---\n# List\n", "kb/list.md"));
  auto built = [](const SpecDocuments& s) {
    std::vector<std::string> out;
    for (const doc::Document& d : s.documents) {
      EXPECT_TRUE(d.from_spec);
      out.push_back(d.frontmatter.endpoint);
    }
    return out;
  };
  auto reason = [](const SpecDocuments& s, const std::string& endpoint) {
    for (const LeftOut& l : s.left_out)
      if (l.endpoint == endpoint) return l.reason;
    return std::string("built");
  };
  OperationScope scope;
  SpecDocuments reads = DeriveMissing(kb, catalog_, scope);
  EXPECT_THAT(built(reads), Not(::testing::Contains("GET /v1/clients")));  // it has a recipe
  EXPECT_THAT(built(reads), ::testing::Contains("GET /v1/clients/{client_uid}"));
  EXPECT_EQ("WRITE_NOT_ALLOWED", reason(reads, "POST /v1/clients"));
  EXPECT_EQ("NO_PRODUCER", reason(reads, "GET /v1/orders/{order_id}"));
  EXPECT_EQ("kb/shop/get_v1_clients_client_uid.md", reads.documents.front().file);

  scope.allow_writes = true;
  SpecDocuments writes = DeriveMissing(kb, catalog_, scope);
  EXPECT_EQ("built", reason(writes, "POST /v1/clients"));
  EXPECT_EQ("WRITE_NOT_ALLOWED", reason(writes, "DELETE /v1/clients/{client_uid}"));
  EXPECT_EQ("ACTION_NOT_NAMED", reason(writes, "POST /v1/clients/{client_uid}/send"));

  scope.include_delete = true;
  scope.named = {"POST /v1/clients/{client_uid}/send"};
  SpecDocuments all = DeriveMissing(kb, catalog_, scope);
  EXPECT_EQ("built", reason(all, "DELETE /v1/clients/{client_uid}"));
  EXPECT_EQ("built", reason(all, "POST /v1/clients/{client_uid}/send"));

  scope.wanted = [](const doc::Document& d) { return d.frontmatter.method == "DELETE"; };
  SpecDocuments deletes = DeriveMissing(kb, catalog_, scope);
  EXPECT_EQ((std::vector<std::string>{"DELETE /v1/clients/{client_uid}",
                                      "DELETE /v1/widgets/{widget_id}"}),
            built(deletes));
  EXPECT_TRUE(deletes.left_out.empty());  // what the run does not want is not reported either
}

TEST_F(DeriveTest, ARecipeCoversItsOperationWhateverItCallsThePlaceholders) {
  kb::KnowledgeBase kb;
  kb.roots = {"kb"};
  kb.documents.push_back(doc::ParseDocument(
      "---\nendpoint: \"GET /v1/clients/{id}\"\ndomain: shop\n---\n# One\n", "kb/one.md"));
  OperationScope scope;
  scope.wanted = [](const doc::Document& d) { return d.frontmatter.path.starts_with("/v1/cli"); };
  SpecDocuments built = DeriveMissing(kb, catalog_, scope);
  for (const doc::Document& d : built.documents)
    EXPECT_NE("GET /v1/clients/{client_uid}", d.frontmatter.endpoint) << "its recipe is kb/one.md";
  ASSERT_FALSE(built.documents.empty());
}

TEST_F(DeriveTest, ARecipeWhoseFileNameIsTakenIsBuiltAsTheFromSpecVariant) {
  kb::KnowledgeBase kb;
  kb.roots = {"kb"};
  OperationScope scope;
  scope.wanted = [](const doc::Document& d) {
    return d.frontmatter.path == "/v1/locales/{locale}";
  };
  scope.file_exists = [](const std::string& path) {
    return path == "kb/shop/get_v1_locales_locale.md";  // a document of another endpoint, say
  };
  SpecDocuments built = DeriveMissing(kb, catalog_, scope);
  ASSERT_EQ(1u, built.documents.size());
  EXPECT_EQ("kb/shop/get_v1_locales_locale__from-spec.md", built.documents[0].file);
  EXPECT_EQ("from-spec", built.documents[0].frontmatter.variant);
  EXPECT_EQ("from-spec", built.recipes[0].variant);
  EXPECT_TRUE(built.documents[0].diagnostics.empty());
}

}  // namespace
}  // namespace verity::derive
