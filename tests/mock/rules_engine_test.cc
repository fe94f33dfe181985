// Deciding requests: tokens in every Authorization form, each effect, counters, rate limits on a
// fake clock, first-match semantics, concurrent callers, and the seed's primary/fallback gateway.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "mock/rules.h"

namespace verity::mock {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const char kTokens[] = R"(tokens:
  demo-staff-token: staff
  demo-directory-token: directory
)";

Rules ParseOrDie(const std::string& text) {
  Result<Rules> rules = ParseRules(text, "rules.yaml");
  EXPECT_TRUE(rules.ok()) << rules.status().message();
  return rules.ok() ? std::move(rules).value() : Rules{};
}

// An engine over kTokens and `rules`, on a clock the test moves.
struct Mock {
  explicit Mock(const std::string& rules, EngineOptions options = {})
      : engine(ParseOrDie(kTokens + rules), clock, std::move(options)) {}
  Decision Ask(std::string_view method, std::string_view path,
               std::string_view authorization = "Bearer demo-staff-token") {
    return engine.Decide({.method = method, .path = path, .authorization = authorization});
  }
  int Status(std::string_view method, std::string_view path,
             std::string_view authorization = "Bearer demo-staff-token") {
    Decision d = Ask(method, path, authorization);
    return d.drop_connection ? -1 : d.response ? d.response->status : 0;  // 0: served
  }
  FakeClock clock{1'000'000};
  RuleEngine engine;
};

TEST(MockRulesTokens, ReadsTheTokenFromEveryAuthorizationFormVeritySends) {
  EXPECT_EQ("abc", TokenFromAuthorization("Bearer abc"));
  EXPECT_EQ("abc", TokenFromAuthorization("bearer  abc "));
  EXPECT_EQ("abc", TokenFromAuthorization("Admin abc"));
  EXPECT_EQ("abc", TokenFromAuthorization("Token token=\"abc\""));
  EXPECT_EQ("abc", TokenFromAuthorization("Token token=\"abc\", nonce=\"def\""));
  EXPECT_EQ("abc", TokenFromAuthorization("Token token=abc"));
  EXPECT_EQ("abc", TokenFromAuthorization("Token abc"));
  EXPECT_EQ("", TokenFromAuthorization("Basic dXNlcjpwYXNz"));
  EXPECT_EQ("", TokenFromAuthorization("Bearer"));
  EXPECT_EQ("", TokenFromAuthorization(""));
}

TEST(MockRulesTokens, TellsCallersApartInAllThreeForms) {
  Mock mock("rules: []\n");
  EXPECT_EQ("staff", mock.Ask("GET", "/a", "Bearer demo-staff-token").token_type);
  EXPECT_EQ("directory", mock.Ask("GET", "/a", "Admin demo-directory-token").token_type);
  EXPECT_EQ("staff", mock.Ask("GET", "/a", "Token token=\"demo-staff-token\"").token_type);
  EXPECT_EQ("", mock.Ask("GET", "/a", "Bearer someone-else").token_type);
  EXPECT_EQ("", mock.Ask("GET", "/a", "").token_type);
  EXPECT_EQ("", mock.Ask("GET", "/a", "Basic demo-staff-token").token_type);
  EXPECT_FALSE(mock.Ask("GET", "/a").response);  // no rules: everything is served
}

TEST(MockRulesTokens, MatchesExactValuesBeforePrefixesAndReadsVariablesAtStart) {
  FakeClock clock(0);
  EngineOptions options;
  options.env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "ADMIN_TOKEN") return "  adm-1\n";
    return std::nullopt;
  };
  RuleEngine engine(ParseOrDie(R"(tokens:
  - {prefix: "dir-", type: directory}
  - {value: dir-special, type: staff}
  - {env: ADMIN_TOKEN, type: admin}
  - {env: PARTNER_TOKEN, type: partner}
)"),
                    clock, options);
  auto type = [&](std::string_view auth) {
    return engine.Decide({.method = "GET", .path = "/", .authorization = auth}).token_type;
  };
  EXPECT_EQ("directory", type("Bearer dir-42"));
  EXPECT_EQ("staff", type("Bearer dir-special"));
  EXPECT_EQ("admin", type("Admin adm-1"));
  EXPECT_EQ("", type("Bearer adm-2"));
  EXPECT_EQ("", type("Bearer di"));
  ASSERT_EQ(1u, engine.warnings().size());
  EXPECT_EQ("rules.yaml:5: tokens: PARTNER_TOKEN is not set, so no token is a partner token",
            engine.warnings()[0]);
}

