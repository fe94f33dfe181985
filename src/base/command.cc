#include "base/command.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>

extern char** environ;

namespace verity {

namespace {

// Closes both ends it holds on every path out.
struct Pipe {
  int fds[2] = {-1, -1};
  ~Pipe() {
    for (int fd : fds)
      if (fd >= 0) ::close(fd);
  }
};

// Waits for `pid`, retrying on EINTR; the raw status.
int Reap(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

// Waits for `pid` until `deadline` (a program may close its output and go on running); the raw
// status, or nothing when it had to be killed.
std::optional<int> ReapBy(pid_t pid, std::chrono::steady_clock::time_point deadline) {
  while (true) {
    int status = 0;
    pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) return status;
    if (done < 0 && errno != EINTR) return status;
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(pid, SIGKILL);
      Reap(pid);
      return std::nullopt;
    }
    ::usleep(2000);
  }
}

}  // namespace

Result<std::string> RunCommandForOutput(const std::vector<std::string>& argv,
                                        const CommandOptions& options) {
  if (argv.empty() || argv[0].empty()) return Status::InvalidArgument("no program to run");
  const std::string& program = argv[0];
  Pipe out;
  if (::pipe2(out.fds, O_CLOEXEC) != 0)
    return Status::IoError(program + ": cannot make a pipe: " + std::strerror(errno));

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out.fds[1], 1);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  int spawned = ::posix_spawnp(&pid, program.c_str(), &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0)
    return Status::NotFound(program + ": cannot be started: " + std::strerror(spawned));
  ::close(out.fds[1]);
  out.fds[1] = -1;

  std::string output;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options.timeout_ms);
  Status failure;
  char buffer[4096];
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      failure = Status::LimitExceeded(program + ": still running after " +
                                      std::to_string(options.timeout_ms) + " ms");
      break;
    }
    pollfd p{out.fds[0], POLLIN, 0};
    int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) continue;  // the deadline check above ends it
    ssize_t n = ::read(out.fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // end of output
    output.append(buffer, static_cast<size_t>(n));
    if (output.size() > options.max_output_bytes) {
      failure = Status::LimitExceeded(program + ": printed more than " +
                                      std::to_string(options.max_output_bytes) + " bytes");
      break;
    }
  }
  if (!failure.ok()) {
    ::kill(pid, SIGKILL);
    Reap(pid);
    return failure;
  }
  std::optional<int> reaped = ReapBy(pid, deadline);
  if (!reaped)
    return Status::LimitExceeded(program + ": still running after " +
                                 std::to_string(options.timeout_ms) + " ms");
  int status = *reaped;
  if (WIFSIGNALED(status))
    return Status::IoError(program + ": killed by signal " + std::to_string(WTERMSIG(status)));
  if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
    return Status::IoError(program + ": exited with status " + std::to_string(WEXITSTATUS(status)));
  return output;
}

}  // namespace verity
