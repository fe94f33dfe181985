// Tokens obtained at run time against a real OAuth2 server: oauth2-mock-server from npm (pinned by
// tests/oauth/package-lock.json; tools/setup-oauth.sh runs `npm ci`, and tools/test.sh runs it),
// issuing signed JWTs that live two seconds, and a resource API in the same node process
// (tests/oauth/server.mjs) that checks each bearer token's signature and expiry and counts what it
// sees. The test runs 200 documents at concurrency 8 through `verity run`, long enough for the
// tokens to expire twice over, with a configuration that names only the client: the token URL comes
// from the spec's oauth2 scheme. Every document must pass, no expired token may reach the API, and
// the server must have issued one token per refresh window, never two at once. A second run does
// the same with a login recipe against the harness's own POST /login (its JWTs live as long),
// recorded in a history database: the password and the tokens appear in no report, output or
// history.
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/json.h"
#include "support/paths.h"
#include "support/process.h"

namespace verity {
namespace {

using namespace std::chrono_literals;
using testing::Child;
using testing::ChildOptions;
using testing::SourcePath;
using testing::TempDir;

constexpr int kDocuments = 200;
constexpr int kLifetimeSeconds = 2;
constexpr int kDelayMs = 200;  // per API answer: 25 rounds of 8 take about 5 s, 2.5 lifetimes
constexpr char kClientSecret[] = "items-client-secret-0123456789";
constexpr char kMissing[] =
    "node or tests/oauth/node_modules is missing: run tools/setup-oauth.sh (npm ci in tests/oauth)";

std::string Slurp(const std::string& path) {
  try {
    return testing::ReadFileOrDie(path);
  } catch (const std::exception&) {
    return "";
  }
}

std::optional<std::string> FindNode() {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string candidate = dirs.substr(start, end - start) + "/node";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return std::nullopt;
}

// 200 operations, each behind the oauth2 scheme, whose token URL is the real server's.
std::string Spec(const std::string& token_url) {
  std::string paths;
  for (int i = 0; i < kDocuments; ++i) {
    paths += "  /items/n" + std::to_string(i) +
             ":\n    get:\n      responses:\n        \"200\":\n          description: ok\n"
             "          content:\n            application/json:\n              schema:\n"
             "                type: object\n                required: [id]\n"
             "                properties: {id: {type: string}}\n";
  }
  return "openapi: 3.0.3\ninfo: {title: items, version: \"1\"}\n"
         "components:\n  securitySchemes:\n    items_auth:\n      type: oauth2\n"
         "      flows:\n        clientCredentials:\n          tokenUrl: " +
         token_url +
         "\n          scopes: {read: read items}\n"
         "security: [{items_auth: [read]}]\npaths:\n" +
         paths;
}

constexpr int kLoginDocuments = 100;
constexpr char kLoginPassword[] = "alice-login-password-0123456789";

// The API's own login, as a knowledge-base document: the password from `secrets:`.
constexpr char kLoginRecipe[] = R"(---
endpoint: "POST /login"
domain: auth
status: pending
---

# Log in

## Test Request

```yaml
steps:
  - id: login
    method: POST
    path: /login
    token: none
    body:
      user: alice
      password: "{{secrets.login_password}}"
    extract:
      session_token: "$.token"
      ttl: "$.expires_in"
    expect:
      status: [200]
```
)";

std::string LoginDocument(int i) {
  std::string n = std::to_string(i);
  return "---\nendpoint: \"GET /items/m" + n +
         "\"\ndomain: items\ntokens: [session]\nstatus: pending\n---\n\n# Item " + n +
         "\n\n## Test Request\n\n```yaml\nsteps:\n  - id: get\n    method: GET\n    path: "
         "/items/m" +
         n + "\n    expect:\n      status: [200]\n```\n";
}

std::string Document(int i) {
  std::string n = std::to_string(i);
  return "---\nendpoint: \"GET /items/n" + n +
         "\"\ndomain: items\nswagger: \"items.yaml\"\nstatus: pending\n---\n\n# Item " + n +
         "\n\n## Test Request\n\n```yaml\nsteps:\n  - id: get\n    method: GET\n    path: "
         "/items/n" +
         n + "\n    expect:\n      status: [200]\n```\n";
}

struct VerityRun {
  int code = -1;
  std::string out, report_text;
  Json report;
};

VerityRun RunVerity(const std::string& dir, std::vector<std::string> args,
                    const std::string& report) {
  ChildOptions options;
  options.argv = {VERITY_BINARY};
  options.argv.insert(options.argv.end(), args.begin(), args.end());
  options.cwd = dir;
  options.env = {{"ITEMS_CLIENT_SECRET", kClientSecret}, {"LOGIN_PASSWORD", kLoginPassword}};
  options.stdout_path = dir + "/verity.out";
  options.stderr_path = dir + "/verity.err";
  Child verity(options);
  testing::ChildExit exit = verity.Wait(120s);
  VerityRun run;
  run.code = exit.exited ? exit.code : -1;
  run.out = Slurp(options.stdout_path) + Slurp(options.stderr_path);
  run.report_text = Slurp(dir + "/" + report);
  run.report = Json::parse(run.report_text, nullptr, false);
  return run;
}

// The harness's counts, started anew when `reset`.
Json Stats(const std::string& api_url, bool reset) {
  httplib::Client client(api_url);
  auto answer = reset ? client.Delete("/stats") : client.Get("/stats");
  return answer ? Json::parse(answer->body, nullptr, false) : Json();
}

// Consecutive times closer than `window_ms` (less a little for the clocks' granularity): two
// tokens obtained where one would do.
std::vector<std::string> TooClose(const std::vector<int64_t>& at_ms, int64_t window_ms) {
  std::vector<std::string> close;
  for (size_t i = 1; i < at_ms.size(); ++i) {
    if (at_ms[i] - at_ms[i - 1] < window_ms - 100)
      close.push_back(std::to_string(i - 1) + "→" + std::to_string(i) + ": " +
                      std::to_string(at_ms[i] - at_ms[i - 1]) + " ms");
  }
  return close;
}

struct World {
  TempDir dir;
  std::optional<Child> server;
  std::string api_url, issuer_url;
  int run_code = -1;
  std::string run_out, report_text;
  Json report, stats;
  VerityRun login_run;
  Json login_stats;
  std::string history_bytes;
  std::string setup_failure;

