// `verity run` against `verity mock` when the spec declares its security: the runner sends the
// configured credential where the spec's apiKey scheme says (a query parameter), and the mock,
// which checks the same scheme and accepts only the rules' key, serves it. A key sent anywhere
// else, or a different key, is the mock's 401.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <sstream>

#include "base/clock.h"
#include "cli/cli.h"
#include "mock/service.h"
#include "support/memory_file_system.h"

namespace verity::cli {
namespace {

using ::testing::HasSubstr;

constexpr char kKey[] = "e2e-query-key-4821";

constexpr std::string_view kSpec = R"(swagger: '2.0'
info: {title: keyed notes, version: '1'}
basePath: /v1
securityDefinitions:
  notes_key: {type: apiKey, in: query, name: api_key}
security: [{notes_key: []}]
paths:
  /notes:
    get:
      responses:
        '200':
          description: ok
          schema:
            type: object
            required: [notes]
            properties:
              notes: {type: array, items: {type: object, properties: {id: {type: string}}}}
)";

constexpr std::string_view kRecipe = R"(---
endpoint: "GET /v1/notes"
domain: notes
swagger: "keys.yaml"
status: pending
tokens: [notes_key]
---

# List Notes

## Test Request

```yaml
steps:
  - id: list_notes
    method: GET
    path: "/v1/notes"
    token: notes_key
    expect:
      status: [200]
```
)";

class MockSecurityRun : public ::testing::Test {
 protected:
  MockSecurityRun() : clock_(1767225600000) {}

  void StartMock() {
    fs_.Add("specs/keys.yaml", std::string(kSpec));
    fs_.Add("rules.yaml", "credentials:\n  notes_key: {env: E2E_MOCK_KEY}\n");
    mock::ServiceOptions options;
    options.spec_paths = {"specs/keys.yaml"};
    options.rules_path = "rules.yaml";
    options.env = [](const std::string& name) -> std::optional<std::string> {
      if (name == "E2E_MOCK_KEY") return std::string(kKey);
      return std::nullopt;
    };
    options.access_log = [this](const mock::AccessEntry& entry) {
      std::lock_guard lock(log_mutex_);
      log_ << entry.method << " " << entry.target << " " << entry.status << "\n";
    };
    Result<std::unique_ptr<mock::Service>> started =
        mock::Service::Start(fs_, system_clock_, std::move(options));
    ASSERT_TRUE(started.ok()) << started.status().message();
    mock_ = std::move(*started);
  }

  int Run(const std::string& key) {
    fs_.Add("verity.yaml", "environments:\n  local:\n    base_url: " + mock_->url() +
                               "\n    knowledge_base: kb\n"
                               "    spec_root: specs\n"
                               "    rate_limit: off\n"
                               "    timeout: 2s\n"
                               "    tokens:\n"
                               "      notes_key: {env: E2E_RUN_KEY}\n");
    fs_.Add("kb/notes/get_v1_notes.md", std::string(kRecipe));
    Context ctx{out_, err_, fs_, clock_};
    ctx.env = [key](const std::string& name) -> std::optional<std::string> {
      if (name == "E2E_RUN_KEY") return key;
      return std::nullopt;
    };
    return cli::Run({"run", "--no-write-back", "--report-json", "out/report.json"}, ctx);
  }

  std::string Log() {
    std::lock_guard lock(log_mutex_);
    return log_.str();
  }

  testing::MemoryFileSystem fs_;
  FakeClock clock_;
  SystemClock system_clock_;
  std::unique_ptr<mock::Service> mock_;
  std::mutex log_mutex_;
  std::ostringstream log_;
  std::ostringstream out_, err_;
};

TEST_F(MockSecurityRun, TheConfiguredKeyGoesInTheQueryParameterTheSpecNamesAndTheMockServesIt) {
  StartMock();
  int code = Run(kKey);
  EXPECT_EQ(0, code) << out_.str() << err_.str() << Log();
  EXPECT_THAT(Log(), HasSubstr("GET /v1/notes?api_key=*** 200\n"));
  EXPECT_THAT(Log(), ::testing::Not(HasSubstr(" 401\n")));
  ASSERT_THAT(fs_.Get("out/report.json"), HasSubstr("GET /v1/notes"));
  for (const std::string& text : {Log(), out_.str(), err_.str(), fs_.Get("out/report.json")})
    EXPECT_THAT(text, ::testing::Not(HasSubstr(kKey)));
}

TEST_F(MockSecurityRun, AnotherKeyIsTheMocks401AndTheRunFails) {
  StartMock();
  int code = Run("e2e-some-other-key-77");
  EXPECT_EQ(1, code) << out_.str() << err_.str() << Log();
  EXPECT_THAT(Log(), HasSubstr(" 401\n"));
}

}  // namespace
}  // namespace verity::cli
