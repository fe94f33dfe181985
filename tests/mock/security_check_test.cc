// The mock checks what each operation's `security` asks for: an API key in its header, query
// parameter or cookie, Basic and Bearer credentials (oauth2 and openIdConnect as Bearer),
// anonymous operations, alternatives and schemes sent together; a refusal is 401 with
// WWW-Authenticate and a body naming where the credential was expected.
#include "mock/security_check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>

#include "mock/responder.h"
#include "support/memory_file_system.h"

namespace verity::mock {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr std::string_view kSpec = R"(openapi: 3.0.3
info: {title: keys, version: '1'}
components:
  securitySchemes:
    header_key: {type: apiKey, in: header, name: X-API-Key}
    query_key: {type: apiKey, in: query, name: api_key}
    cookie_key: {type: apiKey, in: cookie, name: session}
    login: {type: http, scheme: basic}
    jwt: {type: http, scheme: bearer}
    oauth:
      type: oauth2
      flows: {clientCredentials: {tokenUrl: 'http://127.0.0.1:1/token', scopes: {}}}
    oidc: {type: openIdConnect, openIdConnectUrl: 'http://127.0.0.1:1/.well-known/openid-configuration'}
  responses:
    ok:
      description: ok
      content: {application/json: {schema: {type: object, properties: {ok: {type: boolean}}}}}
security: [{header_key: []}]
paths:
  /header: {get: {responses: {'200': {$ref: '#/components/responses/ok'}}}}
  /query: {get: {security: [{query_key: []}], responses: {'200': {$ref: '#/components/responses/ok'}}}}
  /cookie: {get: {security: [{cookie_key: []}], responses: {'200': {$ref: '#/components/responses/ok'}}}}
  /basic: {get: {security: [{login: []}], responses: {'200': {$ref: '#/components/responses/ok'}}}}
  /bearer: {get: {security: [{jwt: []}], responses: {'200': {$ref: '#/components/responses/ok'}}}}
  /oauth: {get: {security: [{oauth: [read]}], responses: {'200': {$ref: '#/components/responses/ok'}}}}
  /oidc: {get: {security: [{oidc: []}], responses: {'200': {$ref: '#/components/responses/ok'}}}}
  /public: {get: {security: [], responses: {'200': {$ref: '#/components/responses/ok'}}}}
  /optional: {get: {security: [{}, {jwt: []}], responses: {'200': {$ref: '#/components/responses/ok'}}}}
  /either: {get: {security: [{jwt: []}, {login: []}], responses: {'200': {$ref: '#/components/responses/ok'}}}}
  /both: {get: {security: [{header_key: [], query_key: []}], responses: {'200': {$ref: '#/components/responses/ok'}}}}
  /documented:
    get:
      security: [{jwt: []}]
      responses:
        '200': {$ref: '#/components/responses/ok'}
        '401':
          description: who are you
          content:
            application/json:
              schema:
                type: object
                required: [detail]
                additionalProperties: false
                properties: {detail: {type: string}}
)";

class SecuredApi {
 public:
  explicit SecuredApi(bool check_security = true, AcceptedCredentials credentials = {}) {
    EXPECT_TRUE(catalog_.AddText("keys.yaml", kSpec, "keys"));
    responder_ =
        std::make_unique<Responder>(catalog_, ResponderOptions{.seed = 1,
                                                               .seed_items = 2,
                                                               .check_security = check_security,
                                                               .credentials = credentials});
  }

  MockResponse Call(std::string_view path, std::vector<net::Header> headers = {},
                    bool caller_decided = false) {
    headers_ = std::move(headers);
    return responder_->Respond({.method = "GET",
                                .path = path,
                                .query = {},
                                .body = {},
                                .headers = headers_,
                                .caller_decided = caller_decided});
  }

 private:
  verity::testing::MemoryFileSystem fs_;
  spec::Catalog catalog_{fs_};
  std::unique_ptr<Responder> responder_;
  std::vector<net::Header> headers_;
};

