// `verity report diff A.json B.json`: two JSON run reports compared document by document
// (docs/report-format.md#comparing-two-reports). The logic is report/report_diff.h's, so the
// dashboard can show the same comparison.
#include <CLI/CLI.hpp>

#include "cli/commands/commands.h"
#include "report/report_diff.h"

namespace verity::cli {

namespace {

struct ReportDiffArgs {
  std::string a, b;
  bool json = false;
};

int DiffCommand(const ReportDiffArgs& args, Context& ctx) {
  Result<report::RunReportView> a = report::ReadRunReport(ctx.fs, args.a);
  Result<report::RunReportView> b =
      a.ok() ? report::ReadRunReport(ctx.fs, args.b) : Result<report::RunReportView>(a.status());
  // Every input problem is exit 2, an unreadable file too: what is wrong is the command line's
  // choice of file, and 3 stays "Verity could not write".
  for (const auto* read : {&a, &b}) {
    if (!read->ok()) {
      ctx.err << "verity: " << read->status().message() << "\n";
      return kExitUsage;
    }
  }
  report::ReportDiff diff = report::DiffReports(*a, *b);
  if (args.json) {
    ctx.out << report::ReportDiffJson(diff).dump(2, ' ', false, Json::error_handler_t::replace)
            << "\n";
  } else {
    ctx.out << report::ReportDiffText(diff);
  }
  return diff.disagreed() == 0 ? kExitOk : kExitFindings;
}

}  // namespace

void RegisterReport(CLI::App& app, Context& ctx) {
  CLI::App* cmd = app.add_subcommand("report", "Work with JSON run reports");
  cmd->require_subcommand(1);
  auto args = std::make_shared<ReportDiffArgs>();
  CLI::App* diff = cmd->add_subcommand(
      "diff",
      "Compares two JSON run reports document by document: agreement is the same outcome and "
      "reason; exit 1 when a paired document disagrees");
  diff->add_option("a", args->a, "The first report (--report-json of a run)")->required();
  diff->add_option("b", args->b, "The second report")->required();
  diff->add_flag("--json", args->json, "Print JSON");
  diff->callback([args, &ctx] { ctx.exit_code = DiffCommand(*args, ctx); });
}

}  // namespace verity::cli
