// `verity arazzo lint FILE...`: checks Arazzo workflow documents (docs/arazzo.md), with the output
// and exit codes of `verity kb lint`. Each file is checked on its own: one that cannot be read or
// parsed is reported and the others are still checked.
#include <fmt/format.h>

#include "arazzo/lint.h"
#include "base/json.h"
#include "cli/commands/commands.h"

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
}

}  // namespace verity::cli
