// Records a run into the history as its events arrive: the run when it starts, each document when
// it finishes (so a crash keeps what was done), the totals and the finish time at the end.
//
// A history that cannot be written never stops a run: the first failure is kept for the caller to
// report, and the recorder stops writing.
#pragma once

#include <string>

#include "run/events.h"
#include "store/history.h"

namespace verity::store {

class HistoryRecorder {
 public:
  /// `history` must outlive the bus's last event.
  HistoryRecorder(History& history, std::string source)
      : history_(history), source_(std::move(source)) {}

  void Attach(run::EventBus& bus);
  /// OK, or the first write that failed.
  const Status& status() const { return status_; }
  /// The run recorded (empty before it started).
  const std::string& run_id() const { return run_id_; }

 private:
  void On(const run::RunEvent& event);

  History& history_;
  std::string source_;
  std::string run_id_;
  Status status_;
};

}  // namespace verity::store
