// `verity run` with verity.yaml's validation knobs, against a loopback server answering as a real
// service does: the vcita conversations spec of the corpus, and an answer with a null optional
// field the spec does not mark nullable and a date that is not RFC 3339. The knobs turn the
// failure into warnings that the console and the JSON report still show, naming the knob.
#include <gtest/gtest.h>
#include <httplib.h>

#include <map>
#include <sstream>
#include <thread>

#include "base/clock.h"
#include "base/file_system.h"
#include "base/json.h"
#include "cli/cli.h"
#include "support/memory_file_system.h"
#include "support/paths.h"

namespace verity::cli {
namespace {

constexpr const char* kToken = "validation-test-token-0123456789";

constexpr const char* kRecipe = R"(---
endpoint: "PUT /v2/conversations/{id}"
domain: communication
status: pending
tokens: [staff]
---

# Archive a conversation

## Test Request

```yaml
steps:
  - id: archive
    method: PUT
    path: /v2/conversations/89m2pnabgozdvd9f
    body:
      archived: true
```
)";

// Answers every PUT as the service does: archived, no follow-up, its own date format.
class ConversationsServer {
 public:
  ConversationsServer() {
    server_.Put(R"(/v2/conversations/.*)", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(R"({"uid":"89m2pnabgozdvd9f","archived":true,"follow_up":false,)"
                      R"("follow_up_date":null,"last_user_action_at":"2026-05-06 13:31:21 +0300"})",
                      "application/json");
    });
    server_.Get("/ready", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("ok", "text/plain");
    });
    int port = server_.bind_to_any_port("127.0.0.1");
    EXPECT_GT(port, 0);
    url_ = "http://127.0.0.1:" + std::to_string(port);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    httplib::Client probe("127.0.0.1", port);
    auto ready = probe.Get("/ready");
    EXPECT_TRUE(ready && ready->status == 200);
  }
  ~ConversationsServer() {
    server_.stop();
    thread_.join();
  }
  const std::string& url() const { return url_; }

 private:
  httplib::Server server_;
  std::thread thread_;
  std::string url_;
};

class RunValidationCliTest : public ::testing::Test {
 protected:
  RunValidationCliTest() : clock_(1767225600000) {
    PosixFileSystem disk;
    Result<std::string> spec = disk.ReadFile(verity::testing::SharedPath(
        "corpus/vcita/swagger/communication/legacy/conversations.json"));
    EXPECT_TRUE(spec.ok()) << spec.status().ToString();
    fs_.Add("specs/communication/legacy/conversations.json", spec.ok() ? *spec : "");
    fs_.Add("kb/communication/archive.md", kRecipe);
  }

  void WriteConfig(const std::string& validation_lines) {
    fs_.Add("verity.yaml", "environments:\n  staging:\n    base_url: " + server_.url() +
                               "\n    knowledge_base: kb\n"
                               "    spec_root: specs\n"
                               "    rate_limit: off\n"
                               "    timeout: 2s\n"
                               "    tokens:\n"
                               "      staff: {env: VERITY_STAFF_TOKEN}\n" +
                               validation_lines);
  }

  int Cli(std::vector<std::string> args) {
    out_.str(""), err_.str("");
    Context ctx{out_, err_, fs_, clock_};
    ctx.env = [](const std::string& name) -> std::optional<std::string> {
      if (name == "VERITY_STAFF_TOKEN") return kToken;
      return std::nullopt;
    };
    return cli::Run(args, ctx);
  }

  ConversationsServer server_;
  testing::MemoryFileSystem fs_;
  FakeClock clock_;
  std::ostringstream out_, err_;
};

TEST_F(RunValidationCliTest, WithoutKnobsANullOptionalFieldFailsTheRun) {
  WriteConfig("");
  EXPECT_EQ(Cli({"run", "--no-write-back"}), 1) << out_.str() << err_.str();
  EXPECT_NE(out_.str().find("TYPE_MISMATCH"), std::string::npos) << out_.str();
}

TEST_F(RunValidationCliTest, KnobsTurnTheFindingsIntoWarningsTheReportStillShows) {
  WriteConfig(
      "    validation:\n"
      "      check_formats: warn\n"
      "      specs:\n"
      "        - {spec: \"communication/*\", optional_nullable: true}\n");
  EXPECT_EQ(Cli({"run", "--no-write-back", "--report-json", "out/report.json"}), 0)
      << out_.str() << err_.str();
  EXPECT_NE(out_.str().find("WARN"), std::string::npos) << out_.str();
  Json report = Json::parse(fs_.Get("out/report.json"), nullptr, false);
  ASSERT_FALSE(report.is_discarded());
  EXPECT_EQ(report["summary"]["warned"], 1) << report["summary"].dump();
  std::map<std::string, std::string> by_code;
  for (const Json& issue : report["documentationIssues"])
    by_code[issue["issue"].get<std::string>()] = issue["message"].get<std::string>();
  ASSERT_EQ(by_code.count("TYPE_MISMATCH"), 1u) << report["documentationIssues"].dump();
  EXPECT_NE(by_code["TYPE_MISMATCH"].find("optional_nullable is true"), std::string::npos);
  ASSERT_EQ(by_code.count("FORMAT_MISMATCH"), 1u) << report["documentationIssues"].dump();
  EXPECT_NE(by_code["FORMAT_MISMATCH"].find("check_formats is warn"), std::string::npos);
  // Warnings are still findings: --strict fails on them.
  EXPECT_EQ(Cli({"run", "--no-write-back", "--strict"}), 1) << out_.str();
}

TEST_F(RunValidationCliTest, ConfigCheckShowsTheEffectiveKnobs) {
  WriteConfig(
      "    validation:\n"
      "      undocumented_status: error\n"
      "      specs: [{spec: \"legacy/*\", check_formats: false}]\n");
  EXPECT_EQ(Cli({"config", "check", "--json"}), 0) << out_.str() << err_.str();
  Json effective = Json::parse(out_.str(), nullptr, false);
  ASSERT_FALSE(effective.is_discarded()) << out_.str();
  EXPECT_EQ(effective["validation"]["undocumented_status"], "error");
  EXPECT_EQ(effective["validation"]["check_formats"], true);
  EXPECT_EQ(effective["validation"]["specs"][0]["check_formats"], false);
}

}  // namespace
}  // namespace verity::cli
