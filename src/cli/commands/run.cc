// `verity run`: executes the knowledge base's recipes against the API of an environment, checks
// every answer against the specs, prints live progress and a summary, writes the reports, and
// keeps the knowledge base's statuses true. Exit 0 when everything passed (WARN allowed unless
// --strict), 1 when something failed, 2 for a usage or configuration error.
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <iostream>

#include "base/strings.h"
#include "cli/commands/commands.h"
#include "cli/run_setup.h"
#include "derive/drafts.h"
#include "derive/heal.h"
#include "derive/spec_run.h"
#include "doc/naming.h"
#include "kb/knowledge_base.h"
#include "kb/update.h"
#include "report/console.h"
#include "report/html_report.h"
#include "report/json_report.h"
#include "report/junit_report.h"
#include "report/markdown_report.h"
#include "run/config.h"
#include "run/plan.h"
#include "run/session.h"
#include "store/history.h"
#include "store/recorder.h"

namespace verity::cli {

namespace {

Status Usage(std::string message) { return Status::InvalidArgument(std::move(message)); }

// A dry run renders with stand-ins for what earlier steps would extract ("<resource_uid>"), which
// the URL carries percent-encoded (%3Cresource_uid%3E). The plan is read by people: it shows the
// stand-ins as written.
std::string ReadableStandIns(std::string_view url) {
  auto is_name = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  };
  auto at = [&](size_t i, std::string_view escape) {
    return url.size() >= i + 3 && IEquals(url.substr(i, 3), escape);
  };
  std::string out;
  size_t i = 0;
  while (i < url.size()) {
    if (at(i, "%3C")) {
      size_t end = i + 3;
      while (end < url.size() && is_name(url[end])) ++end;
      if (end > i + 3 && at(end, "%3E")) {
        out += "<" + std::string(url.substr(i + 3, end - i - 3)) + ">";
        i = end + 3;
        continue;
      }
    }
    out += url[i++];
  }
  return out;
}

void PrintPlan(const run::RunResult& result, std::ostream& out) {
  out << "Dry run: nothing was sent. The requests a run would send (tokens masked):\n";
  std::function<void(const run::StepResult&, int)> step = [&](const run::StepResult& s, int depth) {
    std::string indent(static_cast<size_t>(2 + depth * 2), ' ');
    if (s.request) {
      out << indent << s.request->method << " " << ReadableStandIns(s.request->url) << "  ["
          << s.section << ", " << s.request->base << ", " << s.token_type << " token]\n";
      for (const auto& [name, value] : s.request->headers)
        out << indent << "  " << name << ": " << value << "\n";
      if (!s.request->body.empty()) out << indent << "  " << s.request->body << "\n";
      for (const std::string& part : s.request->multipart_parts)
        out << indent << "  part " << part << "\n";
    } else if (s.section == "use") {
      out << indent << s.endpoint << "\n";
    } else {
      out << indent << s.endpoint << "  [" << s.reason << ": " << s.message << "]\n";
    }
    for (const run::StepResult& n : s.nested) step(n, depth + 1);
  };
  for (const run::DocumentResult& d : result.documents) {
    out << doc::RecipeLabel(d.endpoint, d.variant) << "  (" << d.file << ")";
    if (d.reason != "DRY_RUN") out << "  " << d.reason << ": " << d.message;
    out << "\n";
    for (const run::StepResult& s : d.steps) step(s, 0);
  }
}

// `--all-operations`: the spec's operations without a recipe, added to the knowledge base
// (derive/spec_run.h), with a line that says how many are called and why the others are not;
// `*healer` tries the failed ones again. Fails when there is no spec to read.
Status AddSpecDocuments(const RunArgs& args, const run::RunSettings& settings,
                        const run::RunOptions& options, const run::Selection& selection,
                        Context& ctx, kb::KnowledgeBase* kb,
                        std::shared_ptr<spec::Catalog>* catalog,
                        std::shared_ptr<derive::SpecHealer>* healer) {
  if (settings.spec_root.empty())
    return Usage(
        "--all-operations needs the spec: set spec_root in the environment or pass "
        "--spec-root DIR");
  derive::SpecRunChoices choices;
  choices.allow_writes = args.allow_writes;
  choices.heal_tries = args.heal_tries;
  Result<derive::SpecRun> added =
      derive::AddSpecDocuments(ctx.fs, settings, options, selection, choices, kb);
  if (!added.ok()) return Usage("--all-operations: " + added.status().message());
  size_t built = added->built;
  ctx.err << fmt::format(
      "verity: {} operation{} without a recipe {} called through a request "
      "built from the spec",
      built, built == 1 ? "" : "s", built == 1 ? "is" : "are");
  for (const auto& [why, count] : added->left_out)
    ctx.err << fmt::format("; {} not called ({})", count, why);
  ctx.err << "\n";
  // A dry run shows where each value of a built request comes from, before the requests.
  if (options.dry_run) {
    for (const derive::DerivedRecipe& recipe : added->recipes) {
      if (recipe.sources.empty()) continue;
      ctx.out << recipe.endpoint << "  (from spec)\n";
      for (const derive::ValueSource& v : recipe.sources)
        ctx.out << fmt::format("  {} ({}) <- {}: {}\n", v.name, v.in, v.source, v.detail);
    }
  }
  *catalog = std::move(added->catalog);
  *healer = std::move(added->healer);
  return Status::Ok();
}

// `--write-drafts`: what became of each request built from the spec that passed
// (derive/drafts.h). False when one could not be written for another reason than being there
// already.
bool PrintDrafts(const derive::DraftsWritten& drafts, Context& ctx) {
  for (const derive::Draft& d : drafts.drafts) {
    if (d.file.empty()) {
      ctx.err << "verity: no draft of " << d.endpoint << ": " << d.error << "\n";
      continue;
    }
    ctx.out << "drafted " << d.file;
    if (!d.checks.empty())
      ctx.out << fmt::format(" ({} check{})", d.checks.size(), d.checks.size() == 1 ? "" : "s");
    ctx.out << "\n";
    if (d.dropped.empty()) continue;
    std::vector<std::string> dropped;
    for (const derive::DraftCheck& c : d.dropped) dropped.push_back(derive::Describe(c));
    ctx.err << fmt::format("verity: {} is drafted without its checks ({}): {}\n", d.file,
                           Join(dropped, "; "), d.dropped_why);
  }
  if (drafts.proved > 0) {
    size_t kept = 0;
    for (const derive::Draft& d : drafts.drafts) kept += d.checks.empty() ? 0 : 1;
    ctx.out << fmt::format("{} draft{} with checks run again: {} kept them\n", drafts.proved,
                           drafts.proved == 1 ? "" : "s", kept);
  }
  ctx.out << fmt::format("{} draft{} written (status: pending)\n", drafts.written,
                         drafts.written == 1 ? "" : "s");
  return drafts.ok;
}

}  // namespace

