// What a request carries, decided by the recipe, then the operation's spec `security`, then the
// environment's default token; placed as the configuration says, else as the spec's scheme says.
#include "run/credentials.h"

#include <gtest/gtest.h>

#include <variant>

#include "base/strings.h"
#include "run/request_builder.h"
#include "spec/catalog.h"
#include "support/memory_file_system.h"

namespace verity::run {
namespace {

using verity::testing::MemoryFileSystem;

constexpr const char* kKey = "key-0123456789abcdef";
constexpr const char* kPassword = "password-0123456789";
constexpr const char* kBearer = "bearer-0123456789abcdef";

constexpr const char* kSpec = R"({
  "openapi": "3.0.3",
  "components": {"securitySchemes": {
    "api_key": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
    "query_key": {"type": "apiKey", "in": "query", "name": "api_key"},
    "cookie_key": {"type": "apiKey", "in": "cookie", "name": "sid"},
    "basicAuth": {"type": "http", "scheme": "basic"},
    "oauth": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "http://127.0.0.1:1/t", "scopes": {}}}},
    "raw": {"type": "apiKey", "in": "header", "name": "Authorization"}
  }},
  "security": [{"api_key": []}],
  "paths": {
    "/header": {"get": {"responses": {"200": {"description": "ok"}}}},
    "/query": {"get": {"security": [{"query_key": []}], "responses": {"200": {"description": "ok"}}}},
    "/cookie": {"get": {"security": [{"cookie_key": []}], "responses": {"200": {"description": "ok"}}}},
    "/basic": {"get": {"security": [{"basicAuth": []}], "responses": {"200": {"description": "ok"}}}},
    "/either": {"get": {"security": [{"oauth": []}, {"basicAuth": [], "api_key": []}], "responses": {"200": {"description": "ok"}}}},
    "/open": {"get": {"security": [], "responses": {"200": {"description": "ok"}}}},
    "/maybe": {"get": {"security": [{}, {"oauth": []}], "responses": {"200": {"description": "ok"}}}},
    "/raw": {"get": {"security": [{"raw": []}], "responses": {"200": {"description": "ok"}}}}
  }
})";

class CredentialsTest : public ::testing::Test {
 protected:
  CredentialsTest() : catalog(fs) {
    EXPECT_TRUE(catalog.AddText("api.json", kSpec, "api"));
    settings.base_url = "https://api.test";
    step.id = "call";
    step.method = "GET";
  }

  std::variant<PreparedRequest, PrepareFailure> Prepare(const std::string& path) {
    step.path = path;
    RequestContext context;
    context.settings = &settings;
    context.document = &document;
    context.find_operation = [this](std::string_view method, std::string_view p) {
      return catalog.Find(method, p);
    };
    return PrepareRequest(step, scope, context);
  }

  http::HttpRequest Sent(const std::string& path) {
    auto prepared = Prepare(path);
    if (auto* failure = std::get_if<PrepareFailure>(&prepared)) {
      ADD_FAILURE() << failure->reason << ": " << failure->message;
      return {};
    }
    return std::get<PreparedRequest>(prepared).request;
  }

  static std::optional<std::string> Header(const http::HttpRequest& r, std::string_view name) {
    for (const auto& [key, value] : r.headers)
      if (ToLower(key) == ToLower(name)) return value;
    return std::nullopt;
  }

  MemoryFileSystem fs;
  spec::Catalog catalog;
  RunSettings settings;
  doc::Document document;
  doc::Step step;
  expr::Scope scope;
};

TEST_F(CredentialsTest, AnEnvironmentWithoutCredentialsSendsNoneWhereTheSpecAsksForNone) {
  http::HttpRequest r = Sent("/open");
  EXPECT_FALSE(Header(r, "Authorization"));
  EXPECT_EQ("https://api.test/open", r.url);
}

TEST_F(CredentialsTest, AnApiKeyGoesInTheHeaderTheSpecNamesRaw) {
  settings.tokens["api_key"].value = kKey;
  http::HttpRequest r = Sent("/header");
  EXPECT_EQ(kKey, Header(r, "X-API-Key"));
  EXPECT_FALSE(Header(r, "Authorization"));
}

TEST_F(CredentialsTest, AnApiKeyInTheQueryIsPercentEncodedAfterTheStepsOwnParameters) {
  settings.tokens["query_key"].value = "k y+&=";
  step.params = {{"page", 2}};
  EXPECT_EQ("https://api.test/query?page=2&api_key=k%20y%2B%26%3D", Sent("/query").url);
}

TEST_F(CredentialsTest, AnApiKeyInACookieJoinsTheStepsOwnCookies) {
  settings.tokens["cookie_key"].value = kKey;
  step.headers = {{"Cookie", "theme=dark"}};
  EXPECT_EQ(std::string("theme=dark; sid=") + kKey, Header(Sent("/cookie"), "Cookie"));
}

TEST_F(CredentialsTest, BasicJoinsTheUsernameAndThePasswordInBase64) {
  settings.tokens["basicAuth"].value = kPassword;
  settings.tokens["basicAuth"].username = "alice";
  EXPECT_EQ("Basic YWxpY2U6cGFzc3dvcmQtMDEyMzQ1Njc4OQ==", Header(Sent("/basic"), "Authorization"));
}

TEST_F(CredentialsTest, TheFirstAlternativeWhoseSchemesAreAllConfiguredIsSentWhole) {
  settings.tokens["basicAuth"].value = "alice:" + std::string(kPassword);
  settings.tokens["api_key"].value = kKey;
  http::HttpRequest r = Sent("/either");
  EXPECT_EQ(kKey, Header(r, "X-API-Key"));
  EXPECT_TRUE(StartsWith(*Header(r, "Authorization"), "Basic "));

  settings.tokens["oauth"].value = kBearer;
  r = Sent("/either");
  EXPECT_EQ(std::string("Bearer ") + kBearer, Header(r, "Authorization"));
  EXPECT_FALSE(Header(r, "X-API-Key")) << "only the first alternative that can be met";
}

