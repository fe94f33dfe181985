// Verity against an API it was not shaped on: Prometheus Alertmanager from Debian's packages,
// described by the Swagger 2.0 document its authors publish (Debian ships it embedded in
// golang-github-prometheus-alertmanager-dev; tools/setup.sh installs both). The test starts the
// real server on 127.0.0.1 and a free port, runs the recipes of tests/data/alertmanager/kb (one per
// operation of that spec) with a configuration that names no credential at all, and checks that
// every recipe passes cleanly, that nothing asked for or sent a token, and that `filter`, an array
// the spec declares `collectionFormat: multi`, reached the server as repeated parameters: the
// server's own filtering is the proof, since it answers one alert of two only when it received
// both matchers.
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "base/json.h"
#include "mock/request_check.h"
#include "support/paths.h"
#include "support/process.h"

namespace verity {
namespace {

using namespace std::chrono_literals;
using testing::Child;
using testing::ChildOptions;
using testing::SourcePath;
using testing::TempDir;

constexpr char kAlertmanager[] = "/usr/bin/prometheus-alertmanager";
constexpr char kEmbeddedSpec[] =
    "/usr/share/gocode/src/github.com/prometheus/alertmanager/api/v2/restapi/embedded_spec.go";
constexpr char kPackages[] =
    "prometheus-alertmanager and golang-github-prometheus-alertmanager-dev are not installed: "
    "run tools/setup.sh";

// The one receiver sends nothing anywhere; grouping by nothing puts every alert in one group.
constexpr char kAlertmanagerConfig[] = R"(route:
  receiver: nowhere
receivers:
  - name: nowhere
)";

// go-swagger embeds the document as a Go raw string: `SwaggerJSON =
// json.RawMessage([]byte(`{…}`))`. The flattened copy that follows it (FlatSwaggerJSON) is the same
// API with its refs inlined.
std::optional<std::string> SwaggerJsonOf(const std::string& go_source) {
  const std::string opening = "\tSwaggerJSON = json.RawMessage([]byte(`";
  size_t begin = go_source.find(opening);
  if (begin == std::string::npos) return std::nullopt;
  begin += opening.size();
  size_t end = go_source.find('`', begin);
  if (end == std::string::npos) return std::nullopt;
  return go_source.substr(begin, end - begin);
}

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

// Whether the child has exited, without reaping it (its Child still owns the PID).
bool HasExited(pid_t pid) {
  siginfo_t info{};
  return ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
         info.si_pid == pid;
}

std::string Slurp(const std::string& path) {
  try {
    return testing::ReadFileOrDie(path);
  } catch (const std::exception&) {
    return "";
  }
}

// The real server in a folder of its own; killed by PID when the test ends, however it ends.
class Alertmanager {
 public:
  /// `dir` holds the configuration file `alertmanager.yml`; the server keeps its data there too.
  explicit Alertmanager(const std::string& dir) : dir_(dir) {}

  // Another process may take the free port between the probe and the server's bind; then the
  // server exits at once saying so, and another port is tried.
  ::testing::AssertionResult Start() {
    std::string config = dir_ + "/alertmanager.yml";
    std::string last_error;
    for (int attempt = 0; attempt < 3; ++attempt) {
      port_ = FreePort();
      ChildOptions options;
      options.argv = {kAlertmanager, "--config.file=" + config, "--storage.path=" + dir_ + "/data",
                      "--web.listen-address=127.0.0.1:" + std::to_string(port_),
                      "--cluster.listen-address="};
      options.stdout_path = dir_ + "/alertmanager.out";
      options.stderr_path = dir_ + "/alertmanager.err";
      process_.emplace(options);
      if (!process_->started()) return ::testing::AssertionFailure() << process_->error();
      if (WaitReady(15s)) return ::testing::AssertionSuccess();
      last_error = Slurp(options.stderr_path);
      process_.reset();
      if (last_error.find("address already in use") == std::string::npos) break;
    }
    return ::testing::AssertionFailure() << "alertmanager did not become ready:\n" << last_error;
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }

