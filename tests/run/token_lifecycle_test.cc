// Credentials obtained at run time (docs/auth.md, "Tokens obtained at run time"): one fetch per
// credential however many documents wait for it, early refresh, the 401 that refuses a token,
// login recipes, and tokens and token-request inputs that never show.
#include <gtest/gtest.h>

#include <string>

#include "report/json_report.h"
#include "run/executor_fixture.h"
#include "run/fixtures.h"
#include "spec/catalog.h"

namespace verity::run::testing {
namespace {

constexpr const char* kTokenUrl = "https://auth.test/token";
constexpr const char* kClientSecret = "client-secret-0123456789";
constexpr const char* kTokenA = "token-A-0123456789abcdef";
constexpr const char* kTokenB = "token-B-0123456789abcdef";
constexpr const char* kRefresh = "refresh-0123456789abcdef";
constexpr const char* kPassword = "alice-password-0123456789";

std::string Doc(const std::string& path, const std::string& token, const std::string& extra = "") {
  return "---\nendpoint: \"GET " + path + "\"\ndomain: test\nstatus: verified\ntokens: [" + token +
         "]\n---\n\n# Doc\n\n## Test Request\n\n```yaml\nsteps:\n  - id: get\n    method: GET\n"
         "    path: " +
         path + "\n" + extra + "```\n";
}

std::string TokenBody(const std::string& token, int expires_in, const std::string& refresh = "") {
  std::string body = "{\"access_token\":\"" + token +
                     "\",\"token_type\":\"Bearer\",\"expires_in\":" + std::to_string(expires_in);
  if (!refresh.empty()) body += ",\"refresh_token\":\"" + refresh + "\"";
  return body + "}";
}

class TokenLifecycleTest : public ExecutorTest {
 protected:
  TokenLifecycleTest() {
    Credential& api = settings.tokens["api"];
    api.scheme = AuthScheme::kBearer;
    api.obtain = ObtainedBy{};
    api.obtain->oauth2 = OAuth2Grant{};
    api.obtain->oauth2->token_url = kTokenUrl;
    api.obtain->oauth2->scopes = {"read"};
    api.obtain->client_id = "verity";
    api.obtain->client_secret = kClientSecret;
    settings.conventions.vcita = false;
  }

  std::vector<const http::HttpRequest*> Sent(const std::string& prefix) const {
    std::vector<const http::HttpRequest*> out;
    for (const http::HttpRequest& r : transport.requests())
      if (r.url.rfind(prefix, 0) == 0) out.push_back(&r);
    return out;
  }

  static std::string Authorization(const http::HttpRequest& r) {
    for (const auto& [name, value] : r.headers)
      if (name == "Authorization") return value;
    return "";
  }