int ExecuteRun(const RunArgs& args, Context& ctx) {
  if (std::any_of(args.targets.begin(), args.targets.end(), IsArazzoTarget))
    return ExecuteArazzoRun(args, ctx);
  if (!args.inputs.empty() || !args.inputs_file.empty() || !args.workflows.empty())
    return ReportFailure(ctx, Usage("--input, --inputs and --workflow are for Arazzo documents "
                                    "(verity run FILE.arazzo.yaml)"));
  Result<run::Environment> env = LoadEnvironment(args, ctx);
  if (!env.ok()) return ReportEnvironmentFailure(ctx, env.status());
  run::RunOptions options = args.options;
  if (Status s = AddVariables(args, &options); !s.ok()) return ReportFailure(ctx, s);
  run::Selection selection;
  selection.targets = args.targets;
  selection.domains = args.domains;
  selection.methods = args.methods;
  selection.statuses = args.statuses;
  if (!args.shard.empty()) {
    if (Status s = run::ParseShard(args.shard, &selection); !s.ok()) return ReportFailure(ctx, s);
  }

  // The knowledge base: the configured folder, plus files or folders named outside it.
  std::vector<std::string> roots = KnowledgeBaseRoots(*env, args.targets);
  if (roots.empty())
    return ReportFailure(ctx, Usage("no knowledge base: set knowledge_base in the environment, "
                                    "pass --kb DIR, or name documents"));
  Result<kb::KnowledgeBase> loaded = kb::LoadKnowledgeBase(ctx.fs, roots);
  if (!loaded.ok()) return ReportFailure(ctx, loaded.status());
  run::RunSettings settings = EnvironmentSettings(*env, ctx);
  std::shared_ptr<spec::Catalog> catalog;
  std::shared_ptr<derive::SpecHealer> healer;
  if (args.all_operations) {
    if (args.write_drafts && !options.write_back)
      return ReportFailure(ctx, Usage("--write-drafts writes into the knowledge base, which "
                                      "--no-write-back leaves untouched: choose one"));
    Status added =
        AddSpecDocuments(args, settings, options, selection, ctx, &*loaded, &catalog, &healer);
    if (!added.ok()) return ReportFailure(ctx, added);
    options.healer = healer;
  } else if (args.allow_writes || args.write_drafts) {
    return ReportFailure(ctx, Usage("--allow-writes and --write-drafts apply to --all-operations"));
  }
  auto kb = std::make_shared<const kb::KnowledgeBase>(std::move(*loaded));
  Result<run::Plan> plan = run::MakePlan(*kb, selection);
  if (!plan.ok()) return ReportFailure(ctx, Usage(plan.status().message()));
  if (args.spec_only) {
    std::vector<run::PlannedDocument> built;
    for (const run::PlannedDocument& p : plan->documents)
      if (p.document->from_spec) built.push_back(p);
    plan = run::OrderPlan(std::move(built));
  }

  PreparedRun prepared{std::move(settings), std::move(options), std::move(kb),
                       std::move(catalog),  std::move(*plan),   std::move(healer)};
  return RunPrepared(args, ctx, std::move(prepared));
}

