#include <fmt/format.h>

#include "cli/commands/commands.h"
#include "cli/output.h"
#include "cli/spec_output.h"
#include "kb/lint.h"
#include "kb/spec_links.h"

namespace verity::cli {

namespace {

struct LintArgs {
  std::vector<std::string> paths;
  std::string format = "text";
  std::vector<std::string> known_vars;
  bool errors_only = false;
  std::string spec_root;
  SpecArgs specs;
};

int RunLint(const LintArgs& args, Context& ctx) {
  std::optional<kb::KnowledgeBase> kb = LoadOrReport(ctx, args.paths);
  if (!kb) return ctx.exit_code;
  kb::LintOptions options;
  options.known_variables.insert(options.known_variables.end(), args.known_vars.begin(),
                                 args.known_vars.end());
  std::vector<doc::Diagnostic> all = kb::Lint(*kb, options);
  if (!args.spec_root.empty()) {
    std::unique_ptr<spec::Catalog> catalog = NewCatalog(ctx, args.specs);
    if (!catalog) return ctx.exit_code;
    kb::LintAgainstSpecs(ctx.fs, *kb, *catalog, args.spec_root, &all);
    doc::SortDiagnostics(&all);
  }
  size_t errors = 0, warnings = 0;
  std::vector<doc::Diagnostic> shown;
  for (doc::Diagnostic& d : all) {
    (d.is_error() ? errors : warnings)++;
    if (d.is_error() || !args.errors_only) shown.push_back(std::move(d));
  }
  if (args.format == "json") {
    Json arr = Json::array();
    for (const doc::Diagnostic& d : shown) arr.push_back(doc::DiagnosticToJson(d));
    ctx.out << arr.dump(2) << "\n";
  } else {
    PrintDiagnosticsText(ctx.out, shown);
    ctx.out << fmt::format("{} document{} checked: {} error{}, {} warning{}\n",
                           kb->documents.size(), kb->documents.size() == 1 ? "" : "s", errors,
                           errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
  }
  return errors ? kExitFindings : kExitOk;
}

}  // namespace

void RegisterKbLint(CLI::App& kb, Context& ctx) {
  auto args = std::make_shared<LintArgs>();
  CLI::App* cmd = kb.add_subcommand("lint", "Check workflow documents and report problems");
  cmd->add_option("paths", args->paths, "Documents or folders (scanned recursively for *.md)")
      ->required();
  cmd->add_option("--format", args->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--known-var", args->known_vars,
                  "A variable the environment provides (repeatable, or comma-separated)")
      ->delimiter(',');
  cmd->add_option("--spec-root", args->spec_root,
                  "Check endpoints against the spec each document names in 'swagger', resolved "
                  "against this folder");
  AddRefMapOption(*cmd, args->specs);
  cmd->add_flag("--errors-only", args->errors_only, "Hide warnings (they are still counted)");
  cmd->callback([args, &ctx] { ctx.exit_code = RunLint(*args, ctx); });
}

}  // namespace verity::cli