 private:
  bool WaitReady(std::chrono::milliseconds budget) {
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

  std::string dir_;
  int port_ = -1;
  std::optional<Child> process_;
};

struct Exit {
  int code = -1;
  std::string out, err;
};

Exit RunVerity(const std::string& dir, std::vector<std::string> args) {
  ChildOptions options;
  options.argv = std::move(args);
  options.argv.insert(options.argv.begin(), VERITY_BINARY);
  options.cwd = dir;
  options.stdout_path = dir + "/verity.out";
  options.stderr_path = dir + "/verity.err";
  Child child(options);
  Exit exit;
  if (!child.started()) {
    exit.err = child.error();
    return exit;
  }
  testing::ChildExit result = child.Wait(60s);
  exit.code = result.exited ? result.code : -1;
  exit.out = Slurp(options.stdout_path);
  exit.err = Slurp(options.stderr_path);
  return exit;
}

// Every step of a result, those of documents run through `use:` included.
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

// The values of one query parameter, decoded, in the order the URL carries them.
std::vector<std::string> QueryValues(const std::string& url, const std::string& name) {
  std::vector<std::string> values;
  size_t question = url.find('?');
  if (question == std::string::npos) return values;
  for (const auto& [key, value] : mock::ParseQuery(std::string_view(url).substr(question + 1)))
    if (key == name) values.push_back(value);
  return values;
}

// "METHOD /api/v2/path" for every operation the published spec describes.
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

// One server and one run for the whole suite: each test reads another side of the same report.
struct World {
  TempDir dir;
  Json spec;
  std::optional<Alertmanager> server;
  Exit config_check;
  Exit spec_problems;
  Exit lint;
  Exit run;
  std::string report_text;
  Json report;
  std::string setup_failure;  // empty when the server started and the run produced a report

  void SetUp() {
    if (!std::filesystem::exists(kAlertmanager) || !std::filesystem::exists(kEmbeddedSpec)) {
      setup_failure = kPackages;
      return;
    }
    std::optional<std::string> swagger = SwaggerJsonOf(testing::ReadFileOrDie(kEmbeddedSpec));
    if (!swagger) {
      setup_failure = std::string("no SwaggerJSON raw string in ") + kEmbeddedSpec;
      return;
    }
    spec = Json::parse(*swagger, nullptr, false);
    if (spec.is_discarded() || spec["swagger"] != "2.0") {
      setup_failure = "the embedded SwaggerJSON is not a Swagger 2.0 document";
      return;
    }
    dir.Write("spec/alertmanager.json", *swagger);
    dir.Write("alertmanager/alertmanager.yml", kAlertmanagerConfig);
    server.emplace(dir.path() + "/alertmanager");
    if (::testing::AssertionResult started = server->Start(); !started) {
      setup_failure = started.message();
      return;
    }
    // No `tokens`, no `default_token`, no header: nothing that could pass for a credential.
    dir.Write("verity.yaml",
              "environments:\n"
              "  alertmanager:\n"
              "    base_url: " +
                  server->url() +
                  "\n"
                  "    spec_root: spec\n"
                  "    knowledge_base: " +
                  SourcePath("tests/data/alertmanager/kb") +
                  "\n"
                  "    rate_limit: \"off\"\n"
                  "    timeout: 5s\n"
                  "    deadline: 1m\n");
    config_check = RunVerity(dir.path(), {"config", "check", "--config", "verity.yaml"});
    spec_problems = RunVerity(dir.path(), {"spec", "problems", "spec"});
    lint = RunVerity(dir.path(), {"kb", "lint", SourcePath("tests/data/alertmanager/kb"),
                                  "--spec-root", "spec"});
    run =
        RunVerity(dir.path(), {"run", "--config", "verity.yaml", "--include-delete",
                               "--no-write-back", "--no-history", "--report-json", "report.json"});
    report_text = Slurp(dir.path() + "/report.json");
    report = Json::parse(report_text, nullptr, false);
    if (!report.is_object()) setup_failure = "no JSON report:\n" + run.out + run.err;
  }
};

class AlertmanagerEndToEnd : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    world_ = new World;
    world_->SetUp();
  }
  static void TearDownTestSuite() {
    delete world_;  // stops the server
    world_ = nullptr;
  }
  void SetUp() override { ASSERT_EQ(world_->setup_failure, ""); }