  // Everything a report of the run holds, as text.
  static std::string ReportText(const RunResult& result) {
    return report::RunReportJson(result).dump();
  }
};

TEST_F(TokenLifecycleTest, EightDocumentsWaitingForOneCredentialShareOneTokenRequest) {
  for (int i = 0; i < 8; ++i)
    AddDoc("d" + std::to_string(i) + ".md", Doc("/items/" + std::to_string(i), "api"));
  transport.Script("POST", kTokenUrl, Reply(200, TokenBody(kTokenA, 3600)));
  transport.Script("GET", std::string(kPrimary) + "/items/*", Reply(200));
  settings.concurrency = 8;
  RunResult result = RunAll();
  EXPECT_EQ(result.summary.totals.passed, 8u);
  ASSERT_EQ(Sent(kTokenUrl).size(), 1u);
  std::vector<const http::HttpRequest*> api = Sent(kPrimary);
  ASSERT_EQ(api.size(), 8u);
  for (const http::HttpRequest* r : api)
    EXPECT_EQ(Authorization(*r), std::string("Bearer ") + kTokenA);
  const http::HttpRequest& token = *Sent(kTokenUrl)[0];
  EXPECT_EQ(token.body, "grant_type=client_credentials&scope=read");
  EXPECT_EQ(Authorization(token),
            AuthorizationValue(AuthScheme::kBasic, std::string("verity:") + kClientSecret));
}

TEST_F(TokenLifecycleTest, ATokenNearItsExpiryIsReplacedThroughItsRefreshTokenBeforeItIsSent) {
  // Lives 60 s, replaced 10 s before: the third document, at 60 s, gets a new one.
  settings.concurrency = 1;
  AddDoc("a.md", Doc("/a", "api", "    sleep: 30000\n"));
  AddDoc("b.md", Doc("/b", "api", "    sleep: 30000\n"));
  AddDoc("c.md", Doc("/c", "api"));
  transport.Script("POST", kTokenUrl, Reply(200, TokenBody(kTokenA, 60, kRefresh)), 1);
  transport.Script("POST", kTokenUrl, Reply(200, TokenBody(kTokenB, 60)), 1);
  transport.Script("GET", std::string(kPrimary) + "/*", Reply(200));
  RunResult result = RunAll();
  EXPECT_EQ(result.summary.totals.passed, 3u);
  std::vector<const http::HttpRequest*> tokens = Sent(kTokenUrl);
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[1]->body,
            std::string("grant_type=refresh_token&refresh_token=") + kRefresh + "&scope=read");
  std::vector<const http::HttpRequest*> api = Sent(kPrimary);
  ASSERT_EQ(api.size(), 3u);
  EXPECT_EQ(Authorization(*api[0]), std::string("Bearer ") + kTokenA);
  EXPECT_EQ(Authorization(*api[1]), std::string("Bearer ") + kTokenA);
  EXPECT_EQ(Authorization(*api[2]), std::string("Bearer ") + kTokenB);
}

TEST_F(TokenLifecycleTest, ARefusedRefreshTokenFallsBackToTheGrantItself) {
  settings.concurrency = 1;
  AddDoc("a.md", Doc("/a", "api", "    sleep: 60000\n"));
  AddDoc("b.md", Doc("/b", "api"));
  transport.Script("POST", kTokenUrl, Reply(200, TokenBody(kTokenA, 60, kRefresh)), 1);
  transport.Script("POST", kTokenUrl, Reply(400, R"({"error":"invalid_grant"})"), 1);
  transport.Script("POST", kTokenUrl, Reply(200, TokenBody(kTokenB, 60)), 1);
  transport.Script("GET", std::string(kPrimary) + "/*", Reply(200));
  RunResult result = RunAll();
  EXPECT_EQ(result.summary.totals.passed, 2u);
  std::vector<const http::HttpRequest*> tokens = Sent(kTokenUrl);
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_EQ(tokens[2]->body, "grant_type=client_credentials&scope=read");
  EXPECT_EQ(Authorization(*Sent(kPrimary)[1]), std::string("Bearer ") + kTokenB);
}

TEST_F(TokenLifecycleTest, ARetryAfterALongWaitCarriesANewTokenWhenTheOldOneNearedItsExpiry) {
  AddDoc("a.md", Doc("/a", "api"));
  transport.Script("POST", kTokenUrl, Reply(200, TokenBody(kTokenA, 60)), 1);
  transport.Script("POST", kTokenUrl, Reply(200, TokenBody(kTokenB, 60)), 1);
  // Retried after 55 s: past the point (50 s) where the first token is replaced.
  transport.Script("GET", std::string(kPrimary) + "/a", Reply(503, "{}", {{"retry-after", "55"}}),
                   1);
  transport.Script("GET", std::string(kPrimary) + "/a", Reply(200));
  DocumentResult doc = Only(RunAll());
  EXPECT_EQ(doc.outcome, Outcome::kPass) << doc.message;
  std::vector<const http::HttpRequest*> api = Sent(kPrimary);
  ASSERT_EQ(api.size(), 2u);
  EXPECT_EQ(Authorization(*api[0]), std::string("Bearer ") + kTokenA);
  EXPECT_EQ(Authorization(*api[1]), std::string("Bearer ") + kTokenB);
  EXPECT_EQ(doc.steps.at(0).attempts.size(), 2u);
}

TEST_F(TokenLifecycleTest, ARequestThatWaitedForItsRateLimitSlotPastItsTokenGetsANewOne) {
  // One request every 30 s; the third, prepared at once, waits 60 s for its slot: past the point
  // (50 s) where the first token is replaced.
  settings.rate_limit.requests_per_second = 1000;
  settings.rate_limit.max_in_flight = 0;
  settings.rate_limit.min_gap_ms = 30000;
  settings.rate_limit.preset = "custom";
  settings.concurrency = 3;
  for (int i = 0; i < 3; ++i)
    AddDoc("d" + std::to_string(i) + ".md", Doc("/items/" + std::to_string(i), "api"));
  transport.Script("POST", kTokenUrl, Reply(200, TokenBody(kTokenA, 60)), 1);
  transport.Script("POST", kTokenUrl, Reply(200, TokenBody(kTokenB, 60)), 1);
  transport.Script("GET", std::string(kPrimary) + "/items/*", Reply(200));
  RunResult result = RunAll();
  EXPECT_EQ(result.summary.totals.passed, 3u);
  std::vector<const http::HttpRequest*> api = Sent(kPrimary);
  ASSERT_EQ(api.size(), 3u);
  EXPECT_EQ(Authorization(*api[0]), std::string("Bearer ") + kTokenA);
  EXPECT_EQ(Authorization(*api[1]), std::string("Bearer ") + kTokenA);
  EXPECT_EQ(Authorization(*api[2]), std::string("Bearer ") + kTokenB);
  EXPECT_EQ(Sent(kTokenUrl).size(), 2u);
}

TEST_F(TokenLifecycleTest, A401ThatRefusesTheTokenObtainsANewOneAndResendsTheStepOnce) {
  AddDoc("a.md", Doc("/a", "api"));
  transport.Script("POST", kTokenUrl, Reply(200, TokenBody(kTokenA, 3600)), 1);
  transport.Script("POST", kTokenUrl, Reply(200, TokenBody(kTokenB, 3600)), 1);
  transport.Script(
      "GET", std::string(kPrimary) + "/a",
      Reply(401, "{}",
            {{"www-authenticate",
              R"(Bearer error="invalid_token", error_description="The access token expired")"}}),
      1);
  transport.Script("GET", std::string(kPrimary) + "/a", Reply(200));
  DocumentResult doc = Only(RunAll());
  EXPECT_EQ(doc.outcome, Outcome::kPass) << doc.message;
  ASSERT_EQ(Sent(kTokenUrl).size(), 2u);
  std::vector<const http::HttpRequest*> api = Sent(kPrimary);
  ASSERT_EQ(api.size(), 2u);
  EXPECT_EQ(Authorization(*api[1]), std::string("Bearer ") + kTokenB);
  ASSERT_EQ(doc.steps.at(0).attempts.size(), 2u);
  EXPECT_EQ(doc.steps[0].attempts[0].status, 401);
  EXPECT_NE(doc.steps[0].attempts[0].retry_reason, "");
}

TEST_F(TokenLifecycleTest, AStepIsResentOnlyOnceWhenTheNewTokenIsRefusedToo) {
  AddDoc("a.md", Doc("/a", "api"));
  transport.Script("POST", kTokenUrl, Reply(200, TokenBody(kTokenA, 3600)));
  transport.Script("GET", std::string(kPrimary) + "/a",
                   Reply(401, "{}", {{"www-authenticate", R"(Bearer error="invalid_token")"}}));
  DocumentResult doc = Only(RunAll());
  EXPECT_EQ(doc.outcome, Outcome::kFail);
  EXPECT_EQ(Sent(kTokenUrl).size(), 2u);
  EXPECT_EQ(Sent(kPrimary).size(), 2u);
}

TEST_F(TokenLifecycleTest, A401WithoutInvalidTokenIsTheApisAnswerAndObtainsNothing) {
  AddDoc("a.md", Doc("/a", "api"));
  transport.Script("POST", kTokenUrl, Reply(200, TokenBody(kTokenA, 3600)));
  transport.Script("GET", std::string(kPrimary) + "/a",
                   Reply(401, "{}", {{"www-authenticate", R"(Bearer realm="api")"}}));
  DocumentResult doc = Only(RunAll());
  EXPECT_EQ(doc.outcome, Outcome::kFail);
  EXPECT_EQ(Sent(kTokenUrl).size(), 1u);
  EXPECT_EQ(Sent(kPrimary).size(), 1u);
}

TEST_F(TokenLifecycleTest, AFailedTokenRequestFailsEveryWaitingStepWithMissingTokenAndNoSecret) {
  settings.concurrency = 8;
  for (int i = 0; i < 3; ++i)
    AddDoc("d" + std::to_string(i) + ".md", Doc("/items/" + std::to_string(i), "api"));
  transport.Script(
      "POST", kTokenUrl,
      Reply(401, std::string(R"({"error":"invalid_client","error_description":"bad secret )") +
                     kClientSecret + "\"}"));
  RunResult result = RunAll();
  EXPECT_EQ(Sent(kTokenUrl).size(), 1u);
  EXPECT_EQ(Sent(kPrimary).size(), 0u);
  for (const DocumentResult& doc : result.documents) {
    EXPECT_EQ(doc.outcome, Outcome::kFail);
    EXPECT_EQ(doc.reason, reason::kMissingToken);
    EXPECT_NE(doc.message.find("invalid_client"), std::string::npos) << doc.message;
  }
  EXPECT_EQ(ReportText(result).find(kClientSecret), std::string::npos);
}

TEST_F(TokenLifecycleTest, ARefusedTokenRequestIsNotRepeatedByLaterSteps) {
  settings.concurrency = 1;
  for (int i = 0; i < 3; ++i)
    AddDoc("d" + std::to_string(i) + ".md", Doc("/items/" + std::to_string(i), "api"));
  transport.Script("POST", kTokenUrl, Reply(400, R"({"error":"invalid_client"})"));
  RunResult result = RunAll();
  EXPECT_EQ(Sent(kTokenUrl).size(), 1u);
  for (const DocumentResult& doc : result.documents) {
    EXPECT_EQ(doc.reason, reason::kMissingToken);
    EXPECT_NE(doc.message.find("invalid_client"), std::string::npos) << doc.message;
  }
}

TEST_F(TokenLifecycleTest, ATokenRequestThatGotNoAnswerIsTriedAgainByTheNextStep) {
  settings.concurrency = 1;
  settings.retry.max_retries = 0;
  for (int i = 0; i < 2; ++i)
    AddDoc("d" + std::to_string(i) + ".md", Doc("/items/" + std::to_string(i), "api"));
  transport.Script("POST", kTokenUrl,
                   http::TransportError{http::TransportErrorCode::kNetworkError, "refused"}, 1);
  transport.Script("POST", kTokenUrl, Reply(200, TokenBody(kTokenA, 3600)));
  transport.Script("GET", std::string(kPrimary) + "/items/*", Reply(200));
  RunResult result = RunAll();
  EXPECT_EQ(Sent(kTokenUrl).size(), 2u);
  EXPECT_EQ(result.documents.at(0).reason, reason::kMissingToken);
  EXPECT_EQ(result.documents.at(1).outcome, Outcome::kPass) << result.documents.at(1).message;
}

TEST_F(TokenLifecycleTest, ObtainedTokensAreMaskedWhereverTheApiEchoesThem) {
  AddDoc("a.md", Doc("/a", "api", "    extract:\n      seen: \"$.token\"\n"));
  transport.Script("POST", kTokenUrl, Reply(200, TokenBody(kTokenA, 3600, kRefresh)));
  transport.Script(
      "GET", std::string(kPrimary) + "/a",
      Reply(200, std::string("{\"token\":\"") + kTokenA + "\",\"r\":\"" + kRefresh + "\"}"));
  RunResult result = RunAll();
  EXPECT_EQ(Only(result).outcome, Outcome::kPass) << Only(result).message;
  std::string report = ReportText(result);
  EXPECT_EQ(report.find(kTokenA), std::string::npos);
  EXPECT_EQ(report.find(kRefresh), std::string::npos);
  EXPECT_EQ(report.find(kClientSecret), std::string::npos);
  EXPECT_NE(report.find("****"), std::string::npos);
}

TEST_F(TokenLifecycleTest, TheSpecsOAuth2TokenUrlIsUsedWhenTheConfigurationGivesNone) {
  settings.tokens["api"].obtain->oauth2->token_url.clear();
  spec::Catalog specs(fs);
  specs.AddText("specs/api.yaml", R"(openapi: 3.0.3
info: {title: t, version: "1"}
components:
  securitySchemes:
    api:
      type: oauth2
      flows:
        clientCredentials: {tokenUrl: /oauth/token, scopes: {read: r}}
security: [{api: [read]}]
paths:
  /a:
    get:
      responses: {"200": {description: ok}}
)",
                "api");
  catalog = &specs;
  AddDoc("a.md", Doc("/a", "api"));
  transport.Script("POST", std::string(kPrimary) + "/oauth/token",
                   Reply(200, TokenBody(kTokenA, 3600)));
  transport.Script("GET", std::string(kPrimary) + "/a", Reply(200));
  DocumentResult doc = Only(RunAll());
  EXPECT_EQ(doc.outcome, Outcome::kPass) << doc.message;
  EXPECT_EQ(Sent(std::string(kPrimary) + "/oauth/token").size(), 1u);
}