TEST(MockRulesEffects, AcceptTokensAnswers401WithAJsonBodyToOtherTypes) {
  Mock mock(R"(rules:
  - name: platform
    match: {path: "/platform/v1/*"}
    accept_tokens: [staff]
)");
  EXPECT_EQ(0, mock.Status("GET", "/platform/v1/clients"));
  Decision d = mock.Ask("GET", "/platform/v1/clients", "Bearer demo-directory-token");
  ASSERT_TRUE(d.response);
  EXPECT_EQ(401, d.response->status);
  EXPECT_EQ(R"({"error":"Unauthorized","message":"this endpoint accepts staff tokens only"})",
            d.response->body_text);
  EXPECT_EQ((http::Headers{{"Content-Type", "application/json"}, {"WWW-Authenticate", "Bearer"}}),
            d.response->headers);
  EXPECT_THAT(d.applied(), ElementsAre("platform"));
  EXPECT_EQ(401, mock.Status("GET", "/platform/v1/clients", ""));
  EXPECT_EQ(0, mock.Status("GET", "/other", ""));  // outside the rule
}

TEST(MockRulesEffects, AcceptTokensCanLetAnonymousCallersIn) {
  Mock mock(R"(rules:
  - match: {path: "/public/*"}
    accept_tokens: [anonymous]
)");
  EXPECT_EQ(0, mock.Status("GET", "/public/x", ""));
  EXPECT_EQ(401, mock.Status("GET", "/public/x"));
}

TEST(MockRulesEffects, RejectReplacesTheDefault401) {
  Mock mock(R"(rules:
  - match: {path: "*"}
    accept_tokens: staff
    reject: {status: 403, body: {success: false}}
)");
  Decision d = mock.Ask("GET", "/x", "Bearer demo-directory-token");
  ASSERT_TRUE(d.response);
  EXPECT_EQ(403, d.response->status);
  EXPECT_EQ(R"({"success":false})", d.response->body_text);
}

TEST(MockRulesEffects, RespondForcesStatusHeadersAndBody) {
  Mock mock(R"(rules:
  - match: {method: POST, path: "/platform/v1/clients"}
    respond: {status: 503, body: {error: try again}, headers: {Retry-After: "0"}}
  - match: {method: DELETE, path: "/empty"}
    respond: {status: 204}
)");
  Decision d = mock.Ask("POST", "/platform/v1/clients");
  ASSERT_TRUE(d.response);
  EXPECT_EQ(503, d.response->status);
  EXPECT_EQ((http::Headers{{"Content-Type", "application/json"}, {"Retry-After", "0"}}),
            d.response->headers);
  EXPECT_EQ(Json({{"error", "try again"}}), *d.response->body);
  EXPECT_EQ(R"({"error":"try again"})", d.response->body_text);
  EXPECT_EQ(0, mock.Status("GET", "/platform/v1/clients"));  // another method

  Decision empty = mock.Ask("delete", "/empty");  // methods in any case
  ASSERT_TRUE(empty.response);
  EXPECT_EQ(204, empty.response->status);
  EXPECT_FALSE(empty.response->body);
  EXPECT_EQ("", empty.response->body_text);
  EXPECT_TRUE(empty.response->headers.empty());
}

TEST(MockRulesEffects, AFixedLatencyIsAddedToEveryMatchingRequest) {
  Mock mock(R"(rules:
  - name: slow
    match: {method: GET, path: "/platform/v1/clients"}
    latency: 20ms
)");
  Decision d = mock.Ask("GET", "/platform/v1/clients");
  EXPECT_EQ(20, d.latency_ms);
  EXPECT_FALSE(d.response);
  EXPECT_THAT(d.applied(), ElementsAre("slow"));
  EXPECT_EQ(0, mock.Ask("GET", "/platform/v1/clients/1").latency_ms);
}

TEST(MockRulesEffects, ALatencyRangeIsDeterministicFromTheSeedAndStaysInRange) {
  const std::string rules = R"(seed: 7
rules:
  - match: {path: "*"}
    latency: {min: 10ms, max: 50ms}
)";
  auto latencies = [&](EngineOptions options) {
    Mock mock(rules, std::move(options));
    std::vector<int64_t> out;
    for (int i = 0; i < 200; ++i) out.push_back(mock.Ask("GET", "/x").latency_ms);
    return out;
  };
  std::vector<int64_t> first = latencies({});
  EXPECT_EQ(first, latencies({}));  // the same requests wait the same times
  EXPECT_EQ(10, *std::min_element(first.begin(), first.end()));
  EXPECT_EQ(50, *std::max_element(first.begin(), first.end()));
  EngineOptions seeded;
  seeded.seed = 8;  // the server's --seed replaces the file's
  EXPECT_NE(first, latencies(seeded));
  seeded.seed = 7;
  EXPECT_EQ(first, latencies(seeded));
}

