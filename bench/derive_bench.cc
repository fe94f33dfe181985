// verity_derive_bench: planning `verity run --all-operations` (Google Benchmark): building a recipe
// from the spec for every operation, with nothing sent. Goal: GitHub's REST description (1 223
// operations) planned in at most 0.5 s.
//
// Each description is loaded once, outside the timed loop; what is timed is derive::DeriveMissing
// over an empty knowledge base, as `verity run --all-operations --allow-writes --include-delete`
// calls it, so every inference rule runs: list producers, collections named after a parameter,
// create producers with their cleanups, and each built recipe parsed back as a document. The
// first call on a freshly loaded catalog is timed apart and printed before the benchmarks: it is
// what one run pays, and the spec set resolves references lazily, so later calls may be cheaper.
// `actions_named` names every action endpoint too, as a target would, so that every operation
// is planned.
//
// Descriptions: GitHub's (`--github FILE`, default the file tools/fetch-bench-specs.sh installs)
// (`--no-github`: none) and the vcita corpus (`--vcita DIR`: its swagger/ and mcp_swagger/). A
// description that is not there is skipped with a note. Other arguments go to Google Benchmark. Run
// from a Release build: tools/bench.sh --derive (or bench/derive.sh for the run against the mock).
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "base/file_system.h"
#include "derive/operations.h"
#include "kb/knowledge_base.h"
#include "spec/catalog.h"

namespace verity::bench {
namespace {

constexpr double kGoalGithubSeconds = 0.5;

struct Described {
  std::string name;
  std::unique_ptr<spec::Catalog> catalog;
};

PosixFileSystem& Disk() {
  static PosixFileSystem fs;
  return fs;
}

// The scope of `verity run --all-operations --allow-writes --include-delete` with no targets, no
// params and no files in the way; with `actions_named`, every action endpoint named as well.
derive::OperationScope Scope(const spec::Catalog& catalog, bool actions_named) {
  derive::OperationScope scope;
  scope.allow_writes = true;
  scope.include_delete = true;
  if (actions_named) {
    for (const spec::Operation& op : catalog.operations())
      if (derive::IsActionEndpoint(op.method, op.path)) scope.named.push_back(op.Key());
  }
  return scope;
}

kb::KnowledgeBase EmptyKnowledgeBase() {
  kb::KnowledgeBase kb;
  kb.roots = {"kb"};
  return kb;
}

std::unique_ptr<spec::Catalog> Load(const std::vector<std::string>& paths) {
  auto catalog = std::make_unique<spec::Catalog>(Disk());
  for (const std::string& p : paths) catalog->Add(p);
  return catalog;
}

// What one planning builds and leaves out, and how long the first call on a fresh catalog takes.
void Describe(const Described& d, bool actions_named, bool fresh) {
  kb::KnowledgeBase kb = EmptyKnowledgeBase();
  derive::OperationScope scope = Scope(*d.catalog, actions_named);
  auto t0 = std::chrono::steady_clock::now();
  derive::SpecDocuments planned = derive::DeriveMissing(kb, *d.catalog, scope);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::set<std::string> endpoints;
  for (const spec::Operation& op : d.catalog->operations()) endpoints.insert(op.Key());
  std::map<std::string, size_t> reasons;
  for (const derive::LeftOut& l : planned.left_out) ++reasons[l.reason];
  size_t producers = 0;
  for (const derive::DerivedRecipe& r : planned.recipes) producers += r.producers.size();
  std::string why;
  for (const auto& [reason, count] : reasons) why += fmt::format(", {} {}", count, reason);
  fmt::print(
      "{}{}: {} operations ({} distinct endpoints); {} {:.1f} ms: {} recipes built "
      "({} producers), {} left out{}\n",
      d.name, actions_named ? " (actions named)" : "", d.catalog->operations().size(),
      endpoints.size(), fresh ? "first call on the fresh catalog" : "one call", seconds * 1e3,
      planned.recipes.size(), producers, planned.left_out.size(), why);
  if (planned.recipes.empty()) {
    fmt::print(stderr, "verity_derive_bench: nothing was built from {}\n", d.name);
    std::exit(1);
  }
}

void BM_DeriveMissing(benchmark::State& state, const Described* d, bool actions_named) {
  kb::KnowledgeBase kb = EmptyKnowledgeBase();
  derive::OperationScope scope = Scope(*d->catalog, actions_named);
  size_t built = 0, left_out = 0;
  for (auto _ : state) {
    derive::SpecDocuments planned = derive::DeriveMissing(kb, *d->catalog, scope);
    built = planned.recipes.size();
    left_out = planned.left_out.size();
    benchmark::DoNotOptimize(planned);
  }
  state.counters["built"] = static_cast<double>(built);
  state.counters["left_out"] = static_cast<double>(left_out);
  // Seconds per operation of the description.
  state.counters["per_op"] = benchmark::Counter(
      static_cast<double>(d->catalog->operations().size()),
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

}  // namespace
}  // namespace verity::bench

int main(int argc, char** argv) {
  using verity::bench::Described;
  benchmark::Initialize(&argc, argv);
  std::string github =
      VERITY_SOURCE_DIR "/build/npm/node_modules/@octokit/openapi/generated/api.github.com.json";
  std::string vcita = VERITY_SHARED_DIR "/corpus/vcita";
  for (int i = 1; i < argc; ++i) {
    bool has_value = i + 1 < argc;
    if (std::strcmp(argv[i], "--github") == 0 && has_value) {
      github = argv[++i];
    } else if (std::strcmp(argv[i], "--no-github") == 0) {
      github.clear();
    } else if (std::strcmp(argv[i], "--vcita") == 0 && has_value) {
      vcita = argv[++i];
    } else {
      fmt::print(stderr,
                 "usage: verity_derive_bench [--github FILE | --no-github] [--vcita DIR] "
                 "[--benchmark_...]\n");
      return 2;
    }
  }
  // Static: the benchmarks keep pointers to them until the process ends.
  static std::vector<Described> described;
  if (github.empty()) {
    fmt::print("github: skipped (--no-github)\n");
  } else if (std::filesystem::exists(github)) {
    described.push_back({"github", verity::bench::Load({github})});
  } else {
    fmt::print("github: {} is missing (tools/fetch-bench-specs.sh installs it); skipped\n", github);
  }
  if (std::filesystem::exists(vcita + "/swagger")) {
    described.push_back(
        {"vcita", verity::bench::Load({vcita + "/swagger", vcita + "/mcp_swagger"})});
  } else {
    fmt::print("vcita: {}/swagger is missing; skipped\n", vcita);
  }
  if (described.empty()) return 1;
  for (const Described& d : described) {
    for (bool actions_named : {false, true}) {
      verity::bench::Describe(d, actions_named, !actions_named);
      std::string name = "BM_DeriveMissing/" + d.name + (actions_named ? "/actions_named" : "");
      benchmark::RegisterBenchmark(name.c_str(), verity::bench::BM_DeriveMissing, &d, actions_named)
          ->Unit(benchmark::kMillisecond);
    }
  }
  fmt::print("goal: GitHub's description planned in <= {:.1f} s\n",
             verity::bench::kGoalGithubSeconds);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
