#include "run/session.h"

#include <algorithm>

#include "http/curl_transport.h"
#include "http/fake_transport.h"
#include "run/executor.h"
#include "run/fixtures.h"

namespace verity::run {

namespace {

/// The environment's settings with the run's options applied: the one place they meet.
RunSettings Settle(RunSettings s, const RunOptions& options) {
  s.command_line = options.variables;
  s.inputs = options.inputs;
  if (options.rate_limit) s.rate_limit = *options.rate_limit;
  s.concurrency = ConcurrencyFor(options.concurrency, s.rate_limit);
  static_cast<RunChoices&>(s) = options;
  if (options.dry_run) {
    // Nothing is sent, so there is no API to be polite to, and nothing observed to write back.
    s.rate_limit = *RateLimitPreset("off");
    s.write_back = false;
  }
  return s;
}

}  // namespace

Result<std::unique_ptr<http::Transport>> CurlTransportFor(size_t max_in_flight) {
  http::CurlTransportOptions options;
  options.max_in_flight = std::max<size_t>(max_in_flight, 1);
  auto curl = http::CurlTransport::Create(options);
  if (!curl.ok()) return curl.status();
  return std::unique_ptr<http::Transport>(std::move(*curl));
}

Result<std::unique_ptr<Session>> Session::Create(RunSettings environment, const RunOptions& options,
                                                 std::shared_ptr<const kb::KnowledgeBase> kb,
                                                 std::shared_ptr<spec::Catalog> catalog,
                                                 FileSystem& fs, const Clock& clock,
                                                 const TransportFactory& transports) {
  RunSettings settings = Settle(std::move(environment), options);
  if (Status fixtures = CheckFixtures(settings, *kb); !fixtures.ok()) return fixtures;
  std::unique_ptr<http::Transport> transport;
  if (settings.dry_run) {
    transport = http::DryRunTransport();
  } else {
    Result<std::unique_ptr<http::Transport>> made =
        transports ? transports(settings.concurrency) : CurlTransportFor(settings.concurrency);
    if (!made.ok()) return made.status();
    transport = std::move(*made);
  }
  if (!catalog && !settings.spec_root.empty()) {
    catalog = std::make_shared<spec::Catalog>(fs);
    catalog->Add(settings.spec_root);
  }
  return std::unique_ptr<Session>(new Session(std::move(settings), std::move(kb),
                                              std::move(catalog), std::move(transport),
                                              options.healer, fs, clock));
}

Session::Session(RunSettings settings, std::shared_ptr<const kb::KnowledgeBase> kb,
                 std::shared_ptr<spec::Catalog> catalog, std::unique_ptr<http::Transport> transport,
                 std::shared_ptr<Healer> healer, FileSystem& fs, const Clock& clock)
    : settings_(std::move(settings)),
      kb_(std::move(kb)),
      catalog_(std::move(catalog)),
      transport_(std::move(transport)),
      healer_(std::move(healer)),
      fs_(fs),
      clock_(clock) {}

ExecutorServices Session::Services(FileSystem* fs) {
  return ExecutorServices{transport_.get(), &ticker_, &clock_,      &random_,
                          &events_,         fs,       healer_.get()};
}

void Session::Stoppable(std::function<void()> stop) {
  std::lock_guard lock(stop_mutex_);
  stop_job_ = std::move(stop);
  if (stop_requested_ && stop_job_) stop_job_();
}

void Session::Stop() {
  std::lock_guard lock(stop_mutex_);
  stop_requested_ = true;
  if (stop_job_) stop_job_();
}

RunResult Session::Run(const Plan& plan) {
  Executor executor(settings_, *kb_, catalog_.get(), Services(&fs_));
  Stoppable([&executor] { executor.Stop(); });
  RunResult result = executor.Run(WithoutFixtures(plan, settings_, *kb_));
  Stoppable(nullptr);
  return result;
}

Result<ScanReport> Session::Scan(const std::vector<const doc::Document*>& documents) {
  // No file system: a scan only observes. Nor fixtures: they would run once per document and base.
  RunSettings settings = settings_;
  settings.setup.clear();
  settings.teardown.clear();
  FallbackScan scan(settings, *kb_, catalog_.get(), Services(nullptr));
  Stoppable([&scan] { scan.Stop(); });
  Result<ScanReport> report = scan.Run(documents);
  Stoppable(nullptr);
  return report;
}

}  // namespace verity::run
