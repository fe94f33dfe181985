// The seed document's world, served for real on 127.0.0.1: a primary and a fallback API with
// the gateway quirk the seed documents (the primary answers 401 on /business/payments/v1/*
// whatever the token; the fallback accepts staff tokens and refuses directory tokens), clients,
// packages and client packages that are really created, fetched and deleted, and a few routes
// that misbehave on purpose (rate limiting, holding, reflecting credentials). Every request is
// logged with its arrival time, so tests measure what reached the wire.
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace verity::run::testing {

// A recipe that lists the world's packages with a staff token: one step, expecting 200.
inline constexpr char kPackagesRecipe[] = R"(---
endpoint: "GET /platform/v1/payment/packages"
domain: sales
status: pending
tokens: [staff]
---

# Packages

## Test Request

```yaml
steps:
  - id: list
    method: GET
    path: /platform/v1/payment/packages
    expect: {status: [200]}
```
)";

struct SeenRequest {
  std::string server;  // "primary" or "fallback"
  std::string method;
  std::string path;
  std::multimap<std::string, std::string> query;
  std::string body;
  std::string content_type;
  std::string authorization;
  std::string on_behalf_of;
  std::chrono::steady_clock::time_point at;
};

struct SeenUpload {
  std::string field;
  std::string file_name;
  std::string file_content;
};

class SeedWorldServer {
 public:
  /// Tokens the servers accept, as sent after "Bearer ".
  SeedWorldServer(std::string staff_token, std::string directory_token);
  ~SeedWorldServer();

  std::string primary_url() const { return primary_->url; }
  std::string fallback_url() const { return fallback_->url; }

  std::vector<SeenRequest> requests() const;
  /// Requests whose path starts with `prefix`, in arrival order.
  std::vector<SeenRequest> requests_to(const std::string& prefix) const;
  /// Client packages created and not deleted yet.
  size_t live_client_packages() const;
  SeenUpload last_upload() const;

  /// Answers the requests /hold keeps waiting now, and every later one at once.
  void Release();
  /// Requests to `path` after the first `answered` wait as /hold's do (until Release, or 5 s)
  /// before they are answered as usual: what passed once hangs when it is sent again.
  void HoldAfter(const std::string& path, int answered);
  /// Waits until `count` requests wait in /hold or after HoldAfter; false after `within`.
  bool AwaitWaiting(int count, std::chrono::milliseconds within);
  /// /limited answers 429 with `Retry-After: seconds` this many times, then 200.
  void RateLimitNext(int times, int retry_after_seconds);

 private:
  struct Api {
    std::string role;
    httplib::Server server;
    std::thread thread;
    std::string url;
  };
  void Start(Api& api);
  void Routes(Api& api);
  bool Authorized(const Api& api, const httplib::Request& req) const;
  /// Waits, `lock` holding mu_, until Release or 5 s.
  void WaitForRelease(std::unique_lock<std::mutex>& lock);

  std::string staff_token_, directory_token_;
  std::unique_ptr<Api> primary_, fallback_;

  mutable std::mutex mu_;
  std::condition_variable released_cv_;
  std::condition_variable waiting_cv_;
  bool released_ = false;
  std::string hold_path_;
  int hold_after_ = 0;
  int waiting_ = 0;
  std::vector<SeenRequest> seen_;
  std::map<std::string, std::string> client_packages_;  // id → client id
  int next_id_ = 1;
  int limited_remaining_ = 0;
  int limited_retry_after_ = 0;
  SeenUpload upload_;
};

/// Accepts connections on 127.0.0.1 and resets each one (RST) once the request has arrived: the
/// peer sees "connection reset by peer".
class ResettingServer {
 public:
  ResettingServer();
  ~ResettingServer();
  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  int connections() const { return connections_; }

 private:
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<int> connections_{0};
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

/// An HTTPS server on 127.0.0.1 with a freshly generated self-signed certificate: a TLS peer that
/// verification must refuse and --insecure accepts. GET /tls answers {"tls":true}.
class SelfSignedTlsServer {
 public:
  explicit SelfSignedTlsServer(const std::string& folder);
  ~SelfSignedTlsServer();
  std::string Url(const std::string& path) const {
    return "https://127.0.0.1:" + std::to_string(port_) + path;
  }
  int requests() const { return requests_; }

 private:
  std::unique_ptr<httplib::SSLServer> server_;
  int port_ = -1;
  std::atomic<int> requests_{0};
  std::thread thread_;
};

}  // namespace verity::run::testing