Status AddVariables(const RunArgs& args, run::RunOptions* options) {
  for (const std::string& v : args.vars) {
    size_t eq = v.find('=');
    if (eq == std::string::npos || eq == 0)
      return Usage(fmt::format("--var {}: expected NAME=VALUE", v));
    options->variables[v.substr(0, eq)] = v.substr(eq + 1);
  }
  return Status::Ok();
}

int RunPrepared(const RunArgs& args, Context& ctx, PreparedRun prepared) {
  run::RunSettings& settings = prepared.settings;
  const run::RunOptions& options = prepared.options;
  const std::shared_ptr<const kb::KnowledgeBase>& kb = prepared.kb;
  const run::Plan* plan = &prepared.plan;
  const std::shared_ptr<derive::SpecHealer>& healer = prepared.healer;
  // The drafts' second run (derive/drafts.h) runs in the same environment, with the same choices.
  derive::ProvingRun proving;
  if (args.write_drafts) proving = {settings, options, prepared.catalog, {}, {}};
  Result<std::unique_ptr<run::Session>> session = run::Session::Create(
      std::move(settings), options, kb, std::move(prepared.catalog), ctx.fs, ctx.clock);
  if (!session.ok()) return ReportFailure(ctx, session.status());
  bool dry_run = (*session)->dry_run();

  bool is_terminal = &ctx.out == &std::cout && isatty(STDOUT_FILENO);
  report::ConsoleOptions console =
      is_terminal ? report::DetectConsoleOptions(STDOUT_FILENO)
                  : report::ConsoleOptionsFor(false, std::getenv("NO_COLOR"), std::getenv("TERM"));
  console.quiet = args.quiet;
  console.verbose = args.verbose;
  run::EventBus& bus = (*session)->events();
  report::ConsoleReporter reporter(ctx.out, console);
  if (!dry_run) reporter.Attach(bus);

  // A dry run sends nothing, so it is no run of the API to remember.
  std::unique_ptr<store::History> history;
  std::unique_ptr<store::HistoryRecorder> recorder;
  std::string history_path =
      dry_run || args.no_history ? "" : HistoryPath(ctx, args.history, args.config);
  if (!history_path.empty()) {
    Result<std::unique_ptr<store::History>> opened = store::History::Open(history_path);
    if (opened.ok()) {
      history = std::move(*opened);
      recorder = std::make_unique<store::HistoryRecorder>(*history, "cli");
      recorder->Attach(bus);
    } else {
      ctx.err << "verity: this run is not recorded in the history: " << opened.status().message()
              << "\n";
    }
  }

  run::RunResult result = (*session)->Run(*plan);
  if (dry_run) PrintPlan(result, ctx.out);
  bool drafts_written = true;
  if (args.write_drafts && !dry_run)
    drafts_written =
        PrintDrafts(derive::WriteDrafts(result, *healer, *kb, proving, ctx.fs, ctx.clock), ctx);
  if (recorder && !recorder->status().ok()) {
    ctx.err << "verity: the history is missing part of this run: " << recorder->status().message()
            << "\n";
  }

  struct ReportWriter {
    const char* kind;
    const std::string& path;
    std::function<Status(const std::string&)> write;
  };
  for (const ReportWriter& writer : std::vector<ReportWriter>{
           {"JSON", args.report_json,
            [&](const std::string& p) { return report::WriteJsonReport(ctx.fs, p, result); }},
           {"JUnit", args.report_junit,
            [&](const std::string& p) { return report::WriteJunitReport(ctx.fs, p, result); }},
           {"Markdown", args.report_md,
            [&](const std::string& p) { return report::WriteMarkdownReport(ctx.fs, p, result); }},
           {"HTML", args.report_html,
            [&](const std::string& p) { return report::WriteHtmlReport(ctx.fs, p, result); }},
       }) {
    if (writer.path.empty()) continue;
    if (Status s = writer.write(writer.path); !s.ok()) {
      ctx.err << "verity: the " << writer.kind << " report was not written: " << s.message()
              << "\n";
      return kExitIo;
    }
  }
  if (!drafts_written) return kExitIo;
  return run::ExitCodeFor(result);
}

