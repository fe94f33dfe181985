// The mock's HTTP face: asks the behaviour rules what to do with each request (refuse it, answer
// something else, wait, drop the connection) and otherwise hands it to the Responder. `verity
// mock`, `verity demo` and the tests all serve through this class.
//
// The HTTP server underneath is net/server.h: strict request framing (request smuggling, body and
// head limits refused before any rule or the responder sees the request), idle and slow clients
// held in an epoll set at no thread's cost, a thread per request being answered, so a slow answer
// (a latency rule) holds up only its own connection.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "mock/proxy.h"
#include "mock/responder.h"
#include "mock/rules.h"
#include "net/server.h"

namespace verity::mock {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;                       // 0: the system picks a free port
  size_t max_threads = 1024;          // requests answered at once; more wait for a free thread
  int keep_alive_seconds = 5;         // an idle connection is closed after this long
  size_t max_body_bytes = 16u << 20;  // larger request bodies get 413 (declared or chunked)
  net::Limits limits = {};            // the rest of the server's limits (net/request.h)
  size_t max_connections = 0;         // 0: what the open-file limit allows
  size_t max_per_address = 0;         // 0: half of max_connections
};

/// One served (or dropped) request, for the access log. Views are valid during the callback only.
struct AccessEntry {
  std::string_view method;
  std::string_view target;      // path and query as sent
  int status = 0;               // 0 when the connection was dropped
  int64_t micros = 0;           // from the request's arrival to its answer, latency included
  std::string_view token_type;  // "" for anonymous; never the token
  std::span<const std::string_view> rules;  // the rules that decided something
  std::string_view operation;               // "GET /clients/{id}" when an operation matched
  std::span<const std::string> drift;       // the proxy's findings (mock/proxy.h), one a line
  std::string_view source;  // "proxy" or "replay" when a Front answered; "" for the mock's own
};

using AccessLog = std::function<void(const AccessEntry&)>;

/// "GET /clients?page=2 200 0.3 ms token=staff rules=a,b via=replay", without a newline;
/// "dropped" for a dropped connection.
std::string FormatAccess(const AccessEntry& entry);

class Server {
 public:
  /// `responder` and `rules` (null: no rules) must outlive the server.
  Server(Responder& responder, RuleEngine* rules, ServerOptions options = {});
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  ~Server();

  /// Called from the serving threads, concurrently; set before Serve (a Service takes it in its
  /// options, before its thread starts).
  void set_access_log(AccessLog log) { access_log_ = std::move(log); }
  /// Asked before the Responder (the proxy, the replay); null: none. Set before Serve, like the
  /// access log; it must outlive the server.
  void set_front(Front* front) { front_ = front; }

  /// Binds the listening socket; returns the port (the chosen one for port 0).
  Result<int> Bind();
  /// Serves until Stop; Bind first. Returns when every connection has been closed.
  Status Serve();
  /// Graceful: stops accepting, lets the requests in progress finish (a latency being waited out
  /// ends at once), then closes. Safe from any thread and from before Serve starts.
  void Stop();

  int port() const { return port_; }
  uint64_t requests() const { return requests_.load(); }
  net::Server::Stats stats() const { return http_->stats(); }

 private:
  void Handle(net::Exchange& exchange);
  /// The front's answer (mock/proxy.h), a thread started first when it may wait upstream.
  std::optional<FrontAnswer> AnswerInFront(net::Exchange& exchange);
  /// Waits `ms` unless the server stops first.
  void Wait(int64_t ms);

  Responder& responder_;
  RuleEngine* rules_;
  ServerOptions options_;
  AccessLog access_log_;
  std::vector<std::string> logged_query_credentials_;  // values shown as "***" in the log
  Front* front_ = nullptr;
  std::unique_ptr<net::Server> http_;
  int port_ = 0;
  std::atomic<uint64_t> requests_{0};
  std::mutex stop_mutex_;
  std::condition_variable stop_signal_;
  bool stopping_ = false;
};

}  // namespace verity::mock
