// Security schemes and requirements read the same way from Swagger 2.0 and OpenAPI 3, and from the
// real corpus: what the runner sends and the mock checks.
#include "spec/security.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "spec/catalog.h"
#include "support/memory_file_system.h"
#include "support/paths.h"

namespace verity::spec {
namespace {

using verity::testing::MemoryFileSystem;

constexpr const char* kSwagger2 = R"({
  "swagger": "2.0",
  "securityDefinitions": {
    "key": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
    "login": {"type": "basic"},
    "petstore_auth": {"type": "oauth2", "flow": "application",
                      "tokenUrl": "http://127.0.0.1:1/token", "scopes": {"read": "r"}}
  },
  "security": [{"key": []}],
  "paths": {
    "/pets": {
      "get": {"responses": {"200": {"description": "ok"}}},
      "post": {"security": [{"petstore_auth": ["read"]}, {"login": [], "key": []}],
               "responses": {"200": {"description": "ok"}}}
    },
    "/health": {"get": {"security": [], "responses": {"200": {"description": "ok"}}}}
  }
})";

constexpr const char* kOpenApi3 = R"({
  "openapi": "3.0.3",
  "components": {"securitySchemes": {
    "bearer": {"type": "http", "scheme": "Bearer", "bearerFormat": "JWT"},
    "session": {"$ref": "#/components/x-shared/cookie"},
    "oauth": {"type": "oauth2", "flows": {
      "authorizationCode": {"authorizationUrl": "http://127.0.0.1:1/a", "tokenUrl": "http://127.0.0.1:1/code", "scopes": {}},
      "clientCredentials": {"tokenUrl": "http://127.0.0.1:1/token", "refreshUrl": "http://127.0.0.1:1/refresh", "scopes": {}}}},
    "oidc": {"type": "openIdConnect", "openIdConnectUrl": "http://127.0.0.1:1/.well-known/openid-configuration"}
  }, "x-shared": {"cookie": {"type": "apiKey", "in": "cookie", "name": "sid"}}},
  "paths": {
    "/a": {"get": {"security": [{}, {"bearer": []}], "responses": {"200": {"description": "ok"}}}},
    "/b": {"get": {"security": [{"nobody": []}], "responses": {"200": {"description": "ok"}}}},
    "/c": {"get": {"responses": {"200": {"description": "ok"}}}}
  }
})";

const Operation& Find(const Catalog& catalog, std::string_view method, std::string_view path) {
  const Operation* op = catalog.Find(method, path);
  EXPECT_NE(nullptr, op) << method << " " << path;
  static const Operation none;
  return op ? *op : none;
}

TEST(SecuritySchemes, Swagger2ApiKeyBasicAndOAuth2AreReadWithTheDocumentsRequirementAsDefault) {
  MemoryFileSystem fs;
  Catalog catalog(fs);
  ASSERT_TRUE(catalog.AddText("pets.json", kSwagger2, "pets"));

  const Operation& list = Find(catalog, "GET", "/pets");
  ASSERT_TRUE(list.auth.declared);
  ASSERT_EQ(1u, list.auth.alternatives.size());
  const SecurityUse& key = list.auth.alternatives[0].at(0);
  ASSERT_TRUE(key.scheme);
  EXPECT_EQ(SecurityKind::kApiKey, key.scheme->kind);
  EXPECT_EQ("header", key.scheme->in);
  EXPECT_EQ("X-API-Key", key.scheme->param_name);
  EXPECT_FALSE(list.auth.AllowsAnonymous());

  const Operation& add = Find(catalog, "POST", "/pets");
  ASSERT_EQ(2u, add.auth.alternatives.size());
  const SecurityUse& oauth = add.auth.alternatives[0].at(0);
  EXPECT_EQ(SecurityKind::kOAuth2, oauth.scheme->kind);
  EXPECT_EQ("http://127.0.0.1:1/token", oauth.scheme->token_url);
  EXPECT_EQ(std::vector<std::string>{"clientCredentials"}, oauth.scheme->flows);
  EXPECT_EQ(std::vector<std::string>{"read"}, oauth.scopes);
  ASSERT_EQ(2u, add.auth.alternatives[1].size());
  EXPECT_EQ("basic", add.auth.alternatives[1][0].scheme->http_scheme);

  EXPECT_TRUE(Find(catalog, "GET", "/health").auth.AllowsAnonymous());
}

