#include "http/local_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include "base/json.h"

namespace verity::http::testing {
namespace {

// gzip of {"compressed":true,"padding":"a…a"} (200 'a's), made with Python's gzip.compress(…,
// mtime=0), so the test checks libcurl's decoding and not a compressor of our own.
const std::string kGzipBody(
    "\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03\xab\x56\x4a\xce\xcf\x2d\x28\x4a\x2d\x2e\x4e\x4d\x51"
    "\xb2\x2a\x29\x2a\x4d\xd5\x51\x2a\x48\x4c\x49\xc9\xcc\x4b\x57\xb2\x52\x4a\x1c\x26\x40\xa9\x16"
    "\x00\xd4\x70\xd3\xa9\xe8\x00\x00\x00",
    55);

}  // namespace

LocalServer::LocalServer() {
  // More workers than any test's in-flight limit, so the server never hides a client that sends
  // too many requests at once.
  server_.new_task_queue = [] { return new httplib::ThreadPool(24); };
  server_.set_keep_alive_timeout(1);
  Routes();
  port_ = server_.bind_to_any_port("127.0.0.1");
  EXPECT_GT(port_, 0);
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  // Readiness without sleeping: the socket already listens, so this request waits in the accept
  // queue until the server loop takes it, and its answer proves the loop is running.
  httplib::Client probe("127.0.0.1", port_);
  auto ready = probe.Get("/ready");
  EXPECT_TRUE(ready && ready->status == 200);
}

LocalServer::~LocalServer() {
  {
    std::lock_guard lock(mu_);
    released_ = true;
  }
  released_cv_.notify_all();
  server_.stop();
  thread_.join();
}

void LocalServer::Routes() {
  server_.Get("/ready", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok", "text/plain");
  });

  // Echoes what arrived, as JSON, for any method.
  auto echo = [this](const httplib::Request& req, httplib::Response& res) {
    ++requests_seen_;
    Json query = Json::object();
    for (const auto& [k, v] : req.params) query[k] = v;
    Json headers = Json::object();
    for (const auto& [k, v] : req.headers) headers[k] = v;
    Json out = {{"method", req.method}, {"path", req.path},
                {"query", query},       {"headers", headers},
                {"body", req.body},     {"content_type", req.get_header_value("Content-Type")}};
    res.set_header("X-Custom-Header", "Some Value");
    res.set_header("X-Repeated", "one");
    res.set_header("X-Repeated", "two");
    res.set_content(out.dump(), "application/json");
  };
  server_.Get("/echo", echo);
  server_.Post("/echo", echo);
  server_.Put("/echo", echo);
  server_.Patch("/echo", echo);
  server_.Delete("/echo", echo);

  server_.Get("/count", [this](const httplib::Request&, httplib::Response& res) {
    ++requests_seen_;
    int now = ++in_flight_;
    int seen = max_concurrent_.load();
    while (now > seen && !max_concurrent_.compare_exchange_weak(seen, now)) {
    }
    // Long enough for requests to overlap, so the limit is actually exercised.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    --in_flight_;
    ++count_requests_;
    res.set_content("{}", "application/json");
  });

  // Answers after 2 s, or when the server shuts down, whichever is first.
  server_.Get("/hold", [this](const httplib::Request&, httplib::Response& res) {
    ++requests_seen_;
    std::unique_lock lock(mu_);
    released_cv_.wait_for(lock, std::chrono::seconds(2), [this] { return released_; });
    res.set_content("late", "text/plain");
  });

  // One header line of 10 MB, past libcurl's limit for a line (100 KiB).
  server_.Get("/huge-header", [this](const httplib::Request&, httplib::Response& res) {
    ++requests_seen_;
    res.set_header("X-Huge", std::string(10u << 20, 'h'));
    res.set_content("ok", "text/plain");
  });
  // 2 000 header lines of 1 KB: each within libcurl's limit for a line, 2 MB in all.
  server_.Get("/many-headers", [this](const httplib::Request&, httplib::Response& res) {
    ++requests_seen_;
    for (int i = 0; i < 2000; ++i)
      res.set_header("X-Many-" + std::to_string(i), std::string(1000, 'm'));
    res.set_content("ok", "text/plain");
  });
  server_.Get("/big", [this](const httplib::Request&, httplib::Response& res) {
    ++requests_seen_;
    res.set_content(std::string(100000, 'x'), "text/plain");
  });
  // The same size, chunked: no Content-Length, so only the write callback can stop it.
  server_.Get("/big-chunked", [this](const httplib::Request&, httplib::Response& res) {
    ++requests_seen_;
    res.set_chunked_content_provider("text/plain",
                                     [sent = 0](size_t, httplib::DataSink& sink) mutable {
                                       if (sent == 100) {
                                         sink.done();
                                       } else {
                                         ++sent;
                                         std::string chunk(1000, 'y');
                                         sink.write(chunk.data(), chunk.size());
                                       }
                                       return true;
                                     });
  });

  server_.Get("/gzip", [this](const httplib::Request& req, httplib::Response& res) {
    ++requests_seen_;
    {
      std::lock_guard lock(mu_);
      accept_encoding_ = req.get_header_value("Accept-Encoding");
    }
    res.set_header("Content-Encoding", "gzip");
    // Not a compressible type, so httplib sends our bytes as they are.
    res.set_content(kGzipBody, "application/octet-stream");
  });

  server_.Post("/upload", [this](const httplib::Request& req, httplib::Response& res) {
    ++requests_seen_;
    std::lock_guard lock(mu_);
    upload_.field = req.get_file_value("note").content;
    auto file = req.get_file_value("doc");
    upload_.file_name = file.filename;
    upload_.file_content = file.content;
    upload_.file_type = file.content_type;
    res.set_content("stored", "text/plain");
  });
}

int ClosedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  EXPECT_EQ(0, ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr));
  socklen_t len = sizeof addr;
  EXPECT_EQ(0, ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len));
  ::close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace verity::http::testing
