// The one event stream of a run. The executor publishes; the console, the reports, the dashboard's
// SSE feed and the tests subscribe. Events are values (copies), numbered in publication order so a
// reconnecting dashboard can resume after the last number it saw.
//
// Thread-safety: Publish() and Subscribe() may be called from different threads; subscribers are
// called under the bus's lock, in subscription order, one event at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <variant>
#include <vector>

#include "run/result.h"

namespace verity::run {

struct RunStarted {
  RunSummary summary;                  // totals.total = documents planned; the rest still zero
  std::vector<std::string> endpoints;  // in plan order
};
struct DocumentStarted {
  size_t index = 0;  // into the plan
  std::string endpoint;
  std::string file;
};
struct StepFinished {
  size_t index = 0;  // the document's
  StepResult step;
};
struct DocumentFinished {
  size_t index = 0;
  DocumentResult result;
  Totals totals;  // of the run so far
  size_t planned = 0;
  double elapsed_ms = 0;
};
struct RunFinished {
  RunSummary summary;
};

using RunEvent =
    std::variant<RunStarted, DocumentStarted, StepFinished, DocumentFinished, RunFinished>;

/// "run_started", "document_started", "step_finished", "document_finished", "run_finished".
const char* EventName(const RunEvent& event);

class EventBus {
 public:
  using Subscriber = std::function<void(uint64_t sequence, const RunEvent& event)>;

  void Subscribe(Subscriber subscriber);
  /// Numbers the event (1, 2, ...) and hands it to every subscriber.
  void Publish(RunEvent event);

 private:
  std::mutex mutex_;
  std::vector<Subscriber> subscribers_;
  uint64_t sequence_ = 0;
};

}  // namespace verity::run
