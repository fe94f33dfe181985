// `verity mock` as a process, the way scripts use it: --port 0 and the URL on the first line,
// SIGTERM and SIGINT stop it gracefully (the request in progress is answered, exit 0), the access
// log names token types and never token values, and bad arguments exit 2 before listening.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <string>
#include <vector>

#include "support/paths.h"

extern char** environ;

namespace verity {
namespace {

using ::testing::HasSubstr;

constexpr std::string_view kSpec = R"(openapi: 3.0.3
info: {title: notes, version: '1'}
paths:
  /notes:
    get:
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {type: array, items: {type: object, required: [id], properties: {id: {type: integer}}}}}}
)";

constexpr std::string_view kRules = R"(tokens:
  - {env: MOCK_CLI_TEST_TOKEN, type: staff}
rules:
  - name: slow-notes
    match: {path: /notes}
    latency: 300ms
)";

// A child process with its stdout and stderr on pipes, killed by PID if a test leaves it running.
class MockProcess {
 public:
  explicit MockProcess(std::vector<std::string> args) {
    int out[2], err[2];
    if (pipe(out) != 0 || pipe(err) != 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    posix_spawn_file_actions_addclose(&actions, err[0]);
    args.insert(args.begin(), VERITY_BINARY);
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_text = {"MOCK_CLI_TEST_TOKEN=cli-test-secret-value", "LANG=C"};
    std::vector<char*> envp;
    for (std::string& e : env_text) envp.push_back(e.data());
    envp.push_back(nullptr);
    if (posix_spawn(&pid_, VERITY_BINARY, &actions, nullptr, argv.data(), envp.data()) != 0) {
      pid_ = -1;
    }
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    close(err[1]);
    out_ = out[0];
    err_ = err[0];
  }
  ~MockProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (out_ >= 0) close(out_);
    if (err_ >= 0) close(err_);
  }

  /// The first line of stdout, waiting up to 10 s.
  std::string FirstLine() {
    std::string line;
    char c;
    while (line.find('\n') == std::string::npos) {
      pollfd p{out_, POLLIN, 0};
      if (poll(&p, 1, 10000) <= 0 || read(out_, &c, 1) != 1) break;
      line += c;
    }
    if (!line.empty() && line.back() == '\n') line.pop_back();
    return line;
  }

  /// Waits for the exit (up to 10 s) and returns the exit code, or -1 (killed, or still running).
  int Wait() {
    for (int i = 0; i < 1000; ++i) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return -1;
  }

  /// Everything on stderr; call after Wait.
  std::string Stderr() {
    std::string text;
    char buffer[4096];
    ssize_t n;
    while ((n = read(err_, buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<size_t>(n));
    return text;
  }
  std::string RestOfStdout() {
    std::string text;
    char buffer[4096];
    ssize_t n;
    while ((n = read(out_, buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<size_t>(n));
    return text;
  }

  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int out_ = -1, err_ = -1;
};

int PortOf(const std::string& url) {
  size_t colon = url.rfind(':');
  return colon == std::string::npos ? -1 : std::atoi(url.c_str() + colon + 1);
}

class MockCliTest : public ::testing::TestWithParam<int> {
 protected:
  testing::TempDir dir_;
};

TEST_P(MockCliTest, SignalStopsGracefullyAfterAnsweringTheRequestInProgress) {
  std::string spec = dir_.Write("notes.yaml", std::string(kSpec));
  std::string rules = dir_.Write("rules.yaml", std::string(kRules));
  MockProcess mock({"mock", spec, "--rules", rules, "--port", "0", "--seed", "3"});
  ASSERT_GT(mock.pid(), 0);
  std::string url = mock.FirstLine();
  ASSERT_THAT(url, ::testing::MatchesRegex("http://127\\.0\\.0\\.1:[0-9]+"));
  int port = PortOf(url);

  auto in_flight = std::async(std::launch::async, [port] {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(5, 0);
    return client.Get("/notes", {{"Authorization", "Bearer cli-test-secret-value"}});
  });
  // The answer takes 300 ms; the signal comes while it is being waited for.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_EQ(kill(mock.pid(), GetParam()), 0);
  httplib::Result answer = in_flight.get();
  ASSERT_TRUE(answer) << "the request in progress was answered";
  EXPECT_EQ(answer->status, 200);
  EXPECT_EQ(mock.Wait(), 0);
  std::string log = mock.Stderr() + mock.RestOfStdout();
  EXPECT_THAT(log, HasSubstr("GET /notes 200"));
  EXPECT_THAT(log, HasSubstr("token=staff"));
  EXPECT_THAT(log, HasSubstr("rules=slow-notes"));
  EXPECT_THAT(log, HasSubstr("stopped after 1 request"));
  EXPECT_THAT(log, ::testing::Not(HasSubstr("cli-test-secret-value")));
}

INSTANTIATE_TEST_SUITE_P(TermAndInt, MockCliTest, ::testing::Values(SIGTERM, SIGINT));

TEST(MockCliSecurityTest, NoSecurityCheckServesCallersWithoutTheKeyTheSpecAsksFor) {
  testing::TempDir dir;
  std::string spec = dir.Write("keyed.yaml", R"(openapi: 3.0.3
info: {title: keyed, version: '1'}
components: {securitySchemes: {key: {type: apiKey, in: header, name: X-Key}}}
security: [{key: []}]
paths:
  /notes: {get: {responses: {'200': {description: ok}}}}
)");
  for (bool checked : {true, false}) {
    std::vector<std::string> args = {"mock", spec, "--port", "0", "-q"};
    if (!checked) args.push_back("--no-security-check");
    MockProcess mock(args);
    ASSERT_GT(mock.pid(), 0);
    httplib::Client client("127.0.0.1", PortOf(mock.FirstLine()));
    client.set_read_timeout(5, 0);
    httplib::Result answer = client.Get("/notes");
    ASSERT_TRUE(answer);
    EXPECT_EQ(checked ? 401 : 200, answer->status) << "checked: " << checked;
    ASSERT_EQ(kill(mock.pid(), SIGTERM), 0);
    EXPECT_EQ(mock.Wait(), 0);
  }
}

TEST(MockCliUsageTest, MissingSpecAndBadPortExit2WithoutListening) {
  MockProcess missing({"mock", "/nonexistent/spec.yaml", "--port", "0"});
  EXPECT_EQ(missing.FirstLine(), "");
  EXPECT_EQ(missing.Wait(), 2);
  EXPECT_THAT(missing.Stderr(), HasSubstr("/nonexistent/spec.yaml"));

  MockProcess bad_port({"mock", "/nonexistent/spec.yaml", "--port", "70000"});
  EXPECT_EQ(bad_port.Wait(), 2);
}

}  // namespace
}  // namespace verity
