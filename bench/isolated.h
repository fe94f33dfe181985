// Measuring a process: its RSS from /proc, and running one measurement in a child process, so that
// its heap and peak RSS are its own and a crash or a hang of the code under test is a reported
// result, not the end of the benchmark.
#pragma once

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <string>
#include <type_traits>

namespace verity::bench {

/// A field of /proc/self/status in kB ("VmRSS", "VmHWM"), or -1.
inline long ProcStatusKb(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  size_t n = std::strlen(field);
  while (std::getline(in, line)) {
    if (line.compare(0, n, field) == 0 && line.size() > n && line[n] == ':') {
      return std::strtol(line.c_str() + n + 1, nullptr, 10);
    }
  }
  return -1;
}

/// Resets the peak-RSS mark (VmHWM) to the current RSS (Linux >= 4.0). False when not possible.
inline bool ResetPeakRss() {
  int fd = ::open("/proc/self/clear_refs", O_WRONLY);
  if (fd < 0) return false;
  bool ok = ::write(fd, "5", 1) == 1;
  ::close(fd);
  return ok;
}

/// Runs `f` (returning a trivially copyable T) in a child process unless !fork_child. A child
/// that crashes or runs past `timeout_s` yields nullopt and `*why` says what happened.
template <typename T, typename F>
std::optional<T> RunIsolated(bool fork_child, unsigned timeout_s, F f, std::string* why) {
  static_assert(std::is_trivially_copyable_v<T>, "the result crosses a pipe as bytes");
  if (!fork_child) return f();
  int fds[2];
  if (::pipe(fds) != 0) {
    *why = "pipe failed";
    return std::nullopt;
  }
  std::fflush(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) {
    *why = "fork failed";
    return std::nullopt;
  }
  if (pid == 0) {
    ::close(fds[0]);
    ::alarm(timeout_s);
    T m = f();
    std::fflush(nullptr);  // _exit skips stdio: what the child printed must reach the terminal
    const char* p = reinterpret_cast<const char*>(&m);
    for (size_t left = sizeof m; left;) {
      ssize_t w = ::write(fds[1], p, left);
      if (w <= 0) _exit(3);
      p += w;
      left -= static_cast<size_t>(w);
    }
    _exit(0);
  }
  ::close(fds[1]);
  T m;
  char* p = reinterpret_cast<char*>(&m);
  size_t got = 0;
  for (ssize_t r; got < sizeof m && (r = ::read(fds[0], p + got, sizeof m - got)) > 0;) {
    got += static_cast<size_t>(r);
  }
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    *why = sig == SIGALRM ? fmt::format("timed out after {} s", timeout_s)
                          : fmt::format("killed by signal {} ({})", sig, strsignal(sig));
    return std::nullopt;
  }
  if (got != sizeof m || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    *why = fmt::format("child failed (exit status {})", WEXITSTATUS(status));
    return std::nullopt;
  }
  return m;
}

}  // namespace verity::bench
