#include <iostream>

#include "base/clock.h"
#include "base/file_system.h"
#include "cli/cli.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  verity::PosixFileSystem fs;
  verity::SystemClock clock;
  verity::cli::Context ctx{std::cout, std::cerr, fs, clock};
  ctx.in = &std::cin;
  ctx.history_by_default = true;
  std::vector<std::string> args(argv + 1, argv + argc);
  int code = verity::cli::Run(args, ctx);
  std::cout.flush();
  return code;
}
