#include "store/recorder.h"

namespace verity::store {

void HistoryRecorder::Attach(run::EventBus& bus) {
  bus.Subscribe([this](uint64_t, const run::RunEvent& event) { On(event); });
}

void HistoryRecorder::On(const run::RunEvent& event) {
  if (!status_.ok()) return;
  Status written;
  if (const auto* started = std::get_if<run::RunStarted>(&event)) {
    run_id_ = started->summary.run_id;
    written = history_.BeginRun(started->summary, started->summary.totals.total, source_);
  } else if (const auto* done = std::get_if<run::DocumentFinished>(&event)) {
    if (run_id_.empty()) return;
    written = history_.RecordDocument(run_id_, done->index, done->result);
  } else if (const auto* finished = std::get_if<run::RunFinished>(&event)) {
    if (run_id_.empty()) return;
    written = history_.FinishRun(finished->summary);
  }
  if (!written.ok()) status_ = written;
}

}  // namespace verity::store
