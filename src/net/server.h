// The HTTP/1.1 server under `verity mock` and `verity serve`: the listening socket, the
// connections, their limits and the threads that answer requests. Handlers see only whole,
// validated requests (net/request_reader.h); how they are answered is theirs (net/exchange.h).
//
// Connections that wait on their client cost no thread. Every connection that is idle, still
// sending its request's head or body, slow to take its answer, or being closed after a refusal
// sits in an epoll set with a deadline; the worker threads wait on that set together, and the one
// woken by a connection's event reads what arrived, feeds the request reader, and only when a
// request is complete calls the handler, then sends the answer and goes straight on with the next
// request if it is already buffered (pipelining) before giving the connection back to the set.
// A thread is started whenever a handler is about to run and no other thread is left waiting on
// the set (a latency rule or an event stream holds its thread), up to core_threads; beyond that,
// only when a handler says it is about to wait (Exchange::WillWait), up to max_threads. One more
// thread accepts connections, enforces the caps and expires deadlines.
//
// Timeouts (Limits): the head must arrive within head_timeout of its first byte, a kept-alive
// connection waits idle_timeout for its next request, a body must arrive within body_timeout, a
// client must take some of its answer every write_timeout. Caps: max_connections in all (the
// open-file limit is raised to its hard limit at Bind) and max_per_address from one client
// address; at a cap the oldest idle connection (of that address first; then the oldest one still
// sending its head) is closed to make room, and a newcomer is refused (503) only when no
// connection can be reclaimed.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/status.h"
#include "net/exchange.h"
#include "net/request.h"

namespace verity::net {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: the system picks a free port
  Limits limits = {};
  size_t max_threads = 1024;  // requests answered at once; more wait for a free thread
  /// Threads started for handlers that do not say they wait. A server whose handlers answer at
  /// once is fastest with about a thread per core: on 2 cores, the mock's GET went from 55 000 to
  /// 95 000 requests/s when 8 connections were served by 2 threads instead of one each, as every
  /// extra thread only adds a context switch per request. 0: max_threads (every handler may wait).
  size_t core_threads = 0;
  size_t max_connections = 0;  // 0: the open-file limit less a reserve for everything else
  size_t max_per_address = 0;  // 0: half of max_connections
};

class Server {
 public:
  /// The handler is called concurrently from the worker threads.
  Server(Handler handler, ServerOptions options);
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  ~Server();

  /// Binds and listens, so connections are accepted from here on; returns the port (the chosen
  /// one for port 0). An error says "cannot listen on HOST:PORT: why".
  Result<int> Bind();
  /// Serves until Stop; Bind first. Returns when every connection is closed and every thread
  /// has ended.
  Status Serve();
  /// Graceful: stops accepting, closes waiting connections at once, lets the requests being
  /// answered finish (their answers say Connection: close), then Serve returns. Safe from any
  /// thread (a handler's too) and before Serve starts.
  void Stop();
  bool stopping() const { return stopping_.load(std::memory_order_relaxed); }

  int port() const { return port_; }
  const Limits& limits() const { return options_.limits; }

  struct Stats {
    size_t connections = 0;                                           // open now
    size_t idle = 0, head = 0, body = 0, writing = 0, lingering = 0;  // waiting on the client
    size_t threads = 0;
    uint64_t reclaimed = 0;  // closed to make room at a cap
    uint64_t refused = 0;    // newcomers refused with nothing to reclaim
  };
  Stats stats() const;

 private:
  class Loop;
  Handler handler_;
  ServerOptions options_;
  std::unique_ptr<Loop> loop_;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::mutex serve_mutex_;
  std::condition_variable serve_done_;
  bool serving_ = false;
};

}  // namespace verity::net
