#include "serve/dashboard.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "base/strings.h"
#include "base/timestamp.h"
#include "kb/spec_links.h"
#include "report/json_report.h"
#include "run/fallback_scan.h"
#include "run/plan.h"
#include "run/scan_result.h"
#include "run/totals_json.h"
#include "serve/views.h"
#include "store/recorder.h"

namespace verity::serve {

namespace {

/// The stream's frame for a run event (docs/serve.md, "GET /api/events").
std::pair<std::string, Json> FrameFor(const std::string& run_id, const run::RunEvent& event) {
  std::string name = run::EventName(event);
  Json data = Json::object();
  data["runId"] = run_id;
  if (const auto* e = std::get_if<run::RunStarted>(&event)) {
    data["runId"] = e->summary.run_id;
    data["planned"] = e->summary.totals.total;
    data["endpoints"] = e->endpoints;
    data["startedAt"] = FormatIso8601(e->summary.started_at_ms);
  } else if (const auto* e = std::get_if<run::DocumentStarted>(&event)) {
    data["index"] = e->index;
    data["endpoint"] = e->endpoint;
    data["variant"] = e->variant.empty() ? Json(nullptr) : Json(e->variant);
    data["file"] = e->file;
  } else if (const auto* e = std::get_if<run::StepFinished>(&event)) {
    data["index"] = e->index;
    data["step"] = report::StepReportJson(e->step);
  } else if (const auto* e = std::get_if<run::DocumentFinished>(&event)) {
    data["index"] = e->index;
    data["result"] = report::DocumentReportJson(e->result);
    data["done"] = e->totals.total;
    data["planned"] = e->planned;
    data["totals"] = run::TotalsJson(e->totals);
    data["elapsedMs"] = e->elapsed_ms;
  } else if (const auto* e = std::get_if<run::FixtureFinished>(&event)) {
    data["index"] = e->index;
    data["kind"] = e->fixture.kind;
    data["name"] = e->fixture.name;
    data["result"] = report::DocumentReportJson(e->fixture.result);
  } else if (const auto* e = std::get_if<run::RunFinished>(&event)) {
    data["summary"] = report::SummaryReportJson(e->summary);
  } else if (const auto* e = std::get_if<run::ScanStarted>(&event)) {
    data = Json{{"scanId", e->scan_id},
                {"planned", e->planned},
                {"endpoints", e->endpoints},
                {"baseUrl", e->base_url},
                {"fallbackUrl", e->fallback_url}};
  } else if (const auto* e = std::get_if<run::ScanResultReady>(&event)) {
    data = Json{{"scanId", e->scan_id},
                {"index", e->index},
                {"result", run::ToJson(e->result)},
                {"done", e->done},
                {"planned", e->planned}};
  } else if (const auto* e = std::get_if<run::ScanFinished>(&event)) {
    data = Json{{"scanId", e->scan_id},
                {"counts", run::ToJson(e->counts)},
                {"durationMs", e->duration_ms},
                {"stopped", e->stopped}};
  }
  return {name, data};
}

Result<Dashboard::Snapshot> Load(const FileSystem& fs, const DashboardConfig& config) {
  Dashboard::Snapshot snapshot;
  Result<kb::KnowledgeBase> kb = kb::LoadKnowledgeBase(fs, config.kb_roots);
  if (!kb.ok()) return kb.status();
  snapshot.kb = std::make_shared<const kb::KnowledgeBase>(std::move(*kb));
  snapshot.catalog = std::make_shared<spec::Catalog>(fs);
  if (!config.spec_root.empty()) snapshot.catalog->Add(config.spec_root);
  return snapshot;
}

}  // namespace

Dashboard::Dashboard(FileSystem& fs, const Clock& clock, DashboardConfig config,
                     std::unique_ptr<store::History> history, TransportFactory transports)
    : fs_(fs),
      clock_(clock),
      config_(std::move(config)),
      history_(std::move(history)),
      transports_(std::move(transports)) {}

Result<std::unique_ptr<Dashboard>> Dashboard::Create(FileSystem& fs, const Clock& clock,
                                                     DashboardConfig config,
                                                     std::unique_ptr<store::History> history,
                                                     TransportFactory transports) {
  Result<Snapshot> loaded = Load(fs, config);
  if (!loaded.ok()) return loaded.status();
  std::unique_ptr<Dashboard> dashboard(
      new Dashboard(fs, clock, std::move(config), std::move(history), std::move(transports)));
  dashboard->snapshot_ = std::move(*loaded);
  return dashboard;
}

Dashboard::~Dashboard() { Shutdown(); }

void Dashboard::Shutdown() {
  StopRun();
  WaitForRun();
  {
    std::lock_guard lock(mutex_);
    if (runner_.joinable()) runner_.join();
  }
  events_.Close();
}

Dashboard::Snapshot Dashboard::snapshot() const {
  std::lock_guard lock(mutex_);
  return snapshot_;
}

Status Dashboard::Reload() {
  Result<Snapshot> loaded = Load(fs_, config_);
  if (!loaded.ok()) return loaded.status();
  std::lock_guard lock(mutex_);
  snapshot_ = std::move(*loaded);
  return Status::Ok();
}

namespace {

/// What the targets of a run or scan name.
struct SortedTargets {
  std::set<std::string> files;          // documents of the knowledge base
  std::vector<std::string> operations;  // operations of the specs no document covers
  std::vector<std::string> unknown;     // neither
};

SortedTargets SortTargets(const Dashboard::Snapshot& snapshot,
                          const std::vector<std::string>& targets) {
  SortedTargets out;
  std::set<std::string> known;
  for (const doc::Document& d : snapshot.kb->documents) known.insert(d.file);
  kb::Coverage coverage = kb::ComputeCoverage(*snapshot.catalog, *snapshot.kb);
  for (const std::string& target : targets) {
    if (known.count(target)) {
      out.files.insert(target);
      continue;
    }
    // An operation key: the recipes that cover it (their placeholders may be named otherwise),
    // or documents naming exactly that endpoint when no spec has it.
    bool matched = false, uncovered = false;
    for (const kb::CoveredOperation& op : coverage.operations) {
      if (op.operation->Key() != target) continue;
      for (const doc::Document* d : op.documents) out.files.insert(d->file);
      matched = true;
      uncovered = op.documents.empty();
    }
    if (!matched) {
      for (const doc::Document* d : snapshot.kb->FindEndpoint(target)) {
        out.files.insert(d->file);
        matched = true;
      }
    }
    if (uncovered) {
      out.operations.push_back(target);
    } else if (!matched) {
      out.unknown.push_back(target);
    }
  }
  return out;
}

}  // namespace

Result<std::vector<std::string>> Dashboard::FilesFor(
    const Snapshot& snapshot, const std::vector<std::string>& targets) const {
  std::vector<std::string> files;
  if (targets.empty()) return files;
  SortedTargets sorted = SortTargets(snapshot, targets);
  if (sorted.files.empty()) {
    return Status::InvalidArgument("none of the selected operations has a recipe to run");
  }
  files.assign(sorted.files.begin(), sorted.files.end());
  return files;
}

Status Dashboard::AddSpecRun(const RunRequest& request, Snapshot* snapshot,
                             run::Selection* selection, run::RunOptions* options,
                             std::shared_ptr<derive::SpecHealer>* healer) const {
  SortedTargets sorted = SortTargets(*snapshot, request.targets);
  if (!sorted.unknown.empty()) {
    return Status::InvalidArgument(
        fmt::format("{}: neither a document of the knowledge base nor an operation of the specs",
                    Join(sorted.unknown, ", ")));
  }
  selection->targets.assign(sorted.files.begin(), sorted.files.end());
  selection->targets.insert(selection->targets.end(), sorted.operations.begin(),
                            sorted.operations.end());
  // Targets that all have recipes: an ordinary run.
  if (!request.targets.empty() && sorted.operations.empty()) return Status::Ok();
  run::RunSettings settings = config_.settings;
  if (settings.spec_root.empty()) settings.spec_root = config_.spec_root;
  auto kb = std::make_shared<kb::KnowledgeBase>(*snapshot->kb);
  run::Selection wanted;
  wanted.targets = sorted.operations;  // none: every operation
  derive::SpecRunChoices choices;
  choices.allow_writes = request.allow_writes;
  choices.heal_tries = request.heal_tries;
  Result<derive::SpecRun> spec_run =
      derive::AddSpecDocuments(fs_, settings, *options, wanted, choices, kb.get());
  if (!spec_run.ok()) return spec_run.status();
  options->healer = spec_run->healer;
  *healer = spec_run->healer;
  snapshot->kb = std::move(kb);
  snapshot->catalog = spec_run->catalog;
  return Status::Ok();
}

Status Dashboard::Claim(const std::string& kind, size_t planned) {
  std::lock_guard lock(mutex_);
  if (running_) {
    // The drafts come after the run's last result: without this, the run looks finished.
    if (state_.phase == "drafts")
      return Status::AlreadyExists("a run is writing its drafts: stop it or wait for it");
    return Status::AlreadyExists(
        fmt::format("a {} is in progress: stop it or wait for it", state_.kind));
  }
  if (runner_.joinable()) runner_.join();  // the last job's thread, already done
  running_ = true;
  stop_requested_ = false;
  state_ = RunState();
  state_.kind = kind;
  state_.state = "running";
  state_.phase = kind;
  state_.planned = planned;
  events_.StartOver();
  return Status::Ok();
}

void Dashboard::Launch(std::shared_ptr<run::Session> session,
                       std::function<void(run::Session&)> job) {
  Stoppable([session] { session->Stop(); });
  std::lock_guard lock(mutex_);
  runner_ = std::thread([this, session, job = std::move(job)] {
    store::HistoryRecorder recorder(*history_, "dashboard");
    recorder.Attach(session->events());
    session->events().Subscribe([this](uint64_t, const run::RunEvent& event) { OnEvent(event); });
    job(*session);
    // A run wrote statuses back (and maybe drafts): the views read the knowledge base again.
    Status reloaded = Reload();
    std::lock_guard guard(mutex_);
    // After the reload, so that a browser reading the operations on this event sees the drafts.
    if (state_.drafts) events_.Append("drafts", DraftsJson(state_.run_id, *state_.drafts));
    stop_job_ = nullptr;
    running_ = false;
    state_.state = "finished";
    state_.phase.clear();
    if (!recorder.status().ok()) {
      events_.Append("warning", Json{{"message", "the history is missing part of this run: " +
                                                     recorder.status().message()}});
    }
    if (!reloaded.ok()) {
      events_.Append("warning", Json{{"message", "the knowledge base could not be read again: " +
                                                     reloaded.message()}});
    }
    changed_.notify_all();
  });
}

Result<std::string> Dashboard::AwaitId(std::unique_lock<std::mutex>& lock) {
  changed_.wait(lock, [this] { return !state_.run_id.empty() || !running_; });
  if (state_.run_id.empty()) return Status::IoError("the job ended before it started");
  return state_.run_id;
}

Result<std::string> Dashboard::StartRun(const RunRequest& request) {
  Snapshot snapshot = this->snapshot();
  run::RunOptions options;
  options.include_delete = request.include_delete;
  options.rate_limit = request.rate_limit;
  options.concurrency = request.concurrency;
  run::Selection selection;
  std::shared_ptr<derive::SpecHealer> healer;
  if (request.all_operations) {
    if (Status s = AddSpecRun(request, &snapshot, &selection, &options, &healer); !s.ok()) return s;
  } else {
    Result<std::vector<std::string>> files = FilesFor(snapshot, request.targets);
    if (!files.ok()) return files.status();
    selection.targets = *files;
  }
  Result<run::Plan> plan = run::MakePlan(*snapshot.kb, selection);
  if (!plan.ok()) return Status::InvalidArgument(plan.status().message());

  Result<std::unique_ptr<run::Session>> session = run::Session::Create(
      config_.settings, options, snapshot.kb, snapshot.catalog, fs_, clock_, transports_);
  if (!session.ok()) return session.status();
  if (Status s = Claim("run", plan->documents.size()); !s.ok()) return s;

  // The session and the plan move to the run's thread, which owns them until the run ends.
  std::function<void(run::Session&)> job;
  if (request.write_drafts) {
    job = RunAndDraft(std::move(*plan), snapshot, options, std::move(healer));
  } else {
    job = [plan = std::move(*plan)](run::Session& running) { running.Run(plan); };
  }
  Launch(std::move(*session), std::move(job));
  std::unique_lock lock(mutex_);
  return AwaitId(lock);
}

std::function<void(run::Session&)> Dashboard::RunAndDraft(
    run::Plan plan, const Snapshot& snapshot, const run::RunOptions& options,
    std::shared_ptr<derive::SpecHealer> healer) {
  // The drafts' second run goes to the same API, with the same choices, as the first; the
  // dashboard's Stop reaches it as it reaches the run.
  derive::ProvingRun proving{config_.settings, options, snapshot.catalog, transports_,
                             [this](std::function<void()> stop) { Stoppable(std::move(stop)); }};
  return [this, plan = std::move(plan), kb = snapshot.kb, proving = std::move(proving),
          healer = std::move(healer)](run::Session& running) {
    run::RunResult result = running.Run(plan);
    DraftsOutcome drafts;
    if (result.summary.stopped) {
      drafts.not_tried = "the run was stopped: no draft was written";
    } else if (healer) {
      {
        std::lock_guard lock(mutex_);
        state_.phase = "drafts";
        events_.Append("drafts_started", Json{{"runId", state_.run_id}});
      }
      drafts.written = derive::WriteDrafts(result, *healer, *kb, proving, fs_, clock_);
    }
    std::lock_guard lock(mutex_);
    state_.drafts = std::move(drafts);
  };
}

Result<std::string> Dashboard::StartScan(const std::vector<std::string>& targets) {
  Snapshot snapshot = this->snapshot();
  run::Selection selection;
  if (!targets.empty()) {
    Result<std::vector<std::string>> files = FilesFor(snapshot, targets);
    if (!files.ok()) return files.status();
    selection.targets = *files;
  }
  Result<std::vector<const doc::Document*>> documents = run::SelectForScan(*snapshot.kb, selection);
  if (!documents.ok()) return Status::InvalidArgument(documents.status().message());
  if (documents->empty()) {
    return Status::InvalidArgument("no document sets useFallbackApi: nothing to scan");
  }
  if (Status bases = run::CheckScanBases(config_.settings); !bases.ok()) return bases;
  Result<std::unique_ptr<run::Session>> session = run::Session::Create(
      config_.settings, run::RunOptions{}, snapshot.kb, snapshot.catalog, fs_, clock_, transports_);
  if (!session.ok()) return session.status();
  if (Status s = Claim("scan", documents->size()); !s.ok()) return s;

  Launch(std::move(*session), [this, documents = std::move(*documents)](run::Session& running) {
    Result<run::ScanReport> report = running.Scan(documents);
    if (!report.ok()) events_.Append("warning", Json{{"message", report.status().message()}});
  });
  std::unique_lock lock(mutex_);
  return AwaitId(lock);
}

run::FallbackFix Dashboard::FixFallback(const std::vector<std::string>& files) {
  Snapshot snapshot = this->snapshot();
  run::FallbackFix fix = run::RemoveFallbackFlags(fs_, *snapshot.kb, files);
  if (!fix.fixed.empty()) {
    if (Status s = Reload(); !s.ok()) {
      events_.Append("warning", Json{{"message", "the knowledge base could not be read again: " +
                                                     s.message()}});
    }
  }
  return fix;
}

void Dashboard::OnEvent(const run::RunEvent& event) {
  std::string run_id;
  {
    std::lock_guard lock(mutex_);
    if (const auto* started = std::get_if<run::RunStarted>(&event)) {
      state_.run_id = started->summary.run_id;
      state_.started_at_ms = started->summary.started_at_ms;
      state_.planned = started->summary.totals.total;
    } else if (const auto* done = std::get_if<run::DocumentFinished>(&event)) {
      state_.done = done->totals.total;
      state_.totals = done->totals;
      state_.duration_ms = done->elapsed_ms;
    } else if (const auto* finished = std::get_if<run::RunFinished>(&event)) {
      state_.totals = finished->summary.totals;
      state_.done = finished->summary.totals.total;
      state_.duration_ms = finished->summary.duration_ms;
    } else if (const auto* scan = std::get_if<run::ScanStarted>(&event)) {
      state_.run_id = scan->scan_id;
      state_.planned = scan->planned;
    } else if (const auto* result = std::get_if<run::ScanResultReady>(&event)) {
      state_.done = result->done;
    } else if (const auto* scanned = std::get_if<run::ScanFinished>(&event)) {
      state_.duration_ms = scanned->duration_ms;
    }
    run_id = state_.run_id;
  }
  auto [name, data] = FrameFor(run_id, event);
  events_.Append(std::move(name), data);
  changed_.notify_all();
}

bool Dashboard::StopRun() {
  std::lock_guard lock(mutex_);
  if (!running_) return false;
  // Kept for what the job starts next: the job may be between its run and the drafts' second
  // run, or still being built.
  stop_requested_ = true;
  if (stop_job_) stop_job_();
  return true;
}

void Dashboard::Stoppable(std::function<void()> stop) {
  std::lock_guard lock(mutex_);
  stop_job_ = std::move(stop);
  if (stop_requested_ && stop_job_) stop_job_();
}

RunState Dashboard::run_state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

void Dashboard::WaitForRun() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return !running_; });
}

}  // namespace verity::serve
