#include "run/ticker.h"

#include <thread>

namespace verity::run {

int64_t SteadyTicker::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void SteadyTicker::SleepUntil(int64_t ms) { std::this_thread::sleep_until(ToSteady(ms)); }

std::chrono::steady_clock::time_point SteadyTicker::ToSteady(int64_t ms) const {
  return std::chrono::steady_clock::time_point(std::chrono::milliseconds(ms));
}

std::chrono::steady_clock::time_point FakeTicker::ToSteady(int64_t ms) const {
  // Only FakeTransport pairs with a FakeTicker, and it ignores deadlines; any instant will do.
  return std::chrono::steady_clock::time_point(std::chrono::milliseconds(ms));
}

}  // namespace verity::run
