// What `verity run` prints while it runs and when it ends. On a terminal a single progress line is
// redrawn in place and failures are printed above it as they happen; in a pipe or a CI log every
// finished document gets one plain line and no escape codes at all. At the end a summary: totals,
// domains, reasons, one block per failure, the verdict.
//
// The reporter reads only events: times come from the events' elapsed and duration fields, never
// from a clock, so the same events always print the same text.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "run/events.h"
#include "run/result.h"

namespace verity::report {

struct ConsoleOptions {
  bool tty = false;      // redraw a progress line with \r; otherwise one line per document
  bool color = false;    // ANSI colours
  bool verbose = false;  // every document (not only failures) and its steps, passes in the summary
  bool quiet = false;    // nothing but the final "N/M passed (rate)" line
  int width = 80;        // columns; the progress line never wraps past them
};

/// The decision behind DetectConsoleOptions(), without the environment: a terminal gets progress
/// and colour, except that TERM=dumb gets neither (it cannot clear a line) and a set, non-empty
/// NO_COLOR (https://no-color.org) turns colour off. Null and empty mean unset.
ConsoleOptions ConsoleOptionsFor(bool is_tty, const char* no_color, const char* term,
                                 int width = 80);
/// For output on `fd`: isatty(fd), its window width when it has one, NO_COLOR and TERM.
ConsoleOptions DetectConsoleOptions(int fd);

/// Thread-safety: none of its own. The EventBus calls subscribers one event at a time, which is
/// all it needs.
class ConsoleReporter {
 public:
  ConsoleReporter(std::ostream& out, ConsoleOptions options);

  void OnEvent(uint64_t sequence, const run::RunEvent& event);
  /// Subscribes OnEvent() to `bus`. The reporter must outlive the bus's last Publish().
  void Attach(run::EventBus& bus);

 private:
  struct Finished {
    size_t index = 0;
    run::DocumentResult result;
  };

  void OnRunStarted(const run::RunStarted& event);
  void OnDocumentFinished(const run::DocumentFinished& event);
  void OnFixtureFinished(const run::FixtureFinished& event);
  void OnRunFinished(const run::RunFinished& event);

  std::string Paint(std::string_view text, const char* code) const;
  std::string PaintOutcome(run::Outcome outcome, std::string_view text) const;
  std::string DocumentLine(const run::DocumentResult& d) const;
  std::string SourceTag(const run::DocumentResult& d) const;
  void PrintSteps(const std::vector<run::StepResult>& steps, int depth);
  void PrintChecks(const run::StepResult& step, const std::string& indent);
  std::string ProgressLine() const;
  void ClearProgress();
  void DrawProgress();
  void PrintSummary(const run::RunSummary& summary,
                    const std::vector<run::DocumentResult>& documents);
  void PrintBlock(size_t number, const run::DocumentResult& d);
  void PrintWriteBackFailures(const run::DocumentResult& d);
  std::string VerdictLine(const run::RunSummary& summary) const;

  std::ostream& out_;
  ConsoleOptions options_;
  run::RunSummary started_;
  run::Totals so_far_;
  size_t planned_ = 0;
  double elapsed_ms_ = 0;
  std::string last_endpoint_;
  bool progress_shown_ = false;
  std::vector<Finished> finished_;
};

}  // namespace verity::report
