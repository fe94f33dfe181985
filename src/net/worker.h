// Internal to src/net: what a worker thread does with a connection its event handed it — read
// what arrived, feed the request reader, answer whole requests, send, and give the connection
// back to the epoll set (or close it).
#pragma once

#include <atomic>
#include <functional>

#include "net/connection.h"
#include "net/exchange.h"

namespace verity::net::internal {

class Worker {
 public:
  struct Context {
    const Handler& handler;
    ConnectionTable& table;
    const Limits& limits;
    const std::atomic<bool>& stopping;
    int epoll_fd;
    std::function<void()> before_handler;      // starts a thread when none is left waiting
    std::function<void()> will_wait;           // the same for a handler about to wait
    std::atomic<size_t>& buffered_body_bytes;  // of every connection's request being received
  };
  explicit Worker(Context context) : context_(std::move(context)) {}

  /// The connection's event: the caller's thread owns it until it is parked or closed.
  void OnEvent(Connection* c);
  /// Closes and deletes `c`.
  void Close(Connection* c);

 private:
  void Drive(Connection* c);
  /// Answers the whole request the reader holds; false when the connection was closed.
  bool Handle(Connection* c);
  void Refuse(Connection* c, int status, std::string_view why);
  /// Counts what the body being received has grown by; false when the total is over its cap.
  bool CountBody(Connection* c);
  void UncountBody(Connection* c);
  /// Sends what it can without waiting; false when the connection broke.
  bool Send(Connection* c);
  void Park(Connection* c, Phase phase, uint32_t events);
  /// After the last answer of a closing connection is sent.
  void FinishClosing(Connection* c);
  /// Reads and throws away what a refused client still sends, until it hangs up.
  void Drain(Connection* c);

  Context context_;
};

}  // namespace verity::net::internal
