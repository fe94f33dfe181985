// One run session: the one place that assembles what a run needs besides its documents. Every
// front end (`verity run`, `verity scan-fallback`, `verity demo`, the dashboard) describes the run
// it wants in RunOptions, creates a Session with the environment's settings, attaches its own
// subscribers to events(), and calls Run or Scan. The session owns the rest: the transport
// (libcurl, the dry run's, or a test's), the ticker, the random source, the spec catalog when the
// caller has none, and the executor's services.
//
// Adding a run option: add the field, with its default, to RunChoices (run/settings.h), which
// RunOptions extends and the session copies whole into the run's settings; then bind its flag to
// `options-><field>` in cli/commands/run.cc. The dashboard and the demo fill the same struct, so
// they see the option without another edit. (An option the session must resolve first, like
// concurrency, goes in RunOptions and is resolved in `Settle`, session.cc.)
//
// The dry run is a transport, chosen here once: it records each request (the executor keeps it
// masked in its step) and answers nothing, so the executor needs no flag of its own.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "base/clock.h"
#include "base/file_system.h"
#include "base/json.h"
#include "base/random.h"
#include "base/status.h"
#include "http/transport.h"
#include "kb/knowledge_base.h"
#include "run/events.h"
#include "run/fallback_scan.h"
#include "run/heal.h"
#include "run/plan.h"
#include "run/rate_limit.h"
#include "run/result.h"
#include "run/settings.h"
#include "run/ticker.h"
#include "spec/catalog.h"

namespace verity::run {

/// What the person starting a run chooses, on top of what the environment gives: the choices the
/// executor reads as they are (RunChoices, run/settings.h), and those the session resolves first.
struct RunOptions : RunChoices {
  Json variables = Json::object();      // --var NAME=VALUE: beat every other template variable
  Json inputs = Json::object();         // a workflow's inputs (RunSettings::inputs)
  size_t concurrency = 0;               // documents in flight; 0: ConcurrencyFor's rule
  std::optional<RateLimit> rate_limit;  // absent: the environment's
  /// Tries a failed document built from the spec again (run/heal.h); null: no heals.
  std::shared_ptr<Healer> healer;
};

/// Makes a run's transport for `max_in_flight` transfers at once.
using TransportFactory =
    std::function<Result<std::unique_ptr<http::Transport>>(size_t max_in_flight)>;

/// libcurl's transport: what a session uses unless it is given another factory.
Result<std::unique_ptr<http::Transport>> CurlTransportFor(size_t max_in_flight);

class Session {
 public:
  /// `environment`: RunSettings from the configuration (SettingsFromEnvironment). `catalog` may be
  /// null: the session then loads the specs under the settings' spec_root, if any. `transports`
  /// empty: libcurl; a dry run ignores it. Fails when the transport cannot be made, or when a
  /// `setup:` or `teardown:` document is not in `kb` (FIXTURE_NOT_FOUND, run/fixtures.h).
  static Result<std::unique_ptr<Session>> Create(RunSettings environment, const RunOptions& options,
                                                 std::shared_ptr<const kb::KnowledgeBase> kb,
                                                 std::shared_ptr<spec::Catalog> catalog,
                                                 FileSystem& fs, const Clock& clock,
                                                 const TransportFactory& transports = {});
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// Subscribers (console, history, the dashboard's stream) attach here before Run or Scan.
  EventBus& events() { return events_; }
  /// The settings the run uses: the environment's with the options applied.
  const RunSettings& settings() const { return settings_; }
  bool dry_run() const { return settings_.dry_run; }

  /// Runs the planned documents; the plan's documents must belong to the session's knowledge base.
  /// The environment's setup documents run first and its teardown documents last (run/fixtures.h);
  /// a fixture document the plan holds is left out of it.
  RunResult Run(const Plan& plan);
  /// The base-URL scan (run/fallback_scan.h) of `documents`. It only observes: no write-back.
  Result<ScanReport> Scan(const std::vector<const doc::Document*>& documents);

  /// Stops the run or scan in progress, or the next one before it starts. Safe from any thread.
  void Stop();

 private:
  Session(RunSettings settings, std::shared_ptr<const kb::KnowledgeBase> kb,
          std::shared_ptr<spec::Catalog> catalog, std::unique_ptr<http::Transport> transport,
          std::shared_ptr<Healer> healer, FileSystem& fs, const Clock& clock);
  ExecutorServices Services(FileSystem* fs);
  /// Registers how to stop the job now starting (null: it ended); stops it at once when Stop came
  /// first.
  void Stoppable(std::function<void()> stop);

  RunSettings settings_;
  std::shared_ptr<const kb::KnowledgeBase> kb_;
  std::shared_ptr<spec::Catalog> catalog_;
  std::unique_ptr<http::Transport> transport_;
  std::shared_ptr<Healer> healer_;
  FileSystem& fs_;
  const Clock& clock_;
  SteadyTicker ticker_;
  SystemRandom random_;
  EventBus events_;

  std::mutex stop_mutex_;
  bool stop_requested_ = false;
  std::function<void()> stop_job_;
};

}  // namespace verity::run
