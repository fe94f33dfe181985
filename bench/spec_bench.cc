// verity_spec_bench: how fast OpenAPI descriptions load and how fast response bodies validate.
//  - the vcita specs (swagger/ and mcp_swagger/ of the shared corpus) through Catalog::Add;
//  - GitHub's REST description (api.github.com.json from @octokit/openapi: 13 MB, 1 000+
//    operations; tools/fetch-bench-specs.sh installs it) through Catalog::Add plus a few Find
//    lookups, with the peak RSS of the process that does it;
//  - a ~5 MB body for GET /orgs/{org}/repos (minimal-repository items made by SampleValue, each
//    with its own values): ParseJson MB/s, and CheckResponse MB/s on the parsed value;
//  - with valijson's headers installed, the same body through valijson for comparison;
//  - generated descriptions of 20 000 to 110 000 paths, for the time per path (spec_scale.h).
// Loads run in fresh child processes (cold heap, own peak RSS); timings are medians of --repeat
// runs. One PASS/MISS line per goal; a missed goal fails the run unless --report-only. A sample
// that does not validate always fails it: the generator or the validator is wrong.
#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/file_system.h"
#include "base/json.h"
#include "isolated.h"
#include "spec/catalog.h"
#include "spec/response_check.h"
#include "spec/sample.h"
#include "spec/validate.h"
#include "spec_scale.h"
#ifdef VERITY_HAVE_VALIJSON
#include "valijson_compare.h"
#endif

