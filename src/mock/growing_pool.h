// A task queue for cpp-httplib servers whose connections may each stay open for a long time (a
// kept-alive client of the mock, a dashboard's event stream). Shared by the mock and the dashboard.
#pragma once

#include <httplib.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace verity::mock {

// httplib's own pool has a fixed size, and a kept-alive connection holds its thread for as long as
// it lives: with more clients than threads the rest would wait for someone to hang up. This pool
// starts a thread whenever none is idle, up to a cap, and keeps it for the next connection.
class GrowingPool : public httplib::TaskQueue {
 public:
  explicit GrowingPool(size_t max_threads) : max_threads_(max_threads == 0 ? 1 : max_threads) {}
  ~GrowingPool() override { shutdown(); }

  void enqueue(std::function<void()> task) override {
    std::lock_guard lock(mutex_);
    tasks_.push_back(std::move(task));
    if (idle_ < tasks_.size() && threads_.size() < max_threads_) {
      threads_.emplace_back([this] { Work(); });
    } else {
      ready_.notify_one();
    }
  }

  void shutdown() override {
    {
      std::lock_guard lock(mutex_);
      if (shut_down_) return;
      shut_down_ = true;
    }
    ready_.notify_all();
    for (std::thread& t : threads_) t.join();
  }

 private:
  void Work() {
    std::unique_lock lock(mutex_);
    while (true) {
      ++idle_;
      ready_.wait(lock, [this] { return shut_down_ || !tasks_.empty(); });
      --idle_;
      // Queued connections are still served at shutdown: each ends after its current request.
      if (tasks_.empty()) return;
      std::function<void()> task = std::move(tasks_.front());
      tasks_.pop_front();
      lock.unlock();
      task();
      lock.lock();
    }
  }

  const size_t max_threads_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> tasks_;
  std::vector<std::thread> threads_;
  size_t idle_ = 0;
  bool shut_down_ = false;
};

}  // namespace verity::mock
