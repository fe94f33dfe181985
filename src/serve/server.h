// The dashboard's HTTP face (docs/serve.md): the page built into the binary, the JSON API over
// the Dashboard, and the event stream. The HTTP server is net/server.h (strict framing, limits,
// idle and slow clients held without a thread); cpp-httplib routes the requests it validated.
// A thread per request being answered: each browser's event stream holds one.
//
// Security, applied here before any route runs (the rules themselves are in serve/access.h): an
// access token on every API request when one is configured (required off loopback), by header or
// by a session cookie; a header no cross-site form or simple request can carry on every request
// that changes something; without a token, a Host that must name this dashboard on loopback (DNS
// rebinding); and a strict Content-Security-Policy on every answer.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "base/status.h"
#include "serve/access.h"
#include "serve/dashboard.h"

namespace verity::serve {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;                  // 0: a free port
  std::string auth_token;        // empty: none (only allowed on loopback; the CLI checks)
  size_t max_threads = 256;      // requests answered at once (each open event stream holds one)
  const Clock* clock = nullptr;  // for session expiry; null: the system clock
};

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
  class Impl;  // httplib's routing over net/, and the handlers (one per resource)

  Dashboard& dashboard_;
  ServerOptions options_;
  SystemClock system_clock_;
  SessionStore sessions_;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  // Last: destroyed first, so no request is being answered while what it uses goes.
  std::unique_ptr<Impl> impl_;
};

}  // namespace verity::serve