TEST(SecuritySchemes, OpenApi3HttpCookieOAuthFlowsAndOpenIdConnectAreRead) {
  MemoryFileSystem fs;
  Catalog catalog(fs);
  ASSERT_TRUE(catalog.AddText("api.json", kOpenApi3, "api"));

  const Operation& a = Find(catalog, "GET", "/a");
  EXPECT_TRUE(a.auth.AllowsAnonymous()) << "an empty alternative needs no credential";
  EXPECT_EQ("bearer", a.auth.alternatives[1][0].scheme->http_scheme) << "scheme names are "
                                                                        "case-insensitive";
  const Operation& c = Find(catalog, "GET", "/c");
  EXPECT_FALSE(c.auth.declared);

  std::vector<SecurityScheme> schemes = ReadSecuritySchemes(catalog.specs(), *a.file);
  ASSERT_EQ(4u, schemes.size());
  EXPECT_EQ("session", schemes[1].name);
  EXPECT_EQ(SecurityKind::kApiKey, schemes[1].kind) << "a $ref'd scheme is followed";
  EXPECT_EQ("cookie", schemes[1].in);
  EXPECT_EQ("sid", schemes[1].param_name);
  EXPECT_EQ("http://127.0.0.1:1/token", schemes[2].token_url)
      << "client credentials before the authorization code flow";
  EXPECT_EQ("http://127.0.0.1:1/refresh", schemes[2].refresh_url);
  EXPECT_EQ((std::vector<std::string>{"clientCredentials", "authorizationCode"}), schemes[2].flows);
  EXPECT_EQ(SecurityKind::kOpenIdConnect, schemes[3].kind);
  EXPECT_EQ("http://127.0.0.1:1/.well-known/openid-configuration", schemes[3].openid_connect_url);
}

TEST(SecuritySchemes, ARequirementNamingAnUndefinedSchemeIsAProblemWithItsLocation) {
  MemoryFileSystem fs;
  Catalog catalog(fs);
  ASSERT_TRUE(catalog.AddText("api.json", kOpenApi3, "api"));
  auto problem =
      std::find_if(catalog.problems().begin(), catalog.problems().end(),
                   [](const CatalogProblem& p) { return p.code == kSecuritySchemeUndefined; });
  ASSERT_NE(catalog.problems().end(), problem);
  EXPECT_NE(std::string::npos, problem->location.find("/paths/~1b/get")) << problem->location;
  EXPECT_NE(std::string::npos, problem->message.find("\"nobody\"")) << problem->message;
  EXPECT_FALSE(Find(catalog, "GET", "/b").auth.alternatives[0][0].scheme.has_value());
}

TEST(SecuritySchemes, ASpecThatDeclaresSecurityGetsNoTokenDocumentationProblems) {
  MemoryFileSystem fs;
  Catalog catalog(fs);
  ASSERT_TRUE(catalog.AddText("pets.json", kSwagger2, "pets"));
  ASSERT_TRUE(catalog.AddText("api.json", kOpenApi3, "api"));
  for (const CatalogProblem& p : catalog.problems())
    EXPECT_NE(std::string(kMissingTokenDocumentation), p.code) << p.location;
}

TEST(SecuritySchemes, TheRealCorpusDeclaresBearerSecurityAndEachUndefinedNameIsReported) {
  PosixFileSystem fs;
  Catalog catalog(fs);
  catalog.Add(verity::testing::SharedPath("corpus/vcita/swagger"));
  size_t declared = 0, bearer = 0, undefined = 0;
  for (const Operation& op : catalog.operations()) {
    if (!op.auth.declared) continue;
    ++declared;
    for (const SecurityAlternative& alternative : op.auth.alternatives) {
      for (const SecurityUse& use : alternative) {
        if (!use.scheme) ++undefined;
        if (use.scheme && use.scheme->kind == SecurityKind::kHttp &&
            use.scheme->http_scheme == "bearer")
          ++bearer;
      }
    }
  }
  size_t reported =
      std::count_if(catalog.problems().begin(), catalog.problems().end(),
                    [](const CatalogProblem& p) { return p.code == kSecuritySchemeUndefined; });
  EXPECT_GT(declared, 400u);
  EXPECT_GT(bearer, 200u);
  EXPECT_GT(undefined, 0u) << "the corpus names \"default\" and \"Bearer\" without defining them";
  EXPECT_EQ(undefined, reported);
}

}  // namespace
}  // namespace verity::spec
