// The base-URL scan: is the fallback base URL still needed? Each document runs twice through the
// ordinary Executor (prerequisites, test request, cleanup, rate limiter, retries, judging): once
// with every request forced to the fallback, once with every request forced to the primary
// (RunSettings::base_override). Nothing of the other base leaks into a side: not a step's
// `useFallback`, not a `use:`d document's `useFallbackApi`, not the gateway-failure resend: any
// of those reaching the fallback in the "primary" run would make PRIMARY_NOW_WORKS a false
// positive. Named bases (a partners API) keep their paths on both sides.
//
// A scan only observes: knowledge-base write-back is off, so status, verifiedAt and timesReused
// stay as they were. Results are published on the caller's EventBus as they come: ScanStarted,
// one ScanResultReady per document, ScanFinished.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

#include "base/status.h"
#include "kb/knowledge_base.h"
#include "run/executor.h"
#include "run/plan.h"
#include "run/scan_result.h"
#include "run/settings.h"

namespace verity::run {

/// The documents a scan looks at, in plan order: those `selection` picks whose frontmatter sets
/// `useFallbackApi: true`, and every document a target names by its file, flag or not. A target
/// that matches nothing is an error, as for a run.
Result<std::vector<const doc::Document*>> SelectForScan(const kb::KnowledgeBase& kb,
                                                        const Selection& selection);

struct ScanReport {
  std::string scan_id;
  std::vector<ScanResult> results;  // in the order of the documents given
  ScanCounts counts;
  double duration_ms = 0;
  bool stopped = false;  // Stop() was called: the rest are not run on some side
};

/// Whether a scan with these settings compares two servers: refused when there is no fallback base
/// URL, or when it is the primary written another way (scheme and host in any case, a default port,
/// a trailing '/'), since both sides would reach one server and every verdict would be about
/// nothing. Front ends call it before they start a scan; Run() checks it too.
Status CheckScanBases(const RunSettings& settings);

class FallbackScan {
 public:
  /// `settings` as for a run; its write_back and base_override are ignored. `services.fs` is not
  /// used (nothing is written) and `services.events`, when set, receives the scan's events.
  /// `kb` and `catalog` (may be null) must outlive the scan.
  FallbackScan(RunSettings settings, const kb::KnowledgeBase& kb, spec::Catalog* catalog,
               ExecutorServices services);

  /// Scans `documents` (from SelectForScan, or any documents of `kb`). Fails with
  /// kInvalidArgument, before sending anything, when no fallback URL is configured.
  Result<ScanReport> Run(const std::vector<const doc::Document*>& documents);

  /// Asks a running Run() to stop: the side in progress is cancelled as a run's would be, and
  /// the primary side does not start. Safe from another thread.
  void Stop();

 private:
  RunResult RunSide(const Plan& plan, BaseOverride base, EventBus* events);

  RunSettings settings_;
  const kb::KnowledgeBase& kb_;
  spec::Catalog* catalog_;
  ExecutorServices services_;
  std::atomic<bool> stop_requested_{false};
  std::mutex current_mutex_;
  Executor* current_ = nullptr;  // the side in progress, for Stop()
};

}  // namespace verity::run