TEST(MockRulesEffects, DropConnectionClosesWithoutAnAnswerAfterItsLatency) {
  Mock mock(R"(rules:
  - name: hang
    match: {path: "/platform/v1/slow/*"}
    latency: 2s
    drop_connection: true
)");
  Decision d = mock.Ask("GET", "/platform/v1/slow/report");
  EXPECT_TRUE(d.drop_connection);
  EXPECT_FALSE(d.response);
  EXPECT_EQ(2000, d.latency_ms);
  EXPECT_THAT(d.applied(), ElementsAre("hang"));  // one rule, named once
  EXPECT_FALSE(mock.Ask("GET", "/platform/v1/fast").drop_connection);
}

TEST(MockRulesCounters, EveryFiresOnEachNthMatchingRequest) {
  Mock mock(R"(rules:
  - match: {path: "/platform/v1/payment/packages"}
    every: 2
    respond: {status: 503}
)");
  std::vector<int> statuses;
  for (int i = 0; i < 6; ++i) {
    statuses.push_back(mock.Status("GET", "/platform/v1/payment/packages"));
    mock.Status("GET", "/platform/v1/clients");  // not matching: not counted
  }
  EXPECT_EQ((std::vector<int>{0, 503, 0, 503, 0, 503}), statuses);
}

TEST(MockRulesCounters, TimesStopsTheRuleAfterItHasFiredThatOften) {
  Mock mock(R"(rules:
  - match: {method: POST, path: "/sessions"}
    times: 2
    respond: {status: 500}
)");
  std::vector<int> statuses;
  for (int i = 0; i < 4; ++i) statuses.push_back(mock.Status("POST", "/sessions"));
  EXPECT_EQ((std::vector<int>{500, 500, 0, 0}), statuses);
}

TEST(MockRulesCounters, AfterSkipsTheFirstMatchingRequests) {
  Mock mock(R"(rules:
  - match: {path: "/a"}
    after: 3
    times: 2
    respond: {status: 500}
  - match: {path: "/b"}
    after: 1
    every: 3
    times: 2
    respond: {status: 502}
)");
  std::vector<int> a, b;
  for (int i = 0; i < 9; ++i) {
    a.push_back(mock.Status("GET", "/a"));
    b.push_back(mock.Status("GET", "/b"));
  }
  EXPECT_EQ((std::vector<int>{0, 0, 0, 500, 500, 0, 0, 0, 0}), a);
  EXPECT_EQ((std::vector<int>{0, 0, 0, 502, 0, 0, 502, 0, 0}), b);
}

TEST(MockRulesCounters, CountRequestsOfTheMatchedTokenTypeOnly) {
  Mock mock(R"(rules:
  - match: {path: "/a", token: directory}
    every: 2
    respond: {status: 500}
)");
  EXPECT_EQ(0, mock.Status("GET", "/a", "Bearer demo-directory-token"));
  EXPECT_EQ(0, mock.Status("GET", "/a"));  // staff: not counted
  EXPECT_EQ(500, mock.Status("GET", "/a", "Bearer demo-directory-token"));
}

TEST(MockRulesRateLimit, Answers429WithTheSecondsUntilASlotFrees) {
  Mock mock(R"(rules:
  - name: budget
    match: {path: "/platform/v1/*"}
    rate_limit: {requests: 2, per: 10s}
)");
  int64_t t0 = mock.clock.NowMillis();
  EXPECT_EQ(0, mock.Status("GET", "/platform/v1/a"));
  mock.clock.Set(t0 + 1000);
  EXPECT_EQ(0, mock.Status("GET", "/platform/v1/b"));
  mock.clock.Set(t0 + 1500);
  Decision d = mock.Ask("GET", "/platform/v1/c");
  ASSERT_TRUE(d.response);
  EXPECT_EQ(429, d.response->status);
  // The first admitted request leaves the window at t0 + 10 s: 8.5 s away, rounded up.
  EXPECT_EQ((http::Headers{{"Content-Type", "application/json"}, {"Retry-After", "9"}}),
            d.response->headers);
  EXPECT_EQ(
      R"({"error":"Too Many Requests","message":"at most 2 requests per 10000 ms; retry in 9 s"})",
      d.response->body_text);
  EXPECT_THAT(d.applied(), ElementsAre("budget"));
  EXPECT_EQ(0, mock.Status("GET", "/elsewhere"));
}

