// `verity draft` against a loopback server whose list is not empty the first time only: the draft
// of the list read is written, but without the check its first answer suggested, and the console
// says which check was dropped and why. A draft whose check held twice keeps it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <sstream>
#include <thread>

#include "base/clock.h"
#include "base/file_system.h"
#include "cli/cli.h"
#include "support/paths.h"

namespace verity::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kSpec = R"(openapi: 3.0.3
info: {title: widgets, version: "1"}
paths:
  /v1/widgets:
    get:
      tags: [shop]
      responses:
        "200":
          description: a page
          content:
            application/json:
              schema:
                type: object
                properties:
                  widgets:
                    type: array
                    items: {type: object, properties: {id: {type: string}}}
  /v1/gadgets:
    get:
      tags: [shop]
      responses:
        "200":
          description: a page
          content:
            application/json:
              schema:
                type: object
                properties:
                  gadgets:
                    type: array
                    items: {type: object, properties: {id: {type: string}}}
)";

// Widgets are listed once, then sold out; gadgets stay.
class ShopServer {
 public:
  ShopServer() {
    server_.Get("/v1/widgets", [this](const httplib::Request&, httplib::Response& res) {
      bool first = widget_lists_++ == 0;
      res.set_content(first ? R"({"widgets":[{"id":"w1"}]})" : R"({"widgets":[]})",
                      "application/json");
    });
    server_.Get("/v1/gadgets", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(R"({"gadgets":[{"id":"g1"}]})", "application/json");
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
  ~ShopServer() {
    server_.stop();
    thread_.join();
  }
  const std::string& url() const { return url_; }
  int widget_lists() const { return widget_lists_; }

 private:
  httplib::Server server_;
  std::thread thread_;
  std::string url_;
  std::atomic<int> widget_lists_{0};
};

TEST(DraftChecksCli, ACheckThatFailsOnTheSecondRunIsDroppedAndTheConsoleSaysWhy) {
  ShopServer server;
  testing::TempDir dir;
  dir.Write("spec/shop.yaml", kSpec);
  dir.Write("kb/README.md", "the drafts go here\n");
  dir.Write("verity.yaml", "environments:\n  local:\n    base_url: " + server.url() +
                               "\n    knowledge_base: " + dir.path() + "/kb\n    spec_root: " +
                               dir.path() + "/spec\n    rate_limit: 'off'\n");
  PosixFileSystem fs;
  SystemClock clock;
  std::ostringstream out, err;
  Context ctx{out, err, fs, clock};
  ctx.env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  int code = cli::Run({"draft", "--config", dir.path() + "/verity.yaml", "--no-history"}, ctx);
  EXPECT_EQ(code, 0) << out.str() << err.str();
  EXPECT_EQ(server.widget_lists(), 2) << "the first run, then the draft with its check";
  EXPECT_THAT(out.str(), HasSubstr("2 drafts with checks run again: 1 kept them\n"));
  EXPECT_THAT(out.str(), HasSubstr("/kb/shop/get_v1_gadgets.md (1 check)\n"));
  EXPECT_THAT(out.str(), HasSubstr("/kb/shop/get_v1_widgets.md\n"));
  EXPECT_THAT(err.str(), HasSubstr("/kb/shop/get_v1_widgets.md is drafted without its checks "
                                   "(body $.widgets not_empty true): the second run ended FAIL: "
                                   "CHECK_FAILED"));
  EXPECT_THAT(out.str(), HasSubstr("2 drafts written (status: pending)"));
  EXPECT_THAT(testing::ReadFileOrDie(dir.path() + "/kb/shop/get_v1_widgets.md"),
              Not(HasSubstr("      body:\n")));
  EXPECT_THAT(testing::ReadFileOrDie(dir.path() + "/kb/shop/get_v1_gadgets.md"),
              HasSubstr("        - {path: \"$.gadgets\", not_empty: true}\n"));
}

}  // namespace
}  // namespace verity::cli
