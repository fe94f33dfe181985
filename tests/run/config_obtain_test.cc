// Token entries obtained at run time in verity.yaml (`oauth2:`, `login:`), resolving their
// inputs, and the pieces of the token request that need no executor.
#include <gtest/gtest.h>

#include "run/config.h"
#include "run/settings.h"
#include "run/token_request.h"
#include "support/memory_file_system.h"

namespace verity::run {
namespace {

using testing::MemoryFileSystem;

constexpr const char* kSecret = "client-secret-0123456789";
constexpr const char* kPassword = "alice-password-0123456789";

EnvLookup Env(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

Result<Config> Parse(const std::string& tokens) {
  return ParseConfig(
      "environments:\n  a:\n    base_url: http://127.0.0.1:1\n"
      "    secrets:\n      alice_password: {env: ALICE_PASSWORD}\n"
      "    tokens:\n" +
          tokens,
      "conf/verity.yaml");
}

TEST(ConfigObtain, AClientCredentialsEntryReadsItsGrantAndResolvesItsSecret) {
  Result<Config> config = Parse(R"(      petstore_auth:
        oauth2:
          token_url: https://auth.test/token
          client_id: verity
          client_secret: {env: CLIENT_SECRET}
          scopes: [read, write]
          auth: body
          params: {audience: "https://api.example.com"}
)");
  ASSERT_TRUE(config.ok()) << config.status().message();
  const Environment& env = config->environments.at("a");
  const TokenRef& ref = env.tokens.at("petstore_auth");
  ASSERT_TRUE(ref.oauth2.has_value());
  EXPECT_EQ(ref.oauth2->grant, "client_credentials");
  EXPECT_EQ(ref.oauth2->scopes, (std::vector<std::string>{"read", "write"}));
  EXPECT_FALSE(ref.oauth2->basic_auth);
  EXPECT_EQ(ref.oauth2->params.at("audience"), "https://api.example.com");
  ResolvedTokens tokens = ResolveTokens(env, MemoryFileSystem(), Env({{"CLIENT_SECRET", kSecret}}));
  EXPECT_TRUE(tokens.problems.empty());
  RunSettings settings = SettingsFromEnvironment(env, tokens);
  const Credential& credential = settings.tokens.at("petstore_auth");
  EXPECT_EQ(credential.value, "") << "obtained when the run needs it";
  ASSERT_TRUE(credential.obtain.has_value());
  EXPECT_EQ(credential.obtain->client_id, "verity");
  EXPECT_EQ(credential.obtain->client_secret, kSecret);
  std::string shown = EffectiveConfigJson(env, tokens).dump();
  EXPECT_EQ(shown.find(kSecret), std::string::npos);
  EXPECT_NE(shown.find("obtained when the run first needs it"), std::string::npos) << shown;
}

TEST(ConfigObtain, APasswordGrantTakesItsPasswordFromSecrets) {
  Result<Config> config = Parse(R"(      api:
        oauth2:
          grant: password
          token_url: https://auth.test/token
          client_id: verity
          username: alice
          password: {secret: alice_password}
)");
  ASSERT_TRUE(config.ok()) << config.status().message();
  const Environment& env = config->environments.at("a");
  ResolvedTokens tokens =
      ResolveTokens(env, MemoryFileSystem(), Env({{"ALICE_PASSWORD", kPassword}}));
  ASSERT_TRUE(tokens.problems.empty());
  EXPECT_EQ(tokens.grants.at("api").password, kPassword);
  // Unresolved: the token is a problem naming the input, never its value.
  ResolvedTokens missing = ResolveTokens(env, MemoryFileSystem(), Env({}));
  ASSERT_EQ(missing.problems.size(), 1u);
  EXPECT_NE(missing.problems[0].message.find("tokens.api.oauth2.password"), std::string::npos)
      << missing.problems[0].message;
  EXPECT_NE(missing.problems[0].message.find("ALICE_PASSWORD is not set"), std::string::npos)
      << missing.problems[0].message;
  RunSettings settings = SettingsFromEnvironment(env, missing);
  EXPECT_EQ(settings.tokens.count("api"), 0u);
  EXPECT_EQ(settings.token_problems.count("api"), 1u);
}

TEST(ConfigObtain, ASecretNameTheEnvironmentDoesNotDefineIsAProblemOfTheToken) {
  Result<Config> config = Parse(R"(      api:
        oauth2:
          client_id: verity
          client_secret: {secret: client_secret}
)");
  ASSERT_TRUE(config.ok()) << config.status().message();
  ResolvedTokens tokens = ResolveTokens(config->environments.at("a"), MemoryFileSystem(), Env({}));
  ASSERT_EQ(tokens.problems.size(), 1u);
  EXPECT_EQ(tokens.problems[0].message,
            "tokens.api.oauth2.client_secret: the environment has no secrets.client_secret");
}

TEST(ConfigObtain, ALoginEntryNamesItsRecipeAndVariables) {
  Result<Config> config = Parse(R"(      session:
        scheme: none
        login: {recipe: "POST /v1/login", token: session_token, expires_in: ttl}
)");
  ASSERT_TRUE(config.ok()) << config.status().message();
  const TokenRef& ref = config->environments.at("a").tokens.at("session");
  ASSERT_TRUE(ref.login.has_value());
  EXPECT_EQ(ref.login->recipe, "POST /v1/login");
  EXPECT_EQ(ref.login->token, "session_token");
  EXPECT_EQ(ref.login->expires_in, "ttl");
}

TEST(ConfigObtain, MistakesAreReportedWithTheirKeyAndNeverRepeatASecret) {
  struct Case {
    const char* yaml;
    const char* expected;
  };
  for (const Case& c : {
           Case{"      t:\n        oauth2: {client_id: a, client_secret: literal-secret-123}\n",
                "CONFIG_LITERAL_TOKEN"},
           Case{"      t:\n        env: T\n        oauth2: {client_id: a}\n",
                "oauth2 and env exclude each other"},
           Case{"      t:\n        oauth2: {grant: authorization_code, client_id: a}\n",
                "authorization_code"},
           Case{"      t:\n        oauth2: {grant: password, client_id: a}\n",
                "needs username and password"},
           Case{"      t:\n        oauth2: {token_url: https://a.test/t}\n", "needs client_id"},
           Case{"      t:\n        login: {recipe: login.md}\n", "needs recipe"},
           Case{"      t:\n        oauth2: {client_id: a, scope: [x]}\n", "scope"},
           Case{"      t:\n        oauth2: {client_id: a, params: {grant_type: x}}\n",
                "set by the grant"},
       }) {
    Result<Config> config = Parse(c.yaml);
    ASSERT_FALSE(config.ok()) << c.yaml;
    EXPECT_NE(config.status().message().find(c.expected), std::string::npos)
        << config.status().message();
    EXPECT_EQ(config.status().message().find("literal-secret-123"), std::string::npos);
  }
}

// ---- the token request ----------------------------------------------------------------------

ObtainedBy ClientCredentials() {
  ObtainedBy obtain;
  obtain.oauth2 = OAuth2Grant{};
  obtain.oauth2->scopes = {"read", "write"};
  obtain.client_id = "my app";
  obtain.client_secret = "s3cr3t:x";
  return obtain;
}

TEST(TokenRequest, ClientCredentialsAuthenticateWithBasicOfTheFormEncodedIdAndSecret) {
  http::HttpRequest r = TokenRequest(ClientCredentials(), "https://auth.test/token");
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.body, "grant_type=client_credentials&scope=read%20write");
  bool found = false;
  for (const auto& [name, value] : r.headers) {
    if (name == "Authorization") {
      found = true;
      EXPECT_EQ(value, AuthorizationValue(AuthScheme::kBasic, "my%20app:s3cr3t%3Ax"));
    }
  }
  EXPECT_TRUE(found);
}

TEST(TokenRequest, ConfiguredParamsFollowTheScope) {
  ObtainedBy obtain = ClientCredentials();
  obtain.oauth2->params = {{"audience", "https://api.test"}};
  EXPECT_EQ(TokenRequest(obtain, "https://a.test/t").body,
            "grant_type=client_credentials&scope=read%20write&audience=https%3A%2F%2Fapi.test");
}

TEST(TokenRequest, BodyAuthenticationAndThePasswordAndRefreshGrants) {
  ObtainedBy obtain = ClientCredentials();
  obtain.oauth2->basic_auth = false;
  obtain.oauth2->grant = "password";
  obtain.oauth2->username = "alice";
  obtain.password = "pw&1";
  EXPECT_EQ(TokenRequest(obtain, "https://a.test/t").body,
            "grant_type=password&username=alice&password=pw%261&scope=read%20write&client_id=my%"
            "20app&client_secret=s3cr3t%3Ax");
  EXPECT_EQ(TokenRequest(obtain, "https://a.test/t", "rt1").body,
            "grant_type=refresh_token&refresh_token=rt1&scope=read%20write&client_id=my%20app&"
            "client_secret=s3cr3t%3Ax");
}

http::HttpResponse Answer(int status, std::string body, http::Headers headers = {}) {
  http::HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

TEST(TokenRequest, TheAnswerGivesTheTokenItsLifetimeAndRefreshTokenOrTheServersError) {
  TokenAnswer ok = ReadTokenAnswer(
      Answer(200, R"({"access_token":"at","expires_in":"300","refresh_token":"rt"})"));
  EXPECT_EQ(ok.error, "");
  EXPECT_EQ(ok.access_token, "at");
  EXPECT_EQ(ok.refresh_token, "rt");
  EXPECT_EQ(ok.expires_in_ms, 300000);
  TokenAnswer refused =
      ReadTokenAnswer(Answer(400, R"({"error":"invalid_scope","error_description":"no admin"})"));
  EXPECT_EQ(refused.error, "the token server answered 400: invalid_scope (no admin)");
  EXPECT_NE(ReadTokenAnswer(Answer(200, R"({"token":"x"})")).error, "");
  EXPECT_NE(ReadTokenAnswer(Answer(502, "<html>")).error, "");
}

TEST(TokenRequest, ATokenIsReplacedTenPercentOfItsLifeBeforeItsExpiryAtLeastTenSecondsAtMostHalf) {
  EXPECT_EQ(RefreshMarginMs(3600000), 360000);
  EXPECT_EQ(RefreshMarginMs(60000), 10000);
  EXPECT_EQ(RefreshMarginMs(6000), 3000);
}

TEST(TokenRequest, OnlyA401ThatRefusesTheTokenItselfAsksForANewOne) {
  EXPECT_TRUE(
      SaysTokenInvalid(Answer(401, "", {{"www-authenticate", R"(Bearer error="invalid_token")"}})));
  EXPECT_TRUE(SaysTokenInvalid(Answer(401, "", {{"WWW-Authenticate", "Bearer, token expired"}})));
  EXPECT_FALSE(SaysTokenInvalid(Answer(401, "", {{"www-authenticate", R"(Bearer realm="x")"}})));
  EXPECT_FALSE(
      SaysTokenInvalid(Answer(403, "", {{"www-authenticate", R"(Bearer error="invalid_token")"}})));
  EXPECT_FALSE(SaysTokenInvalid(Answer(401, "")));
}

}  // namespace
}  // namespace verity::run
