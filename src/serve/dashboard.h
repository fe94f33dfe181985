// The dashboard's state and its one run at a time: the environment it runs against, the knowledge
// base and the specs (reloaded after every run, since a run writes statuses back), the history,
// and the event stream browsers follow. The HTTP layer (serve/server.h) and the tests drive it
// through this interface; the JSON views (serve/views.h) read it.
//
// A run goes through the same run::Session as `verity run`, on a thread of its own, with the same
// history recorder; its events are turned into the stream's frames as they are published.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "base/file_system.h"
#include "derive/drafts.h"
#include "derive/spec_run.h"
#include "http/transport.h"
#include "kb/knowledge_base.h"
#include "run/config.h"
#include "run/executor.h"
#include "run/kb_writeback.h"
#include "run/plan.h"
#include "run/session.h"
#include "run/settings.h"
#include "serve/event_log.h"
#include "spec/catalog.h"
#include "store/history.h"

namespace verity::serve {

struct DashboardConfig {
  run::RunSettings settings;             // from the environment, before a run's own choices
  std::vector<std::string> kb_roots;     // the knowledge base's folders
  std::string spec_root;                 // where the specs are; empty: no specs
  std::vector<std::string> token_types;  // configured, for the filters (never values)
};

struct RunRequest {
  /// Operation keys ("GET /clients/{id}") or knowledge-base files; empty: every document.
  std::vector<std::string> targets;
  bool include_delete = false;
  /// Operations without a recipe run too, through a request built from the spec and healed after
  /// a failure (derive/spec_run.h): those the targets name, or with no targets every one.
  bool all_operations = false;
  /// With all_operations: POST, PUT and PATCH built from the spec are sent (DELETE needs
  /// include_delete as well); else each is a SKIP with WRITE_NOT_ALLOWED.
  bool allow_writes = false;
  /// With all_operations: tries of one built request, the first included.
  int heal_tries = derive::kDefaultHealTries;
  /// With all_operations: after the run, each request built from the spec that passed is written
  /// into the knowledge base's first folder as a pending recipe (derive/drafts.h: its checks
  /// proven by a second run, no file overwritten), before the reload that shows it.
  bool write_drafts = false;
  std::optional<run::RateLimit> rate_limit;  // absent: the environment's
  size_t concurrency = 0;                    // 0: the environment's
};

/// What a run with write_drafts left in the knowledge base: the `drafts` event.
struct DraftsOutcome {
  derive::DraftsWritten written;
  /// Why no draft was tried (the run was stopped: a second run would send what was stopped);
  /// empty when they were.
  std::string not_tried;
};

struct RunState {
  std::string kind = "run";    // run, scan (the base-URL scan)
  std::string state = "idle";  // idle, running, finished
  /// While running: "run" or "scan" (the kind's requests), then "drafts" while a run with
  /// write_drafts writes them (their second run included). Empty when nothing is going.
  std::string phase;
  std::string run_id;
  size_t planned = 0;
  size_t done = 0;
  run::Totals totals;
  int64_t started_at_ms = 0;
  double duration_ms = 0;
  /// A run with write_drafts, once its drafts are written.
  std::optional<DraftsOutcome> drafts;
};

using TransportFactory = run::TransportFactory;

class Dashboard {
 public:
  /// `transports` makes each run's transport; empty: libcurl. Loads the knowledge base and the
  /// specs; fails only when the knowledge base's folders cannot be read.
  static Result<std::unique_ptr<Dashboard>> Create(FileSystem& fs, const Clock& clock,
                                                   DashboardConfig config,
                                                   std::unique_ptr<store::History> history,
                                                   TransportFactory transports = {});
  Dashboard(const Dashboard&) = delete;
  Dashboard& operator=(const Dashboard&) = delete;
  /// Stops a run in progress and waits for it.
  ~Dashboard();

