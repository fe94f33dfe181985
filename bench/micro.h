#pragma once

namespace verity::bench {

/// Runs the Google Benchmark microbenchmarks; `argv` takes Google Benchmark's own flags.
int RunMicro(int argc, char** argv);

}  // namespace verity::bench
