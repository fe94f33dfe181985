// The real Prometheus Alertmanager from Debian's packages, for the end-to-end tests that run Verity
// against an API it was not shaped on: the server started on 127.0.0.1 and a free port, the
// Swagger 2.0 document its authors publish (Debian ships it embedded in
// golang-github-prometheus-alertmanager-dev; tools/setup.sh installs both), and the `verity`
// binary run as a child in a folder of the test's.
#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/json.h"
#include "support/process.h"

namespace verity::testing {

inline constexpr char kAlertmanager[] = "/usr/bin/prometheus-alertmanager";
inline constexpr char kAlertmanagerEmbeddedSpec[] =
    "/usr/share/gocode/src/github.com/prometheus/alertmanager/api/v2/restapi/embedded_spec.go";
inline constexpr char kAlertmanagerPackages[] =
    "prometheus-alertmanager and golang-github-prometheus-alertmanager-dev are not installed: "
    "run tools/setup.sh";

/// The one receiver sends nothing anywhere; grouping by nothing puts every alert in one group.
inline constexpr char kAlertmanagerConfig[] = R"(route:
  receiver: nowhere
receivers:
  - name: nowhere
)";

/// go-swagger embeds the document as a Go raw string: `SwaggerJSON =
/// json.RawMessage([]byte(`{…}`))`. The flattened copy that follows it (FlatSwaggerJSON) is the
/// same API with its refs inlined.
std::optional<std::string> SwaggerJsonOf(const std::string& go_source);

/// The published document, or the reason there is none (the packages missing, say) in `error`.
std::optional<std::string> PublishedAlertmanagerSpec(std::string* error);

/// A loopback port nothing listens on now (another process may take it before the caller binds).
int FreePort();

/// Whether the child has exited, without reaping it (its Child still owns the PID).
bool HasExited(pid_t pid);

/// A file's text, or "" when it cannot be read.
std::string SlurpOrEmpty(const std::string& path);

/// A test suite whose tests share one `WorldT` (a server and what ran against it), set up before
/// the first test and stopped after the last; each test fails at once when the setup did.
template <typename WorldT>
class SharedWorldTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    world_ = new WorldT;
    world_->SetUp();
  }
  static void TearDownTestSuite() {
    delete world_;  // stops the server
    world_ = nullptr;
  }
  void SetUp() override { ASSERT_EQ(world_->setup_failure, ""); }

  static inline WorldT* world_ = nullptr;
};

/// The real server in a folder of its own; killed by PID when the object goes, however the test
/// ends.
class Alertmanager {
 public:
  /// `dir` holds the configuration file `alertmanager.yml`; the server keeps its data there too.
  explicit Alertmanager(const std::string& dir) : dir_(dir) {}

  /// Another process may take the free port between the probe and the server's bind; then the
  /// server exits at once saying so, and another port is tried.
  bool Start(std::string* error);

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }

 private:
  bool WaitReady(std::chrono::milliseconds budget);

  std::string dir_;
  int port_ = -1;
  std::optional<Child> process_;
};

struct VerityExit {
  int code = -1;
  std::string out, err;
};

/// The `verity` binary with `args`, in `dir` (its output kept in `dir`/verity.out and .err), with
/// `env` added to the little a child inherits (support/process.h).
VerityExit RunVerity(const std::string& dir, std::vector<std::string> args,
                     std::chrono::milliseconds timeout = std::chrono::seconds(60),
                     std::vector<std::pair<std::string, std::string>> env = {});

/// An environment `alertmanager` for the server at `url`: the spec under `spec_root`, the
/// knowledge base at `knowledge_base`, and no `tokens`, no `default_token`, no header: nothing
/// that could pass for a credential.
std::string AlertmanagerConfig(const std::string& url, const std::string& spec_root,
                               const std::string& knowledge_base);

/// "METHOD /api/v2/path" for every operation the published spec describes.
std::set<std::string> OperationsOf(const Json& spec);

/// Every step of a result, those of documents run through `use:` included.
void CollectSteps(const Json& steps, std::vector<const Json*>* out);

const Json* FindResult(const Json& report, const std::string& endpoint);

/// The step `id` of a result, at any depth.
const Json* FindStep(const Json& result, const std::string& id);

}  // namespace verity::testing
