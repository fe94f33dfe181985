// The `verity` command line. Run() is main() without the process: tests call it in-process.
#pragma once

#include <string>
#include <vector>

#include "cli/context.h"

namespace verity::cli {

/// `args` excludes the program name. Returns the exit code.
int Run(const std::vector<std::string>& args, Context& ctx);

}  // namespace verity::cli
