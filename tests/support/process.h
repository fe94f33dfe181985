// A child process of the `verity` binary (or any program) for tests that need one of their own:
// its exit code, its peak memory and its wall time are what they check. stdout and stderr go to
// files, so a child that prints megabytes never blocks on a full pipe; a server's first stdout line
// (its URL) is read back from that file.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace verity::testing {

struct ChildOptions {
  std::vector<std::string> argv;  // argv[0] is the program's path
  std::string cwd;                // empty: the test's own
  /// The whole environment: nothing of the test's own is inherited except PATH, TMPDIR and the
  /// sanitizers' options, so a developer's VERITY_* variables cannot change a test's outcome.
  std::vector<std::pair<std::string, std::string>> env;
  std::string stdout_path;  // required
  std::string stderr_path;  // required
};

struct ChildExit {
  bool exited = false;  // false: killed by a signal (or by the timeout)
  int code = -1;        // exit code when exited, else the signal
  bool timed_out = false;
  long peak_rss_kb = 0;  // ru_maxrss of the child
  std::chrono::milliseconds wall{0};
};

class Child {
 public:
  /// Starts the child; check started().
  explicit Child(const ChildOptions& options);
  ~Child();  // kills a child still running (SIGKILL) and reaps it
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  bool started() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  const std::string& error() const { return error_; }

  /// The first line the child wrote on stdout, waiting up to `timeout`; nullopt if none came (or
  /// the child exited first).
  std::optional<std::string> FirstStdoutLine(std::chrono::milliseconds timeout);
  /// Waits for the exit up to `timeout`, then kills (SIGKILL) and reports timed_out.
  ChildExit Wait(std::chrono::milliseconds timeout);
  /// SIGTERM, then Wait(grace) (which ends in SIGKILL).
  ChildExit Stop(std::chrono::milliseconds grace);

 private:
  ChildOptions options_;
  pid_t pid_ = -1;
  std::string error_;
  std::chrono::steady_clock::time_point started_at_;
};

/// The test process's own open-file limit raised to its hard limit (tests holding thousands of
/// connections); returns the new soft limit.
long RaiseOpenFileLimit();

/// Whether this build runs under a sanitizer (children are built the same way), and the factor
/// time and memory bounds are scaled by.
bool UnderSanitizer();

}  // namespace verity::testing
