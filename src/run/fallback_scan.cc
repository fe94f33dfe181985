#include "run/fallback_scan.h"

#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <optional>
#include <set>

#include "base/strings.h"

namespace verity::run {

namespace {

std::string Normal(std::string_view path) {
  return std::filesystem::path(path).lexically_normal().generic_string();
}

// A base URL as a server sees it: scheme and host in lower case, no default port, no trailing
// '/'. "HTTPS://Api.Example.com:443/v1/" and "https://api.example.com/v1" are one base.
std::string NormalBase(std::string_view url) {
  std::string out;
  size_t scheme_end = url.find("://");
  std::string scheme =
      scheme_end == std::string_view::npos ? "" : ToLower(url.substr(0, scheme_end));
  std::string_view rest = scheme_end == std::string_view::npos ? url : url.substr(scheme_end + 3);
  size_t slash = rest.find('/');
  std::string host = ToLower(rest.substr(0, slash));
  std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash);
  if ((scheme == "http" && EndsWith(host, ":80")) || (scheme == "https" && EndsWith(host, ":443")))
    host.resize(host.rfind(':'));
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  return scheme + "://" + host + std::string(path);
}

bool HasWorkflow(const doc::Document& d) {
  return !d.StepsIn(doc::SectionKind::kPrerequisites).empty() ||
         !d.StepsIn(doc::SectionKind::kTestRequest).empty();
}

ScanSide SideOf(const DocumentResult& r, std::string base, std::string url) {
  ScanSide side;
  side.base = std::move(base);
  side.url = std::move(url);
  side.outcome = r.outcome;
  side.http_status = r.http_status;
  side.reason = r.reason;
  side.message = r.message;
  side.duration_ms = r.duration_ms;
  return side;
}

ScanResult ResultFor(const doc::Document& d) {
  ScanResult r;
  r.file = d.file;
  r.endpoint = d.frontmatter.endpoint;
  r.domain = d.frontmatter.domain;
  r.use_fallback_api = d.frontmatter.use_fallback_api.value_or(false);
  return r;
}

}  // namespace

Result<std::vector<const doc::Document*>> SelectForScan(const kb::KnowledgeBase& kb,
                                                        const Selection& selection) {
  Result<Plan> plan = MakePlan(kb, selection);
  if (!plan.ok()) return plan.status();
  std::set<std::string> named;
  for (const std::string& target : selection.targets) {
    if (!IsEndpointGlob(target)) named.insert(Normal(target));
  }
  std::vector<const doc::Document*> out;
  for (const PlannedDocument& p : plan->documents) {
    if (p.document->frontmatter.use_fallback_api.value_or(false) ||
        named.contains(Normal(p.document->file)))
      out.push_back(p.document);
  }
  return out;
}

FallbackScan::FallbackScan(RunSettings settings, const kb::KnowledgeBase& kb,
                           spec::Catalog* catalog, ExecutorServices services)
    : settings_(std::move(settings)), kb_(kb), catalog_(catalog), services_(services) {
  // A scan observes; it must not promote, demote or count anything in the knowledge base.
  settings_.write_back = false;
  services_.fs = nullptr;
}

void FallbackScan::Stop() {
  stop_requested_ = true;
  std::lock_guard<std::mutex> lock(current_mutex_);
  if (current_) current_->Stop();
}

RunResult FallbackScan::RunSide(const Plan& plan, BaseOverride base, EventBus* events) {
  RunSettings settings = settings_;
  settings.base_override = base;
  ExecutorServices services = services_;
  services.events = events;
  Executor executor(std::move(settings), kb_, catalog_, services);
  {
    std::lock_guard<std::mutex> lock(current_mutex_);
    current_ = &executor;
    // Stop() may have come between the check in Run() and here.
    if (stop_requested_) executor.Stop();
  }
  RunResult result = executor.Run(plan);
  std::lock_guard<std::mutex> lock(current_mutex_);
  current_ = nullptr;
  return result;
}

