#include "support/process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

namespace verity::testing {

namespace {

// What a child may inherit: finding programs, a temp folder, and the sanitizers' settings (CI sets
// detect_leaks and abort_on_error for every process of a sanitizer build).
constexpr const char* kInherited[] = {"PATH",          "TMPDIR",       "ASAN_OPTIONS",
                                      "UBSAN_OPTIONS", "TSAN_OPTIONS", "LSAN_OPTIONS"};

std::vector<std::string> Environment(const ChildOptions& options) {
  std::vector<std::string> env;
  for (const char* name : kInherited) {
    bool overridden = false;
    for (const auto& [k, v] : options.env) overridden = overridden || k == name;
    if (const char* value = std::getenv(name); value && !overridden) {
      env.push_back(std::string(name) + "=" + value);
    }
  }
  for (const auto& [k, v] : options.env) env.push_back(k + "=" + v);
  return env;
}

}  // namespace

Child::Child(const ChildOptions& options) : options_(options) {
  if (options_.argv.empty()) {
    error_ = "no program";
    return;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, options_.stdout_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, options_.stderr_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (!options_.cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, options_.cwd.c_str());
  std::vector<std::string> args = options_.argv;
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env = Environment(options_);
  std::vector<char*> envp;
  for (std::string& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  started_at_ = std::chrono::steady_clock::now();
  int rc = posix_spawn(&pid_, args[0].c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    pid_ = -1;
    error_ = std::string("cannot start ") + args[0] + ": " + std::strerror(rc);
  }
}

Child::~Child() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

std::optional<std::string> Child::FirstStdoutLine(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream in(options_.stdout_path, std::ios::binary);
    std::string line;
    if (in && std::getline(in, line) && !in.eof()) return line;
    int status = 0;
    if (pid_ > 0 && waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return std::nullopt;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return std::nullopt;
}

ChildExit Child::Wait(std::chrono::milliseconds timeout) {
  ChildExit out;
  if (pid_ <= 0) return out;
  auto deadline = started_at_ + timeout;
  int status = 0;
  rusage usage{};
  while (true) {
    pid_t got = wait4(pid_, &status, WNOHANG, &usage);
    if (got == pid_) break;
    if (got < 0 && errno != EINTR) return out;
    if (std::chrono::steady_clock::now() >= deadline) {
      out.timed_out = true;
      kill(pid_, SIGKILL);
      wait4(pid_, &status, 0, &usage);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  pid_ = -1;
  out.wall = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started_at_);
  out.exited = WIFEXITED(status);
  out.code = out.exited ? WEXITSTATUS(status) : WTERMSIG(status);
  out.peak_rss_kb = usage.ru_maxrss;
  return out;
}

ChildExit Child::Stop(std::chrono::milliseconds grace) {
  if (pid_ > 0) kill(pid_, SIGTERM);
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started_at_);
  return Wait(elapsed + grace);
}

long RaiseOpenFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return -1;
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
  getrlimit(RLIMIT_NOFILE, &limit);
  return static_cast<long>(limit.rlim_cur);
}

bool UnderSanitizer() {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  return true;
#else
  return false;
#endif
}

}  // namespace verity::testing