namespace {

// The flags `verity run` and `verity draft` share: the environment, selection, politeness,
// output and reports.
void AddRunFlags(CLI::App* cmd, RunArgs* args) {
  run::RunOptions* options = &args->options;
  cmd->add_option("targets", args->targets,
                  "Files, folders, or endpoint globs like \"GET /business/payments/v1/*\" "
                  "(default: the whole knowledge base)");
  AddEnvironmentOptions(*cmd, *args);
  cmd->add_option("--var", args->vars, "NAME=VALUE: a template variable that beats all others");
  cmd->add_option("--concurrency", options->concurrency, "Documents in flight at once");
  cmd->add_option("--deadline", args->deadline, "Stop the whole run after this long");
  cmd->add_option("--shard", args->shard, "K/N: run only the K-th of N deterministic parts");
  cmd->add_option("--domain", args->domains, "Only these domains");
  cmd->add_option("--method", args->methods, "Only these methods");
  cmd->add_option("--status", args->statuses, "Only documents with these knowledge-base statuses");
  cmd->add_flag("--allow-writes", args->allow_writes,
                "With --all-operations: send POST, PUT and PATCH built from the spec too");
  cmd->add_option("--heal-tries", args->heal_tries,
                  "With --all-operations: tries of one request built from the spec, healed "
                  "after each failure (default 4; 1: no heals)")
      ->check(CLI::Range(1, derive::kMaxHealTries));
  cmd->add_flag("--include-delete", options->include_delete, "Run test requests that DELETE");
  cmd->add_flag("--dry-run", options->dry_run, "Print the requests a run would send; send nothing");
  cmd->add_flag("--strict", options->strict, "Warnings fail the run");
  cmd->add_flag("-q,--quiet", args->quiet, "Only the final line");
  cmd->add_flag("-v,--verbose", args->verbose, "Every document and step");
  cmd->add_option("--history", args->history,
                  "Record the run in this history database (default .verity/history.db beside "
                  "the configuration)");
  cmd->add_flag("--no-history", args->no_history, "Do not record the run in the history");
  cmd->add_option("--report-json", args->report_json, "Write the JSON report here");
  cmd->add_option("--report-junit", args->report_junit, "Write a JUnit XML report here");
  cmd->add_option("--report-md", args->report_md, "Write a Markdown report here");
  cmd->add_option("--report-html", args->report_html,
                  "Write a self-contained HTML report here (one file, no script)");
}

}  // namespace

void RegisterRun(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<RunArgs>();
  run::RunOptions* options = &args->options;
  CLI::App* cmd = app.add_subcommand(
      "run",
      "Run recipes against the API of an environment, check them, report, and update the "
      "knowledge base");
  AddRunFlags(cmd, args.get());
  cmd->add_flag("--all-operations", args->all_operations,
                "Every operation of the spec: those without a recipe through a request built "
                "from the spec (reads only, unless --allow-writes)");
  cmd->add_flag("--write-drafts", args->write_drafts,
                "With --all-operations: write each request built from the spec that passed into "
                "the knowledge base as a new recipe (status pending); never overwrites");
  cmd->add_flag_callback(
      "--no-write-back", [options] { options->write_back = false; },
      "Leave the knowledge base untouched");
  cmd->add_option("--input", args->inputs,
                  "NAME=VALUE: an input of the Arazzo document's workflows (VALUE read as JSON "
                  "when it is JSON)");
  cmd->add_option("--inputs", args->inputs_file,
                  "A YAML or JSON file of the Arazzo workflows' inputs, by name");
  cmd->add_option("--workflow", args->workflows,
                  "Only this workflow of the Arazzo document (and those it depends on)");
  cmd->callback([args, &ctx] { ctx.exit_code = ExecuteRun(*args, ctx); });
}

void RegisterDraft(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<RunArgs>();
  args->all_operations = true;
  args->write_drafts = true;
  args->spec_only = true;
  CLI::App* cmd = app.add_subcommand(
      "draft",
      "Call every operation without a recipe through a request built from the spec, and write "
      "each that passes into the knowledge base as a new recipe (verity run --all-operations "
      "--write-drafts)");
  AddRunFlags(cmd, args.get());
  cmd->callback([args, &ctx] { ctx.exit_code = ExecuteRun(*args, ctx); });
}

}  // namespace verity::cli