  static World* world_;
};

World* AlertmanagerEndToEnd::world_ = nullptr;

TEST_F(AlertmanagerEndToEnd, EveryOperationOfThePublishedSpecHasARecipeThatPassesCleanly) {
  const Json& report = world_->report;
  EXPECT_EQ(world_->run.code, 0) << world_->run.out << world_->run.err;
  std::set<std::string> endpoints;
  for (const Json& result : report["results"]) {
    endpoints.insert(result["endpoint"].get<std::string>());
    EXPECT_EQ(result["status"], "PASS") << result["endpoint"] << ": " << result["details"].dump(2);
    EXPECT_EQ(result["swaggerFile"], "alertmanager.json") << result["endpoint"];
    EXPECT_TRUE(result["documentationIssues"].empty())
        << result["endpoint"] << ": " << result["documentationIssues"].dump(2);
  }
  EXPECT_EQ(endpoints, OperationsOf(world_->spec));
  // Lint agrees: every recipe names an operation of the spec and holds nothing to warn about.
  EXPECT_EQ(world_->lint.code, 0) << world_->lint.out << world_->lint.err;
  EXPECT_NE(world_->lint.out.find("0 errors, 0 warnings"), std::string::npos)
      << world_->lint.out << world_->lint.err;
  EXPECT_EQ(report["summary"]["passed"], OperationsOf(world_->spec).size());
  EXPECT_EQ(report["summary"]["warned"], 0);
}

TEST_F(AlertmanagerEndToEnd, AnEnvironmentWithoutCredentialsIsValidAndNothingSendsOne) {
  const Exit& check = world_->config_check;
  EXPECT_EQ(check.code, 0) << check.out << check.err;
  EXPECT_EQ(check.err, "");

  // A spec that declares no security asks for no credential: nothing to document per operation.
  const Exit& problems = world_->spec_problems;
  EXPECT_EQ(problems.code, 0) << problems.out << problems.err;
  EXPECT_EQ((problems.out + problems.err).find("MISSING_TOKEN"), std::string::npos)
      << problems.out << problems.err;

  const Json& report = world_->report;
  EXPECT_EQ(world_->report_text.find("MISSING_TOKEN"), std::string::npos) << world_->report_text;
  EXPECT_EQ(world_->run.out.find("MISSING_TOKEN"), std::string::npos) << world_->run.out;
  size_t requests = 0;
  for (const Json& result : report["results"]) {
    EXPECT_TRUE(result["tokenUsed"].is_null()) << result["endpoint"];
    std::vector<const Json*> steps;
    CollectSteps(result["steps"], &steps);
    for (const Json* step : steps) {
      const Json& request = (*step)["request"];
      if (!request.is_object()) continue;
      ++requests;
      EXPECT_TRUE((*step)["tokenUsed"].is_null()) << result["endpoint"] << " " << (*step)["id"];
      for (const auto& [name, value] : request["headers"].items()) {
        std::string lower = name;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        EXPECT_NE(lower, "authorization") << result["endpoint"] << " " << (*step)["id"];
      }
    }
  }
  EXPECT_GE(requests, OperationsOf(world_->spec).size());
}

