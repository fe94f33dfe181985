// The dashboard's HTTP face (docs/serve.md): the page built into the binary, the JSON API over
// the Dashboard, and the event stream. The HTTP server is net/server.h (strict framing, limits,
// idle and slow clients held without a thread); cpp-httplib routes the requests it validated.
// A thread per request being answered: each browser's event stream holds one.
//
// Security, all here: an access token checked on every API request when one is configured
// (required off loopback), a header no cross-site form or simple request can carry on every
// request that changes something, Host checked against loopback names when no token guards the
// API (DNS rebinding), and a strict Content-Security-Policy on every answer.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "base/status.h"
#include "serve/dashboard.h"

namespace verity::serve {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;              // 0: a free port
  std::string auth_token;    // empty: none (only allowed on loopback; the CLI checks)
  size_t max_threads = 256;  // requests answered at once (each open event stream holds one)
};

/// Whether `host` is a loopback address or name (127.0.0.0/8, ::1, localhost).
bool IsLoopbackHost(const std::string& host);

class Server {
 public:
  /// `dashboard` must outlive the server.
  Server(Dashboard& dashboard, ServerOptions options);
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  ~Server();

  Result<int> Bind();
  /// Serves until Stop; Bind first.
  Status Serve();
  /// Ends every event stream and stops. Safe from any thread.
  void Stop();
  int port() const { return port_; }

 private:
  class Impl;
  void Route();

  Dashboard& dashboard_;
  ServerOptions options_;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
};

}  // namespace verity::serve