std::vector<std::string> Challenges(const MockResponse& response) {
  std::vector<std::string> out;
  for (const auto& [name, value] : response.headers)
    if (name == "WWW-Authenticate") out.push_back(value);
  return out;
}

Json Errors(const MockResponse& response) {
  Result<Json> body = ParseJson(response.body);
  EXPECT_TRUE(body.ok()) << response.body;
  return body.ok() && body->contains("errors") ? (*body)["errors"] : Json::array();
}

TEST(MockSecurity, ApiKeyInAHeaderIsRequiredAndAnyNonEmptyValueIsAccepted) {
  SecuredApi api;
  MockResponse refused = api.Call("/header");
  EXPECT_EQ(401, refused.status);
  EXPECT_THAT(Challenges(refused),
              ElementsAre(R"(ApiKey realm="verity-mock", in="header", name="X-API-Key")"));
  Json errors = Errors(refused);
  ASSERT_EQ(1u, errors.size()) << refused.body;
  EXPECT_EQ("header", errors[0]["location"]);
  EXPECT_EQ("/X-API-Key", errors[0]["pointer"]);
  EXPECT_EQ(kMissingCredential, errors[0]["code"]);
  EXPECT_THAT(errors[0]["message"].get<std::string>(), HasSubstr("\"X-API-Key\""));

  EXPECT_EQ(200, api.Call("/header", {{"x-api-key", "k-1"}}).status) << "names are any case";
  EXPECT_EQ(401, api.Call("/header", {{"X-API-Key", ""}}).status) << "an empty key is none";
}

TEST(MockSecurity, ApiKeyInTheQueryIsLookedForThereAndNotInAHeader) {
  SecuredApi api;
  EXPECT_EQ(200, api.Call("/query?api_key=k-1").status);
  MockResponse refused = api.Call("/query", {{"api_key", "k-1"}});
  EXPECT_EQ(401, refused.status);
  Json errors = Errors(refused);
  ASSERT_EQ(1u, errors.size());
  EXPECT_EQ("query", errors[0]["location"]);
  EXPECT_EQ("/api_key", errors[0]["pointer"]);
  EXPECT_THAT(errors[0]["message"].get<std::string>(), HasSubstr("query parameter \"api_key\""));
}

TEST(MockSecurity, ApiKeyInACookieIsFoundAmongTheOtherCookies) {
  SecuredApi api;
  EXPECT_EQ(200, api.Call("/cookie", {{"Cookie", "theme=dark; session=s-1"}}).status);
  EXPECT_EQ(401, api.Call("/cookie", {{"Cookie", "theme=dark; session="}}).status);
  MockResponse refused = api.Call("/cookie", {{"Cookie", "sessionx=s-1"}});
  EXPECT_EQ(401, refused.status);
  EXPECT_EQ("cookie", Errors(refused)[0]["location"]);
}

TEST(MockSecurity, BasicNeedsBase64OfUserColonPassword) {
  SecuredApi api;
  EXPECT_EQ(200, api.Call("/basic", {{"Authorization", "Basic dXNlcjpwYXNz"}}).status);
  EXPECT_EQ(200, api.Call("/basic", {{"Authorization", "basic dXNlcjpwYXNz"}}).status);
  MockResponse no_colon = api.Call("/basic", {{"Authorization", "Basic dXNlcg=="}});
  EXPECT_EQ(401, no_colon.status);
  EXPECT_EQ(kMalformedCredential, Errors(no_colon)[0]["code"]);
  EXPECT_EQ(401, api.Call("/basic", {{"Authorization", "Basic user:pass"}}).status);
  MockResponse bearer = api.Call("/basic", {{"Authorization", "Bearer dXNlcjpwYXNz"}});
  EXPECT_EQ(401, bearer.status);
  EXPECT_THAT(Challenges(bearer), ElementsAre(R"(Basic realm="verity-mock")"));
  EXPECT_EQ(kMissingCredential, Errors(bearer)[0]["code"]);
  EXPECT_EQ("/Authorization", Errors(bearer)[0]["pointer"]);
}

