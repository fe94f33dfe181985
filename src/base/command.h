// Running a program for its output: a secret manager's CLI (`vault read -field=token …`) that
// prints a credential. The program is run directly (no shell), with the caller's environment, its
// standard input closed and its standard error discarded (it may echo what it was given), and is
// killed when it outlives its timeout.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace verity {

struct CommandOptions {
  int64_t timeout_ms = 10000;
  size_t max_output_bytes = 64 * 1024;  // more is an error: a credential is a line
};

/// The standard output of `argv` when it exits 0. Errors (never holding any of the output):
/// kNotFound when the program cannot be started, kLimitExceeded when it runs past the timeout or
/// prints more than the limit, kIoError when it exits non-zero or is killed by a signal.
Result<std::string> RunCommandForOutput(const std::vector<std::string>& argv,
                                        const CommandOptions& options = {});

}  // namespace verity