  /// What the views read: replaced whole by Reload, so a reader keeps a consistent pair.
  struct Snapshot {
    std::shared_ptr<const kb::KnowledgeBase> kb;
    std::shared_ptr<spec::Catalog> catalog;  // views use it const; a run validates with it
  };
  Snapshot snapshot() const;
  /// Reads the knowledge base and the specs again.
  Status Reload();

  /// Starts a run; returns its id once it has begun. kAlreadyExists while another run is going;
  /// kInvalidArgument when the targets match no recipe (with all_operations: when one names
  /// neither a document nor an operation of the specs, or there is no spec).
  Result<std::string> StartRun(const RunRequest& request);
  /// Starts the base-URL scan (docs/scan-fallback.md) of `targets` (operation keys or files;
  /// empty: every document with useFallbackApi); returns its id. Shares the one slot with runs.
  Result<std::string> StartScan(const std::vector<std::string>& targets);
  /// The scan's quick fix on `files` (documents of the knowledge base only), then a reload.
  run::FallbackFix FixFallback(const std::vector<std::string>& files);

  /// Asks the run or scan in progress to stop, the drafts' second run included; false when there
  /// is none.
  bool StopRun();
  RunState run_state() const;
  /// Blocks until no run is going (tests, shutdown).
  void WaitForRun();

  EventLog& events() { return events_; }
  store::History& history() { return *history_; }
  const DashboardConfig& config() const { return config_; }
  FileSystem& fs() { return fs_; }

  /// Stops a run, wakes every event stream for good.
  void Shutdown();

 private:
  Dashboard(FileSystem& fs, const Clock& clock, DashboardConfig config,
            std::unique_ptr<store::History> history, TransportFactory transports);
  Result<std::vector<std::string>> FilesFor(const Snapshot& snapshot,
                                            const std::vector<std::string>& targets) const;
  /// With request.all_operations: adds the documents built from the spec for the operations the
  /// targets name that have no recipe (every one with no targets) to a copy of `snapshot`'s
  /// knowledge base, and the healer to `options`; `snapshot` then holds the copy and the spec
  /// run's catalog, `selection` the targets' documents.
  /// `healer` is the spec run's (null when every target has a recipe): what drafts are written
  /// from.
  Status AddSpecRun(const RunRequest& request, Snapshot* snapshot, run::Selection* selection,
                    run::RunOptions* options, std::shared_ptr<derive::SpecHealer>* healer) const;
  /// The run's job with request.write_drafts: the run, then its drafts (into the state; Launch
  /// announces them after the reload).
  std::function<void(run::Session&)> RunAndDraft(run::Plan plan, const Snapshot& snapshot,
                                                 const run::RunOptions& options,
                                                 std::shared_ptr<derive::SpecHealer> healer);
  /// Takes the one slot for a run or a scan; kAlreadyExists when taken.
  Status Claim(const std::string& kind, size_t planned);
  /// Runs `job` with `session` (the history and the event stream attached) on the slot's thread,
  /// then reloads, announces the drafts the job wrote (if it wrote any) and frees the slot.
  void Launch(std::shared_ptr<run::Session> session, std::function<void(run::Session&)> job);
  /// Registers how to stop what the job runs now (null: nothing); stops it at once when Stop came
  /// first.
  void Stoppable(std::function<void()> stop);
  /// Waits for the job to name itself (or end); returns its id.
  Result<std::string> AwaitId(std::unique_lock<std::mutex>& lock);
  void OnEvent(const run::RunEvent& event);

  FileSystem& fs_;
  const Clock& clock_;
  DashboardConfig config_;
  std::unique_ptr<store::History> history_;
  TransportFactory transports_;
  EventLog events_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  Snapshot snapshot_;
  RunState state_;
  bool running_ = false;
  bool stop_requested_ = false;     // for the job in the slot, whatever it runs now
  std::function<void()> stop_job_;  // while a run, a scan or the drafts' second run is going
  std::thread runner_;
};

}  // namespace verity::serve
