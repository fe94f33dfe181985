// The dashboard's event stream as Server-Sent Events frames: numbered for the life of the server,
// kept for the current (or last) run so a browser that reconnects with `Last-Event-ID` gets what
// it missed, and handed to every waiting stream as they arrive.
//
// Thread-safe: the run's thread appends, any number of HTTP threads read and wait.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "base/json.h"

namespace verity::serve {

struct EventFrame {
  uint64_t id = 0;
  std::string name;
  std::string data;  // one line of JSON

  /// "id: N\nevent: NAME\ndata: JSON\n\n"
  std::string Wire() const;
};

class EventLog {
 public:
  /// Forgets the frames kept so far (a new run begins); ids keep growing.
  void StartOver();
  uint64_t Append(std::string name, const Json& data);

  /// The frames after `last_id`; waits up to `wait` for one when there is none. A client whose
  /// `last_id` is from before the kept frames gets all of them.
  std::vector<EventFrame> After(uint64_t last_id, std::chrono::milliseconds wait);
  /// Wakes every waiting reader for good (the server is stopping).
  void Close();
  bool closed() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<EventFrame> frames_;
  uint64_t next_id_ = 1;
  bool closed_ = false;
};

}  // namespace verity::serve
