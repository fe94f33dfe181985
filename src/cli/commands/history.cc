// `verity history`: the runs recorded in the history database, one run's documents and steps, and
// the documents whose outcome keeps flipping.
#include "store/history.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "base/json.h"
#include "base/strings.h"
#include "base/timestamp.h"
#include "cli/commands/commands.h"
#include "doc/naming.h"
#include "report/summary.h"
#include "report/text.h"
#include "store/history_json.h"

namespace verity::cli {

namespace {

struct HistoryArgs {
  std::string history;
  std::string config = "verity.yaml";
  size_t limit = 20;
  size_t flaky_window = 10;
  bool json = false;
  std::string run_id;
  bool verbose = false;
};

Result<std::unique_ptr<store::History>> OpenHistory(const HistoryArgs& args, Context& ctx) {
  std::string path = HistoryPath(ctx, args.history, args.config);
  if (path.empty()) return Status::InvalidArgument("no history: pass --history FILE");
  return store::History::Open(path);
}

std::string Rate(const run::Totals& totals) {
  std::optional<double> rate = totals.PassRate();
  return rate ? fmt::format("{:.1f}%", *rate) : "-";
}

std::string Letter(run::Outcome outcome) { return std::string(1, run::OutcomeName(outcome)[0]); }

int ListRuns(const HistoryArgs& args, Context& ctx) {
  auto history = OpenHistory(args, ctx);
  if (!history.ok()) return ReportFailure(ctx, history.status());
  if (args.json) {
    auto listed = store::HistoryListJson(**history, args.limit, args.flaky_window);
    if (!listed.ok()) return ReportFailure(ctx, listed.status());
    ctx.out << listed->dump(2) << "\n";
    return kExitOk;
  }
  auto runs = (*history)->ListRuns(args.limit);
  if (!runs.ok()) return ReportFailure(ctx, runs.status());
  auto flaky = (*history)->Flaky(args.flaky_window);
  if (!flaky.ok()) return ReportFailure(ctx, flaky.status());
  if (runs->empty()) {
    ctx.out << "No runs recorded in " << (*history)->path() << "\n";
    return kExitOk;
  }
  ctx.out << fmt::format("{:<22} {:<20} {:<12} {:>7} {:>5} {:>5} {:>5} {:>5} {:>5} {:>7} {:>9}\n",
                         "RUN", "STARTED (UTC)", "ENVIRONMENT", "DOCS", "PASS", "WARN", "ERROR",
                         "FAIL", "SKIP", "RATE", "DURATION");
  for (const store::RunRecord& r : *runs) {
    std::string started = FormatIso8601(r.started_at_ms).substr(0, 19);
    std::replace(started.begin(), started.end(), 'T', ' ');
    std::string duration = !r.complete() ? "incomplete"
                           : r.stopped   ? report::FormatDuration(r.duration_ms) + " (stopped)"
                                         : report::FormatDuration(r.duration_ms);
    ctx.out << fmt::format("{:<22} {:<20} {:<12} {:>7} {:>5} {:>5} {:>5} {:>5} {:>5} {:>7} {:>9}\n",
                           r.run_id, started, r.environment.empty() ? "-" : r.environment,
                           fmt::format("{}/{}", r.totals.total, r.planned), r.totals.passed,
                           r.totals.warned, r.totals.errored, r.totals.failed, r.totals.skipped,
                           Rate(r.totals), duration);
  }
  if (!flaky->empty()) {
    ctx.out << fmt::format(
        "\nFlaky: the outcome flipped {}+ times in the document's last {} runs\n",
        store::kFlakyFlips, args.flaky_window);
    for (const store::FlakyDocument& f : *flaky) {
      std::string trail;
      for (run::Outcome o : f.outcomes) trail += Letter(o);
      ctx.out << fmt::format("  {:<12} {} ({}, {} flips)\n", trail, f.endpoint, f.file, f.flips);
    }
  }
  return kExitOk;
}

int ShowRun(const HistoryArgs& args, Context& ctx) {
  auto history = OpenHistory(args, ctx);
  if (!history.ok()) return ReportFailure(ctx, history.status());
  if (args.json) {
    auto detail = store::RunDetailJson(**history, args.run_id);
    if (!detail.ok()) return ReportFailure(ctx, detail.status());
    ctx.out << detail->dump(2) << "\n";
    return kExitOk;
  }
  auto found = (*history)->FindRun(args.run_id);
  if (!found.ok()) return ReportFailure(ctx, found.status());
  auto documents = (*history)->RunDocuments(found->run_id, /*with_steps=*/true);
  if (!documents.ok()) return ReportFailure(ctx, documents.status());
  const store::RunRecord& r = *found;
  ctx.out << fmt::format("Run {} ({}) {}{}\n", r.run_id, r.source, FormatIso8601(r.started_at_ms),
                         r.environment.empty() ? "" : "  environment " + r.environment);
  ctx.out << fmt::format("  base {}{}\n", r.base_url,
                         r.fallback_url.empty() ? "" : "  fallback " + r.fallback_url);
  ctx.out << fmt::format(
      "  {} of {} documents: {}, {} errored, {} failed, {} skipped; pass rate {}; {}\n\n",
      r.totals.total, r.planned, report::PassedText(r.totals), r.totals.errored, r.totals.failed,
      r.totals.skipped, Rate(r.totals),
      r.complete() ? report::FormatDuration(r.duration_ms) + (r.stopped ? " (stopped)" : "")
                   : "incomplete: the run never finished");
  for (const store::DocumentRecord& d : *documents) {
    ctx.out << fmt::format("{:<5} {}  ({}{})", run::OutcomeName(d.outcome),
                           doc::RecipeLabel(d.endpoint, d.variant),
                           d.source == "spec" ? "from spec, " : "", d.file);
    if (!d.reason.empty()) ctx.out << "  " << d.reason << ": " << d.message;
    ctx.out << "\n";
    if (!args.verbose) continue;
    for (const store::StepRecord& s : d.steps) {
      // A `use:` step's endpoint already says "use POST /x".
      std::string what =
          StartsWith(s.endpoint, s.section + " ") ? s.endpoint : s.section + " " + s.endpoint;
      ctx.out << fmt::format("{}{:<5} {}{}  {}{}\n", std::string(6 + 2 * s.depth, ' '),
                             run::OutcomeName(s.outcome), what,
                             s.http_status ? fmt::format(" → {}", s.http_status) : "",
                             report::FormatDuration(s.duration_ms),
                             s.reason.empty() ? "" : "  " + s.reason + ": " + s.message);
      for (const run::CheckResult& check : s.checks) {
        ctx.out << std::string(12 + 2 * s.depth, ' ') << (check.passed ? "✓ " : "✗ ")
                << report::OneLine(report::CheckLine(check)) << "\n";
      }
    }
  }
  return kExitOk;
}

}  // namespace

void RegisterHistory(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<HistoryArgs>();
  CLI::App* cmd = app.add_subcommand(
      "history", "The runs recorded in the history, newest first, and the flaky documents");
  auto common = [args](CLI::App* c) {
    c->add_option("--history", args->history,
                  "History database (default .verity/history.db beside the configuration)");
    c->add_option("--config", args->config, "Configuration file whose folder holds the history");
    c->add_flag("--json", args->json, "Print JSON");
  };
  common(cmd);
  cmd->add_option("--limit", args->limit, "Runs to list (20)");
  cmd->add_option("--flaky-window", args->flaky_window,
                  "Runs of each document to look at for flips (10)");
  cmd->callback([args, &ctx, cmd] {
    if (cmd->get_subcommands().empty()) ctx.exit_code = ListRuns(*args, ctx);
  });

  CLI::App* show = cmd->add_subcommand("show", "One run: its documents and, with -v, their steps");
  common(show);
  show->add_option("run", args->run_id, "The run's id, or an unambiguous prefix of it")->required();
  show->add_flag("-v,--verbose", args->verbose, "Every step");
  show->callback([args, &ctx] { ctx.exit_code = ShowRun(*args, ctx); });
}

}  // namespace verity::cli
