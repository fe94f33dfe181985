#include "cli/cli.h"

#include <CLI/CLI.hpp>
#include <filesystem>

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
  RegisterMock(app, ctx);
  RegisterDemo(app, ctx);
  RegisterHistory(app, ctx);
  RegisterScanFallback(app, ctx);
  RegisterServe(app, ctx);

  std::vector<const char*> argv{"verity"};
  for (const std::string& a : args) argv.push_back(a.c_str());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ParseError& e) {
    // Help and version are "errors" in CLI11's model; they exit 0 and print to out.
    int code = app.exit(e, ctx.out, ctx.err);
    return code == 0 ? kExitOk : kExitUsage;
  }
  return ctx.exit_code;
}

}  // namespace verity::cli
