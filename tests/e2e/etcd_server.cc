#include "e2e/etcd_server.h"

#include <httplib.h>

#include <filesystem>
#include <thread>

#include "base/json.h"

namespace verity::testing {

using namespace std::chrono_literals;

std::optional<std::string> PublishedEtcdSpec(const std::string& scratch, std::string* error) {
  if (!std::filesystem::exists(kEtcd) || !std::filesystem::exists(kEtcdSpec)) {
    *error = kEtcdPackage;
    return std::nullopt;
  }
  // The tests link no zlib; gzip is in every Debian base system.
  ChildOptions options;
  options.argv = {"/bin/gzip", "-dc", kEtcdSpec};
  options.stdout_path = scratch + "/rpc.swagger.json";
  options.stderr_path = scratch + "/gzip.err";
  Child gzip(options);
  ChildExit exit = gzip.started() ? gzip.Wait(30s) : ChildExit{};
  if (!exit.exited || exit.code != 0) {
    *error = std::string("gzip -dc ") + kEtcdSpec + " failed: " + gzip.error() +
             SlurpOrEmpty(options.stderr_path);
    return std::nullopt;
  }
  std::string text = SlurpOrEmpty(options.stdout_path);
  Json spec = Json::parse(text, nullptr, false);
  if (spec.is_discarded() || spec["swagger"] != "2.0") {
    *error = std::string(kEtcdSpec) + " is not a Swagger 2.0 document";
    return std::nullopt;
  }
  return text;
}

bool Etcd::Start(std::string* error) {
  std::filesystem::create_directories(dir_);
  for (int attempt = 0; attempt < 3; ++attempt) {
    port_ = FreePort();
    std::string peer = "http://127.0.0.1:" + std::to_string(FreePort());
    ChildOptions options;
    options.argv = {kEtcd, "--name=verity", "--data-dir=" + dir_ + "/data",
                    "--listen-client-urls=" + url(), "--advertise-client-urls=" + url(),
                    "--listen-peer-urls=" + peer, "--initial-advertise-peer-urls=" + peer,
                    "--initial-cluster=verity=" + peer,
                    // No metrics or profiling listener beyond the client port.
                    "--listen-metrics-urls="};
    options.stdout_path = dir_ + "/etcd.out";
    options.stderr_path = dir_ + "/etcd.err";
    process_.emplace(options);
    if (!process_->started()) {
      *error = process_->error();
      return false;
    }
    if (WaitReady(20s)) return true;
    *error = "etcd did not become ready:\n" + SlurpOrEmpty(options.stderr_path);
    process_.reset();
    std::filesystem::remove_all(dir_ + "/data");
    if (error->find("address already in use") == std::string::npos) break;
  }
  return false;
}

bool Etcd::WaitReady(std::chrono::milliseconds budget) {
  auto deadline = std::chrono::steady_clock::now() + budget;
  httplib::Client client("127.0.0.1", port_);
  client.set_connection_timeout(0, 200000);
  client.set_read_timeout(1, 0);
  // The status answers once the member has elected itself leader: before, a write would wait.
  while (std::chrono::steady_clock::now() < deadline) {
    if (HasExited(process_->pid())) return false;
    auto answer = client.Post("/v3/maintenance/status", "{}", "application/json");
    if (answer && answer->status == 200 && answer->body.find("\"leader\"") != std::string::npos)
      return true;
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

std::string EtcdConfig(const std::string& url, const std::string& spec_root,
                       const std::string& knowledge_base) {
  return "environments:\n"
         "  etcd:\n"
         "    base_url: " +
         url + "\n    spec_root: " + spec_root + "\n    knowledge_base: " + knowledge_base +
         "\n"
         "    rate_limit: \"off\"\n"
         "    timeout: 5s\n"
         "    deadline: 1m\n";
}

}  // namespace verity::testing
