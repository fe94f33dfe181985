// A bound server serving on a thread of its own until it is stopped: how `verity mock`, `verity
// serve`, `verity demo` and the tests run a server beside their own work. Bind comes first and
// listens before it returns, so connections are accepted (queued by the kernel) as soon as the
// port is known: nobody polls for the server to come up. Stop is the server's own graceful stop,
// then a join.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "base/status.h"

namespace verity::net {

class ServingThread {
 public:
  ServingThread() = default;
  ServingThread(const ServingThread&) = delete;
  ServingThread& operator=(const ServingThread&) = delete;
  /// Stops if still serving.
  ~ServingThread() { (void)Stop(); }

  /// Runs `serve` (a bound server's Serve) on a new thread; `stop` (its Stop, safe from any
  /// thread) is what makes it return. Once per object.
  void Start(std::function<Status()> serve, std::function<void()> stop);
  /// Stops, waits for the thread and returns what `serve` returned. Idempotent; a no-op before
  /// Start.
  Status Stop();
  /// Whether `serve` has returned (on its own: an error, or a Stop from elsewhere), waiting up to
  /// `timeout` for it.
  bool WaitEnded(std::chrono::milliseconds timeout);
  bool ended() const;

 private:
  std::function<void()> stop_;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::condition_variable ended_signal_;
  bool ended_ = false;
  Status status_;  // what serve returned; written under mutex_ before ended_
};

}  // namespace verity::net