Status CheckScanBases(const RunSettings& settings) {
  if (settings.fallback_url.empty()) {
    return Status::InvalidArgument(
        "the base-URL scan compares the fallback base URL with the primary, and the environment "
        "configures no fallback: set fallback_url in its configuration or pass --fallback-url");
  }
  if (NormalBase(settings.fallback_url) == NormalBase(settings.base_url)) {
    // Both sides would hit one server: every recipe would read PRIMARY_NOW_WORKS or BOTH_FAILING
    // and a --fix would drop flags on no evidence.
    return Status::InvalidArgument(fmt::format(
        "the fallback base URL {} is the primary base URL {}: a scan would compare a server with "
        "itself; set fallback_url to the other server or pass --fallback-url",
        settings.fallback_url, settings.base_url));
  }
  return Status::Ok();
}

Result<ScanReport> FallbackScan::Run(const std::vector<const doc::Document*>& documents) {
  if (Status bases = CheckScanBases(settings_); !bases.ok()) return bases;
  int64_t started_ms = services_.ticker->NowMs();
  ScanReport report;
  report.scan_id =
      fmt::format("scan-{}-{:04x}", services_.clock->NowMillis(), services_.random->Below(0x10000));
  EventBus* bus = services_.events;
  if (bus) {
    ScanStarted event;
    event.scan_id = report.scan_id;
    event.planned = documents.size();
    for (const doc::Document* d : documents) event.endpoints.push_back(d->frontmatter.endpoint);
    event.base_url = settings_.base_url;
    event.fallback_url = settings_.fallback_url;
    bus->Publish(std::move(event));
  }

  std::vector<std::optional<ScanResult>> results(documents.size());
  size_t done = 0;
  auto deliver = [&](size_t index, ScanResult result) {
    ++done;
    report.counts.Add(result.recommendation);
    if (bus) {
      ScanResultReady event;
      event.scan_id = report.scan_id;
      event.index = index;
      event.result = result;
      event.done = done;
      event.planned = documents.size();
      bus->Publish(std::move(event));
    }
    results[index] = std::move(result);
  };

  // Both sides run every document in one plan, so the executor's concurrency, rate limiter and
  // producer-before-consumer order apply as in a run.
  std::vector<PlannedDocument> runnable;
  std::map<const doc::Document*, size_t> position;
  for (size_t i = 0; i < documents.size(); ++i) {
    if (!HasWorkflow(*documents[i])) {
      deliver(i, ResultFor(*documents[i]));  // NO_WORKFLOW: nothing to send
      continue;
    }
    runnable.push_back(Classify(*documents[i]));
    position[documents[i]] = i;
  }
  Plan plan = OrderPlan(std::move(runnable));

  if (!plan.documents.empty() && !stop_requested_) {
    RunResult fallback = RunSide(plan, BaseOverride::kFallback, nullptr);
    if (!stop_requested_) {
      // Results go out as each document's primary side finishes; its fallback side is known.
      EventBus primary_events;
      primary_events.Subscribe([&](uint64_t, const RunEvent& event) {
        const auto* finished = std::get_if<DocumentFinished>(&event);
        if (!finished || stop_requested_) return;
        size_t i = finished->index;
        ScanResult result = ResultFor(*plan.documents[i].document);
        result.fallback = SideOf(fallback.documents[i], "fallback", settings_.fallback_url);
        result.primary = SideOf(finished->result, "primary", settings_.base_url);
        result.recommendation = Recommend(*result.fallback, *result.primary);
        deliver(position.at(plan.documents[i].document), std::move(result));
      });
      RunSide(plan, BaseOverride::kPrimary, &primary_events);
    }
  }

  report.stopped = stop_requested_;
  for (std::optional<ScanResult>& r : results) {
    if (r) report.results.push_back(std::move(*r));
  }
  report.duration_ms = static_cast<double>(services_.ticker->NowMs() - started_ms);
  if (bus) {
    ScanFinished event;
    event.scan_id = report.scan_id;
    event.counts = report.counts;
    event.duration_ms = report.duration_ms;
    event.stopped = report.stopped;
    bus->Publish(std::move(event));
  }
  return report;
}

}  // namespace verity::run
