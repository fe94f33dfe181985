#include "e2e/alertmanager_server.h"

#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <exception>
#include <filesystem>
#include <thread>

#include "support/paths.h"

namespace verity::testing {

using namespace std::chrono_literals;

int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof addr;
  int port = -1;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), size) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &size) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

bool HasExited(pid_t pid) {
  siginfo_t info{};
  return ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
         info.si_pid == pid;
}

std::optional<std::string> SwaggerJsonOf(const std::string& go_source) {
  const std::string opening = "\tSwaggerJSON = json.RawMessage([]byte(`";
  size_t begin = go_source.find(opening);
  if (begin == std::string::npos) return std::nullopt;
  begin += opening.size();
  size_t end = go_source.find('`', begin);
  if (end == std::string::npos) return std::nullopt;
  return go_source.substr(begin, end - begin);
}

std::optional<std::string> PublishedAlertmanagerSpec(std::string* error) {
  if (!std::filesystem::exists(kAlertmanager) ||
      !std::filesystem::exists(kAlertmanagerEmbeddedSpec)) {
    *error = kAlertmanagerPackages;
    return std::nullopt;
  }
  std::optional<std::string> swagger = SwaggerJsonOf(ReadFileOrDie(kAlertmanagerEmbeddedSpec));
  if (!swagger) {
    *error = std::string("no SwaggerJSON raw string in ") + kAlertmanagerEmbeddedSpec;
    return std::nullopt;
  }
  Json spec = Json::parse(*swagger, nullptr, false);
  if (spec.is_discarded() || spec["swagger"] != "2.0") {
    *error = "the embedded SwaggerJSON is not a Swagger 2.0 document";
    return std::nullopt;
  }
  return swagger;
}

std::string SlurpOrEmpty(const std::string& path) {
  try {
    return ReadFileOrDie(path);
  } catch (const std::exception&) {
    return "";
  }
}

bool Alertmanager::Start(std::string* error) {
  std::string config = dir_ + "/alertmanager.yml";
  for (int attempt = 0; attempt < 3; ++attempt) {
    port_ = FreePort();
    ChildOptions options;
    options.argv = {kAlertmanager, "--config.file=" + config, "--storage.path=" + dir_ + "/data",
                    "--web.listen-address=127.0.0.1:" + std::to_string(port_),
                    "--cluster.listen-address="};
    options.stdout_path = dir_ + "/alertmanager.out";
    options.stderr_path = dir_ + "/alertmanager.err";
    process_.emplace(options);
    if (!process_->started()) {
      *error = process_->error();
      return false;
    }
    if (WaitReady(15s)) return true;
    *error = "alertmanager did not become ready:\n" + SlurpOrEmpty(options.stderr_path);
    process_.reset();
    if (error->find("address already in use") == std::string::npos) break;
  }
  return false;
}

bool Alertmanager::WaitReady(std::chrono::milliseconds budget) {
  auto deadline = std::chrono::steady_clock::now() + budget;
  httplib::Client client("127.0.0.1", port_);
  client.set_connection_timeout(0, 200000);
  client.set_read_timeout(1, 0);
  while (std::chrono::steady_clock::now() < deadline) {
    if (HasExited(process_->pid())) return false;
    if (auto answer = client.Get("/-/ready"); answer && answer->status == 200) return true;
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

VerityExit RunVerity(const std::string& dir, std::vector<std::string> args,
                     std::chrono::milliseconds timeout,
                     std::vector<std::pair<std::string, std::string>> env) {
  ChildOptions options;
  options.env = std::move(env);
  options.argv = std::move(args);
  options.argv.insert(options.argv.begin(), VERITY_BINARY);
  options.cwd = dir;
  options.stdout_path = dir + "/verity.out";
  options.stderr_path = dir + "/verity.err";
  Child child(options);
  VerityExit exit;
  if (!child.started()) {
    exit.err = child.error();
    return exit;
  }
  ChildExit result = child.Wait(timeout);
  exit.code = result.exited ? result.code : -1;
  exit.out = SlurpOrEmpty(options.stdout_path);
  exit.err = SlurpOrEmpty(options.stderr_path);
  return exit;
}

std::string AlertmanagerConfig(const std::string& url, const std::string& spec_root,
                               const std::string& knowledge_base) {
  return "environments:\n"
         "  alertmanager:\n"
         "    base_url: " +
         url +
         "\n"
         "    spec_root: " +
         spec_root +
         "\n"
         "    knowledge_base: " +
         knowledge_base +
         "\n"
         "    rate_limit: \"off\"\n"
         "    timeout: 5s\n"
         "    deadline: 1m\n";
}

std::set<std::string> OperationsOf(const Json& spec) {
  std::string base = spec["basePath"].get<std::string>();
  while (!base.empty() && base.back() == '/') base.pop_back();
  std::set<std::string> operations;
  for (const auto& [path, item] : spec["paths"].items()) {
    for (const auto& [method, operation] : item.items()) {
      if (method == "parameters") continue;
      std::string upper = method;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      operations.insert(upper + " " + base + path);
    }
  }
  return operations;
}

void CollectSteps(const Json& steps, std::vector<const Json*>* out) {
  for (const Json& step : steps) {
    out->push_back(&step);
    if (step.contains("steps") && step["steps"].is_array()) CollectSteps(step["steps"], out);
  }
}

const Json* FindResult(const Json& report, const std::string& endpoint) {
  for (const Json& result : report["results"])
    if (result["endpoint"] == endpoint) return &result;
  return nullptr;
}

const Json* FindStep(const Json& result, const std::string& id) {
  std::vector<const Json*> steps;
  CollectSteps(result["steps"], &steps);
  for (const Json* step : steps)
    if ((*step)["id"] == id) return step;
  return nullptr;
}

}  // namespace verity::testing