TEST(MockRulesRateLimit, TheWindowSlidesOneRequestAtATime) {
  Mock mock(R"(rules:
  - match: {path: "*"}
    rate_limit: {requests: 5, per: 1s}
)");
  int64_t t0 = mock.clock.NowMillis();
  for (int i = 0; i < 5; ++i) {
    mock.clock.Set(t0 + 200 * i);  // 0, 200, 400, 600, 800
    EXPECT_EQ(0, mock.Status("GET", "/x")) << i;
  }
  mock.clock.Set(t0 + 900);
  Decision d = mock.Ask("GET", "/x");
  ASSERT_TRUE(d.response);
  EXPECT_EQ(429, d.response->status);
  EXPECT_EQ("1", d.response->headers[1].second);  // 100 ms rounds up to a whole second
  mock.clock.Set(t0 + 999);
  EXPECT_EQ(429, mock.Status("GET", "/x"));
  mock.clock.Set(t0 + 1000);  // the request at 0 leaves
  EXPECT_EQ(0, mock.Status("GET", "/x"));
  EXPECT_EQ(429, mock.Status("GET", "/x"));  // and its slot is taken again
  mock.clock.Set(t0 + 1200);                 // the request at 200 leaves
  EXPECT_EQ(0, mock.Status("GET", "/x"));
  mock.clock.Set(t0 + 5000);  // all of them have left
  for (int i = 0; i < 5; ++i) EXPECT_EQ(0, mock.Status("GET", "/x")) << i;
  EXPECT_EQ(429, mock.Status("GET", "/x"));
}

TEST(MockRulesRateLimit, RefusedRequestsUseNoSlot) {
  Mock mock(R"(rules:
  - match: {path: "*"}
    accept_tokens: [staff]
  - match: {path: "*"}
    rate_limit: {requests: 1, per: 1s}
)");
  int64_t t0 = mock.clock.NowMillis();
  EXPECT_EQ(401, mock.Status("GET", "/x", ""));  // refused before the rate limit
  EXPECT_EQ(0, mock.Status("GET", "/x"));
  mock.clock.Set(t0 + 500);
  EXPECT_EQ(429, mock.Status("GET", "/x"));  // a 429 does not restart the window
  mock.clock.Set(t0 + 1000);
  EXPECT_EQ(0, mock.Status("GET", "/x"));
}

TEST(MockRulesOrder, TheFirstFiringRuleWinsEachConcern) {
  Mock mock(R"(rules:
  - name: flaky
    match: {path: "/a"}
    every: 2
    respond: {status: 503}
  - name: broken
    match: {path: "/a"}
    respond: {status: 500}
  - name: never
    match: {path: "/a"}
    respond: {status: 418}
)");
  // The first rule fires on even requests; on odd ones it leaves the outcome to the next.
  EXPECT_EQ(500, mock.Status("GET", "/a"));
  Decision d = mock.Ask("GET", "/a");
  ASSERT_TRUE(d.response);
  EXPECT_EQ(503, d.response->status);
  EXPECT_THAT(d.applied(), ElementsAre("flaky"));
  EXPECT_EQ(500, mock.Status("GET", "/a"));
}

TEST(MockRulesOrder, RulesForDifferentConcernsAllApply) {
  Mock mock(R"(rules:
  - name: auth
    match: {path: "/platform/v1/*"}
    accept_tokens: [staff, directory]
  - name: slow
    match: {path: "*"}
    latency: 5ms
  - name: limit
    match: {path: "*"}
    rate_limit: {requests: 100, per: 1s}
  - name: broken
    match: {path: "/platform/v1/x"}
    respond: {status: 500}
  - name: slower
    match: {path: "*"}
    latency: 10s
)");
  Decision d = mock.Ask("GET", "/platform/v1/x?page=2");  // the query is not matched
  ASSERT_TRUE(d.response);
  EXPECT_EQ(500, d.response->status);
  EXPECT_EQ(5, d.latency_ms);
  EXPECT_THAT(d.applied(), ElementsAre("slow", "auth", "limit", "broken"));

  // A refused caller waits the latency too, and goes no further.
  Decision refused = mock.Ask("GET", "/platform/v1/x", "");
  ASSERT_TRUE(refused.response);
  EXPECT_EQ(401, refused.response->status);
  EXPECT_EQ(5, refused.latency_ms);
  EXPECT_THAT(refused.applied(), ElementsAre("slow", "auth"));
}

