// What the commands that send requests (`verity run`, `verity scan-fallback`) share: the
// environment from the configuration file or the command line, its tokens, the run settings it
// gives, and the knowledge-base folders to load.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "base/status.h"
#include "cli/context.h"
#include "run/config.h"
#include "run/settings.h"

namespace verity::cli {

struct EnvironmentArgs {
  std::string config = "verity.yaml";
  bool config_given = false;
  std::string env;
  std::string kb;
  std::string spec_root;
  std::string base_url;
  std::string fallback_url;
  std::vector<std::string> token_envs;  // type=VARIABLE, without a config file
  std::string rate_limit;
  std::string timeout;
  std::string deadline;
  bool insecure = false;
};

/// --config, --env, --kb, --spec-root, --base-url, --fallback-url, --token-env, --rate-limit,
/// --timeout, --insecure. `args` must outlive `cmd`.
void AddEnvironmentOptions(CLI::App& cmd, EnvironmentArgs& args);

/// The environment: from the config file, or from --base-url and --token-env alone; the command
/// line's values beat the file's.
Result<run::Environment> LoadEnvironment(const EnvironmentArgs& args, Context& ctx);

/// Prints why the environment could not be loaded; returns the exit code (2: the file or the
/// choice is wrong).
int ReportEnvironmentFailure(Context& ctx, const Status& status);

/// The settings the environment gives, its tokens resolved from ctx.env (or the process's
/// environment). `concurrency` 0: the rate limit's in-flight cap, else 8.
run::RunSettings EnvironmentSettings(const run::Environment& env, Context& ctx, size_t concurrency);

/// The configured knowledge base, plus files or folders named outside it.
std::vector<std::string> KnowledgeBaseRoots(const run::Environment& env,
                                            const std::vector<std::string>& targets);

}  // namespace verity::cli
