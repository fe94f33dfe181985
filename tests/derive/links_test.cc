// OpenAPI links as producers: the operation a link starts from is run first and the value is read
// where the link says, before any producer inferred from names. The OpenAPI Initiative's own link
// example is the first witness; small descriptions pin the rest.
#include "derive/links.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/file_system.h"
#include "derive/recipe.h"
#include "doc/parser.h"
#include "spec/catalog.h"
#include "support/paths.h"

namespace verity::derive {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// The recipe's text, after checking that it parses clean; "refused: …" when none is built.
std::string TextOf(spec::Catalog& catalog, const std::string& endpoint,
                   const DeriveOptions& options) {
  const spec::Operation* op = catalog.FindEndpoint(endpoint);
  if (op == nullptr) return "no such operation";
  Result<DerivedRecipe> recipe = DeriveRecipe(*op, catalog, options);
  if (!recipe.ok()) return "refused: " + recipe.status().message();
  doc::Document d = doc::ParseDocument(recipe->text, "kb/" + recipe->file);
  for (const doc::Diagnostic& diag : d.diagnostics)
    ADD_FAILURE() << endpoint << ":" << diag.pos.line << ": " << diag.message << "\n"
                  << recipe->text;
  return recipe->text;
}

TEST(LinkExtractPathTest, ReadsABodyPointerAsJsonPath) {
  EXPECT_EQ("$.owner.username", LinkExtractPath("$response.body#/owner/username", false));
  EXPECT_EQ("$[\"a/b\"][0].c", LinkExtractPath("$response.body#/a~1b/0/c", false));
  EXPECT_EQ("$", LinkExtractPath("$response.body#", false));
}

TEST(LinkExtractPathTest, PointsIntoTheFirstItemOfAListAnswer) {
  EXPECT_EQ("$[0].slug", LinkExtractPath("$response.body#/slug", true));
  EXPECT_EQ("$[2].slug", LinkExtractPath("$response.body#/2/slug", true));
}

TEST(LinkExtractPathTest, GivesNothingForWhatAnExtractCannotRead) {
  EXPECT_EQ("", LinkExtractPath("$response.header.Location", false));
  EXPECT_EQ("", LinkExtractPath("$request.path.id", false));
  EXPECT_EQ("", LinkExtractPath("$response.body#/bad~2escape", false));
  EXPECT_EQ("", LinkExtractPath("$response.body#no-slash", false));
}

TEST(LinksTest, TheOpenApiLinkExampleGivesARepositorySlugFromTheOwnersRepositories) {
  PosixFileSystem fs;
  spec::Catalog catalog(fs);
  ASSERT_TRUE(catalog.Add(testing::SharedPath("conformance/openapi/link-example.yaml")));
  LinkIndex links(catalog);
  const spec::Operation* repository =
      catalog.FindEndpoint("GET /2.0/repositories/{username}/{slug}");
  ASSERT_NE(nullptr, repository);
  std::vector<LinkedValue> slug = links.To(*repository, "slug");
  ASSERT_EQ(1u, slug.size());
  EXPECT_EQ("userRepository", slug[0].link);
  EXPECT_EQ("GET /2.0/repositories/{username}", slug[0].source->Key());

  DeriveOptions options;
  options.params = {"username"};
  options.links = &links;
  std::string text = TextOf(catalog, "GET /2.0/repositories/{username}/{slug}", options);
  EXPECT_THAT(text, HasSubstr("    method: GET\n    path: \"/2.0/repositories/{{username}}\"\n"));
  // The owner's repositories are a list: the link's `#/slug` reads its first item.
  EXPECT_THAT(text, HasSubstr("slug: \"$[0].slug\""));
  EXPECT_THAT(text, HasSubstr("path: \"/2.0/repositories/{{username}}/{{slug}}\""));

  // Without the index in the options, the recipe reads the links itself, to the same effect.
  options.links = nullptr;
  EXPECT_EQ(text, TextOf(catalog, "GET /2.0/repositories/{username}/{slug}", options));
}

constexpr const char* kLinkedSpec = R"(openapi: 3.0.3
info: {title: linked, version: "1"}
paths:
  /me:
    get:
      responses:
        "200":
          description: the caller
          content:
            application/json:
              schema: {type: object, properties: {login: {type: string}, main_repo: {type: string}}}
          links:
            mainRepository:
              operationRef: '#/paths/~1repos~1{owner}~1{repo}/get'
              parameters: {owner: $response.body#/login, repo: $response.body#/main_repo}
  /repos/{owner}/{repo}:
    parameters:
      - {name: owner, in: path, required: true, schema: {type: string}}
      - {name: repo, in: path, required: true, schema: {type: string}}
    get: {operationId: getRepo, responses: {"200": {description: ok}}}
  /users:
    get:
      responses:
        "200":
          description: users
          content: {application/json: {schema: {type: array, items: {type: object, properties: {id: {type: string}}}}}}
    post:
      operationId: createUser
      requestBody:
        content: {application/json: {schema: {type: object, required: [name], properties: {name: {type: string}}}}}
      responses:
        "201":
          description: made
          content: {application/json: {schema: {type: object, properties: {user: {type: object, properties: {key: {type: string}}}}}}}
          links:
            newUser: {operationId: getUser, parameters: {path.userId: $response.body#/user/key}}
            removeUser: {operationId: deleteUser, parameters: {userId: $response.body#/user/key}}
  /users/{userId}:
    parameters: [{name: userId, in: path, required: true, schema: {type: string}}]
    get: {operationId: getUser, responses: {"200": {description: ok}}}
    delete: {operationId: deleteUser, responses: {"204": {description: gone}}}
  /orders/{order_id}:
    parameters: [{name: order_id, in: path, required: true, schema: {type: string}}]
    get: {operationId: getOrder, responses: {"200": {description: ok}}}
  /orders:
    post:
      responses:
        "201":
          description: made
          headers: {Location: {schema: {type: string}}}
          links:
            order: {operationId: getOrder, parameters: {order_id: $response.header.Location}}
  /notes/{note_id}:
    parameters: [{name: note_id, in: path, required: true, schema: {type: string}}]
    get: {operationId: getNote, responses: {"200": {description: ok}}}
  /notes:
    post:
      requestBody:
        content: {application/json: {schema: {type: object, properties: {id: {type: string}}}}}
      responses:
        "204":
          description: made
          links:
            note: {operationId: getNote, parameters: {note_id: $request.body#/id}}
)";

class LinkedSpecTest : public ::testing::Test {
 protected:
  LinkedSpecTest() : catalog_(fs_) {
    EXPECT_TRUE(catalog_.AddText("specs/linked.yaml", kLinkedSpec, "linked"));
  }
  std::string Text(const std::string& endpoint, DeriveOptions options = {}) {
    return TextOf(catalog_, endpoint, options);
  }

  PosixFileSystem fs_;
  spec::Catalog catalog_;
};

TEST_F(LinkedSpecTest, TwoValuesOneLinkGivesComeFromOneRequest) {
  std::string text = Text("GET /repos/{owner}/{repo}");
  EXPECT_THAT(text, HasSubstr("    path: \"/me\"\n"));
  EXPECT_THAT(text, HasSubstr("      owner: \"$.login\"\n      repo: \"$.main_repo\"\n"));
  EXPECT_THAT(text, HasSubstr("path: \"/repos/{{owner}}/{{repo}}\""));
  // One request to /me, not one per value.
  size_t first = text.find("path: \"/me\"");
  EXPECT_EQ(std::string::npos, text.find("path: \"/me\"", first + 1)) << text;
}

TEST_F(LinkedSpecTest, ALinkGoesBeforeTheListOfTheCollection) {
  DeriveOptions writes;
  writes.allow_writes = true;
  std::string text = Text("GET /users/{userId}", writes);
  EXPECT_THAT(text, HasSubstr("    method: POST\n    path: \"/users\"\n"));
  EXPECT_THAT(text, HasSubstr("userId: \"$.user.key\""));
  // What the link's create made is deleted again.
  EXPECT_THAT(text, HasSubstr("    method: DELETE\n    path: \"/users/{{userId}}\"\n"));
}

TEST_F(LinkedSpecTest, ALinkFromAWriteIsNotFollowedWithoutWritesAllowed) {
  std::string text = Text("GET /users/{userId}");
  EXPECT_THAT(text, HasSubstr("    method: GET\n    path: \"/users\"\n"));
  EXPECT_THAT(text, Not(HasSubstr("method: POST")));
}

TEST_F(LinkedSpecTest, ADeleteTakesWhatTheLinksCreateMade) {
  DeriveOptions writes;
  writes.allow_writes = true;
  std::string text = Text("DELETE /users/{userId}", writes);
  EXPECT_THAT(text, HasSubstr("    method: POST\n    path: \"/users\"\n"));
  EXPECT_THAT(text, HasSubstr("userId: \"$.user.key\""));
}

TEST_F(LinkedSpecTest, ALinkThroughAHeaderIsReadFromThatHeader) {
  DeriveOptions writes;
  writes.allow_writes = true;
  std::string text = Text("GET /orders/{order_id}", writes);
  EXPECT_THAT(text, HasSubstr("    method: POST\n    path: \"/orders\"\n"));
  EXPECT_THAT(text, HasSubstr("order_id: {header: \"Location\"}"));
}

TEST_F(LinkedSpecTest, ALinkAnExtractCannotReadIsNamedWhenNothingElseGivesTheValue) {
  DeriveOptions writes;
  writes.allow_writes = true;
  std::string text = Text("GET /notes/{note_id}", writes);
  EXPECT_THAT(text, HasSubstr("refused: NO_PRODUCER"));
  EXPECT_THAT(text, HasSubstr("the link `note` from POST /notes gives it as "
                              "`$request.body#/id`, which an extract cannot read"));
}

}  // namespace
}  // namespace verity::derive
