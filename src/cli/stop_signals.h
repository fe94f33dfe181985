// Ctrl-C and SIGTERM for the commands that serve until told to stop (`verity mock`,
// `verity serve`).
#pragma once

#include <pthread.h>
#include <signal.h>

#include <ctime>

namespace verity::cli {

// The signals are blocked before the server's threads start (they inherit the mask), so only
// this thread sees them, synchronously, where stopping is safe.
class StopSignals {
 public:
  StopSignals() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set_, &previous_);
  }
  ~StopSignals() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }
  /// The signal received within `ms`, or 0.
  int Wait(long ms) {
    timespec timeout{ms / 1000, (ms % 1000) * 1000000};
    int signal = sigtimedwait(&set_, nullptr, &timeout);
    return signal > 0 ? signal : 0;
  }

 private:
  sigset_t set_;
  sigset_t previous_;
};

}  // namespace verity::cli
