#include "cli/cli.h"

#include <CLI/CLI.hpp>
#include <filesystem>

#include "base/edit_distance.h"
#include "base/status.h"
#include "cli/commands/commands.h"

namespace verity::cli {

int ReportFailure(Context& ctx, const Status& status) {
  ctx.err << "verity: " << status.message() << "\n";
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
      return kExitUsage;
    case StatusCode::kIoError:
      return kExitIo;
    default:
      return kExitFindings;
  }
}

std::string HistoryPath(const Context& ctx, const std::string& flag, const std::string& config) {
  if (!flag.empty()) return flag;
  if (!ctx.history_by_default) return "";
  std::filesystem::path folder = std::filesystem::path(config).parent_path();
  return (folder / ".verity" / "history.db").generic_string();
}

namespace {

// CLI11 reports a word that names no subcommand as "A subcommand is required" (or as an extra
// argument), never naming the word. Walks the arguments down the command tree and, at the first
// word where a command must follow and none of that name exists, says which word and what is
// nearest. Empty when the failure was something else.
std::string UnknownCommandMessage(CLI::App& app, const std::vector<std::string>& args) {
  CLI::App* current = &app;
  std::string path = "verity";
  for (const std::string& arg : args) {
    if (arg.empty() || arg[0] == '-') continue;
    std::vector<CLI::App*> subs = current->get_subcommands([](CLI::App*) { return true; });
    if (subs.empty()) return "";
    CLI::App* next = nullptr;
    std::vector<std::string_view> names;
    for (CLI::App* sub : subs) {
      if (sub->check_name(arg)) next = sub;
      names.push_back(sub->get_name());
    }
    if (next) {
      current = next;
      path += " " + next->get_name();
      continue;
    }
    if (current->get_require_subcommand_min() == 0) return "";
    std::string nearest = ClosestMatch(arg, names);
    std::string message = "unknown command '" + arg + "' for '" + path + "'";
    if (!nearest.empty()) return message + "; nearest: " + nearest;
    std::string all;
    for (std::string_view name : names) all += (all.empty() ? "" : ", ") + std::string(name);
    return message + " (one of: " + all + ")";
  }
  return "";
}

}  // namespace

int Run(const std::vector<std::string>& args, Context& ctx) {
  CLI::App app{"Verity keeps an HTTP API honest: executable API recipes, checked against the spec.",
               "verity"};
  app.set_version_flag("--version", "verity 0.1.0");
  app.require_subcommand(1);
  CLI::App* kb = app.add_subcommand("kb", "Work with the knowledge base of workflow documents");
  kb->require_subcommand(1);
  RegisterKbLint(*kb, ctx);
  RegisterKbShow(*kb, ctx);
  RegisterKbLs(*kb, ctx);
  RegisterKbSearch(*kb, ctx);
  RegisterKbIndex(*kb, ctx);
  RegisterKbSet(*kb, ctx);
  RegisterKbNew(*kb, ctx);
  RegisterJsonPath(app, ctx);
  RegisterRender(app, ctx);
  RegisterSpec(app, ctx);
  RegisterCoverage(app, ctx);
  RegisterConfig(app, ctx);
  RegisterRun(app, ctx);
  RegisterDraft(app, ctx);
  RegisterMock(app, ctx);
  RegisterDemo(app, ctx);
  RegisterHistory(app, ctx);
  RegisterReport(app, ctx);
  RegisterScanFallback(app, ctx);
  RegisterServe(app, ctx);
  RegisterArazzo(app, ctx);

  std::vector<const char*> argv{"verity"};
  for (const std::string& a : args) argv.push_back(a.c_str());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ParseError& e) {
    std::string unknown = UnknownCommandMessage(app, args);
    if (!unknown.empty()) {
      ctx.err << "verity: " << unknown << "\nRun with --help for more information.\n";
      return kExitUsage;
    }
    // Help and version are "errors" in CLI11's model; they exit 0 and print to out.
    int code = app.exit(e, ctx.out, ctx.err);
    return code == 0 ? kExitOk : kExitUsage;
  }
  return ctx.exit_code;
}

}  // namespace verity::cli
