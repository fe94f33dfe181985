// What the commands that send requests (`verity run`, `verity scan-fallback`, `verity demo`)
// share: the environment from the configuration file or the command line, its tokens, the run
// settings it gives, and the knowledge-base folders to load. The run itself is assembled by
// run::Session (run/session.h).
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "cli/context.h"
#include "derive/heal.h"
#include "kb/knowledge_base.h"
#include "run/config.h"
#include "run/session.h"
#include "run/settings.h"
#include "spec/catalog.h"

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
/// environment).
run::RunSettings EnvironmentSettings(const run::Environment& env, Context& ctx);

/// The configured knowledge base, plus files or folders named outside it.
std::vector<std::string> KnowledgeBaseRoots(const run::Environment& env,
                                            const std::vector<std::string>& targets);

/// Everything `verity run` is asked. Its flags bind to these fields; `verity demo` fills one
/// directly. A run option belongs in `options` (run::RunOptions), not here.
struct RunArgs : EnvironmentArgs {
  std::vector<std::string> targets;
  std::vector<std::string> vars;  // NAME=VALUE, for options.variables
  /// An Arazzo document's run: NAME=VALUE inputs (the value read as JSON when it is JSON), a
  /// file of them, and the workflows to start (default: all).
  std::vector<std::string> inputs;
  std::string inputs_file;
  std::vector<std::string> workflows;
  /// Every spec operation, through a recipe built from the spec where none exists (derive/).
  bool all_operations = false;
  /// With all_operations: POST, PUT and PATCH of operations without a recipe are sent too.
  bool allow_writes = false;
  /// With all_operations: each request built from the spec that passed is written into the
  /// knowledge base as a new recipe (status pending), exactly the text that ran.
  bool write_drafts = false;
  /// Only the requests built from the spec, not the knowledge base's recipes (`verity draft`).
  bool spec_only = false;
  /// Tries of one request built from the spec, the first included (derive/heal.h).
  int heal_tries = 4;
  std::string shard;
  std::vector<std::string> domains, methods, statuses;
  run::RunOptions options;
  bool quiet = false;
  bool verbose = false;
  std::string report_json, report_junit, report_md, report_html;
  std::string history;
  bool no_history = false;
};

/// `verity run`'s work (cli/commands/run.cc): loads the environment and the knowledge base, plans,
/// and runs them with RunPrepared. Arazzo documents among the targets go to ExecuteArazzoRun.
/// Returns the exit code.
int ExecuteRun(const RunArgs& args, Context& ctx);

/// `--var NAME=VALUE` into options->variables; a malformed one is a usage error.
Status AddVariables(const RunArgs& args, run::RunOptions* options);

/// What a run needs once its documents are chosen.
struct PreparedRun {
  run::RunSettings settings;
  run::RunOptions options;
  std::shared_ptr<const kb::KnowledgeBase> kb;
  std::shared_ptr<spec::Catalog> catalog;  // null: the session loads the environment's specs
  run::Plan plan;
  std::shared_ptr<derive::SpecHealer> healer;  // --all-operations only
};

/// Runs a prepared plan through a run::Session with the console and the history attached, prints
/// a dry run's plan, writes the drafts and the reports. Returns the exit code.
int RunPrepared(const RunArgs& args, Context& ctx, PreparedRun prepared);

/// Whether a target names an Arazzo document (`*.arazzo.yaml`, `*.arazzo.yml`, `*.arazzo.json`).
bool IsArazzoTarget(std::string_view target);

/// `verity run FILE.arazzo.yaml` (cli/commands/run_arazzo.cc): every workflow of the document
/// becomes a recipe in memory (arazzo/recipes.h) and runs like one, through RunPrepared.
int ExecuteArazzoRun(const RunArgs& args, Context& ctx);

}  // namespace verity::cli