TEST_F(TokenLifecycleTest, AnOpenIdConnectSchemeFindsItsTokenEndpointInTheDiscoveryDocument) {
  settings.tokens["api"].obtain->oauth2->token_url.clear();
  spec::Catalog specs(fs);
  specs.AddText("specs/api.yaml", R"(openapi: 3.0.3
info: {title: t, version: "1"}
components:
  securitySchemes:
    api: {type: openIdConnect, openIdConnectUrl: "https://idp.test/.well-known/openid-configuration"}
security: [{api: []}]
paths:
  /a:
    get:
      responses: {"200": {description: ok}}
)",
                "api");
  catalog = &specs;
  AddDoc("a.md", Doc("/a", "api"));
  transport.Script(
      "GET", "https://idp.test/.well-known/openid-configuration",
      Reply(200, R"({"issuer":"https://idp.test","token_endpoint":"https://idp.test/token"})"));
  transport.Script("POST", "https://idp.test/token", Reply(200, TokenBody(kTokenA, 3600)));
  transport.Script("GET", std::string(kPrimary) + "/a", Reply(200));
  DocumentResult doc = Only(RunAll());
  EXPECT_EQ(doc.outcome, Outcome::kPass) << doc.message;
  EXPECT_EQ(Authorization(*Sent(kPrimary)[0]), std::string("Bearer ") + kTokenA);
}

TEST_F(TokenLifecycleTest, WithoutATokenUrlInTheConfigurationOrTheSpecTheStepSaysWhatToSet) {
  settings.tokens["api"].obtain->oauth2->token_url.clear();
  AddDoc("a.md", Doc("/a", "api"));
  DocumentResult doc = Only(RunAll());
  EXPECT_EQ(doc.reason, reason::kMissingToken);
  EXPECT_NE(doc.message.find("tokens.api.oauth2.token_url"), std::string::npos) << doc.message;
  EXPECT_TRUE(transport.requests().empty());
}

TEST_F(TokenLifecycleTest, ADryRunSendsNoTokenRequestAndShowsAStandIn) {
  dry_run = http::DryRunTransport();
  settings.dry_run = true;
  AddDoc("a.md", Doc("/a", "api"));
  DocumentResult doc = Only(RunAll());
  EXPECT_EQ(doc.reason, reason::kDryRun);
  ASSERT_EQ(dry_run->requests().size(), 1u);
  EXPECT_EQ(Authorization(dry_run->requests()[0]), "Bearer <api token>");
}

// ---- login recipes --------------------------------------------------------------------------

class LoginRecipeTest : public TokenLifecycleTest {
 protected:
  LoginRecipeTest() {
    Credential& session = settings.tokens["session"];
    session.scheme = AuthScheme::kBearer;
    session.obtain = ObtainedBy{};
    session.obtain->login = LoginRecipe{"auth/login.md", "session_token", "ttl"};
    settings.secrets["alice_password"] = kPassword;
  }

  void AddLogin() {
    AddDoc("auth/login.md",
           "---\nendpoint: \"POST /login\"\ndomain: auth\nstatus: verified\n---\n\n# Log in\n\n"
           "## Test Request\n\n```yaml\nsteps:\n  - id: login\n    method: POST\n    path: /login\n"
           "    token: none\n    body:\n      user: alice\n      password: "
           "\"{{secrets.alice_password}}\"\n"
           "    extract:\n      session_token: \"$.token\"\n      ttl: \"$.expires_in\"\n"
           "    expect:\n      status: [200]\n```\n");
  }

  Selection PlanOnly() {
    Selection selection;
    selection.targets = {"kb/plan"};
    return selection;
  }
};

TEST_F(LoginRecipeTest, TheLoginRecipeRunsOnceForEveryDocumentThatNeedsItsToken) {
  AddLogin();
  settings.concurrency = 8;
  for (int i = 0; i < 4; ++i)
    AddDoc("plan/d" + std::to_string(i) + ".md", Doc("/items/" + std::to_string(i), "session"));
  transport.Script("POST", std::string(kPrimary) + "/login",
                   Reply(200, std::string("{\"token\":\"") + kTokenA + "\",\"expires_in\":3600}"));
  transport.Script("GET", std::string(kPrimary) + "/items/*", Reply(200));
  RunResult result = RunAll(PlanOnly());
  EXPECT_EQ(result.summary.totals.passed, 4u);
  ASSERT_EQ(Sent(std::string(kPrimary) + "/login").size(), 1u);
  for (const http::HttpRequest* r : Sent(std::string(kPrimary) + "/items"))
    EXPECT_EQ(Authorization(*r), std::string("Bearer ") + kTokenA);
  EXPECT_EQ(Authorization(*Sent(std::string(kPrimary) + "/login")[0]), "");
  std::string report = ReportText(result);
  EXPECT_EQ(report.find(kTokenA), std::string::npos);
  EXPECT_EQ(report.find(kPassword), std::string::npos);
}

TEST_F(LoginRecipeTest, TheLoginRecipeRunsAgainWhenItsTokenNearsTheLifetimeItExtracted) {
  AddLogin();
  settings.concurrency = 1;
  AddDoc("plan/a.md", Doc("/a", "session", "    sleep: 60000\n"));
  AddDoc("plan/b.md", Doc("/b", "session"));
  transport.Script("POST", std::string(kPrimary) + "/login",
                   Reply(200, std::string("{\"token\":\"") + kTokenA + "\",\"expires_in\":60}"), 1);
  transport.Script("POST", std::string(kPrimary) + "/login",
                   Reply(200, std::string("{\"token\":\"") + kTokenB + "\",\"expires_in\":60}"), 1);
  transport.Script("GET", std::string(kPrimary) + "/*", Reply(200));
  RunResult result = RunAll(PlanOnly());
  EXPECT_EQ(result.summary.totals.passed, 2u);
  EXPECT_EQ(Sent(std::string(kPrimary) + "/login").size(), 2u);
  EXPECT_EQ(Authorization(*Sent(std::string(kPrimary) + "/b")[0]),
            std::string("Bearer ") + kTokenB);
}

TEST_F(LoginRecipeTest, AFailedLoginFailsTheStepsThatNeedItsTokenNamingWhy) {
  AddLogin();
  AddDoc("plan/a.md", Doc("/a", "session"));
  transport.Script("POST", std::string(kPrimary) + "/login", Reply(403, R"({"error":"locked"})"));
  DocumentResult doc = Only(RunAll(PlanOnly()));
  EXPECT_EQ(doc.reason, reason::kMissingToken);
  EXPECT_NE(doc.message.find("auth/login.md"), std::string::npos) << doc.message;
  EXPECT_EQ(doc.message.find(kPassword), std::string::npos);
}

TEST_F(LoginRecipeTest, ALoginRecipeThatNeedsItsOwnTokenFailsInsteadOfWaitingForever) {
  AddDoc("auth/login.md", Doc("/login", "session"));
  AddDoc("plan/a.md", Doc("/a", "session"));
  DocumentResult doc = Only(RunAll(PlanOnly()));
  EXPECT_EQ(doc.reason, reason::kMissingToken);
  EXPECT_NE(doc.message.find("needs the session token itself"), std::string::npos) << doc.message;
}

TEST_F(LoginRecipeTest, ALoginRecipeThatNeedsAnotherLoginsTokenFailsInsteadOfWaiting) {
  // Two logins that need each other's token would wait for each other for ever.
  Credential& other = settings.tokens["other"];
  other.scheme = AuthScheme::kBearer;
  other.obtain = ObtainedBy{};
  other.obtain->login = LoginRecipe{"auth/other.md", "other_token", ""};
  AddDoc("auth/login.md", Doc("/login", "other"));
  AddDoc("auth/other.md", Doc("/other", "session"));
  AddDoc("plan/a.md", Doc("/a", "session"));
  DocumentResult doc = Only(RunAll(PlanOnly()));
  EXPECT_EQ(doc.reason, reason::kMissingToken);
  EXPECT_NE(doc.message.find("which another login recipe obtains"), std::string::npos)
      << doc.message;
  EXPECT_TRUE(transport.requests().empty());
}

TEST_F(LoginRecipeTest, ALoginRecipeMayUseAnOAuth2Token) {
  settings.tokens["session"].obtain->login = LoginRecipe{"auth/login.md", "session_token", ""};
  AddDoc("auth/login.md",
         "---\nendpoint: \"POST /login\"\ndomain: auth\nstatus: verified\n---\n\n# Log in\n\n"
         "## Test Request\n\n```yaml\nsteps:\n  - id: login\n    method: POST\n    path: /login\n"
         "    token: api\n    extract:\n      session_token: \"$.token\"\n```\n");
  AddDoc("plan/a.md", Doc("/a", "session"));
  transport.Script("POST", kTokenUrl, Reply(200, TokenBody(kTokenA, 3600)));
  transport.Script("POST", std::string(kPrimary) + "/login",
                   Reply(200, std::string("{\"token\":\"") + kTokenB + "\"}"));
  transport.Script("GET", std::string(kPrimary) + "/a", Reply(200));
  DocumentResult doc = Only(RunAll(PlanOnly()));
  EXPECT_EQ(doc.outcome, Outcome::kPass) << doc.message;
  EXPECT_EQ(Authorization(*Sent(std::string(kPrimary) + "/login")[0]),
            std::string("Bearer ") + kTokenA);
  EXPECT_EQ(Authorization(*Sent(std::string(kPrimary) + "/a")[0]),
            std::string("Bearer ") + kTokenB);
}

TEST_F(LoginRecipeTest, ALoginRecipeIsCheckedBeforeTheRunAndNotRunAgainAsAPlanDocument) {
  kb.roots = {"kb"};
  AddDoc("plan/a.md", Doc("/a", "session"));
  Status missing = CheckFixtures(settings, kb);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.message().find("tokens.session.login.recipe: \"auth/login.md\""),
            std::string::npos)
      << missing.message();
  AddLogin();
  EXPECT_TRUE(CheckFixtures(settings, kb).ok());
  auto plan = MakePlan(kb, Selection{});
  ASSERT_TRUE(plan.ok());
  Plan kept = WithoutFixtures(*plan, settings, kb);
  ASSERT_EQ(kept.documents.size(), 1u);
  EXPECT_EQ(kept.documents[0].document->file, "kb/plan/a.md");
}

}  // namespace
}  // namespace verity::run::testing
