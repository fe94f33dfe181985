// The spec's security through a running mock on 127.0.0.1: a refusal as a client sees it, the
// behaviour rules that decide who may call winning over it, and the switch that turns it off.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <mutex>

#include "base/clock.h"
#include "mock/service.h"
#include "support/memory_file_system.h"

namespace verity::mock {
namespace {

using ::testing::HasSubstr;

constexpr std::string_view kSpec = R"(swagger: '2.0'
info: {title: keys, version: '1'}
basePath: /v1
securityDefinitions:
  key: {type: apiKey, in: query, name: api_key}
  partner: {type: basic}
security: [{key: []}]
paths:
  /things:
    get:
      responses: {'200': {description: ok, schema: {type: object, properties: {ok: {type: boolean}}}}}
  /partners:
    get:
      security: [{partner: []}]
      responses: {'200': {description: ok, schema: {type: object, properties: {ok: {type: boolean}}}}}
)";

// Partners are let in by their rules token, however the spec says they authenticate.
constexpr std::string_view kRules = R"(credentials:
  key: {env: MOCK_SECURITY_TEST_KEY}
  partnr: someone:secret
tokens:
  partner-token-1: partner
rules:
  - name: partners-by-token
    match: {path: "/v1/partners"}
    accept_tokens: [partner]
  - name: slow-things
    match: {path: "/v1/things"}
    latency: 1ms
)";

class MockServerSecurity : public ::testing::Test {
 protected:
  void Start(bool check_security = true) {
    fs_.Add("/specs/keys.yaml", std::string(kSpec));
    fs_.Add("/rules.yaml", std::string(kRules));
    ServiceOptions options;
    options.spec_paths = {"/specs/keys.yaml"};
    options.rules_path = "/rules.yaml";
    options.check_security = check_security;
    options.env = [](const std::string& name) -> std::optional<std::string> {
      if (name == "MOCK_SECURITY_TEST_KEY") return "the-right-key";
      return std::nullopt;
    };
    options.access_log = [this](const AccessEntry& entry) {
      std::lock_guard lock(log_mutex_);
      log_ += FormatAccess(entry) + "\n";
    };
    Result<std::unique_ptr<Service>> started = Service::Start(fs_, clock_, std::move(options));
    ASSERT_TRUE(started.ok()) << started.status().message();
    service_ = std::move(*started);
  }
  httplib::Client Client() const {
    httplib::Client client("127.0.0.1", service_->port());
    client.set_read_timeout(5, 0);
    return client;
  }

  std::string Log() {
    std::lock_guard lock(log_mutex_);
    return log_;
  }

  verity::testing::MemoryFileSystem fs_;
  std::mutex log_mutex_;
  std::string log_;
  SystemClock clock_;
  std::unique_ptr<Service> service_;
};

TEST_F(MockServerSecurity, ARequestWithoutTheQueryKeyIs401WithAChallengeAndWhereTheKeyGoes) {
  Start();
  httplib::Client client = Client();
  auto refused = client.Get("/v1/things");
  ASSERT_TRUE(refused);
  EXPECT_EQ(401, refused->status);
  EXPECT_EQ(R"(ApiKey realm="verity-mock", in="query", name="api_key")",
            refused->get_header_value("WWW-Authenticate"));
  EXPECT_THAT(refused->body, HasSubstr(R"("location":"query")"));
  EXPECT_EQ("slow-things", refused->get_header_value("X-Mock-Rules"))
      << "a rule that does not decide who calls leaves it to the spec";

  auto served = client.Get("/v1/things?api_key=the-right-key");
  ASSERT_TRUE(served);
  EXPECT_EQ(200, served->status) << served->body;
  ASSERT_TRUE(service_->Stop().ok());  // the log line is written after the answer is sent
  EXPECT_THAT(Log(), HasSubstr("GET /v1/things?api_key=*** 200"));
  EXPECT_THAT(Log(), ::testing::Not(HasSubstr("the-right-key")));
}

TEST_F(MockServerSecurity, TheRulesCredentialsComeFromTheEnvironmentAndATypoIsAWarning) {
  Start();
  auto wrong = Client().Get("/v1/things?api_key=another-key");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(401, wrong->status);
  EXPECT_THAT(wrong->body, HasSubstr("WRONG_CREDENTIAL"));
  EXPECT_THAT(service_->warnings(),
              ::testing::Contains(HasSubstr(
                  "/rules.yaml:3: credentials: no operation of the specs asks for security "
                  "scheme \"partnr\"")));
}

TEST_F(MockServerSecurity, ARuleThatAcceptsTokensDecidesInsteadOfTheSpec) {
  Start();
  httplib::Client client = Client();
  auto admitted = client.Get("/v1/partners", {{"Authorization", "Bearer partner-token-1"}});
  ASSERT_TRUE(admitted);
  EXPECT_EQ(200, admitted->status) << "the rule accepts the partner token, not Basic";
  auto refused = client.Get("/v1/partners", {{"Authorization", "Basic dXNlcjpwYXNz"}});
  ASSERT_TRUE(refused);
  EXPECT_EQ(401, refused->status);
  EXPECT_EQ("partners-by-token", refused->get_header_value("X-Mock-Rules"));
  EXPECT_EQ("Bearer", refused->get_header_value("WWW-Authenticate")) << "the rule's own 401";
}

TEST_F(MockServerSecurity, SwitchedOffEveryCallerIsServed) {
  Start(/*check_security=*/false);
  auto served = Client().Get("/v1/things");
  ASSERT_TRUE(served);
  EXPECT_EQ(200, served->status);
}

}  // namespace
}  // namespace verity::mock