TEST_F(CredentialsTest, AnAnonymousAlternativeFirstSendsNothingEvenWithACredentialConfigured) {
  settings.tokens["oauth"].value = kBearer;
  EXPECT_FALSE(Header(Sent("/maybe"), "Authorization"));
}

TEST_F(CredentialsTest, AnApiKeyNamedAuthorizationIsSentRawWithoutAScheme) {
  settings.tokens["raw"].value = kKey;
  EXPECT_EQ(kKey, Header(Sent("/raw"), "Authorization"));
}

TEST_F(CredentialsTest, AnUnmetRequirementFailsNamingTheSchemesAndTheKeysToConfigure) {
  auto prepared = Prepare("/either");
  auto* failure = std::get_if<PrepareFailure>(&prepared);
  ASSERT_NE(nullptr, failure);
  EXPECT_EQ("MISSING_TOKEN", failure->reason);
  EXPECT_EQ(
      "GET /either needs credentials for the security scheme oauth (oauth2) or basicAuth (http "
      "basic) with api_key (apiKey in header X-API-Key), and the environment configures none",
      failure->message);
  EXPECT_EQ(
      "configure tokens.oauth or tokens.basicAuth and tokens.api_key in the environment "
      "(docs/auth.md)",
      failure->suggestion);
}

TEST_F(CredentialsTest, AConfiguredCredentialWithoutAValueFailsWithWhyItHasNone) {
  settings.token_problems["api_key"] = "API_KEY is not set";
  auto prepared = Prepare("/header");
  auto* failure = std::get_if<PrepareFailure>(&prepared);
  ASSERT_NE(nullptr, failure);
  EXPECT_EQ("no value for the api_key token: API_KEY is not set", failure->message);
}

TEST_F(CredentialsTest, TokenNoneSendsNothingWhateverTheSpecAsks) {
  settings.tokens["api_key"].value = kKey;
  step.token = "none";
  http::HttpRequest r = Sent("/header");
  EXPECT_FALSE(Header(r, "X-API-Key"));
  EXPECT_FALSE(Header(r, "Authorization"));
}

TEST_F(CredentialsTest, ARecipesTokenTypeIsPlacedAsTheOperationsOnlyScheme) {
  settings.tokens["staff"].value = kKey;
  document.frontmatter.tokens = {"staff"};
  http::HttpRequest r = Sent("/header");
  EXPECT_EQ(kKey, Header(r, "X-API-Key")) << "the spec says where a credential goes";
  EXPECT_FALSE(Header(r, "Authorization"));
}

TEST_F(CredentialsTest, TheConfigurationsPlacementBeatsTheSpecs) {
  settings.tokens["api_key"].value = kKey;
  settings.tokens["api_key"].in = "query";
  settings.tokens["api_key"].name = "key";
  http::HttpRequest r = Sent("/header");
  EXPECT_EQ(std::string("https://api.test/header?key=") + kKey, r.url);
  EXPECT_FALSE(Header(r, "X-API-Key"));
}

TEST_F(CredentialsTest, ATokenMovedOutOfAuthorizationByTheConfigurationIsSentRaw) {
  settings.tokens["oauth"].value = kBearer;
  settings.tokens["oauth"].name = "X-Access-Token";
  http::HttpRequest r = Sent("/either");
  EXPECT_EQ(kBearer, Header(r, "X-Access-Token"));
  EXPECT_FALSE(Header(r, "Authorization"));
}

TEST_F(CredentialsTest, TheDefaultTokenStandsInForAOneSchemeRequirementNobodyConfigured) {
  settings.tokens["staff"].value = kBearer;
  settings.default_token = "staff";
  EXPECT_EQ(kBearer, Header(Sent("/header"), "X-API-Key"));
}

TEST_F(CredentialsTest, WithoutSpecSecurityOnlyTheDefaultTokenIsSent) {
  http::HttpRequest none = Sent("/nowhere");
  EXPECT_FALSE(Header(none, "Authorization")) << "no default token: no credential";
  settings.tokens["staff"].value = kBearer;
  settings.default_token = "staff";
  EXPECT_EQ(std::string("Bearer ") + kBearer, Header(Sent("/nowhere"), "Authorization"));
}

TEST_F(CredentialsTest, ExtraHeadersOfACredentialAreRenderedWithTheStepsVariables) {
  settings.tokens["api_key"].value = kKey;
  settings.tokens["api_key"].headers["X-Tenant"] = "{{tenant}}";
  scope.Set(expr::Layer::kConfig, "tenant", "acme");
  EXPECT_EQ("acme", Header(Sent("/header"), "X-Tenant"));
  step.headers = {{"X-Tenant", "other"}};
  EXPECT_EQ("other", Header(Sent("/header"), "X-Tenant")) << "the step's own header wins";
}

TEST_F(CredentialsTest, OnBehalfOfIsTheVcitaConventionsOnly) {
  settings.tokens["directory"].value = kBearer;
  step.token = "directory";
  step.x_on_behalf_of = true;
  scope.Set(expr::Layer::kConfig, "business_id", "biz-1");
  EXPECT_FALSE(Header(Sent("/nowhere"), "X-On-Behalf-Of"));
  settings.conventions.vcita = true;
  EXPECT_EQ("biz-1", Header(Sent("/nowhere"), "X-On-Behalf-Of"));
}

}  // namespace
}  // namespace verity::run
