// The dashboard's HTTP server against hostile clients, over raw sockets: a request smuggled
// behind a refused one never starts a run, bodies past the limit are refused at once, and idle
// and slow clients do not keep a browser's requests or event stream from being served.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "net/raw_client.h"
#include "serve/serve_fixture.h"

namespace verity::serve::testing {
namespace {

using net::testing::RawClient;

const char kSmuggledRun[] =
    "POST /api/runs HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Verity-CSRF: 1\r\n"
    "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";

TEST_F(ServeTest, ARunSmuggledBehindARefusedRequestNeverStarts) {
  Start();
  for (std::string framing :
       {"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "Transfer-Encoding: xchunked\r\n",
        "Content-Length: 0\r\nContent-Length: 200\r\n", "Content-Length: -1\r\n"}) {
    RawClient client(server_->port());
    client.Send("POST /api/reload HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Verity-CSRF: 1\r\n" + framing +
                "\r\n0\r\n\r\n" + kSmuggledRun);
    std::string answer = client.ReadAll();
    EXPECT_TRUE(answer.starts_with("HTTP/1.1 400 ")) << framing << answer;
    EXPECT_EQ(answer.find("runId"), std::string::npos) << framing;
    EXPECT_TRUE(client.ServerClosed()) << framing;
  }
  EXPECT_EQ(dashboard_->run_state().state, "idle") << "no run was started";
}

TEST_F(ServeTest, BodiesPastTheLimitAre413BeforeTheyAreRead) {
  Start();
  RawClient declared(server_->port());
  declared.Send(
      "POST /api/runs HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Verity-CSRF: 1\r\n"
      "Content-Length: 1073741824\r\n\r\n");
  EXPECT_TRUE(declared.ReadAnswer().starts_with("HTTP/1.1 413 "));
  RawClient chunked(server_->port());
  chunked.Send(
      "POST /api/runs HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Verity-CSRF: 1\r\n"
      "Transfer-Encoding: chunked\r\n\r\n");
  std::string chunk = "10000\r\n" + std::string(0x10000, ' ') + "\r\n";
  for (int i = 0; i < 32 && chunked.Send(chunk); ++i) {
  }
  EXPECT_TRUE(chunked.ReadAll().starts_with("HTTP/1.1 413 "));
  EXPECT_EQ(dashboard_->run_state().state, "idle");
}

TEST_F(ServeTest, IdleAndSlowClientsDoNotStarveTheApiOrTheEventStream) {
  Start();
  std::vector<RawClient> held;
  for (int i = 0; i < 1000; ++i) held.emplace_back(server_->port());
  for (int i = 0; i < 300; ++i) {
    held.emplace_back(server_->port());
    held.back().Send("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
  }
  auto start = std::chrono::steady_clock::now();
  Json health = GetJson("/api/health");
  EXPECT_TRUE(health.contains("version")) << health.dump();
  // A generous bound: not a timing test; it fails only when the request starves.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  RunToTheEnd();
  std::vector<Frame> frames = ReadEvents("run_finished");
  ASSERT_FALSE(frames.empty());
  EXPECT_EQ(frames.back().name, "run_finished") << "the event stream is served too";
}

}  // namespace
}  // namespace verity::serve::testing
