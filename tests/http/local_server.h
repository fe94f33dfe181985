// A real HTTP server on 127.0.0.1 and a free port, in-process, for CurlTransport's tests. Its
// routes answer the way each test needs (echo, hold, big, gzip, upload) and it records what it saw
// (the most requests handled at once, the last upload, the last Accept-Encoding).
#pragma once

#include <httplib.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace verity::http::testing {

class LocalServer {
 public:
  LocalServer();
  /// Releases held requests, stops the server and joins its thread.
  ~LocalServer();

  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

  /// The most requests to /count handled at the same time.
  int max_concurrent() const { return max_concurrent_; }
  int count_requests() const { return count_requests_; }
  /// Requests the server received on any route but the readiness probe.
  int requests_seen() const { return requests_seen_; }

  struct Upload {
    std::string field;
    std::string file_name;
    std::string file_content;
    std::string file_type;
  };
  Upload last_upload() const {
    std::lock_guard lock(mu_);
    return upload_;
  }
  std::string last_accept_encoding() const {
    std::lock_guard lock(mu_);
    return accept_encoding_;
  }

 private:
  void Routes();

  httplib::Server server_;
  int port_ = -1;
  std::thread thread_;
  std::atomic<int> in_flight_{0};
  std::atomic<int> max_concurrent_{0};
  std::atomic<int> count_requests_{0};
  std::atomic<int> requests_seen_{0};
  mutable std::mutex mu_;
  std::condition_variable released_cv_;
  bool released_ = false;
  Upload upload_;
  std::string accept_encoding_;
};

/// A TCP port on 127.0.0.1 that nothing listens on: bound, read and closed again.
int ClosedPort();

}  // namespace verity::http::testing
