// `verity arazzo lint FILE...`: checks Arazzo workflow documents (docs/arazzo.md), with the output
// and exit codes of `verity kb lint`. Each file is checked on its own: one that cannot be read or
// parsed is reported and the others are still checked.
//
// `verity arazzo export [TARGETS] -o FILE`: the recipes `verity run` would run for the same
// targets, as one Arazzo document (arazzo/export.h).
#include <fmt/format.h>

#include "arazzo/export.h"
#include "arazzo/lint.h"
#include "base/json.h"
#include "cli/commands/commands.h"
#include "cli/run_setup.h"
#include "kb/knowledge_base.h"
#include "run/plan.h"

namespace verity::cli {

namespace {

struct ArazzoLintArgs {
  std::vector<std::string> paths;
  std::string format = "text";
  bool errors_only = false;
};

int RunArazzoLint(const ArazzoLintArgs& args, Context& ctx) {
  size_t errors = 0, warnings = 0;
  Json arr = Json::array();
  for (const std::string& path : args.paths) {
    for (const arazzo::Problem& p : arazzo::LintFile(ctx.fs, path)) {
      (p.is_error() ? errors : warnings)++;
      if (!p.is_error() && args.errors_only) continue;
      if (args.format == "json")
        arr.push_back({{"file", p.file},
                       {"line", p.pos.line},
                       {"col", p.pos.col},
                       {"severity", p.is_error() ? "error" : "warning"},
                       {"code", p.code},
                       {"message", p.message}});
      else
        ctx.out << arazzo::FormatProblem(p) << "\n";
    }
  }
  if (args.format == "json") {
    ctx.out << arr.dump(2) << "\n";
  } else {
    size_t n = args.paths.size();
    ctx.out << fmt::format("{} document{} checked: {} error{}, {} warning{}\n", n,
                           n == 1 ? "" : "s", errors, errors == 1 ? "" : "s", warnings,
                           warnings == 1 ? "" : "s");
  }
  return errors ? kExitFindings : kExitOk;
}

struct ArazzoExportArgs : EnvironmentArgs {
  std::vector<std::string> targets;
  std::string output;
  bool force = false;
};

// How each configured token type is sent, the token itself left out: what the document's header
// parameters say around the input that carries it.
std::map<std::string, arazzo::TokenHeader> TokenHeaders(const run::Environment& env) {
  std::map<std::string, arazzo::TokenHeader> out;
  for (const auto& [type, ref] : env.tokens) {
    arazzo::TokenHeader h;
    if (ref.in == "header" && !ref.name.empty()) {
      h.header = ref.name;
      h.prefix.clear();
    } else {
      run::AuthScheme scheme = ref.scheme.value_or(run::DefaultSchemeFor(type, env.conventions));
      std::string value = run::AuthorizationValue(scheme, "\x01");
      if (scheme == run::AuthScheme::kBasic || scheme == run::AuthScheme::kNone) value = "\x01";
      size_t at = value.find('\x01');
      h.prefix = value.substr(0, at);
      h.suffix = value.substr(at + 1);
    }
    out[type] = h;
  }
  return out;
}

int RunArazzoExport(const ArazzoExportArgs& args, Context& ctx) {
  // An export sends nothing, so it needs no base URL: without a configuration file the command
  // line's --kb and --spec-root are the whole environment.
  EnvironmentArgs env_args = args;
  Result<FileInfo> config = ctx.fs.Stat(args.config);
  if (!args.config_given && (!config.ok() || config->type == FileType::kNone))
    env_args.base_url = "http://127.0.0.1";
  Result<run::Environment> env = LoadEnvironment(env_args, ctx);
  if (!env.ok()) return ReportEnvironmentFailure(ctx, env.status());
  if (!args.force) {
    Result<FileInfo> info = ctx.fs.Stat(args.output);
    if (info.ok() && info->type != FileType::kNone)
      return ReportFailure(ctx, Status::InvalidArgument(fmt::format(
                                    "{} exists: pass --force to replace it", args.output)));
  }
  std::vector<std::string> roots = KnowledgeBaseRoots(*env, args.targets);
  if (roots.empty())
    return ReportFailure(
        ctx, Status::InvalidArgument("no knowledge base: set knowledge_base in the environment, "
                                     "pass --kb DIR, or name documents"));
  Result<kb::KnowledgeBase> kb = kb::LoadKnowledgeBase(ctx.fs, roots);
  if (!kb.ok()) return ReportFailure(ctx, kb.status());
  run::Selection selection;
  selection.targets = args.targets;
  Result<run::Plan> plan = run::MakePlan(*kb, selection);
  if (!plan.ok()) return ReportFailure(ctx, Status::InvalidArgument(plan.status().message()));
  std::vector<const doc::Document*> documents;
  for (const run::PlannedDocument& p : plan->documents) documents.push_back(p.document);

  spec::Catalog catalog(ctx.fs);
  if (!env->spec_root.empty()) catalog.Add(env->spec_root);
  for (const spec::CatalogProblem& p : catalog.problems())
    if (p.is_error) ctx.err << fmt::format("{}: warning: {} [{}]\n", p.location, p.message, p.code);
  arazzo::ExportOptions options;
  options.output_path = args.output;
  options.spec_root = env->spec_root;
  options.tokens = TokenHeaders(*env);
  options.default_token = env->DefaultToken();
  options.params = env->params;
  options.max_retries = env->max_retries;
  arazzo::ExportResult result = arazzo::Export(*kb, documents, &catalog, options);
  for (const arazzo::ExportWarning& w : result.warnings)
    ctx.err << arazzo::FormatWarning(w) << "\n";
  if (result.document["workflows"].empty())
    return ReportFailure(
        ctx,
        Status::InvalidArgument("no recipe could be exported (see the warnings); nothing written"));
  std::string text = arazzo::ToYaml(result.document);
  Status written = arazzo::WriteExport(ctx.fs, args.output, text, args.force);
  if (!written.ok()) return ReportFailure(ctx, written);
  ctx.out << fmt::format("{}: {} workflows from {} recipes, {} warnings\n", args.output,
                         result.document["workflows"].size(), documents.size(),
                         result.warnings.size());
  return kExitOk;
}

}  // namespace

void RegisterArazzo(CLI::App& app, Context& ctx) {
  CLI::App* arazzo = app.add_subcommand("arazzo", "Arazzo 1.0 workflow documents");
  arazzo->require_subcommand(1);
  RegisterArazzoImport(*arazzo, ctx);
  auto args = std::make_shared<ArazzoLintArgs>();
  CLI::App* cmd = arazzo->add_subcommand("lint", "Check Arazzo documents and report problems");
  cmd->add_option("files", args->paths, "Arazzo documents (YAML or JSON)")->required();
  cmd->add_option("--format", args->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_flag("--errors-only", args->errors_only, "Hide warnings (they are still counted)");
  cmd->callback([args, &ctx] { ctx.exit_code = RunArazzoLint(*args, ctx); });

  auto ex = std::make_shared<ArazzoExportArgs>();
  CLI::App* exp = arazzo->add_subcommand("export", "Write recipes as one Arazzo 1.0.1 document");
  exp->add_option("targets", ex->targets, "Recipe files, folders or endpoint globs (default: all)");
  exp->add_option("-o,--output", ex->output, "The Arazzo document to write (YAML)")->required();
  exp->add_flag("--force", ex->force, "Replace the output file if it exists");
  EnvironmentArgs* env = ex.get();
  exp->add_option("--config", env->config, "Configuration file (default verity.yaml)")
      ->each([env](const std::string&) { env->config_given = true; });
  exp->add_option("--env", env->env, "Environment of the configuration file");
  exp->add_option("--kb", env->kb, "Knowledge-base folder (overrides the configuration)");
  exp->add_option("--spec-root", env->spec_root, "Folder of the specs recipes name");
  exp->callback([ex, &ctx] { ctx.exit_code = RunArazzoExport(*ex, ctx); });
}

}  // namespace verity::cli
