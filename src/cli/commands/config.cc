// `verity config check`: loads verity.yaml, picks the environment a run would use, resolves its
// tokens and prints the effective configuration with every secret masked. Exit 0 when a run
// could start with every token, 1 when some tokens are missing (the file itself is fine), 2 when
// the file or the environment choice is wrong.
#include "run/config.h"

#include <fmt/format.h>

#include "base/strings.h"
#include "cli/commands/commands.h"
#include "run/short_secrets.h"

namespace verity::cli {

namespace {

struct ConfigCheckArgs {
  std::string config = "verity.yaml";
  std::string env;
  bool json = false;
};

// Problems in the file are printed as they are, `file:line:col: message [CODE]` per line, so that
// editors and CI annotate them like compiler output.
int ConfigFailure(Context& ctx, const Status& status) {
  if (status.code() == StatusCode::kIoError) return ReportFailure(ctx, status);
  ctx.err << status.message() << "\n";
  return kExitUsage;
}

std::string ScalarText(const Json& value) {
  if (value.is_null()) return "(not set)";
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

// `key: value` lines. Lists of named objects (bases) are keyed by name, other lists of scalars
// are joined with ", ".
void Flatten(const std::string& key, const Json& value, std::vector<std::string>* lines) {
  auto child = [&](std::string_view name) {
    return key.empty() ? std::string(name) : fmt::format("{}.{}", key, name);
  };
  if (value.is_object() && !value.empty()) {
    for (const auto& [name, member] : value.items()) Flatten(child(name), member, lines);
  } else if (value.is_array() && !value.empty() && value.front().is_object() &&
             value.front().contains("name")) {
    for (const Json& item : value) {
      Json rest = item;
      rest.erase("name");
      Flatten(child(ScalarText(item["name"])), rest, lines);
    }
  } else if (value.is_array() || value.is_object()) {
    std::vector<std::string> items;
    for (const Json& item : value)
      items.push_back(item.is_string() ? ScalarText(item) : item.dump());
    lines->push_back(fmt::format("{}: {}", key, items.empty() ? "(none)" : Join(items, ", ")));
  } else {
    lines->push_back(fmt::format("{}: {}", key, ScalarText(value)));
  }
}

struct Warning {
  std::string about;  // "token directory", "knowledge_base"
  std::string message;
  std::string code;  // a stable code where the warning has one ("SHORT_SECRET")
};

// Paths a run would read: a typo here shows up only later, as "no documents". `file_too`: the
// run takes a file there as well as a folder (spec_root: one spec file is a catalog too).
void CheckPath(Context& ctx, std::string_view key, const std::string& path, bool file_too,
               std::vector<Warning>* warnings) {
  if (path.empty()) return;
  Result<FileInfo> info = ctx.fs.Stat(path);
  if (info.ok() && info->type == FileType::kDirectory) return;
  if (info.ok() && file_too && info->type == FileType::kFile) return;
  warnings->push_back({std::string(key),
                       fmt::format("{}: no such {}", path, file_too ? "file or folder" : "folder"),
                       ""});
}

int RunConfigCheck(const ConfigCheckArgs& args, Context& ctx) {
  Result<run::Config> config = run::LoadConfig(ctx.fs, args.config);
  if (!config.ok()) return ConfigFailure(ctx, config.status());
  Result<run::Environment> env = run::SelectEnvironment(*config, args.env);
  if (!env.ok()) return ConfigFailure(ctx, env.status());

  run::ResolvedTokens tokens = run::ResolveTokens(
      *env, ctx.fs, ctx.env ? run::EnvLookup(ctx.env) : run::ProcessEnvironment());
  std::vector<Warning> warnings;
  CheckPath(ctx, "spec_root", env->spec_root, /*file_too=*/true, &warnings);
  CheckPath(ctx, "knowledge_base", env->knowledge_base, /*file_too=*/false, &warnings);
  for (const run::TokenProblem& w : tokens.warnings)
    warnings.push_back({"token " + w.type, w.message, ""});
  for (const run::TokenProblem& w : run::ShortSecretWarnings(tokens))
    warnings.push_back({"token " + w.type, w.message, std::string(run::kShortSecretCode)});

  Json effective = run::EffectiveConfigJson(*env, tokens);
  if (args.json) {
    Json problems = Json::array();
    for (const run::TokenProblem& p : tokens.problems)
      problems.push_back({{"token", p.type}, {"message", p.message}});
    Json warning_json = Json::array();
    for (const Warning& w : warnings) {
      Json item = {{"about", w.about}, {"message", w.message}};
      if (!w.code.empty()) item["code"] = w.code;
      warning_json.push_back(std::move(item));
    }
    effective["problems"] = std::move(problems);
    effective["warnings"] = std::move(warning_json);
    ctx.out << effective.dump(2) << "\n";
  } else {
    std::vector<std::string> lines;
    Flatten("", effective, &lines);
    for (const std::string& line : lines) ctx.out << line << "\n";
    for (const run::TokenProblem& p : tokens.problems)
      ctx.err << fmt::format("verity: token {}: {}\n", p.type, p.message);
    for (const Warning& w : warnings) {
      ctx.err << fmt::format("verity: warning: {}: {}{}\n", w.about, w.message,
                             w.code.empty() ? "" : " [" + w.code + "]");
    }
  }
  return tokens.problems.empty() ? kExitOk : kExitFindings;
}

}  // namespace

void RegisterConfig(CLI::App& app, Context& ctx) {
  CLI::App* config = app.add_subcommand("config", "Check the run configuration (verity.yaml)");
  config->require_subcommand(1);
  auto args = std::make_shared<ConfigCheckArgs>();
  CLI::App* check = config->add_subcommand(
      "check", "Validate the config, resolve tokens and print the effective settings (masked)");
  check->add_option("--config", args->config, "The config file")->capture_default_str();
  check->add_option("--env", args->env, "The environment (default: default_env, or the only one)");
  check->add_flag("--json", args->json, "Print the effective settings as JSON");
  check->callback([args, &ctx] { ctx.exit_code = RunConfigCheck(*args, ctx); });
}

}  // namespace verity::cli
