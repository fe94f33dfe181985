// `verity run`: executes the knowledge base's recipes against the API of an environment, checks
// every answer against the specs, prints live progress and a summary, writes the reports, and
// keeps the knowledge base's statuses true. Exit 0 when everything passed (WARN allowed unless
// --strict), 1 when something failed, 2 for a usage or configuration error.
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "base/random.h"
#include "base/strings.h"
#include "cli/commands/commands.h"
#include "http/curl_transport.h"
#include "http/fake_transport.h"
#include "kb/knowledge_base.h"
#include "report/console.h"
#include "report/html_report.h"
#include "report/json_report.h"
#include "report/junit_report.h"
#include "report/markdown_report.h"
#include "run/config.h"
#include "run/executor.h"
#include "run/plan.h"
#include "spec/catalog.h"
#include "store/history.h"
#include "store/recorder.h"

namespace verity::cli {

namespace {

struct RunArgs {
  std::vector<std::string> targets;
  std::string config = "verity.yaml";
  bool config_given = false;
  std::string env;
  std::string kb;
  std::string spec_root;
  std::string base_url;
  std::string fallback_url;
  std::vector<std::string> token_envs;  // type=VARIABLE, without a config file
  std::vector<std::string> vars;
  std::string rate_limit;
  std::string timeout;
  std::string deadline;
  std::string shard;
  size_t concurrency = 0;
  std::vector<std::string> domains, methods, statuses;
  bool include_delete = false;
  bool dry_run = false;
  bool strict = false;
  bool no_write_back = false;
  bool insecure = false;
  bool quiet = false;
  bool verbose = false;
  std::string report_json, report_junit, report_md, report_html;
  std::string history;
  bool no_history = false;
};

Status Usage(std::string message) { return Status::InvalidArgument(std::move(message)); }

// The environment: from the config file, or from --base-url and --token-env alone.
Result<run::Environment> LoadEnvironment(const RunArgs& args, Context& ctx) {
  // Stat reports a missing file as kNone, not as an error.
  Result<FileInfo> default_config = ctx.fs.Stat(args.config);
  bool have_file =
      args.config_given || (default_config.ok() && default_config->type != FileType::kNone);
  run::Environment env;
  if (have_file) {
    Result<run::Config> config = run::LoadConfig(ctx.fs, args.config);
    if (!config.ok()) return config.status();
    Result<run::Environment> selected = run::SelectEnvironment(*config, args.env);
    if (!selected.ok()) return selected.status();
    env = std::move(*selected);
  } else if (args.base_url.empty()) {
    return Usage(fmt::format(
        "no {} here: pass --config FILE, or --base-url URL (and --token-env TYPE=VARIABLE)",
        args.config));
  }
  if (!args.base_url.empty()) env.base_url = args.base_url;
  if (!args.fallback_url.empty()) env.fallback_url = args.fallback_url;
  if (!args.kb.empty()) env.knowledge_base = args.kb;
  if (!args.spec_root.empty()) env.spec_root = args.spec_root;
  for (const std::string& item : args.token_envs) {
    size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == item.size())
      return Usage(fmt::format("--token-env {}: expected TYPE=VARIABLE", item));
    run::TokenRef ref;
    ref.type = item.substr(0, eq);
    ref.env = item.substr(eq + 1);
    ref.scheme = run::DefaultSchemeFor(ref.type);
    env.tokens[ref.type] = ref;
  }
  if (!args.timeout.empty()) {
    auto ms = run::ParseDurationMs(args.timeout);
    if (!ms || *ms <= 0)
      return Usage(fmt::format("--timeout {}: expected e.g. 30s, 500ms", args.timeout));
    env.timeout_ms = *ms;
  }
  if (!args.deadline.empty()) {
    auto ms = run::ParseDurationMs(args.deadline);
    if (!ms || *ms <= 0)
      return Usage(fmt::format("--deadline {}: expected e.g. 20m", args.deadline));
    env.deadline_ms = *ms;
  }
  if (!args.rate_limit.empty()) {
    auto limit = run::ParseRateLimit(args.rate_limit, env.rate_limit);
    if (!limit.ok()) return limit.status();
    env.rate_limit = *limit;
  }
  if (args.insecure) env.insecure = true;
  return env;
}

run::RunSettings SettingsFor(const run::Environment& env, const run::ResolvedTokens& tokens,
                             const RunArgs& args, Json vars) {
  run::RunSettings s;
  s.environment = env.name.empty() ? "command-line" : env.name;
  s.base_url = env.base_url;
  s.fallback_url = env.fallback_url;
  for (const run::NamedBase& b : env.bases)
    s.bases.push_back({b.name, b.url, b.path_globs, b.scheme});
  s.params = env.params;
  s.command_line = std::move(vars);
  s.time_zone = env.time_zone;
  for (const auto& [type, ref] : env.tokens) {
    if (auto value = tokens.Get(type)) s.tokens[type] = {std::string(*value), ref.scheme};
  }
  for (const run::TokenProblem& p : tokens.problems) s.token_problems[p.type] = p.message;
  s.default_token = env.default_token;
  s.timeout_ms = env.timeout_ms;
  s.deadline_ms = env.deadline_ms;
  s.max_response_bytes = env.max_response_bytes;
  s.verify_tls = !env.insecure;
  s.rate_limit = env.rate_limit;
  s.retry.max_retries = env.max_retries;
  s.concurrency = args.concurrency > 0 ? args.concurrency
                  : env.rate_limit.max_in_flight > 0
                      ? static_cast<size_t>(env.rate_limit.max_in_flight)
                      : 8;
  s.include_delete = args.include_delete;
  s.dry_run = args.dry_run;
  s.strict = args.strict;
  s.write_back = !args.no_write_back;
  s.failures_before_failed = env.failures_before_failed;
  s.spec_root = env.spec_root;
  return s;
}

void PrintPlan(const run::RunResult& result, std::ostream& out) {
  out << "Dry run: nothing was sent. The requests a run would send (tokens masked):\n";
  std::function<void(const run::StepResult&, int)> step = [&](const run::StepResult& s, int depth) {
    std::string indent(static_cast<size_t>(2 + depth * 2), ' ');
    if (s.request) {
      out << indent << s.request->method << " " << s.request->url << "  [" << s.section << ", "
          << s.request->base << ", " << s.token_type << " token]\n";
      for (const auto& [name, value] : s.request->headers)
        out << indent << "  " << name << ": " << value << "\n";
      if (!s.request->body.empty()) out << indent << "  " << s.request->body << "\n";
      for (const std::string& part : s.request->multipart_parts)
        out << indent << "  part " << part << "\n";
    } else if (s.section == "use") {
      out << indent << s.endpoint << "\n";
    } else {
      out << indent << s.endpoint << "  [" << s.reason << ": " << s.message << "]\n";
    }
    for (const run::StepResult& n : s.nested) step(n, depth + 1);
  };
  for (const run::DocumentResult& d : result.documents) {
    out << d.endpoint << "  (" << d.file << ")";
    if (d.reason != "DRY_RUN") out << "  " << d.reason << ": " << d.message;
    out << "\n";
    for (const run::StepResult& s : d.steps) step(s, 0);
  }
}

int RunRun(RunArgs& args, Context& ctx) {
  Result<run::Environment> env = LoadEnvironment(args, ctx);
  if (!env.ok()) {
    if (env.status().code() == StatusCode::kParseError) {
      ctx.err << env.status().message() << "\n";
      return kExitUsage;
    }
    return ReportFailure(ctx, Status(StatusCode::kInvalidArgument, env.status().message()));
  }
  Json vars = Json::object();
  for (const std::string& v : args.vars) {
    size_t eq = v.find('=');
    if (eq == std::string::npos || eq == 0)
      return ReportFailure(ctx, Usage(fmt::format("--var {}: expected NAME=VALUE", v)));
    vars[v.substr(0, eq)] = v.substr(eq + 1);
  }
  run::Selection selection;
  selection.targets = args.targets;
  selection.domains = args.domains;
  selection.methods = args.methods;
  selection.statuses = args.statuses;
  if (!args.shard.empty()) {
    if (Status s = run::ParseShard(args.shard, &selection); !s.ok()) return ReportFailure(ctx, s);
  }

  // The knowledge base: the configured folder, plus files or folders named outside it.
  std::vector<std::string> roots;
  if (!env->knowledge_base.empty()) roots.push_back(env->knowledge_base);
  for (const std::string& t : args.targets) {
    if (run::IsEndpointGlob(t)) continue;
    std::string normal = std::filesystem::path(t).lexically_normal().generic_string();
    bool inside = false;
    for (const std::string& r : roots) {
      std::string root = std::filesystem::path(r).lexically_normal().generic_string();
      inside = inside || normal == root || normal.starts_with(root + "/");
    }
    if (!inside) roots.push_back(t);
  }
  if (roots.empty())
    return ReportFailure(ctx, Usage("no knowledge base: set knowledge_base in the environment, "
                                    "pass --kb DIR, or name documents"));
  Result<kb::KnowledgeBase> kb = kb::LoadKnowledgeBase(ctx.fs, roots);
  if (!kb.ok()) return ReportFailure(ctx, kb.status());
  Result<run::Plan> plan = run::MakePlan(*kb, selection);
  if (!plan.ok()) return ReportFailure(ctx, Usage(plan.status().message()));

  std::unique_ptr<spec::Catalog> catalog;
  if (!env->spec_root.empty()) {
    catalog = std::make_unique<spec::Catalog>(ctx.fs);
    catalog->Add(env->spec_root);
  }

  run::EnvLookup lookup = ctx.env ? run::EnvLookup(ctx.env) : run::ProcessEnvironment();
  run::ResolvedTokens tokens = run::ResolveTokens(*env, ctx.fs, lookup);
  run::RunSettings settings = SettingsFor(*env, tokens, args, std::move(vars));

  std::unique_ptr<http::Transport> transport;
  if (args.dry_run) {
    transport = std::make_unique<http::FakeTransport>();
  } else {
    http::CurlTransportOptions options;
    options.max_in_flight = std::max<size_t>(settings.concurrency, 1);
    auto curl = http::CurlTransport::Create(options);
    if (!curl.ok()) return ReportFailure(ctx, curl.status());
    transport = std::move(*curl);
  }

  bool is_terminal = &ctx.out == &std::cout && isatty(STDOUT_FILENO);
  report::ConsoleOptions console =
      is_terminal ? report::DetectConsoleOptions(STDOUT_FILENO)
                  : report::ConsoleOptionsFor(false, std::getenv("NO_COLOR"), std::getenv("TERM"));
  console.quiet = args.quiet;
  console.verbose = args.verbose;
  run::EventBus bus;
  report::ConsoleReporter reporter(ctx.out, console);
  if (!args.dry_run) reporter.Attach(bus);

  // A dry run sends nothing, so it is no run of the API to remember.
  std::unique_ptr<store::History> history;
  std::unique_ptr<store::HistoryRecorder> recorder;
  std::string history_path =
      args.dry_run || args.no_history ? "" : HistoryPath(ctx, args.history, args.config);
  if (!history_path.empty()) {
    Result<std::unique_ptr<store::History>> opened = store::History::Open(history_path);
    if (opened.ok()) {
      history = std::move(*opened);
      recorder = std::make_unique<store::HistoryRecorder>(*history, "cli");
      recorder->Attach(bus);
    } else {
      ctx.err << "verity: this run is not recorded in the history: " << opened.status().message()
              << "\n";
    }
  }

  run::SteadyTicker ticker;
  SystemRandom random;
  run::ExecutorServices services{transport.get(), &ticker, &ctx.clock, &random, &bus, &ctx.fs};
  run::Executor executor(settings, *kb, catalog.get(), services);
  run::RunResult result = executor.Run(*plan);
  if (args.dry_run) PrintPlan(result, ctx.out);
  if (recorder && !recorder->status().ok()) {
    ctx.err << "verity: the history is missing part of this run: " << recorder->status().message()
            << "\n";
  }

  struct ReportWriter {
    const char* kind;
    const std::string& path;
    std::function<Status(const std::string&)> write;
  };
  for (const ReportWriter& writer : std::vector<ReportWriter>{
           {"JSON", args.report_json,
            [&](const std::string& p) { return report::WriteJsonReport(ctx.fs, p, result); }},
           {"JUnit", args.report_junit,
            [&](const std::string& p) { return report::WriteJunitReport(ctx.fs, p, result); }},
           {"Markdown", args.report_md,
            [&](const std::string& p) { return report::WriteMarkdownReport(ctx.fs, p, result); }},
           {"HTML", args.report_html,
            [&](const std::string& p) { return report::WriteHtmlReport(ctx.fs, p, result); }},
       }) {
    if (writer.path.empty()) continue;
    if (Status s = writer.write(writer.path); !s.ok()) {
      ctx.err << "verity: the " << writer.kind << " report was not written: " << s.message()
              << "\n";
      return kExitIo;
    }
  }
  return run::ExitCodeFor(result);
}

}  // namespace

