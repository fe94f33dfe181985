// The real etcd from Debian's packages, for the end-to-end tests that measure Verity on an
// RPC-style API (every operation a `POST /v3/<service>/<verb>` of its JSON gateway): the server
// started alone on 127.0.0.1 and two free ports (clients and peers), its data in a folder of the
// test's, and the Swagger 2.0 description of the gateway that the same package publishes (gzipped,
// under /usr/share/doc; tools/setup.sh installs etcd-server).
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "e2e/alertmanager_server.h"
#include "support/process.h"

namespace verity::testing {

inline constexpr char kEtcd[] = "/usr/bin/etcd";
inline constexpr char kEtcdSpec[] =
    "/usr/share/doc/etcd-server/dev-guide/apispec/swagger/rpc.swagger.json.gz";
inline constexpr char kEtcdPackage[] = "etcd-server is not installed: run tools/setup.sh";

/// The gateway's published description, gunzipped, or the reason there is none (the package
/// missing, say) in `error`. `scratch` is a folder the unpacked copy may be written to.
std::optional<std::string> PublishedEtcdSpec(const std::string& scratch, std::string* error);

/// One etcd member in a folder of its own (`dir`/data); killed by PID when the object goes,
/// however the test ends.
class Etcd {
 public:
  explicit Etcd(const std::string& dir) : dir_(dir) {}

  /// Another process may take a free port between the probe and the server's bind; then etcd
  /// exits at once saying so, and other ports are tried.
  bool Start(std::string* error);

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  bool WaitReady(std::chrono::milliseconds budget);

  std::string dir_;
  int port_ = -1;
  std::optional<Child> process_;
};

/// An environment `etcd` for the server at `url`, as AlertmanagerConfig writes one: the spec under
/// `spec_root`, the knowledge base at `knowledge_base`, no credential of any kind.
std::string EtcdConfig(const std::string& url, const std::string& spec_root,
                       const std::string& knowledge_base);

}  // namespace verity::testing
