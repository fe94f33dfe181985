#include "mock/service.h"

#include <fmt/format.h>

#include <set>

#include "base/strings.h"

namespace verity::mock {

Result<std::unique_ptr<Service>> Service::Start(const FileSystem& fs, const Clock& clock,
                                                ServiceOptions options) {
  if (options.spec_paths.empty()) return Status::InvalidArgument("the mock needs a spec to serve");
  std::unique_ptr<Service> service(new Service());
  service->host_ = options.server.host;
  service->catalog_ = std::make_unique<spec::Catalog>(fs, options.spec_options);
  std::vector<std::string> missing;
  for (const std::string& path : options.spec_paths) {
    if (!service->catalog_->Add(path)) missing.push_back(path);
  }
  size_t remote = 0;
  for (const spec::CatalogProblem& problem : service->catalog_->problems()) {
    // Besides files that could not be used: refs the mock will not follow and keys it dropped,
    // both of which change what it serves.
    bool shown = problem.is_error || problem.code == spec::kRefOutsideRoot ||
                 problem.code == spec::kSpecDuplicateKey;
    if (shown) {
      service->warnings_.push_back(
          fmt::format("{}: {} [{}]", problem.location, problem.message, problem.code));
    }
    if (problem.code == spec::kRefRemote && remote++ == 0) {
      service->warnings_.push_back(
          fmt::format("{}: {} [{}]", problem.location, problem.message, problem.code));
    }
  }
  if (remote > 1) {
    service->warnings_.push_back(fmt::format(
        "{} more remote $refs are not followed either (`verity spec problems` lists them) [{}]",
        remote - 1, spec::kRefRemote));
  }
  if (!missing.empty()) {
    return Status::NotFound(fmt::format("no spec at {}", fmt::join(missing, ", ")));
  }
  if (service->catalog_->operations().empty()) {
    return Status::InvalidArgument(
        fmt::format("no operations in {}", fmt::join(options.spec_paths, ", ")));
  }

  if (!options.rules_path.empty()) {
    Result<Rules> rules = LoadRules(fs, options.rules_path);
    if (!rules.ok()) return rules.status();
    service->rules_ = std::make_unique<RuleEngine>(
        std::move(*rules), clock, EngineOptions{.seed = options.seed, .env = options.env});
    for (const std::string& warning : service->rules_->warnings()) {
      service->warnings_.push_back(warning);  // names the rules file and line already
    }
  }
  // The responder's ids follow the same seed as the rules' latency ranges, so one --seed fixes a
  // whole session.
  uint64_t seed = options.seed.value_or(service->rules_ ? service->rules_->rules().seed : 0);
  ResponderOptions responder_options{.seed = seed,
                                     .seed_items = options.seed_items,
                                     .check_security = options.check_security,
                                     .lenient = options.lenient};
  responder_options.answer_hints = std::move(options.answer_hints);
  if (service->rules_) {
    responder_options.credentials = service->rules_->credentials();
    responder_options.resources = service->rules_->rules().resources;
    for (ResourceRule& rule : responder_options.resources)
      rule.file = service->rules_->rules().file;
    service->WarnOfUnusedCredentials();
  }
  service->responder_ = std::make_unique<Responder>(*service->catalog_, responder_options);
  for (const std::string& note : service->responder_->notes()) service->warnings_.push_back(note);

  service->server_ =
      std::make_unique<Server>(*service->responder_, service->rules_.get(), options.server);
  service->server_->set_access_log(std::move(options.access_log));
  if (Status front = service->StartFront(fs, options); !front.ok()) return front;
  service->server_->set_front(service->front_.get());
  Result<int> port = service->server_->Bind();
  if (!port.ok()) return port.status();
  Server* server = service->server_.get();
  service->serving_.Start([server] { return server->Serve(); }, [server] { server->Stop(); });
  return service;
}

Status Service::StartFront(const FileSystem& fs, const ServiceOptions& options) {
  if (!options.proxy_url.empty() && !options.replay_dir.empty()) {
    return Status::InvalidArgument("a mock proxies or replays, not both");
  }
  if (!options.record_dir.empty()) {
    if (options.proxy_url.empty()) return Status::InvalidArgument("recording needs a proxy URL");
    if (options.record_fs == nullptr)
      return Status::InvalidArgument("recording needs a file system");
    Result<std::unique_ptr<Recorder>> recorder =
        Recorder::Open(*options.record_fs, options.record_dir);
    if (!recorder.ok()) return recorder.status();
    recorder_ = std::move(*recorder);
  }
  if (!options.proxy_url.empty()) {
    if (!StartsWith(options.proxy_url, "http://") && !StartsWith(options.proxy_url, "https://")) {
      return Status::InvalidArgument(
          fmt::format("the proxy URL must start with http:// or https://: {}", options.proxy_url));
    }
    auto proxy =
        std::make_unique<Proxy>(*catalog_, *responder_, options.proxy_url, recorder_.get());
    proxy_ = proxy.get();
    front_ = std::move(proxy);
  } else if (!options.replay_dir.empty()) {
    Result<std::unique_ptr<Replay>> replay = Replay::Load(fs, options.replay_dir);
    if (!replay.ok()) return replay.status();
    replay_ = std::move(*replay);
    front_ = std::make_unique<ReplayFront>(*catalog_, *responder_, *replay_);
  }
  return Status::Ok();
}

void Service::WarnOfUnusedCredentials() {
  std::set<std::string, std::less<>> named;
  for (const spec::Operation& operation : catalog_->operations()) {
    for (const spec::SecurityAlternative& alternative : operation.auth.alternatives)
      for (const spec::SecurityUse& use : alternative) named.insert(use.name);
  }
  for (const SchemeCredential& credential : rules_->rules().credentials) {
    if (named.count(credential.scheme)) continue;
    warnings_.push_back(
        fmt::format("{}:{}: credentials: no operation of the specs asks for security scheme \"{}\"",
                    rules_->rules().file, credential.line, credential.scheme));
  }
}

Service::~Service() { (void)Stop(); }

std::string Service::url() const {
  // An IPv6 literal needs brackets in a URL.
  if (host_.find(':') != std::string::npos) return fmt::format("http://[{}]:{}", host_, port());
  return fmt::format("http://{}:{}", host_, port());
}

Status Service::Stop() { return serving_.Stop(); }

}  // namespace verity::mock
