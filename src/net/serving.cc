#include "net/serving.h"

#include <utility>

namespace verity::net {

void ServingThread::Start(std::function<Status()> serve, std::function<void()> stop) {
  stop_ = std::move(stop);
  thread_ = std::thread([this, serve = std::move(serve)] {
    Status served = serve();
    std::lock_guard lock(mutex_);
    status_ = std::move(served);
    ended_ = true;
    ended_signal_.notify_all();
  });
}

Status ServingThread::Stop() {
  if (thread_.joinable()) {
    stop_();
    thread_.join();
  }
  std::lock_guard lock(mutex_);
  return status_;
}

bool ServingThread::WaitEnded(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return ended_signal_.wait_for(lock, timeout, [this] { return ended_; });
}

bool ServingThread::ended() const {
  std::lock_guard lock(mutex_);
  return ended_;
}

}  // namespace verity::net