namespace verity::bench {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// Goals (from the spec-module benchmark issue).
constexpr double kGoalVcitaMs = 150;
constexpr double kGoalGithubSeconds = 0.4;
constexpr double kGoalGithubRssMb = 400;
constexpr double kGoalValidateMbPerSecond = 50;

struct Options {
  std::string github;
  std::string vcita_root = VERITY_SHARED_DIR "/corpus/vcita";
  int repeat = 5;
  double body_mb = 5;
  bool fork = true;
  bool valijson = true;
  bool goals_fail = true;
  std::string dump_body;
  std::vector<size_t> scale_paths = {20'000, 40'000, 110'000};
};

// ---- measurement plumbing -----------------------------------------------------------------------

double Mb(long kb) { return static_cast<double>(kb) / 1024.0; }

std::string LoadAvg() {
  double avg[3];
  return getloadavg(avg, 3) == 3 ? fmt::format("{:.2f} {:.2f} {:.2f}", avg[0], avg[1], avg[2])
                                 : "unknown";
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/// What a catalog load reports back. Plain data: it crosses a pipe from a child process.
struct LoadMeasure {
  double load_seconds = 0;
  double find_seconds = 0;  // all lookups together
  long base_rss_kb = 0;
  long peak_rss_kb = 0;
  size_t files = 0;
  size_t operations = 0;
  size_t errors = 0;  // problems that are errors (NOT_A_SPEC files included)
  size_t finds = 0;
  size_t found = 0;
  char note[240] = {};
};

// Lookups a client of GitHub's API makes all the time, by concrete path.
constexpr const char* kGithubFinds[][2] = {
    {"GET", "/repos/octocat/hello-world"},
    {"GET", "/orgs/github/repos"},
    {"POST", "/repos/octocat/hello-world/issues"},
    {"GET", "/users/octocat"},
    {"GET", "/repos/octocat/hello-world/commits/7fd1a60b01f91b314f59955a4e4d4e80d8edf11d"},
    {"GET", "/repos/octocat/hello-world/pulls/42/files"},
};

LoadMeasure LoadCatalog(const std::vector<std::string>& paths, bool github_finds) {
  LoadMeasure m;
  m.base_rss_kb = ProcStatusKb("VmRSS");
  ResetPeakRss();
  PosixFileSystem fs;
  auto t0 = Clock::now();
  spec::Catalog catalog(fs);
  for (const std::string& path : paths) {
    if (!catalog.Add(path)) std::snprintf(m.note, sizeof m.note, "cannot read %s", path.c_str());
  }
  auto t1 = Clock::now();
  if (github_finds) {
    for (const auto& [method, path] : kGithubFinds) {
      ++m.finds;
      if (catalog.Find(method, path)) ++m.found;
    }
  }
  auto t2 = Clock::now();
  m.load_seconds = Seconds(t0, t1);
  m.find_seconds = Seconds(t1, t2);
  m.peak_rss_kb = ProcStatusKb("VmHWM");
  m.files = catalog.files().size();
  m.operations = catalog.operations().size();
  for (const spec::CatalogProblem& problem : catalog.problems()) m.errors += problem.is_error;
  return m;
}

std::string Verdict(bool pass) { return pass ? "PASS" : "MISS"; }

// ---- the body to validate -----------------------------------------------------------------------

/// Where the validated body's schema is and how to check a body against it.
struct Target {
  std::string description;
  spec::SchemaRef schema;               // what SampleValue starts from
  const spec::Operation* op = nullptr;  // CheckResponse(op, 200) when set
  std::string pointer;                  // the schema's JSON Pointer, for valijson
  const spec::SpecFile* file = nullptr;
};

/// GitHub's GET /orgs/{org}/repos 200 schema: an array of minimal-repository.
std::optional<Target> GithubTarget(spec::Catalog& catalog) {
  const spec::Operation* op = catalog.Find("GET", "/orgs/github/repos");
  if (!op) return std::nullopt;
  const spec::Response* response = op->FindResponse(200);
  const spec::MediaSchema* media = response ? response->JsonMedia() : nullptr;
  if (!media || !media->schema) return std::nullopt;
  return Target{"GitHub GET /orgs/{org}/repos 200 (array of minimal-repository)", media->schema, op,
                media->schema.pointer, op->file};
}

/// Without GitHub's file: the vcita response schema with the largest sample, as the items of an
/// array (a small description that $refs it, added beside its file).
std::optional<Target> VcitaTarget(spec::Catalog& catalog, std::string* why) {
  spec::SampleOptions options;
  options.all_properties = true;
  size_t best_size = 0;
  spec::SchemaRef best;
  std::string best_key;
  for (const spec::Operation& op : catalog.operations()) {
    const spec::Response* response = op.FindResponse(200);
    const spec::MediaSchema* media = response ? response->JsonMedia() : nullptr;
    if (!media || !media->schema) continue;
    Result<Json> sample = spec::SampleValue(catalog.specs(), media->schema, options);
    if (!sample.ok()) continue;
    size_t size = sample->dump().size();
    if (size > best_size) {
      best_size = size;
      best = media->schema;
      best_key = op.Key();
    }
  }
  if (!best) {
    *why = "no vcita operation has a JSON 200 response schema";
    return std::nullopt;
  }
  std::filesystem::path file(best.file->path);
  Json wrapper = {{"openapi", "3.0.3"},
                  {"info", {{"title", "verity_spec_bench"}, {"version", "1"}}},
                  {"paths", Json::object()},
                  {"components",
                   {{"schemas",
                     {{"List",
                       {{"type", "array"},
                        {"items", {{"$ref", file.filename().string() + "#" + best.pointer}}}}}}}}}};
  std::string wrapper_path = (file.parent_path() / ".verity-spec-bench.json").string();
  Result<const spec::SpecFile*> added = catalog.specs().AddText(wrapper_path, wrapper.dump());
  if (!added.ok()) {
    *why = added.status().ToString();
    return std::nullopt;
  }
  return Target{fmt::format("an array of the largest vcita response ({} 200)", best_key),
                spec::SpecSet::At(**added, "/components/schemas/List"), nullptr, "", nullptr};
}

struct ValidateMeasure {
  bool ran = false;
  std::string what;
  double body_mb = 0;
  size_t items = 0;
  double sample_seconds = 0;
  double parse_mb_s = 0;
  double validate_mb_s = 0;
  double validate_warm_mb_s = 0;
  size_t errors = 0;
  size_t warnings = 0;
  std::vector<std::string> first_issues;
  size_t sanity_errors = 0;  // errors found in the body with one member made wrong
  std::string sanity_path;
  std::string valijson;  // the comparison line, or why there is none
  double valijson_mb_s = 0;
};

ValidateMeasure MeasureValidation(const Options& opt, bool have_github) {
  ValidateMeasure v;
  PosixFileSystem fs;
  spec::Catalog catalog(fs);
  std::optional<Target> target;
  std::string why;
  if (have_github) {
    catalog.Add(opt.github);
    target = GithubTarget(catalog);
    if (!target) why = "GET /orgs/{org}/repos has no JSON 200 schema in " + opt.github;
  } else {
    catalog.Add(opt.vcita_root + "/swagger");
    catalog.Add(opt.vcita_root + "/mcp_swagger");
    target = VcitaTarget(catalog, &why);
  }
  if (!target) {
    v.what = why;
    return v;
  }
  v.ran = true;
  v.what = target->description;

  // Sized from one item, then generated whole: every item gets its own ids, names and urls.
  spec::SampleOptions options;
  options.all_properties = true;
  options.vary_items = true;
  options.max_nodes = 50'000'000;
  auto s0 = Clock::now();
  Result<Json> one = spec::SampleValue(catalog.specs(), target->schema, options);
  if (!one.ok()) {
    v.ran = false;
    v.what = "SampleValue failed: " + one.status().ToString();
    return v;
  }
  size_t item_bytes = std::max<size_t>(1, one->dump().size());
  options.root_array_items =
      std::max<size_t>(1, static_cast<size_t>(opt.body_mb * 1e6 / static_cast<double>(item_bytes)));
  Result<Json> body = spec::SampleValue(catalog.specs(), target->schema, options);
  v.sample_seconds = Seconds(s0, Clock::now());
  if (!body.ok()) {
    v.ran = false;
    v.what = "SampleValue failed: " + body.status().ToString();
    return v;
  }
  v.items = options.root_array_items;
  std::string text = body->dump();
  double mb = static_cast<double>(text.size()) / 1e6;
  v.body_mb = mb;

  std::vector<double> parse_times;
  Json parsed;
  for (int i = 0; i < opt.repeat; ++i) {
    auto t0 = Clock::now();
    Result<Json> p = ParseJson(text);
    parse_times.push_back(Seconds(t0, Clock::now()));
    if (p.ok()) parsed = std::move(*p);
  }
  v.parse_mb_s = mb / Median(parse_times);

  // As the runner does it: one CheckResponse (a fresh validator) per response.
  std::vector<double> times;
  std::vector<spec::SchemaIssue> issues;
  for (int i = 0; i < opt.repeat; ++i) {
    auto t0 = Clock::now();
    if (target->op) {
      spec::ResponseCheck check = spec::CheckResponse(catalog.specs(), *target->op, 200, &parsed);
      times.push_back(Seconds(t0, Clock::now()));
      issues = std::move(check.issues);
    } else {
      spec::SchemaValidator validator(catalog.specs());
      spec::ValidationResult result = validator.Validate(target->schema, parsed);
      times.push_back(Seconds(t0, Clock::now()));
      issues = std::move(result.issues);
    }
  }
  v.validate_mb_s = mb / Median(times);
  // And with a validator that has seen the schemas before (its caches warm).
  spec::SchemaValidator warm(catalog.specs());
  (void)warm.Validate(target->schema, parsed);
  std::vector<double> warm_times;
  for (int i = 0; i < opt.repeat; ++i) {
    auto t0 = Clock::now();
    (void)warm.Validate(target->schema, parsed);
    warm_times.push_back(Seconds(t0, Clock::now()));
  }
  v.validate_warm_mb_s = mb / Median(warm_times);
  for (const spec::SchemaIssue& issue : issues) {
    if (issue.severity == spec::Severity::kError) {
      ++v.errors;
      if (v.first_issues.size() < 5) {
        v.first_issues.push_back(issue.code + " " + issue.instance_path + ": " + issue.message);
      }
    } else {
      ++v.warnings;
    }
  }

  // The validator really looks at every item: the last one made a number is found.
  Json broken;
  if (parsed.is_array() && !parsed.empty() && parsed.back().is_object()) {
    broken = parsed;
    broken.back() = 42;
    spec::SchemaValidator validator(catalog.specs());
    v.sanity_errors = validator.Validate(target->schema, broken).error_count();
    v.sanity_path = fmt::format("/{}", broken.size() - 1);
  }
  if (!opt.dump_body.empty()) {
    std::ofstream out(opt.dump_body, std::ios::binary);
    out << text;
  }

  if (!opt.valijson) {
    v.valijson = "skipped (--no-valijson)";
  } else if (!target->file) {
    v.valijson = "skipped: only run on GitHub's description";
  } else {
#ifdef VERITY_HAVE_VALIJSON
    ValijsonRun run = RunValijson(target->file->root, target->pointer, parsed, opt.repeat);
    if (!run.error.empty()) {
      v.valijson = "failed: " + run.error;
    } else {
      v.valijson_mb_s = mb / run.median_seconds;
      v.valijson = fmt::format("{:.1f} MB/s (median {:.0f} ms; schema prepared in {:.2f} s){}",
                               v.valijson_mb_s, 1000 * run.median_seconds, run.prepare_seconds,
                               run.valid ? "" : "; INVALID for valijson: " + run.first_error);
      if (!broken.is_null()) {
        // So that its speed is not that of a validator that looks at nothing.
        ValijsonRun check = RunValijson(target->file->root, target->pointer, broken, 1);
        v.valijson += check.valid ? "; ACCEPTS the broken body" : "; rejects the broken body";
      }
    }
#else
    v.valijson = "not built (valijson headers absent: apt-get install libvalijson-dev)";
#endif
  }
  return v;
}

// ---- the report ---------------------------------------------------------------------------------

int Run(const Options& opt) {
  const bool have_github = !opt.github.empty() && std::filesystem::exists(opt.github);
  fmt::print("verity_spec_bench: {} repeats, {} hardware threads, load {}\n", opt.repeat,
             std::thread::hardware_concurrency(), LoadAvg());
  std::vector<std::string> misses;
  bool broken = false;
  auto goal = [&](const std::string& what, bool pass, const std::string& detail) {
    fmt::print("GOAL {:<44} {}  ({})\n", what, Verdict(pass), detail);
    if (!pass) misses.push_back(what);
  };

  // 1. GitHub first, while this process is still small: its children inherit its pages.
  fmt::print(
      "\n== GitHub's description: Catalog::Add + {} Find lookups, each repeat in a fresh "
      "child process\n",
      std::size(kGithubFinds));
  if (!have_github) {
    fmt::print("  skipped: {} is absent (tools/fetch-bench-specs.sh installs it)\n",
               opt.github.empty() ? "GitHub's description" : opt.github);
  } else {
    fmt::print("  {}: {:.1f} MB\n", opt.github,
               static_cast<double>(std::filesystem::file_size(opt.github)) / 1e6);
    std::vector<double> totals;
    double peak_mb = 0;
    for (int i = 0; i < opt.repeat; ++i) {
      std::string why;
      auto m = RunIsolated<LoadMeasure>(
          opt.fork, 300, [&] { return LoadCatalog({opt.github}, true); }, &why);
      if (!m) {
        fmt::print("  #{} FAILED: {}\n", i + 1, why);
        broken = true;
        continue;
      }
      double total = m->load_seconds + m->find_seconds;
      totals.push_back(total);
      peak_mb = std::max(peak_mb, Mb(m->peak_rss_kb));
      fmt::print(
          "  #{} load {:.0f} ms, {} lookups {:.1f} us each ({} found); {} operations, {} error "
          "problems; RSS {:.1f} MB before, peak {:.1f} MB{}\n",
          i + 1, 1000 * m->load_seconds, m->finds,
          1e6 * m->find_seconds / std::max<size_t>(1, m->finds), m->found, m->operations, m->errors,
          Mb(m->base_rss_kb), Mb(m->peak_rss_kb), m->note[0] ? std::string("; ") + m->note : "");
      if (m->found != m->finds || m->operations < 1000) broken = true;
    }
    if (!totals.empty()) {
      double median = Median(totals);
      goal("GitHub load + lookups", median <= kGoalGithubSeconds,
           fmt::format("median {:.2f} s, goal <= {:.1f} s", median, kGoalGithubSeconds));
      goal("GitHub peak RSS", peak_mb <= kGoalGithubRssMb,
           fmt::format("{:.0f} MB, goal <= {:.0f} MB", peak_mb, kGoalGithubRssMb));
    }
  }

  // 2. The vcita specs.
  fmt::print(
      "\n== vcita specs: Catalog::Add of swagger/ and mcp_swagger/, each repeat in a fresh "
      "child process\n");
  std::vector<std::string> vcita = {opt.vcita_root + "/swagger", opt.vcita_root + "/mcp_swagger"};
  if (!std::filesystem::exists(vcita[0])) {
    fmt::print("  skipped: {} is absent\n", vcita[0]);
  } else {
    std::vector<double> loads;
    for (int i = 0; i < opt.repeat; ++i) {
      std::string why;
      auto m = RunIsolated<LoadMeasure>(
          opt.fork, 300, [&] { return LoadCatalog(vcita, false); }, &why);
      if (!m) {
        fmt::print("  #{} FAILED: {}\n", i + 1, why);
        broken = true;
        continue;
      }
      loads.push_back(m->load_seconds);
      fmt::print(
          "  #{} {:.1f} ms: {} files, {} operations, {} error problems (NOT_A_SPEC "
          "included); peak RSS {:.1f} MB{}\n",
          i + 1, 1000 * m->load_seconds, m->files, m->operations, m->errors, Mb(m->peak_rss_kb),
          m->note[0] ? std::string("; ") + m->note : "");
    }
    if (!loads.empty()) {
      double median = 1000 * Median(loads);
      goal("vcita specs load", median <= kGoalVcitaMs,
           fmt::format("median {:.1f} ms, goal <= {:.0f} ms", median, kGoalVcitaMs));
    }
  }

  // 3. Validation of a large body (in a child too: the body and both catalogs are big).
  fmt::print("\n== validating a ~{:.0f} MB response body\n", opt.body_mb);
  std::string why;
  struct Summary {
    bool ran = false;
    double validate_mb_s = 0;
    size_t errors = 0;
  };
  // The details are printed by the child; the verdict crosses the pipe.
  auto summary = RunIsolated<Summary>(
      opt.fork, 300,
      [&] {
        ValidateMeasure v = MeasureValidation(opt, have_github);
        Summary s{v.ran, v.validate_mb_s, v.errors};
        if (!v.ran) {
          fmt::print("  skipped: {}\n", v.what);
          return s;
        }
        fmt::print("  {}{}\n", v.what,
                   have_github ? "" : " (GitHub's description is absent, so vcita's instead)");
        fmt::print("  {} items, {:.2f} MB of JSON, generated by SampleValue in {:.2f} s\n", v.items,
                   v.body_mb, v.sample_seconds);
        fmt::print("  ParseJson:                         {:7.1f} MB/s (median)\n", v.parse_mb_s);
        fmt::print("  validation (fresh validator):      {:7.1f} MB/s (median)\n", v.validate_mb_s);
        fmt::print("  SchemaValidator (warm, reused):    {:7.1f} MB/s (median)\n",
                   v.validate_warm_mb_s);
        fmt::print("  valijson (draft 4, nullable translated): {}\n", v.valijson);
        fmt::print("  issues: {} errors, {} warnings\n", v.errors, v.warnings);
        for (const std::string& line : v.first_issues) fmt::print("    {}\n", line);
        if (!v.sanity_path.empty()) {
          fmt::print("  the same body with the number 42 at {}: {} error(s)\n", v.sanity_path,
                     v.sanity_errors);
          if (v.sanity_errors == 0) s.errors = SIZE_MAX;
        }
        return s;
      },
      &why);
  if (!summary) {
    fmt::print("  FAILED: {}\n", why);
    broken = true;
  } else if (summary->ran) {
    goal("validation throughput", summary->validate_mb_s >= kGoalValidateMbPerSecond,
         fmt::format("{:.1f} MB/s, goal >= {:.0f} MB/s", summary->validate_mb_s,
                     kGoalValidateMbPerSecond));
    if (summary->errors == SIZE_MAX) {
      fmt::print("BROKEN: a wrong member of the body went unnoticed\n");
      broken = true;
    } else if (summary->errors) {
      fmt::print("BROKEN: the generated body has {} validation errors; it is generated valid\n",
                 summary->errors);
      broken = true;
    }
  }

  // 4. Time per path against size.
  fmt::print("\n== generated descriptions: Catalog::Add, each repeat in a fresh child process\n");
  ScaleOptions scale;
  scale.paths = opt.scale_paths;
  scale.repeat = std::min(opt.repeat, 3);
  scale.fork = opt.fork;
  if (!MeasureLoadScaling(scale, &misses)) broken = true;

  fmt::print("\n{}\n",
             misses.empty() ? "all goals met" : fmt::format("{} goal(s) missed", misses.size()));
  if (broken) return 1;
  return misses.empty() || !opt.goals_fail ? 0 : 1;
}

}  // namespace
}  // namespace verity::bench

int main(int argc, char** argv) {
  using namespace verity::bench;
  Options opt;
  opt.github =
      VERITY_SOURCE_DIR "/build/npm/node_modules/@octokit/openapi/generated/api.github.com.json";
  CLI::App app("verity_spec_bench: OpenAPI loading and response validation benchmark",
               "verity_spec_bench");
  app.add_option("--github", opt.github,
                 "GitHub's api.github.com.json (default: the one tools/fetch-bench-specs.sh "
                 "installs); skipped when absent")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.add_option("--vcita", opt.vcita_root, "The vcita corpus folder (swagger/, mcp_swagger/)");
  app.add_option("--repeat", opt.repeat, "Repeats of every measurement")
      ->check(CLI::PositiveNumber);
  app.add_option("--body-mb", opt.body_mb, "Size of the validated body")
      ->check(CLI::PositiveNumber);
  bool no_fork = false;
  app.add_flag("--no-fork", no_fork,
               "Run every measurement in this process (for profilers); peak RSS then mixes phases");
  app.add_option("--dump-body", opt.dump_body, "Write the validated body to this file");
  app.add_option("--scale-paths", opt.scale_paths,
                 "Path counts of the generated descriptions, smallest first (default 20000 40000 "
                 "110000)")
      ->delimiter(',');
  bool no_valijson = false;
  app.add_flag("--no-valijson", no_valijson, "Skip the valijson comparison");
  bool report_only = false;
  app.add_flag("--report-only", report_only,
               "Exit 0 even when a goal is missed (smoke runs on shared machines)");
  CLI11_PARSE(app, argc, argv);
  opt.fork = !no_fork;
  opt.valijson = !no_valijson;
  opt.goals_fail = !report_only;
  try {
    return Run(opt);
  } catch (const std::exception& e) {
    fmt::print(stderr, "verity_spec_bench: {}\n", e.what());
    return 2;
  }
}
