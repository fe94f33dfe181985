// Loading time against size: generated descriptions of 20 000, 40 000 and 110 000 paths, in JSON
// and in YAML, each loaded through Catalog::Add in a fresh child process. Loading must be linear,
// so the time per path must not grow with the number of paths (it once did: 20 000 paths took
// 0.58 s, 40 000 2.2 s, 110 000 19 s, because `paths` was searched linearly for each of its keys).
#pragma once

#include <string>
#include <vector>

namespace verity::bench {

struct ScaleOptions {
  std::vector<size_t> paths = {20'000, 40'000, 110'000};
  int repeat = 3;
  bool fork = true;
};

/// The text of a description with `paths` paths (two operations each, path and query parameters,
/// responses and bodies that `$ref` one schema of a `components/schemas` with one schema per ten
/// paths, and shared responses), in JSON or YAML. Deterministic.
std::string LargeSpec(size_t paths, bool yaml);

/// Prints one line per size and format, and returns false when the time per path of the largest
/// size is more than `kMaxGrowth` times that of the smallest (a GOAL line says which).
bool MeasureLoadScaling(const ScaleOptions& options, std::vector<std::string>* misses);

}  // namespace verity::bench