TEST(MockRulesOrder, GlobsMatchAcrossSlashesAndOnlyAsWritten) {
  Mock mock(R"(rules:
  - match: {path: ["/exact", "/v1/*/items", "*.csv", "/a/*/b/*"]}
    respond: {status: 500}
)");
  EXPECT_EQ(500, mock.Status("GET", "/exact"));
  EXPECT_EQ(0, mock.Status("GET", "/exact/more"));
  EXPECT_EQ(0, mock.Status("GET", "/exac"));
  EXPECT_EQ(500, mock.Status("GET", "/v1/clients/items"));
  EXPECT_EQ(500, mock.Status("GET", "/v1/a/b/items"));
  EXPECT_EQ(0, mock.Status("GET", "/v1/items"));
  EXPECT_EQ(500, mock.Status("GET", "/reports/2026.csv"));
  EXPECT_EQ(0, mock.Status("GET", "/reports/2026.csv.gz"));
  EXPECT_EQ(500, mock.Status("GET", "/a/x/b/y"));
  EXPECT_EQ(500, mock.Status("GET", "/a//b/"));
  EXPECT_EQ(0, mock.Status("GET", "/a/b"));
}

TEST(MockRulesConcurrency, CountersAndWindowsAreExactUnderConcurrentCallers) {
  Mock mock(R"(rules:
  - match: {path: "/flaky"}
    every: 3
    respond: {status: 503}
  - match: {path: "/limited"}
    rate_limit: {requests: 100, per: 1h}
)");
  constexpr int kThreads = 4, kEach = 3000;
  std::atomic<int> flaky{0}, admitted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        if (mock.Status("GET", "/flaky") == 503) ++flaky;
        if (mock.Status("GET", "/limited") == 0) ++admitted;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(kThreads * kEach / 3, flaky.load());
  EXPECT_EQ(100, admitted.load());
}

// The seed document's world: the primary gateway answers 401 on /business/payments/v1/* whatever
// the token, and the fallback accepts staff tokens and rejects directory tokens.
TEST(MockRulesGateway, ReproducesTheSeedsPrimaryAndFallback) {
  Mock primary(R"(rules:
  - name: payments-need-the-fallback
    match: {path: "/business/payments/v1/*"}
    respond: {status: 401, body: {success: false, error: Unauthorized}}
  - name: known-callers
    match: {path: "*"}
    accept_tokens: [staff, directory]
)");
  Mock fallback(R"(rules:
  - name: staff-only
    match: {path: "*"}
    accept_tokens: [staff]
    reject: {status: 401, body: {success: false, error: Unauthorized}}
)");
  struct Row {
    const char* server;
    const char* method;
    const char* path;
    const char* authorization;
    int status;  // 0: served
  };
  const Row rows[] = {
      {"primary", "GET", "/platform/v1/clients", "Bearer demo-staff-token", 0},
      {"primary", "GET", "/platform/v1/clients", "Bearer demo-directory-token", 0},
      {"primary", "GET", "/platform/v1/clients", "", 401},
      {"primary", "GET", "/platform/v1/clients", "Bearer wrong", 401},
      {"primary", "GET", "/business/payments/v1/client_packages/7", "Bearer demo-staff-token", 401},
      {"primary", "POST", "/business/payments/v1/client_packages", "Bearer demo-directory-token",
       401},
      {"primary", "GET", "/business/payments/v1/client_packages/7", "", 401},
      {"fallback", "GET", "/business/payments/v1/client_packages/7", "Bearer demo-staff-token", 0},
      {"fallback", "POST", "/business/payments/v1/client_packages", "Admin demo-staff-token", 0},
      {"fallback", "GET", "/business/payments/v1/client_packages/7", "Bearer demo-directory-token",
       401},
      {"fallback", "GET", "/platform/v1/clients", "Bearer demo-directory-token", 401},
      {"fallback", "GET", "/platform/v1/clients", "Token token=\"demo-staff-token\"", 0},
      {"fallback", "GET", "/platform/v1/clients", "", 401},
  };
  for (const Row& row : rows) {
    Mock& server = std::string_view(row.server) == "primary" ? primary : fallback;
    Decision d = server.Ask(row.method, row.path, row.authorization);
    SCOPED_TRACE(fmt::format("{} {} {} [{}]", row.server, row.method, row.path, row.authorization));
    EXPECT_EQ(row.status, d.response ? d.response->status : 0);
    if (d.response) {
      EXPECT_THAT(d.response->body_text, HasSubstr("Unauthorized"));
    }
  }
}

}  // namespace
}  // namespace verity::mock