void RegisterRun(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* cmd = app.add_subcommand(
      "run",
      "Run recipes against the API of an environment, check them, report, and update the "
      "knowledge base");
  cmd->add_option("targets", args->targets,
                  "Files, folders, or endpoint globs like \"GET /business/payments/v1/*\" "
                  "(default: the whole knowledge base)");
  cmd->add_option("--config", args->config, "Configuration file (default verity.yaml)")
      ->each([args](const std::string&) { args->config_given = true; });
  cmd->add_option("--env", args->env, "Environment of the configuration file");
  cmd->add_option("--kb", args->kb, "Knowledge-base folder (overrides the configuration)");
  cmd->add_option("--spec-root", args->spec_root, "Folder of the specs documents name");
  cmd->add_option("--base-url", args->base_url, "Primary base URL (overrides the configuration)");
  cmd->add_option("--fallback-url", args->fallback_url, "Fallback base URL");
  cmd->add_option("--token-env", args->token_envs,
                  "TYPE=VARIABLE: a token type read from an environment variable");
  cmd->add_option("--var", args->vars, "NAME=VALUE: a template variable that beats all others");
  cmd->add_option(
      "--rate-limit", args->rate_limit,
      "conservative | normal | aggressive | sequential | off | rps=N,in_flight=N,gap=Nms");
  cmd->add_option("--concurrency", args->concurrency, "Documents in flight at once");
  cmd->add_option("--timeout", args->timeout, "Per-request timeout (30s)");
  cmd->add_option("--deadline", args->deadline, "Stop the whole run after this long");
  cmd->add_option("--shard", args->shard, "K/N: run only the K-th of N deterministic parts");
  cmd->add_option("--domain", args->domains, "Only these domains");
  cmd->add_option("--method", args->methods, "Only these methods");
  cmd->add_option("--status", args->statuses, "Only documents with these knowledge-base statuses");
  cmd->add_flag("--include-delete", args->include_delete, "Run test requests that DELETE");
  cmd->add_flag("--dry-run", args->dry_run, "Print the requests a run would send; send nothing");
  cmd->add_flag("--strict", args->strict, "Warnings fail the run");
  cmd->add_flag("--no-write-back", args->no_write_back, "Leave the knowledge base untouched");
  cmd->add_flag("--insecure", args->insecure, "Skip TLS certificate verification");
  cmd->add_flag("-q,--quiet", args->quiet, "Only the final line");
  cmd->add_flag("-v,--verbose", args->verbose, "Every document and step");
  cmd->add_option("--history", args->history,
                  "Record the run in this history database (default .verity/history.db beside "
                  "the configuration)");
  cmd->add_flag("--no-history", args->no_history, "Do not record the run in the history");
  cmd->add_option("--report-json", args->report_json, "Write the JSON report here");
  cmd->add_option("--report-junit", args->report_junit, "Write a JUnit XML report here");
  cmd->add_option("--report-md", args->report_md, "Write a Markdown report here");
  cmd->add_option("--report-html", args->report_html,
                  "Write a self-contained HTML report here (one file, no script)");
  cmd->callback([args, &ctx] { ctx.exit_code = RunRun(*args, ctx); });
}

}  // namespace verity::cli
