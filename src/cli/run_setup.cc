#include "cli/run_setup.h"

#include <fmt/format.h>

#include <filesystem>

#include "run/plan.h"

namespace verity::cli {

namespace {

Status Usage(std::string message) { return Status::InvalidArgument(std::move(message)); }

}  // namespace

void AddEnvironmentOptions(CLI::App& cmd, EnvironmentArgs& args) {
  EnvironmentArgs* a = &args;
  cmd.add_option("--config", args.config, "Configuration file (default verity.yaml)")
      ->each([a](const std::string&) { a->config_given = true; });
  cmd.add_option("--env", args.env, "Environment of the configuration file");
  cmd.add_option("--kb", args.kb, "Knowledge-base folder (overrides the configuration)");
  cmd.add_option("--spec-root", args.spec_root, "Folder of the specs documents name");
  cmd.add_option("--base-url", args.base_url, "Primary base URL (overrides the configuration)");
  cmd.add_option("--fallback-url", args.fallback_url, "Fallback base URL");
  cmd.add_option("--token-env", args.token_envs,
                 "TYPE=VARIABLE: a token type read from an environment variable");
  cmd.add_option(
      "--rate-limit", args.rate_limit,
      "conservative | normal | aggressive | sequential | off | rps=N,in_flight=N,gap=Nms");
  cmd.add_option("--timeout", args.timeout, "Per-request timeout (30s)");
  cmd.add_flag("--insecure", args.insecure, "Skip TLS certificate verification");
}

Result<run::Environment> LoadEnvironment(const EnvironmentArgs& args, Context& ctx) {
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

int ReportEnvironmentFailure(Context& ctx, const Status& status) {
  if (status.code() == StatusCode::kParseError) {
    ctx.err << status.message() << "\n";
    return kExitUsage;
  }
  return ReportFailure(ctx, Status(StatusCode::kInvalidArgument, status.message()));
}

run::RunSettings EnvironmentSettings(const run::Environment& env, Context& ctx) {
  run::EnvLookup lookup = ctx.env ? run::EnvLookup(ctx.env) : run::ProcessEnvironment();
  run::ResolvedTokens tokens = run::ResolveTokens(env, ctx.fs, lookup);
  return run::SettingsFromEnvironment(env, tokens);
}

std::vector<std::string> KnowledgeBaseRoots(const run::Environment& env,
                                            const std::vector<std::string>& targets) {
  std::vector<std::string> roots;
  if (!env.knowledge_base.empty()) roots.push_back(env.knowledge_base);
  for (const std::string& t : targets) {
    if (run::IsEndpointGlob(t)) continue;
    std::string normal = std::filesystem::path(t).lexically_normal().generic_string();
    bool inside = false;
    for (const std::string& r : roots) {
      std::string root = std::filesystem::path(r).lexically_normal().generic_string();
      inside = inside || normal == root || normal.starts_with(root + "/");
    }
    if (!inside) roots.push_back(t);
  }
  return roots;
}

}  // namespace verity::cli