TEST(MockSecurity, BearerNeedsOneTokenAfterTheScheme) {
  SecuredApi api;
  EXPECT_EQ(200, api.Call("/bearer", {{"Authorization", "Bearer eyJh.eyJz-_x.sig=="}}).status);
  MockResponse none = api.Call("/bearer");
  EXPECT_EQ(401, none.status);
  EXPECT_THAT(Challenges(none), ElementsAre(R"(Bearer realm="verity-mock")"));
  EXPECT_EQ(401, api.Call("/bearer", {{"Authorization", "Bearer"}}).status);
  EXPECT_EQ(401, api.Call("/bearer", {{"Authorization", "Bearerabc"}}).status);
  MockResponse two = api.Call("/bearer", {{"Authorization", "Bearer a b"}});
  EXPECT_EQ(401, two.status);
  EXPECT_EQ(kMalformedCredential, Errors(two)[0]["code"]);
  EXPECT_EQ(401, api.Call("/bearer", {{"Authorization", "Token token=\"abc\""}}).status);
}

TEST(MockSecurity, OAuth2AndOpenIdConnectTakeABearerToken) {
  SecuredApi api;
  for (std::string_view path : {"/oauth", "/oidc"}) {
    EXPECT_EQ(200, api.Call(path, {{"Authorization", "Bearer t-1"}}).status) << path;
    MockResponse refused = api.Call(path, {{"Authorization", "Basic dXNlcjpwYXNz"}});
    EXPECT_EQ(401, refused.status) << path;
    EXPECT_THAT(Challenges(refused), ElementsAre(R"(Bearer realm="verity-mock")")) << path;
  }
}

TEST(MockSecurity, AnEmptySecurityListOrAnEmptyAlternativeAdmitsAnonymousCallers) {
  SecuredApi api;
  EXPECT_EQ(200, api.Call("/public").status) << "security: [] overrides the document's key";
  EXPECT_EQ(200, api.Call("/optional").status);
  EXPECT_EQ(200, api.Call("/optional", {{"Authorization", "Bearer t-1"}}).status);
}

TEST(MockSecurity, EitherAlternativeAdmitsAndARefusalNamesBoth) {
  SecuredApi api;
  EXPECT_EQ(200, api.Call("/either", {{"Authorization", "Bearer t-1"}}).status);
  EXPECT_EQ(200, api.Call("/either", {{"Authorization", "Basic dXNlcjpwYXNz"}}).status);
  MockResponse refused = api.Call("/either");
  EXPECT_EQ(401, refused.status);
  EXPECT_THAT(Challenges(refused),
              ElementsAre(R"(Bearer realm="verity-mock")", R"(Basic realm="verity-mock")"));
  EXPECT_EQ(2u, Errors(refused).size());
}

TEST(MockSecurity, SchemesOfOneAlternativeMustAllBeSentAndTheMissingOneIsNamed) {
  SecuredApi api;
  EXPECT_EQ(200, api.Call("/both?api_key=q-1", {{"X-API-Key", "h-1"}}).status);
  MockResponse half = api.Call("/both", {{"X-API-Key", "h-1"}});
  EXPECT_EQ(401, half.status);
  Json errors = Errors(half);
  ASSERT_EQ(1u, errors.size()) << half.body;
  EXPECT_EQ("query", errors[0]["location"]);
  EXPECT_EQ(2u, Challenges(half).size()) << "both schemes are what the operation expects";
}

TEST(MockSecurity, ARefusalTakesTheOperationsDocumented401Body) {
  SecuredApi api;
  MockResponse refused = api.Call("/documented");
  EXPECT_EQ(401, refused.status);
  Result<Json> body = ParseJson(refused.body);
  ASSERT_TRUE(body.ok());
  ASSERT_TRUE((*body)["detail"].is_string()) << refused.body;
  EXPECT_THAT((*body)["detail"].get<std::string>(), HasSubstr("Authorization: Bearer"));
}

