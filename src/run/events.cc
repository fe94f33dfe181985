#include "run/events.h"

namespace verity::run {

const char* EventName(const RunEvent& event) {
  struct Namer {
    const char* operator()(const RunStarted&) const { return "run_started"; }
    const char* operator()(const DocumentStarted&) const { return "document_started"; }
    const char* operator()(const StepFinished&) const { return "step_finished"; }
    const char* operator()(const DocumentFinished&) const { return "document_finished"; }
    const char* operator()(const FixtureFinished&) const { return "fixture_finished"; }
    const char* operator()(const RunFinished&) const { return "run_finished"; }
    const char* operator()(const ScanStarted&) const { return "scan_started"; }
    const char* operator()(const ScanResultReady&) const { return "scan_result"; }
    const char* operator()(const ScanFinished&) const { return "scan_finished"; }
  };
  return std::visit(Namer{}, event);
}

void EventBus::Subscribe(Subscriber subscriber) {
  std::lock_guard<std::mutex> lock(mutex_);
  subscribers_.push_back(std::move(subscriber));
}

void EventBus::Publish(RunEvent event) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++sequence_;
  for (const Subscriber& subscriber : subscribers_) subscriber(sequence_, event);
}

}  // namespace verity::run
