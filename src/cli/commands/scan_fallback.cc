// `verity scan-fallback`: is the fallback base URL still needed? Runs every document that sets
// `useFallbackApi` (or every document named) once against the fallback and once against the
// primary, each side forced for every request, and recommends what to do with the flag; `--fix`
// removes the flag from the documents whose recommendation says it can go. Exit 0 when the scan
// ran, whatever it found; 2 for a usage or configuration error; 3 when a fix could not be written.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <set>

#include "base/strings.h"
#include "cli/commands/commands.h"
#include "cli/run_setup.h"
#include "kb/knowledge_base.h"
#include "run/fallback_scan.h"
#include "run/kb_writeback.h"
#include "run/session.h"

namespace verity::cli {

namespace {

struct ScanArgs : EnvironmentArgs {
  std::vector<std::string> targets;
  size_t concurrency = 0;
  bool json = false;
  std::string fix;  // RECOMMENDATION[,...]
};

std::string SideText(const run::ScanSide& side) {
  std::string text = fmt::format("{} {}", side.base, run::OutcomeName(side.outcome));
  if (side.http_status != 0) text += fmt::format(" {}", side.http_status);
  if (!side.passed() && !side.reason.empty()) text += " " + side.reason;
  text += fmt::format(" {} ms", side.duration_ms <= 0 ? 0 : std::llround(side.duration_ms));
  return text;
}

std::string ResultLine(const run::ScanResult& r) {
  std::string line = fmt::format("{:<21}  {}  ({})", run::RecommendationName(r.recommendation),
                                 r.endpoint, r.file);
  if (r.fallback && r.primary) {
    line += "  " + SideText(*r.fallback) + " | " + SideText(*r.primary);
  } else {
    line += "  no prerequisites and no test request: nothing to try";
  }
  return line;
}

std::string CountsText(const run::ScanCounts& c) {
  return fmt::format(
      "{} PRIMARY_NOW_WORKS, {} FALLBACK_STILL_NEEDED, {} FALLBACK_BROKEN, {} BOTH_FAILING, {} "
      "NO_WORKFLOW, {} SKIPPED",
      c.primary_now_works, c.fallback_still_needed, c.fallback_broken, c.both_failing,
      c.no_workflow, c.skipped);
}

int RunScan(ScanArgs& args, Context& ctx) {
  std::set<run::Recommendation> fix_for;
  for (std::string_view name : Split(args.fix, ',')) {
    name = Trim(name);
    if (name.empty()) continue;
    std::optional<run::Recommendation> r = run::ParseRecommendation(ToUpper(name));
    if (!r) {
      return ReportFailure(
          ctx, Status::InvalidArgument(
                   fmt::format("--fix {}: expected recommendations among PRIMARY_NOW_WORKS, "
                               "FALLBACK_STILL_NEEDED, FALLBACK_BROKEN, BOTH_FAILING, NO_WORKFLOW, "
                               "SKIPPED",
                               name)));
    }
    fix_for.insert(*r);
  }

  Result<run::Environment> env = LoadEnvironment(args, ctx);
  if (!env.ok()) return ReportEnvironmentFailure(ctx, env.status());
  if (env->fallback_url.empty()) {
    return ReportFailure(ctx, Status::InvalidArgument(
                                  "scan-fallback compares the fallback base URL with the primary, "
                                  "and none is configured: set fallback_url in the environment "
                                  "or pass --fallback-url URL"));
  }
  std::vector<std::string> roots = KnowledgeBaseRoots(*env, args.targets);
  if (roots.empty()) {
    return ReportFailure(
        ctx, Status::InvalidArgument("no knowledge base: set knowledge_base in the environment, "
                                     "pass --kb DIR, or name documents"));
  }
  Result<kb::KnowledgeBase> loaded = kb::LoadKnowledgeBase(ctx.fs, roots);
  if (!loaded.ok()) return ReportFailure(ctx, loaded.status());
  auto kb = std::make_shared<const kb::KnowledgeBase>(std::move(*loaded));
  run::Selection selection;
  selection.targets = args.targets;
  Result<std::vector<const doc::Document*>> documents = run::SelectForScan(*kb, selection);
  if (!documents.ok())
    return ReportFailure(ctx, Status::InvalidArgument(documents.status().message()));

  run::RunOptions options;
  options.concurrency = args.concurrency;
  Result<std::unique_ptr<run::Session>> session =
      run::Session::Create(EnvironmentSettings(*env, ctx), options, kb, nullptr, ctx.fs, ctx.clock);
  if (!session.ok()) return ReportFailure(ctx, session.status());

  if (!args.json) {
    (*session)->events().Subscribe([&ctx](uint64_t, const run::RunEvent& event) {
      if (const auto* started = std::get_if<run::ScanStarted>(&event)) {
        ctx.out << fmt::format("Scanning {} document{}: fallback {} against primary {}\n",
                               started->planned, started->planned == 1 ? "" : "s",
                               started->fallback_url, started->base_url);
      } else if (const auto* ready = std::get_if<run::ScanResultReady>(&event)) {
        ctx.out << ResultLine(ready->result) << "\n";
      }
    });
  }
  Result<run::ScanReport> report = (*session)->Scan(*documents);
  if (!report.ok()) return ReportFailure(ctx, report.status());

  std::vector<std::string> to_fix;
  for (const run::ScanResult& r : report->results) {
    if (fix_for.contains(r.recommendation)) to_fix.push_back(r.file);
  }
  run::FallbackFix fix;
  if (!to_fix.empty()) fix = run::RemoveFallbackFlags(ctx.fs, *kb, to_fix);
  bool io_error = !fix.failed.empty();

  if (args.json) {
    Json out = Json::object();
    out["scanId"] = report->scan_id;
    out["baseUrl"] = env->base_url;
    out["fallbackUrl"] = env->fallback_url;
    out["results"] = Json::array();
    for (const run::ScanResult& r : report->results) out["results"].push_back(run::ToJson(r));
    out["counts"] = run::ToJson(report->counts);
    out["fixed"] = Json::array();
    for (const run::FixedDocument& f : fix.fixed)
      out["fixed"].push_back({{"file", f.file}, {"removed", f.removed}});
    out["skipped"] = Json::array();
    for (const run::SkippedDocument& s : fix.skipped)
      out["skipped"].push_back({{"file", s.file}, {"reason", s.reason}});
    out["failed"] = Json::array();
    for (const run::WriteBackFailure& f : fix.failed) {
      out["failed"].push_back(
          {{"file", f.file}, {"reason", run::reason::kWriteBackFailed}, {"error", f.error}});
    }
    out["durationMs"] = std::llround(report->duration_ms);
    ctx.out << out.dump(2) << "\n";
  } else {
    if (report->results.empty())
      ctx.out << "No document sets useFallbackApi: true; name documents to scan them anyway.\n";
    ctx.out << fmt::format("{} scanned in {} ms: {}\n", report->counts.total,
                           std::llround(report->duration_ms), CountsText(report->counts));
    for (const run::FixedDocument& f : fix.fixed) {
      ctx.out << fmt::format("fixed {}: removed {} line{}\n", f.file, f.removed.size(),
                             f.removed.size() == 1 ? "" : "s");
      for (const std::string& line : f.removed)
        ctx.out << "  - " << (Trim(line).empty() ? "(blank line)" : line) << "\n";
    }
    for (const run::SkippedDocument& s : fix.skipped)
      ctx.out << fmt::format("not fixed {}: {}\n", s.file, s.reason);
    for (const run::WriteBackFailure& f : fix.failed)
      ctx.out << fmt::format("not fixed {}: {}: {}\n", f.file, run::reason::kWriteBackFailed,
                             f.error);
  }
  return io_error ? kExitIo : kExitOk;
}

}  // namespace

void RegisterScanFallback(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ScanArgs>();
  CLI::App* cmd = app.add_subcommand(
      "scan-fallback",
      "Run each recipe that uses the fallback base URL against both bases and say whether the "
      "fallback is still needed; --fix removes the flag where it is not");
  cmd->add_option("targets", args->targets,
                  "Files (scanned whatever their flag), folders or endpoint globs (documents "
                  "with useFallbackApi: true); default: the whole knowledge base");
  AddEnvironmentOptions(*cmd, *args);
  cmd->add_option("--concurrency", args->concurrency, "Documents in flight at once");
  cmd->add_flag("--json", args->json, "Print the results, counts and fixes as JSON");
  cmd->add_option("--fix", args->fix,
                  "RECOMMENDATION[,...]: remove the fallback flag from the documents with these "
                  "recommendations (e.g. PRIMARY_NOW_WORKS,FALLBACK_BROKEN)");
  cmd->callback([args, &ctx] { ctx.exit_code = RunScan(*args, ctx); });
}

}  // namespace verity::cli
