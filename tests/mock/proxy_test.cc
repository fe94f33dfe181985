// The proxy and the replay through running mocks on 127.0.0.1: an "upstream" mock serves what the
// real API does, and a proxy in front of it holds a spec that says otherwise, so every
// disagreement shows as drift; then a replay answers from what the proxy recorded.
#include "mock/proxy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <mutex>
#include <set>
#include <thread>

#include "base/clock.h"
#include "mock/service.h"
#include "support/memory_file_system.h"

namespace verity::mock {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// What the API really does: `count` is a string, a field the documentation does not know, and an
// operation it does not document.
constexpr std::string_view kReal = R"(swagger: '2.0'
info: {title: real, version: '1'}
basePath: /v1
paths:
  /status:
    get:
      responses:
        '200':
          description: ok
          schema: {type: object, properties: {count: {type: string}, build: {type: string}}}
          examples: {application/json: {count: "seven", build: "b-12"}}
  /things:
    post:
      parameters: [{in: body, name: body, schema: {type: object, properties: {name: {type: string}}}}]
      responses:
        '201': {description: made, schema: {type: object, properties: {id: {type: string}, name: {type: string}}}}
  /hidden:
    get:
      responses: {'200': {description: ok, schema: {type: object, properties: {ok: {type: boolean}}}}}
)";

// What its documentation says.
constexpr std::string_view kDocumented = R"(swagger: '2.0'
info: {title: documented, version: '1'}
basePath: /v1
paths:
  /status:
    get:
      responses:
        '200':
          description: ok
          schema: {type: object, properties: {count: {type: integer}}}
  /things:
    post:
      parameters:
        - in: body
          name: body
          schema: {type: object, required: [name, size], properties: {name: {type: string}, size: {type: integer}}}
      responses:
        '201': {description: made, schema: {type: object, properties: {id: {type: string}, name: {type: string}}}}
)";

class MockProxy : public ::testing::Test {
 protected:
  std::unique_ptr<Service> StartMock(const std::string& spec, ServiceOptions options) {
    options.spec_paths = {spec};
    options.access_log = [this](const AccessEntry& entry) {
      std::lock_guard lock(log_mutex_);
      log_ += FormatAccess(entry) + "\n";
      for (const std::string& drift : entry.drift) log_ += "drift: " + drift + "\n";
    };
    Result<std::unique_ptr<Service>> started = Service::Start(fs_, clock_, std::move(options));
    EXPECT_TRUE(started.ok()) << started.status().message();
    return started.ok() ? std::move(*started) : nullptr;
  }
  void SetUp() override {
    fs_.Add("/specs/real.yaml", std::string(kReal));
    fs_.Add("/specs/documented.yaml", std::string(kDocumented));
    upstream_ = StartMock("/specs/real.yaml", {});
    ASSERT_TRUE(upstream_);
    ServiceOptions options;
    options.proxy_url = upstream_->url();
    options.record_dir = "/rec";
    options.record_fs = &fs_;
    proxy_ = StartMock("/specs/documented.yaml", std::move(options));
    ASSERT_TRUE(proxy_);
  }
  std::string Log() {
    std::lock_guard lock(log_mutex_);
    return log_;
  }

  testing::MemoryFileSystem fs_;
  SystemClock clock_;
  std::mutex log_mutex_;
  std::string log_;
  std::unique_ptr<Service> upstream_;
  std::unique_ptr<Service> proxy_;
};

TEST_F(MockProxy, TheRealAnswerIsReturnedUnchangedAndWhereItDisagreesWithTheSpecIsDrift) {
  httplib::Client client("127.0.0.1", proxy_->port());
  auto answer = client.Get("/v1/status");
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 200);
  EXPECT_EQ(Json::parse(answer->body), Json::parse(R"({"count": "seven", "build": "b-12"})"));
  (void)proxy_->Stop();
  std::string log = Log();
  EXPECT_THAT(log, HasSubstr("drift: GET /v1/status response 200 #/count: "));
  EXPECT_THAT(log, HasSubstr("[TYPE_MISMATCH]"));
  EXPECT_THAT(log, HasSubstr("#/build: "));
  EXPECT_THAT(log, HasSubstr("[UNDOCUMENTED_FIELD]"));
  EXPECT_THAT(log, HasSubstr("GET /v1/status 200"));
  EXPECT_THAT(log, HasSubstr("via=proxy"));
}

TEST_F(MockProxy, AnInvalidRequestIsDriftAndStillReachesTheApi) {
  httplib::Client client("127.0.0.1", proxy_->port());
  auto answer = client.Post("/v1/things", R"({"name": "x"})", "application/json");
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 201);  // the real API's answer, not the mock's 400
  (void)proxy_->Stop();
  EXPECT_THAT(Log(), HasSubstr("drift: POST /v1/things request body /size: "));
  EXPECT_THAT(Log(), HasSubstr("[MISSING_REQUIRED_FIELD]"));
}