  void SetUp() {
    std::optional<std::string> node = FindNode();
    std::string harness = SourcePath("tests/oauth/server.mjs");
    if (!node ||
        !std::filesystem::exists(SourcePath("tests/oauth/node_modules/oauth2-mock-server"))) {
      setup_failure = kMissing;
      return;
    }
    ChildOptions options;
    options.argv = {*node,        harness,
                    "--lifetime", std::to_string(kLifetimeSeconds),
                    "--delay",    std::to_string(kDelayMs)};
    options.cwd = SourcePath("tests/oauth");
    options.env = {{"LOGIN_PASSWORD", kLoginPassword}};
    options.stdout_path = dir.path() + "/server.out";
    options.stderr_path = dir.path() + "/server.err";
    server.emplace(options);
    std::optional<std::string> line =
        server->started() ? server->FirstStdoutLine(20s) : std::nullopt;
    Json urls = line ? Json::parse(*line, nullptr, false) : Json();
    if (!urls.is_object()) {
      setup_failure =
          "the OAuth2 harness did not start: " + server->error() + Slurp(options.stderr_path);
      return;
    }
    api_url = urls["api"].get<std::string>();
    // The server names itself `localhost`; the test speaks to 127.0.0.1 only.
    std::string issuer = urls["issuer"].get<std::string>();
    issuer_url = "http://127.0.0.1" + issuer.substr(issuer.rfind(':'));

    dir.Write("spec/items.yaml", Spec(issuer_url + "/token"));
    for (int i = 0; i < kDocuments; ++i)
      dir.Write("kb/items/get_n" + std::to_string(i) + ".md", Document(i));
    for (int i = 0; i < kLoginDocuments; ++i)
      dir.Write("kb-login/items/get_m" + std::to_string(i) + ".md", LoginDocument(i));
    dir.Write("kb-login/auth/login.md", kLoginRecipe);
    dir.Write(
        "verity.yaml",
        "environments:\n  oauth:\n    base_url: " + api_url +
            "\n    spec_root: spec\n    knowledge_base: kb\n    rate_limit: \"off\"\n"
            "    timeout: 5s\n    deadline: 2m\n    tokens:\n      items_auth:\n"
            "        oauth2:\n          client_id: verity\n"
            "          client_secret: {env: ITEMS_CLIENT_SECRET}\n"
            "          scopes: [read]\n"
            "  login:\n    base_url: " +
            api_url +
            "\n    knowledge_base: kb-login\n    rate_limit: \"off\"\n"
            "    timeout: 5s\n    deadline: 2m\n"
            "    secrets:\n      login_password: {env: LOGIN_PASSWORD}\n"
            "    tokens:\n      session:\n"
            "        login: {recipe: auth/login.md, token: session_token, expires_in: ttl}\n");
    VerityRun oauth =
        RunVerity(dir.path(),
                  {"run", "--config", "verity.yaml", "--env", "oauth", "--concurrency", "8",
                   "--no-write-back", "--no-history", "--report-json", "report.json"},
                  "report.json");
    run_code = oauth.code;
    run_out = oauth.out;
    report_text = oauth.report_text;
    report = oauth.report;
    if (!report.is_object()) {
      setup_failure = "no JSON report:\n" + run_out;
      return;
    }
    stats = Stats(api_url, false);
    Stats(api_url, true);
    login_run = RunVerity(
        dir.path(),
        {"run", "--config", "verity.yaml", "--env", "login", "--concurrency", "8",
         "--no-write-back", "--history", "history.db", "--report-json", "report-login.json"},
        "report-login.json");
    if (!login_run.report.is_object()) {
      setup_failure = "no JSON report of the login run:\n" + login_run.out;
      return;
    }
    login_stats = Stats(api_url, false);
    history_bytes = Slurp(dir.path() + "/history.db") + Slurp(dir.path() + "/history.db-wal");
    if (!stats.is_object() || !login_stats.is_object())
      setup_failure = "the harness gave no /stats";
  }
};

class OAuthLifecycle : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    world_ = new World;
    world_->SetUp();
  }
  static void TearDownTestSuite() {
    delete world_;  // kills the server
    world_ = nullptr;
  }
  void SetUp() override { ASSERT_EQ(world_->setup_failure, ""); }

  static World* world_;
};

