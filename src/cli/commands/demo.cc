// `verity demo`: Verity's main job with nothing to set up. It starts two mocks of the bundled
// example API on free loopback ports (the primary gateway and the fallback, each with its rules),
// runs the example knowledge base against them through `verity run`'s own code (ExecuteRun, no
// command line is built), with live progress, writes every report into a fresh folder it prints,
// and stops the mocks. The exit code is the
// run's: the example fails on purpose where its README says so.
#include <fmt/format.h>
#include <stdlib.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>

#include "base/random.h"
#include "cli/commands/commands.h"
#include "cli/run_setup.h"
#include "mock/service.h"
#include "run/config.h"

namespace verity::cli {
namespace {

struct DemoArgs {
  std::string examples;  // empty: ./examples, else the one beside the binary's source tree
  std::string out;       // empty: a new temporary folder
  uint64_t seed = 1;
  bool verbose = false;
  bool all_operations = false;
};

bool IsDirectory(const FileSystem& fs, const std::string& path) {
  Result<FileInfo> info = fs.Stat(path);
  return info.ok() && info->type == FileType::kDirectory;
}

// The demo is usually run from the repository root (README's first command); from elsewhere the
// examples are found beside the build tree the binary lives in.
std::string FindExamples(const FileSystem& fs, const std::string& given) {
  if (!given.empty()) return given;
  if (IsDirectory(fs, "examples")) return "examples";
  std::error_code error;
  std::filesystem::path binary = std::filesystem::read_symlink("/proc/self/exe", error);
  for (std::filesystem::path dir = binary.parent_path(); !error && dir.has_relative_path();
       dir = dir.parent_path()) {
    if (IsDirectory(fs, (dir / "examples" / "kb").string())) return (dir / "examples").string();
  }
  return "examples";
}

Result<std::string> MakeOutputFolder(FileSystem& fs, const std::string& given) {
  if (!given.empty()) {
    Status made = fs.CreateDirectories(given);
    if (!made.ok()) return made;
    return given;
  }
  const char* tmp = getenv("TMPDIR");
  std::string pattern = fmt::format("{}/verity-demo-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (mkdtemp(pattern.data()) == nullptr) {
    return Status::IoError(fmt::format("cannot create a folder like {}", pattern));
  }
  return pattern;
}

// The run writes statuses back into the knowledge base; the demo's copy takes them, so the
// example stays as it is in the repository.
Status CopyTree(FileSystem& fs, const std::string& from, const std::string& to) {
  Result<std::vector<std::string>> files = fs.ListFiles(from);
  if (!files.ok()) return files.status();
  // An empty knowledge base is still one (`--all-operations` fills a run from the spec).
  if (Status made = fs.CreateDirectories(to); !made.ok()) return made;
  for (const std::string& file : *files) {
    std::string target = to + file.substr(from.size());
    Status made = fs.CreateDirectories(std::filesystem::path(target).parent_path().string());
    if (!made.ok()) return made;
    Result<std::string> bytes = fs.ReadFile(file);
    if (!bytes.ok()) return bytes.status();
    Status written = WriteFileLocked(fs, target, *bytes);
    if (!written.ok()) return written;
  }
  return Status::Ok();
}

// The example's tokens are read from environment variables. Those not set get made-up values for
// this process only: the mocks' rules map the same variables, so they recognise them, and neither
// side ever prints one.
mock::EnvLookup DemoTokens(Context& ctx, const run::Environment& env, uint64_t seed) {
  auto base = ctx.env ? ctx.env : [](const std::string& name) -> std::optional<std::string> {
    const char* value = getenv(name.c_str());
    return value ? std::optional<std::string>(value) : std::nullopt;
  };
  auto made_up = std::make_shared<std::map<std::string, std::string>>();
  SeededRandom random(seed ^ static_cast<uint64_t>(getpid()) ^
                      static_cast<uint64_t>(ctx.clock.NowMillis()));
  for (const auto& [type, ref] : env.tokens) {
    if (ref.env.empty()) continue;
    std::optional<std::string> value = base(ref.env);
    if (!value || value->empty()) {
      (*made_up)[ref.env] = fmt::format("demo-{}-{:016x}", type, random.Next());
    }
  }
  return [base, made_up](const std::string& name) -> std::optional<std::string> {
    auto it = made_up->find(name);
    if (it != made_up->end()) return it->second;
    return base(name);
  };
}

Result<std::unique_ptr<mock::Service>> StartMock(Context& ctx, const std::string& examples,
                                                 const std::string& rules, uint64_t seed,
                                                 const mock::EnvLookup& env,
                                                 const std::string& log_path,
                                                 std::shared_ptr<std::ofstream>& log) {
  mock::ServiceOptions options;
  options.spec_paths = {examples + "/specs"};
  options.rules_path = rules;
  options.seed = seed;
  options.env = env;
  log = std::make_shared<std::ofstream>(log_path);
  auto mutex = std::make_shared<std::mutex>();
  options.access_log = [log, mutex](const mock::AccessEntry& entry) {
    std::lock_guard lock(*mutex);
    *log << mock::FormatAccess(entry) << "\n";
  };
  return mock::Service::Start(ctx.fs, ctx.clock, std::move(options));
}

int RunDemo(const DemoArgs& args, Context& ctx) {
  std::string examples = FindExamples(ctx.fs, args.examples);
  const std::string config_path = examples + "/verity.yaml";
  if (!IsDirectory(ctx.fs, examples + "/kb")) {
    return ReportFailure(ctx, Status::NotFound(fmt::format(
                                  "no example knowledge base at {}/kb: run the demo from the "
                                  "repository root, or pass --examples DIR",
                                  examples)));
  }
  Result<run::Config> config = run::LoadConfig(ctx.fs, config_path);
  if (!config.ok()) return ReportFailure(ctx, config.status());
  Result<run::Environment> env = run::SelectEnvironment(*config, "");
  if (!env.ok()) return ReportFailure(ctx, env.status());
  mock::EnvLookup tokens = DemoTokens(ctx, *env, args.seed);

  Result<std::string> out = MakeOutputFolder(ctx.fs, args.out);
  if (!out.ok()) return ReportFailure(ctx, out.status());
  const std::string kb = *out + "/kb";
  Status copied = CopyTree(ctx.fs, examples + "/kb", kb);
  if (!copied.ok()) return ReportFailure(ctx, copied);

  std::shared_ptr<std::ofstream> primary_log, fallback_log;
  auto primary = StartMock(ctx, examples, examples + "/rules/primary.yaml", args.seed, tokens,
                           *out + "/mock-primary.log", primary_log);
  if (!primary.ok()) return ReportFailure(ctx, primary.status());
  auto fallback = StartMock(ctx, examples, examples + "/rules/fallback.yaml", args.seed, tokens,
                            *out + "/mock-fallback.log", fallback_log);
  if (!fallback.ok()) return ReportFailure(ctx, fallback.status());

  ctx.out << fmt::format(
                 "verity demo: the example API ({}/specs), mocked twice on loopback:\n"
                 "  primary   {}  rules {}/rules/primary.yaml\n"
                 "  fallback  {}  rules {}/rules/fallback.yaml\n"
                 "running the example knowledge base (a copy: {}) against them\n\n",
                 examples, (*primary)->url(), examples, (*fallback)->url(), examples, kb)
          << std::flush;

  RunArgs run;
  run.config = config_path;
  run.config_given = true;
  run.base_url = (*primary)->url();
  run.fallback_url = (*fallback)->url();
  run.kb = kb;
  run.report_json = *out + "/report.json";
  run.report_junit = *out + "/report.junit.xml";
  run.report_md = *out + "/report.md";
  run.report_html = *out + "/report.html";
  // The API is a throw-away mock, so the recipes whose test request deletes run too, and with
  // --all-operations the requests built from the spec may write, and those that pass are
  // drafted into the knowledge base's copy.
  run.options.include_delete = true;
  run.all_operations = args.all_operations;
  run.allow_writes = args.all_operations;
  run.write_drafts = args.all_operations;
  run.verbose = args.verbose;
  // The demo's history stays with its reports, away from the example's configuration.
  if (ctx.history_by_default) run.history = *out + "/history.db";
  Context run_ctx{ctx.out, ctx.err, ctx.fs, ctx.clock};
  run_ctx.env = tokens;
  int code = ExecuteRun(run, run_ctx);

  Status primary_stopped = (*primary)->Stop();
  Status fallback_stopped = (*fallback)->Stop();
  primary_log->flush();
  fallback_log->flush();
  ctx.out << fmt::format(
      "\nreports in {}:\n  report.html  report.md  report.json  report.junit.xml\n"
      "  mock-primary.log ({} requests)  mock-fallback.log ({} requests){}\n",
      *out, (*primary)->server().requests(), (*fallback)->server().requests(),
      ctx.history_by_default
          ? fmt::format("\n  history.db (verity history --history {}/history.db)", *out)
          : "");
  if (code == kExitFindings) {
    ctx.out << fmt::format("the example fails on purpose where {}/README.md says it does\n",
                           examples);
  }
  if (!primary_stopped.ok()) return ReportFailure(ctx, primary_stopped);
  if (!fallback_stopped.ok()) return ReportFailure(ctx, fallback_stopped);
  return code;
}

}  // namespace

void RegisterDemo(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<DemoArgs>();
  CLI::App* cmd = app.add_subcommand(
      "demo", "Run the example knowledge base against two local mocks of the example API");
  cmd->add_option("--examples", args->examples, "The example folder (default ./examples)");
  cmd->add_option("--out", args->out, "Write the reports and the knowledge base copy here");
  cmd->add_option("--seed", args->seed, "Seed of the mocks' ids, data and latencies (default 1)");
  cmd->add_flag("-v,--verbose", args->verbose, "Every document and step");
  cmd->add_flag("--all-operations", args->all_operations,
                "Also every operation of the example's spec that has no recipe, through a "
                "request built from the spec (writes included: the API is a mock); those that "
                "pass are drafted into the knowledge base's copy");
  cmd->callback([args, &ctx] { ctx.exit_code = RunDemo(*args, ctx); });
}

}  // namespace verity::cli
