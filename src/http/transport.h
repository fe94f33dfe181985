// The transport seam: the one way Verity sends HTTP. CurlTransport talks to the network,
// FakeTransport answers from a script (tests), and DryRunTransport() is the dry run: a
// FakeTransport that answers every request NOT_SENT. The runner never knows which it has; it only
// reads the answers (run::Session chooses the transport once per run).
//
// The model is an event loop. The caller submits any number of requests, then calls Run(), which
// drives them and invokes each request's callback exactly once, on the thread calling Run(). A
// callback may submit further requests (the next step of a document) or cancel others; those are
// picked up by the same Run() call. Submit() never invokes a callback itself, so a caller never
// re-enters its own code. Destroying a transport drops its pending requests without calling their
// callbacks; cancel and run first to hear about them.
//
// Thread-safety: none. A transport belongs to the thread that runs its loop; every method is
// called from that thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string_view>

#include "http/request.h"

namespace verity::http {

class Transport {
 public:
  using Callback = std::function<void(HttpOutcome)>;
  using TimePoint = std::chrono::steady_clock::time_point;

  virtual ~Transport() = default;

  /// Queues a request. Its outcome, including an invalid request's error, arrives through `done`
  /// from inside a later Run().
  virtual void Submit(HttpRequest request, Callback done) = 0;

  /// Runs transfers and fires callbacks until none is pending or `deadline` passes, and returns the
  /// number still pending. Requests pending at the deadline keep their state; the caller may run
  /// again, or CancelAll() and run to collect the CANCELLED outcomes.
  virtual size_t Run(TimePoint deadline) = 0;
  size_t RunUntilIdle() { return Run(TimePoint::max()); }

  /// Makes the Run() in progress return by `deadline` when that is earlier than the deadline it
  /// was given. A callback that schedules work of its own (a timer: a backoff, a rate-limit wait)
  /// calls this so the caller's loop wakes up in time. No effect outside Run().
  virtual void ShortenDeadline(TimePoint deadline) = 0;

  /// Stops every pending request with this tag; each completes with CANCELLED in the next Run().
  virtual void Cancel(std::string_view tag) = 0;
  virtual void CancelAll() = 0;

  /// Submitted requests whose callback has not fired yet.
  virtual size_t Pending() const = 0;
};

}  // namespace verity::http
