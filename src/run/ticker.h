// The monotonic time seam of the executor: rate-limit waits, retry backoffs and `sleep` steps ask a
// Ticker, so tests run them instantly with FakeTicker while real runs wait on steady_clock.
#pragma once

#include <chrono>
#include <cstdint>

namespace verity::run {

class Ticker {
 public:
  virtual ~Ticker() = default;
  /// Milliseconds on a monotonic clock; only differences mean anything.
  virtual int64_t NowMs() const = 0;
  /// Blocks until NowMs() >= `ms` (returns at once when it already is).
  virtual void SleepUntil(int64_t ms) = 0;
  /// The steady_clock instant of `ms`, for deadlines handed to a Transport.
  virtual std::chrono::steady_clock::time_point ToSteady(int64_t ms) const = 0;
};

class SteadyTicker final : public Ticker {
 public:
  int64_t NowMs() const override;
  void SleepUntil(int64_t ms) override;
  std::chrono::steady_clock::time_point ToSteady(int64_t ms) const override;
};

/// Time moves only when someone sleeps (or Advance is called): a test of a 30-second backoff
/// takes no time and always sees the same numbers.
class FakeTicker final : public Ticker {
 public:
  explicit FakeTicker(int64_t start_ms = 0) : now_ms_(start_ms) {}
  int64_t NowMs() const override { return now_ms_; }
  void SleepUntil(int64_t ms) override {
    if (ms > now_ms_) now_ms_ = ms;
  }
  std::chrono::steady_clock::time_point ToSteady(int64_t ms) const override;
  void Advance(int64_t ms) { now_ms_ += ms; }

 private:
  int64_t now_ms_;
};

}  // namespace verity::run
