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
#include "run/scan_result.h"

namespace verity::run {

struct RunStarted {
  RunSummary summary;                  // totals.total = documents planned; the rest still zero
  std::vector<std::string> endpoints;  // in plan order
};
struct DocumentStarted {
  size_t index = 0;  // into the plan
  std::string endpoint;
  std::string file;
  std::string variant = {};  // empty for the endpoint's primary recipe
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
/// A setup or teardown document, or a shared cleanup deferred to the end of the run, ended.
/// Fixtures are not plan documents: they have no plan index and are not in the totals.
struct FixtureFinished {
  size_t index = 0;  // among the fixtures run so far, setup first
  FixtureResult fixture;
};
struct RunFinished {
  RunSummary summary;
};

// The base-URL scan's events (run/fallback_scan.h). The executor runs inside a scan publish
// nothing: a scan is one stream of its own, not two runs per document.
struct ScanStarted {
  std::string scan_id;
  size_t planned = 0;
  std::vector<std::string> endpoints;  // in scan order
  std::string base_url;
  std::string fallback_url;
};
struct ScanResultReady {
  std::string scan_id;
  size_t index = 0;  // into the scan's documents
  ScanResult result;
  size_t done = 0;  // results so far, this one included
  size_t planned = 0;
};
struct ScanFinished {
  std::string scan_id;
  ScanCounts counts;
  double duration_ms = 0;
  bool stopped = false;
};

using RunEvent =
    std::variant<RunStarted, DocumentStarted, StepFinished, DocumentFinished, FixtureFinished,
                 RunFinished, ScanStarted, ScanResultReady, ScanFinished>;

/// "run_started", "document_started", "step_finished", "document_finished", "fixture_finished",
/// "run_finished",
/// "scan_started", "scan_result", "scan_finished".
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