TEST_F(MockProxy, ARequestNoOperationMatchesIsDriftAndStillForwarded) {
  httplib::Client client("127.0.0.1", proxy_->port());
  auto answer = client.Get("/v1/hidden");
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 200);
  (void)proxy_->Stop();
  EXPECT_THAT(Log(), HasSubstr("drift: GET /v1/hidden request: no operation of the specs matches "
                               "[NO_OPERATION]"));
}

TEST_F(MockProxy, ClientsAtOnceAreEachForwardedAndEachExchangeGetsAFileOfItsOwn) {
  constexpr int kClients = 4, kEach = 20;
  std::vector<std::thread> clients;
  std::vector<int> ok(kClients, 0);
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([this, c, &ok] {
      httplib::Client client("127.0.0.1", proxy_->port());
      for (int i = 0; i < kEach; ++i) {
        auto answer = client.Get("/v1/status");
        if (answer && answer->status == 200) ++ok[c];
      }
    });
  }
  for (std::thread& client : clients) client.join();
  (void)proxy_->Stop();
  for (int c = 0; c < kClients; ++c) EXPECT_EQ(ok[c], kEach) << c;
  EXPECT_EQ(proxy_->recorded(), size_t{kClients * kEach});
  Result<std::vector<std::string>> files = fs_.ListFiles("/rec");
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(std::set<std::string>(files->begin(), files->end()).size(), size_t{kClients * kEach});
}

TEST_F(MockProxy, AnApiThatDoesNotAnswerIsA502AndDrift) {
  ServiceOptions options;
  options.proxy_url = "http://127.0.0.1:1";  // nothing listens on port 1
  std::unique_ptr<Service> nowhere = StartMock("/specs/documented.yaml", std::move(options));
  ASSERT_TRUE(nowhere);
  httplib::Client client("127.0.0.1", nowhere->port());
  auto answer = client.Get("/v1/status");
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, kUpstreamFailedStatus);
  EXPECT_THAT(answer->body, HasSubstr(kUpstreamFailed));
  (void)nowhere->Stop();
  EXPECT_THAT(Log(), HasSubstr("[UPSTREAM_FAILED]"));
}

TEST_F(MockProxy, RecordedExchangesHoldNoCredentialAndTheReplayAnswersWithThemElseAsTheMock) {
  httplib::Client client("127.0.0.1", proxy_->port());
  httplib::Headers auth = {{"Authorization", "Bearer proxy-test-secret-123456"}};
  ASSERT_TRUE(client.Get("/v1/status?access_token=query-secret-654321", auth));
  ASSERT_TRUE(client.Post("/v1/things", auth, R"({"name": "proxy-test-secret-123456"})",
                          "application/json"));
  (void)proxy_->Stop();
  EXPECT_EQ(proxy_->recorded(), 2u);
  Result<std::vector<std::string>> files = fs_.ListFiles("/rec");
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 2u);
  for (const std::string& file : *files) {
    std::string text = *fs_.ReadFile(file);
    EXPECT_THAT(text, Not(HasSubstr("proxy-test-secret-123456"))) << file;
    EXPECT_THAT(text, Not(HasSubstr("query-secret-654321"))) << file;
  }
  EXPECT_THAT(Log(), Not(HasSubstr("query-secret-654321")));
  upstream_.reset();  // the real API is gone

  ServiceOptions options;
  options.replay_dir = "/rec";
  std::unique_ptr<Service> replay = StartMock("/specs/documented.yaml", std::move(options));
  ASSERT_TRUE(replay);
  EXPECT_EQ(replay->replayable(), 2u);
  httplib::Client again("127.0.0.1", replay->port());
  // Another token: masked alike, so the same request.
  auto status = again.Get("/v1/status?access_token=another-secret-999999");
  ASSERT_TRUE(status);
  EXPECT_EQ(Json::parse(status->body), Json::parse(R"({"count": "seven", "build": "b-12"})"));
  // Not recorded (another query): the generated behaviour, which follows the documented spec.
  auto generated = again.Get("/v1/status?verbose=1");
  ASSERT_TRUE(generated);
  EXPECT_EQ(generated->status, 200);
  EXPECT_TRUE(Json::parse(generated->body)["count"].is_number_integer()) << generated->body;
  (void)replay->Stop();
  EXPECT_THAT(Log(), HasSubstr("GET /v1/status?access_token=*** 200"));
  EXPECT_THAT(Log(), HasSubstr("via=replay"));
  EXPECT_THAT(Log(), HasSubstr("GET /v1/status?verbose=1 200"));
  EXPECT_THAT(Log(), Not(::testing::ContainsRegex("verbose=1 200 [0-9.]+ ms via=replay")));
  EXPECT_THAT(Log(), ::testing::ContainsRegex("access_token=\\*\\*\\* 200 [0-9.]+ ms via=replay"));
}

}  // namespace
}  // namespace verity::mock
