// A running mock: the specs loaded, the rules read, the responder and the server built and serving
// on a thread of its own. `verity mock` runs one until a signal; `verity demo` runs two (the
// primary gateway and the fallback) beside a run; tests start them on free ports.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/file_system.h"
#include "base/status.h"
#include "mock/responder.h"
#include "mock/rules.h"
#include "mock/server.h"
#include "net/serving.h"
#include "spec/catalog.h"

namespace verity::mock {

struct ServiceOptions {
  std::vector<std::string> spec_paths = {};  // files or folders
  spec::SpecSetOptions spec_options = {};
  std::string rules_path = {};        // empty: no rules
  std::optional<uint64_t> seed = {};  // replaces the rules file's seed; default 0
  size_t seed_items = 2;
  /// Refuse (401) requests without the credentials their operation's `security` asks for
  /// (mock/security_check.h); `verity mock --no-security-check` turns it off.
  bool check_security = true;
  /// Serve requests the spec refuses, each issue a drift line (ResponderOptions::lenient);
  /// `verity mock --lenient`.
  bool lenient = false;
  /// Where verified recipes read their answers (mock/answer_hints.h); `verity mock --kb DIR`.
  std::vector<AnswerHint> answer_hints = {};
  ServerOptions server = {};
  EnvLookup env = {};  // for the rules' `env:` tokens; unset: the process environment
  // Given here, not set on server() later: the serving threads read it from the first request.
  AccessLog access_log = {};
  /// The real API's base URL: every request is forwarded there and checked (mock/proxy.h).
  std::string proxy_url = {};
  /// With proxy_url: the folder each exchange is saved in, masked (mock/recording.h), written
  /// through `record_fs`.
  std::string record_dir = {};
  FileSystem* record_fs = nullptr;
  /// A folder of recorded exchanges to answer from before the generated behaviour.
  std::string replay_dir = {};
};

class Service {
 public:
  /// Loads, binds and starts serving. A spec path that does not exist, a rules file with problems,
  /// specs without a single operation, or a port that cannot be bound are errors; problems inside
  /// the specs are warnings().
  static Result<std::unique_ptr<Service>> Start(const FileSystem& fs, const Clock& clock,
                                                ServiceOptions options);
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;
  /// Stops (gracefully) if still serving.
  ~Service();

  int port() const { return server_->port(); }
  /// "http://127.0.0.1:PORT"
  std::string url() const;
  size_t operation_count() const { return catalog_->operations().size(); }
  size_t rule_count() const { return rules_ ? rules_->rules().rules.size() : 0; }
  /// What the operator should know and that does not stop the mock: problems in the specs,
  /// operations whose answer could not be prepared, token mappings without a value. One line each.
  const std::vector<std::string>& warnings() const { return warnings_; }
  Server& server() { return *server_; }
  Responder& responder() { return *responder_; }
  /// Exchanges saved (--record) and the recorded ones loaded (--replay).
  size_t recorded() const { return recorder_ ? recorder_->saved() : 0; }
  size_t record_failures() const { return proxy_ ? proxy_->record_failures() : 0; }
  size_t replayable() const { return replay_ ? replay_->size() : 0; }

  /// Graceful: requests in progress finish; returns when the serving thread has ended. Idempotent.
  Status Stop();
  /// Whether the serving thread has ended on its own (an error), so a waiting caller can stop.
  bool ended() const { return serving_.ended(); }

 private:
  Service() = default;
  /// A rules `credentials` entry for a scheme no operation asks for is most likely a typo.
  void WarnOfUnusedCredentials();
  Status StartFront(const FileSystem& fs, const ServiceOptions& options);

  std::string host_;
  std::unique_ptr<spec::Catalog> catalog_;
  std::unique_ptr<Responder> responder_;
  std::unique_ptr<RuleEngine> rules_;
  std::unique_ptr<Recorder> recorder_;
  std::unique_ptr<Replay> replay_;
  std::unique_ptr<Front> front_;
  Proxy* proxy_ = nullptr;  // front_ when it is the proxy
  std::unique_ptr<Server> server_;
  std::vector<std::string> warnings_;
  net::ServingThread serving_;  // last: stopped and joined before what it serves goes
};

}  // namespace verity::mock
