#include "serve/event_log.h"

#include <fmt/format.h>

#include <algorithm>

namespace verity::serve {

std::string EventFrame::Wire() const {
  // JSON text holds no raw newline, so `data` is one line as SSE requires.
  return fmt::format("id: {}\nevent: {}\ndata: {}\n\n", id, name, data);
}

void EventLog::StartOver() {
  std::lock_guard lock(mutex_);
  frames_.clear();
}

uint64_t EventLog::Append(std::string name, const Json& data) {
  EventFrame frame;
  frame.name = std::move(name);
  frame.data = data.dump(-1, ' ', false, Json::error_handler_t::replace);
  uint64_t id;
  {
    std::lock_guard lock(mutex_);
    id = frame.id = next_id_++;
    frames_.push_back(std::move(frame));
  }
  arrived_.notify_all();
  return id;
}

std::vector<EventFrame> EventLog::After(uint64_t last_id, std::chrono::milliseconds wait) {
  std::unique_lock lock(mutex_);
  auto newer = [&] { return closed_ || (!frames_.empty() && frames_.back().id > last_id); };
  if (!newer()) arrived_.wait_for(lock, wait, newer);
  auto first = std::upper_bound(frames_.begin(), frames_.end(), last_id,
                                [](uint64_t id, const EventFrame& f) { return id < f.id; });
  return std::vector<EventFrame>(first, frames_.end());
}

void EventLog::Close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  arrived_.notify_all();
}

bool EventLog::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

}  // namespace verity::serve