TEST(MockSecurity, ARuleThatDecidedWhoMayCallIsNotOverruledBySecurity) {
  SecuredApi api;
  EXPECT_EQ(200, api.Call("/bearer", {{"Authorization", "Token token=\"t\""}}, true).status);
}

TEST(MockSecurity, WithoutTheCheckOperationsServeCallersWithoutCredentials) {
  SecuredApi api(/*check_security=*/false);
  EXPECT_EQ(200, api.Call("/bearer").status);
  EXPECT_EQ(200, api.Call("/header").status);
}

TEST(MockSecurity, AListedCredentialIsTheOnlyValueItsSchemeAcceptsAndNoMessageShowsAValue) {
  SecuredApi api(true, {{"query_key", "k-right"}, {"login", "ada:pw"}, {"jwt", "t-right"}});
  EXPECT_EQ(200, api.Call("/query?api_key=k-right").status);
  MockResponse wrong = api.Call("/query?api_key=k-wrong-value");
  EXPECT_EQ(401, wrong.status);
  EXPECT_EQ(kWrongCredential, Errors(wrong)[0]["code"]);
  EXPECT_THAT(wrong.body, ::testing::Not(HasSubstr("k-wrong-value")));
  EXPECT_THAT(wrong.body, ::testing::Not(HasSubstr("k-right")));

  EXPECT_EQ(200, api.Call("/basic", {{"Authorization", "Basic YWRhOnB3"}}).status);  // ada:pw
  EXPECT_EQ(401, api.Call("/basic", {{"Authorization", "Basic dXNlcjpwYXNz"}}).status);
  EXPECT_EQ(200, api.Call("/bearer", {{"Authorization", "Bearer t-right"}}).status);
  EXPECT_EQ(401, api.Call("/bearer", {{"Authorization", "Bearer t-wrong"}}).status);
  EXPECT_EQ(200, api.Call("/header", {{"X-API-Key", "unlisted-scheme"}}).status)
      << "a scheme without an entry accepts any value";
}

TEST(MockSecurity, AnEntryWithoutAValueAcceptsNothing) {
  SecuredApi api(true, {{"jwt", std::nullopt}});
  EXPECT_EQ(401, api.Call("/bearer", {{"Authorization", "Bearer t-1"}}).status);
}

TEST(MockSecurity, QueryApiKeysAreHiddenFromTheLoggedTarget) {
  EXPECT_EQ("/v1/things?page=2&api_key=***&x",
            RedactQuery("/v1/things?page=2&api_key=k-1&x", {"api_key"}));
  EXPECT_EQ("/v1/things?api%5Fkey=***", RedactQuery("/v1/things?api%5Fkey=k-1", {"api_key"}));
  EXPECT_EQ("/v1/things?api_key=k-1", RedactQuery("/v1/things?api_key=k-1", {}));
  EXPECT_EQ("/v1/things", RedactQuery("/v1/things", {"api_key"}));
}

TEST(MockSecurity, Base64IsDecodedOnlyWhenWellFormed) {
  std::string out;
  EXPECT_TRUE(DecodeBase64("dXNlcjpwYXNz", &out));
  EXPECT_EQ("user:pass", out);
  EXPECT_TRUE(DecodeBase64("YTpi", &out));
  EXPECT_EQ("a:b", out);
  EXPECT_TRUE(DecodeBase64("YTo=", &out));
  EXPECT_EQ("a:", out);
  EXPECT_FALSE(DecodeBase64("YTo", &out)) << "padding is part of the form";
  EXPECT_FALSE(DecodeBase64("YTp=", &out)) << "bits an encoder never writes";
  EXPECT_FALSE(DecodeBase64("Y=Rv", &out));
  EXPECT_FALSE(DecodeBase64("", &out));
}

}  // namespace
}  // namespace verity::mock
