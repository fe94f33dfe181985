#include "serve/serve_fixture.h"

#include <chrono>

#include "run/rate_limit.h"
#include "store/history.h"

namespace verity::serve::testing {

using run::testing::kDirectorySecret;
using run::testing::kStaffSecret;

std::vector<Frame> TakeFrames(std::string& buffer) {
  std::vector<Frame> frames;
  size_t end;
  while ((end = buffer.find("\n\n")) != std::string::npos) {
    std::string block = buffer.substr(0, end);
    buffer.erase(0, end + 2);
    Frame frame;
    bool data = false;
    size_t at = 0;
    while (at <= block.size()) {
      size_t eol = block.find('\n', at);
      std::string line = block.substr(at, eol == std::string::npos ? std::string::npos : eol - at);
      if (line.starts_with("id: ")) frame.id = std::stoull(line.substr(4));
      if (line.starts_with("event: ")) frame.name = line.substr(7);
      if (line.starts_with("data: ")) {
        frame.data = Json::parse(line.substr(6), nullptr, false);
        data = true;
      }
      if (eol == std::string::npos) break;
      at = eol + 1;
    }
    if (data) frames.push_back(std::move(frame));  // comments and retry: lines carry no data
  }
  return frames;
}

ServeTest::ServeTest() : world_(kStaffSecret, kDirectorySecret) {
  fs_.Add(kSeedFile, run::testing::SeedDocument());
  fs_.Add("specs/sales/payments.json",
          ::verity::testing::ReadFileOrDie(
              ::verity::testing::SourcePath("examples/specs/swagger/sales/legacy/payments.json")));
}

ServeTest::~ServeTest() {
  EXPECT_TRUE(serving_.Stop().ok());
  if (dashboard_) dashboard_->Shutdown();
}

void ServeTest::Start(const std::string& auth_token, bool with_spec) {
  DashboardConfig config;
  config.settings.environment = "staging";
  config.settings.base_url = world_.primary_url();
  config.settings.fallback_url = world_.fallback_url();
  config.settings.params = {{"business_id", "biz1"}};
  config.settings.tokens["staff"].value = kStaffSecret;
  config.settings.tokens["staff"].scheme = run::AuthScheme::kBearer;
  config.settings.tokens["directory"].value = kDirectorySecret;
  config.settings.tokens["directory"].scheme = run::AuthScheme::kBearer;
  config.settings.rate_limit = *run::RateLimitPreset("off");
  config.settings.timeout_ms = 5000;
  config.kb_roots = {"kb"};
  if (with_spec) config.spec_root = "specs";
  config.token_types = {"staff", "directory"};
  if (adjust_config_) adjust_config_(config);
  auto history = store::History::Open(":memory:");
  ASSERT_TRUE(history.ok()) << history.status().message();
  auto dashboard = Dashboard::Create(fs_, clock_, std::move(config), std::move(*history));
  ASSERT_TRUE(dashboard.ok()) << dashboard.status().message();
  dashboard_ = std::move(*dashboard);
  ServerOptions options;
  options.auth_token = auth_token;
  server_ = std::make_unique<Server>(*dashboard_, options);
  auto port = server_->Bind();
  ASSERT_TRUE(port.ok()) << port.status().message();
  Server* server = server_.get();
  serving_.Start([server] { return server->Serve(); }, [server] { server->Stop(); });
}

httplib::Client ServeTest::Client() const {
  httplib::Client client("127.0.0.1", server_->port());
  client.set_read_timeout(20, 0);
  return client;
}

httplib::Result ServeTest::Post(const std::string& path, const Json& body,
                                httplib::Headers headers) const {
  return Client().Post(path.c_str(), headers, body.dump(), "application/json");
}

Json ServeTest::GetJson(const std::string& path, int expected_status) const {
  httplib::Result got = Client().Get(path.c_str());
  if (!got) {
    ADD_FAILURE() << "GET " << path << ": " << httplib::to_string(got.error());
    return Json();
  }
  EXPECT_EQ(got->status, expected_status) << path << ": " << got->body;
  EXPECT_EQ(got->get_header_value("Content-Type"), "application/json") << path;
  return Json::parse(got->body, nullptr, false);
}

std::vector<Frame> ServeTest::ReadEvents(const std::string& until, uint64_t last_event_id) const {
  std::vector<Frame> frames;
  std::string buffer;
  httplib::Headers headers;
  if (last_event_id > 0) headers.emplace("Last-Event-ID", std::to_string(last_event_id));
  httplib::Client client = Client();
  client.Get("/api/events", headers, [&](const char* data, size_t size) {
    buffer.append(data, size);
    for (Frame& f : TakeFrames(buffer)) {
      bool last = f.name == until;
      frames.push_back(std::move(f));
      if (last) return false;  // ends the request
    }
    return true;
  });
  return frames;
}

std::string ServeTest::RunToTheEnd(const Json& body) {
  httplib::Result started = Post("/api/runs", body);
  if (!started || started->status != 202) {
    ADD_FAILURE() << (started ? started->body : httplib::to_string(started.error()));
    return "";
  }
  dashboard_->WaitForRun();
  return Json::parse(started->body)["runId"];
}

}  // namespace verity::serve::testing