TEST_F(AlertmanagerEndToEnd,
       ArrayFiltersArriveRepeatedAsTheSpecSerializesThemAndTheServerAppliesEach) {
  const Json& report = world_->report;
  const Json* alerts = FindResult(report, "GET /api/v2/alerts");
  ASSERT_NE(alerts, nullptr);
  const Json* get_alerts = FindStep(*alerts, "get_storage_alerts");
  ASSERT_NE(get_alerts, nullptr);
  std::string url = (*get_alerts)["request"]["url"];
  EXPECT_EQ(QueryValues(url, "filter"),
            (std::vector<std::string>{"alertname=\"VerityGetAlerts\"", "team=\"storage\""}))
      << url;
  Json answer = Json::parse((*get_alerts)["response"]["body"].get<std::string>(), nullptr, false);
  ASSERT_TRUE(answer.is_array()) << (*get_alerts)["response"]["body"];
  ASSERT_EQ(answer.size(), 1u) << answer.dump(2);
  EXPECT_EQ(answer[0]["labels"]["team"], "storage");

  // Both alerts are there: one came back because the server applied the second matcher.
  httplib::Client client("127.0.0.1", world_->server->port());
  auto both = client.Get("/api/v2/alerts?filter=alertname%3D%22VerityGetAlerts%22");
  ASSERT_TRUE(both);
  Json all = Json::parse(both->body, nullptr, false);
  ASSERT_TRUE(all.is_array()) << both->body;
  EXPECT_EQ(all.size(), 2u) << both->body;

  const Json* groups = FindResult(report, "GET /api/v2/alerts/groups");
  ASSERT_NE(groups, nullptr);
  const Json* get_groups = FindStep(*groups, "get_network_groups");
  ASSERT_NE(get_groups, nullptr);
  url = (*get_groups)["request"]["url"];
  EXPECT_EQ(QueryValues(url, "filter"),
            (std::vector<std::string>{"alertname=\"VerityGetAlertGroups\"", "team=\"network\""}))
      << url;
  // value(): a const Json's operator[] on an absent key is undefined behaviour, not a failure.
  EXPECT_EQ(get_groups->value("extracted", Json::object()).value("team", Json()), "network")
      << get_groups->dump(2);

  const Json* silences = FindResult(report, "GET /api/v2/silences");
  ASSERT_NE(silences, nullptr);
  const Json* get_silences = FindStep(*silences, "get_storage_silences");
  ASSERT_NE(get_silences, nullptr);
  url = (*get_silences)["request"]["url"];
  std::vector<std::string> filters = QueryValues(url, "filter");
  ASSERT_EQ(filters.size(), 3u) << url;
  EXPECT_EQ(filters[1], "team=\"storage\"");
  answer = Json::parse((*get_silences)["response"]["body"].get<std::string>(), nullptr, false);
  ASSERT_TRUE(answer.is_array()) << (*get_silences)["response"]["body"];
  ASSERT_EQ(answer.size(), 1u) << answer.dump(2);
  const Json* storage_silence = FindStep(*silences, "storage_silence");
  ASSERT_NE(storage_silence, nullptr);
  EXPECT_EQ(
      answer[0]["id"],
      storage_silence->value("extracted", Json::object()).value("storage_silence_id", Json()));
}

TEST(AlertmanagerSpec, TheSwaggerDocumentIsTheRawStringAssignedToSwaggerJsonNotItsFlatCopy) {
  std::string go =
      "var (\n\tSwaggerJSON json.RawMessage\n\tFlatSwaggerJSON json.RawMessage\n)\n"
      "func init() {\n\tSwaggerJSON = json.RawMessage([]byte(`{\"swagger\": \"2.0\"}`))\n"
      "\tFlatSwaggerJSON = json.RawMessage([]byte(`{\"flat\": true}`))\n}\n";
  EXPECT_EQ(SwaggerJsonOf(go), "{\"swagger\": \"2.0\"}");
  EXPECT_EQ(SwaggerJsonOf("package restapi\n"), std::nullopt);
}

}  // namespace
}  // namespace verity
