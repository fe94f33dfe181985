// `match` conditions on what a request carries: body values, query parameters and headers, judged
// by the same predicates as a recipe's checks; mistakes reported at their position.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "mock/rules.h"

namespace verity::mock {
namespace {

using ::testing::HasSubstr;

Rules ParseOrDie(std::string_view text) {
  Result<Rules> rules = ParseRules(text, "rules.yaml");
  EXPECT_TRUE(rules.ok()) << rules.status().message();
  return rules.ok() ? std::move(rules).value() : Rules{};
}

struct Conditional {
  explicit Conditional(std::string_view rules) : engine(ParseOrDie(rules), clock) {}
  // The status a forced answer gives, 0 when the request is served.
  int Status(std::string_view method, std::string_view target, std::string_view body = "",
             std::vector<net::Header> headers = {}) {
    size_t question = target.find('?');
    Decision d = engine.Decide(
        {.method = method,
         .path = target.substr(0, question),
         .query = question == std::string_view::npos ? "" : target.substr(question + 1),
         .body = body,
         .headers = &headers});
    return d.response ? d.response->status : 0;
  }
  FakeClock clock{1'000'000};
  RuleEngine engine;
};

TEST(MockRuleConditions, ABusinessRuleOnTheBodyRefusesOnlyTheRequestsItDescribes) {
  Conditional mock(R"(rules:
  - name: ends-before-it-starts
    match:
      method: POST
      path: /events
      body:
        - {path: "$.ends_at", lt: "2026-01-01"}
    respond: {status: 422, body: {error: ends before it starts}}
)");
  EXPECT_EQ(422, mock.Status("POST", "/events", R"({"ends_at":"2025-12-31T10:00:00Z"})"));
  EXPECT_EQ(0, mock.Status("POST", "/events", R"({"ends_at":"2026-02-01T10:00:00Z"})"));
  EXPECT_EQ(0, mock.Status("POST", "/events", R"({"starts_at":"2025-12-31"})"));  // nothing
  EXPECT_EQ(0, mock.Status("POST", "/events", "not json"));
  EXPECT_EQ(0, mock.Status("GET", "/events", R"({"ends_at":"2025-12-31"})"));
}

TEST(MockRuleConditions, EveryConditionMustHoldAndTheShortFormMeansEquals) {
  Conditional mock(R"(rules:
  - match:
      path: /orders
      body: {"$.currency": EUR, "$.items": [1, 2]}
      query: {dry_run: "true", limit: {gt: 100}}
      headers: {X-Tenant: acme, X-Trace: {absent: true}}
    respond: {status: 409}
)");
  const std::string body = R"({"currency":"EUR","items":[1,2]})";
  std::vector<net::Header> acme = {{"x-tenant", "acme"}};
  EXPECT_EQ(409, mock.Status("POST", "/orders?dry_run=true&limit=101", body, acme));
  EXPECT_EQ(0, mock.Status("POST", "/orders?dry_run=true&limit=100", body, acme));
  EXPECT_EQ(0, mock.Status("POST", "/orders?dry_run=false&limit=101", body, acme));
  EXPECT_EQ(0, mock.Status("POST", "/orders?dry_run=true&limit=101",
                           R"({"currency":"USD","items":[1,2]})", acme));
  EXPECT_EQ(0, mock.Status("POST", "/orders?dry_run=true&limit=101", body, {{"X-Tenant", "b"}}));
  EXPECT_EQ(0, mock.Status("POST", "/orders?dry_run=true&limit=101", body,
                           {{"x-tenant", "acme"}, {"x-trace", "1"}}));
}

TEST(MockRuleConditions, ARepeatedQueryParameterIsTheListOfItsValues) {
  Conditional mock(R"(rules:
  - match: {path: /alerts, query: {filter: {contains: "team=storage"}}}
    respond: {status: 418}
)");
  EXPECT_EQ(418, mock.Status("GET", "/alerts?filter=a%3D1&filter=team%3Dstorage"));
  EXPECT_EQ(418, mock.Status("GET", "/alerts?filter=team%3Dstorage"));  // one value: a string
  EXPECT_EQ(0, mock.Status("GET", "/alerts?filter=team%3Dnetwork"));
  EXPECT_EQ(0, mock.Status("GET", "/alerts"));
}

TEST(MockRuleConditions, OnlyRequestsThatMeetTheConditionsAreCountedByTheRule) {
  Conditional mock(R"(rules:
  - match: {method: POST, path: /jobs, body: [{path: "$.priority", equals: high}]}
    every: 2
    respond: {status: 503}
)");
  EXPECT_EQ(0, mock.Status("POST", "/jobs", R"({"priority":"high"})"));  // 1st high
  EXPECT_EQ(0, mock.Status("POST", "/jobs", R"({"priority":"low"})"));
  EXPECT_EQ(503, mock.Status("POST", "/jobs", R"({"priority":"high"})"));  // 2nd high
  EXPECT_EQ(0, mock.Status("POST", "/jobs", R"({"priority":"high"})"));
}

TEST(MockRuleConditions, AMistakeInAConditionIsReportedWhereItIs) {
  Result<Rules> rules = ParseRules(R"(rules:
  - match:
      path: /a
      body:
        - {path: "$.x[", equals: 1}
        - {path: "$.y", equal: 1}
        - {path: "$.z"}
      query: {n: {count: 1}}
      headers: {X-A: {matches: "("}}
    respond: {status: 400}
)",
                                   "rules.yaml");
  ASSERT_FALSE(rules.ok());
  const std::string& message = rules.status().message();
  EXPECT_THAT(message, HasSubstr("rules.yaml:5:18: rules[0].match.body[0]: \"$.x[\" is not a "
                                 "valid JSONPath"));
  EXPECT_THAT(message, HasSubstr("rules.yaml:6:25: rules[0].match.body[1]: unknown operator "
                                 "\"equal\" [MOCK_RULE_CONDITION]"));
  EXPECT_THAT(message, HasSubstr("rules.yaml:7:11: rules[0].match.body[2]: a condition needs path "
                                 "and an operator"));
  EXPECT_THAT(message,
              HasSubstr("rules.yaml:8:19: rules[0].match.query.n: count does not apply to a query "
                        "parameter or a header"));
  EXPECT_THAT(message,
              HasSubstr("rules[0].match.headers.X-A: matches: not a valid RE2 expression"));
}

}  // namespace
}  // namespace verity::mock
