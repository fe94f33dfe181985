// One request being answered: what a Server's handler gets. A handler answers once (Answer),
// drops the connection without an answer (Drop), or writes a streamed answer itself (Write, for
// answers whose length is not known up front, such as an event stream).
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <string_view>

#include "net/request.h"
#include "net/response.h"

namespace verity::net {

namespace internal {
struct Connection;
class Worker;
}  // namespace internal

class Exchange;
/// Called concurrently from the server's worker threads, once per request.
using Handler = std::function<void(Exchange&)>;

class Exchange {
 public:
  Exchange(const Exchange&) = delete;
  Exchange& operator=(const Exchange&) = delete;

  const Request& request() const { return request_; }
  /// The answer, sent after the handler returns (or with the answers of pipelined requests).
  void Answer(const Response& response);
  /// Closes the connection without an answer (the mock's drop rules).
  void Drop();
  /// Sends bytes of an answer the handler frames itself, now, waiting for the client to take
  /// them (up to the write timeout). False when the client is gone or too slow; the connection
  /// then closes after the handler returns.
  bool Write(std::string_view bytes);
  /// The connection closes after this answer.
  void CloseAfterAnswer() { close_ = true; }
  /// The handler is about to wait (a latency, an upstream server, an event stream): another
  /// thread is started if none is left to serve the other connections meanwhile.
  void WillWait() {
    if (will_wait_) will_wait_();
  }
  /// Whether the answer will close the connection (the client asked, the server is stopping, or
  /// the handler said so).
  bool closes() const;
  bool answered() const { return answered_; }

 private:
  friend class internal::Worker;
  Exchange(internal::Connection& connection, Request request, const Limits& limits,
           const std::atomic<bool>& stopping, const std::function<void()>& will_wait)
      : connection_(connection),
        request_(std::move(request)),
        limits_(limits),
        stopping_(stopping),
        will_wait_(will_wait),
        earlier_answers_(PendingOutput()) {}
  size_t PendingOutput() const;
  /// Sends everything gathered, waiting for the client up to the write timeout.
  bool Flush();

  internal::Connection& connection_;
  Request request_;
  const Limits& limits_;
  const std::atomic<bool>& stopping_;
  const std::function<void()>& will_wait_;
  // The answers of earlier pipelined requests still to send: a drop keeps them.
  const size_t earlier_answers_;
  bool answered_ = false;
  bool dropped_ = false;
  bool close_ = false;
  bool failed_ = false;
};

}  // namespace verity::net
