// verity_measure: runs a command and reports its wall time, CPU time and peak RSS, for the runner
// benchmark's scripts (bench/run/, bench/compare/).
//   verity_measure [--out FILE] -- COMMAND [ARGS...]
// prints (or writes to FILE) one line "WALL_S USER_S SYS_S MAX_RSS_KB" and exits with the
// command's status (128 + N for a signal). GNU time does the same job, but its %e, %U and %S have
// 10 ms steps, too coarse for runs of a tenth of a second; wait4() gives microseconds.
// The CPU time includes the children the command waited for (npm-style launchers, worker
// processes); the peak RSS is the largest single process among them, not a sum.
//
// The hostile-input tests measure every command and server through it too, because a process
// started straight from a large one (the test binary) inherits that one's peak RSS: exec records
// the old address space's high-water mark in the process, so wait4() reports at least the
// parent's size. The command here is forked from this small process instead. SIGTERM, SIGINT and
// SIGHUP are passed on to the command (servers stop gracefully), and the command dies with this
// process if it is killed.
#include <fmt/format.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

namespace {

volatile sig_atomic_t child_pid = 0;

void PassOn(int signal) {
  if (child_pid > 0) kill(child_pid, signal);
}

double Seconds(const timeval& t) {
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
}

int Usage() {
  std::fprintf(stderr, "usage: verity_measure [--out FILE] -- COMMAND [ARGS...]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string out;
  int i = 1;
  for (; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--out" && i + 1 < argc) {
      out = argv[++i];
    } else if (arg == "--") {
      ++i;
      break;
    } else {
      return Usage();
    }
  }
  if (i >= argc) return Usage();

  auto start = std::chrono::steady_clock::now();
  pid_t measurer = getpid();
  pid_t child = fork();
  if (child < 0) {
    std::perror("verity_measure: fork");
    return 2;
  }
  if (child == 0) {
    // Killed (SIGKILL cannot be passed on) or not, this process must not outlive its measurer.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != measurer) _exit(127);  // the measurer died before the line above
    execvp(argv[i], argv + i);
    std::fprintf(stderr, "verity_measure: %s: %s\n", argv[i], std::strerror(errno));
    _exit(127);
  }
  child_pid = child;
  struct sigaction pass_on {};
  pass_on.sa_handler = PassOn;
  sigemptyset(&pass_on.sa_mask);
  for (int signal : {SIGTERM, SIGINT, SIGHUP}) sigaction(signal, &pass_on, nullptr);
  int status = 0;
  rusage usage{};
  while (wait4(child, &status, 0, &usage) < 0) {
    if (errno != EINTR) {
      std::perror("verity_measure: wait4");
      return 2;
    }
  }
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::string line = fmt::format("{:.6f} {:.6f} {:.6f} {}\n", wall, Seconds(usage.ru_utime),
                                 Seconds(usage.ru_stime), usage.ru_maxrss);
  if (out.empty()) {
    std::fputs(line.c_str(), stdout);
  } else if (FILE* f = std::fopen(out.c_str(), "w")) {
    std::fputs(line.c_str(), f);
    std::fclose(f);
  } else {
    std::fprintf(stderr, "verity_measure: cannot write %s: %s\n", out.c_str(),
                 std::strerror(errno));
    return 2;
  }
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}