World* OAuthLifecycle::world_ = nullptr;

TEST_F(OAuthLifecycle, EveryDocumentPassesAndNoExpiredTokenReachesTheApi) {
  EXPECT_EQ(world_->run_code, 0) << world_->run_out;
  EXPECT_EQ(world_->report["summary"]["passed"], kDocuments) << world_->run_out;
  const Json& stats = world_->stats;
  EXPECT_EQ(stats["requests"], kDocuments) << stats.dump();
  EXPECT_EQ(stats["ok"], kDocuments) << stats.dump();
  EXPECT_EQ(stats["expired"], 0) << stats.dump();
  EXPECT_EQ(stats["invalid"], 0) << stats.dump();
  EXPECT_EQ(stats["missing"], 0) << stats.dump();
}

TEST_F(OAuthLifecycle, OneTokenIsIssuedPerRefreshWindowAcrossTwoExpiries) {
  const Json& stats = world_->stats;
  std::vector<int64_t> issued = stats["issued_at_ms"].get<std::vector<int64_t>>();
  ASSERT_EQ(stats["issued"], issued.size());
  // The run outlasted two lifetimes: at least the first token and two replacements.
  ASSERT_GE(issued.size(), 3u) << stats.dump();
  // A token of 2 s is replaced once half its life is left (docs/auth.md): one token per second
  // of the run at most, never two fetched together for documents that needed one at once.
  EXPECT_EQ(TooClose(issued, kLifetimeSeconds * 1000 / 2), std::vector<std::string>{})
      << stats.dump();
}

TEST_F(OAuthLifecycle, ALoginRecipeLogsInOncePerRefreshWindowAndItsPasswordShowsNowhere) {
  const VerityRun& run = world_->login_run;
  EXPECT_EQ(run.code, 0) << run.out;
  // The login recipe is not one of the run's documents: it runs when its token is needed.
  EXPECT_EQ(run.report["summary"]["passed"], kLoginDocuments) << run.out;
  EXPECT_EQ(run.report["summary"]["total"], kLoginDocuments) << run.out;
  const Json& stats = world_->login_stats;
  EXPECT_EQ(stats["ok"], kLoginDocuments) << stats.dump();
  EXPECT_EQ(stats["expired"], 0) << stats.dump();
  EXPECT_EQ(stats["refused_logins"], 0) << stats.dump();
  std::vector<int64_t> logins = stats["login_at_ms"].get<std::vector<int64_t>>();
  EXPECT_GE(logins.size(), 2u) << stats.dump();
  EXPECT_EQ(TooClose(logins, kLifetimeSeconds * 1000 / 2), std::vector<std::string>{})
      << stats.dump();
  ASSERT_FALSE(world_->history_bytes.empty()) << "the run was recorded in history.db";
  const std::string& history = world_->history_bytes;
  for (const std::string* text : {&run.report_text, &run.out, &history}) {
    EXPECT_EQ(text->find(kLoginPassword), std::string::npos);
    EXPECT_EQ(text->find("eyJ"), std::string::npos);
  }
}

TEST_F(OAuthLifecycle, NeitherTheClientSecretNorATokenAppearsInTheReportOrTheOutput) {
  for (const std::string* text : {&world_->report_text, &world_->run_out}) {
    EXPECT_EQ(text->find(kClientSecret), std::string::npos);
    // Every token is a JWT, whose header starts `eyJ` in base64url.
    EXPECT_EQ(text->find("eyJ"), std::string::npos);
  }
}

}  // namespace
}  // namespace verity
