// `verity coverage`: every operation of the specs with the state of the documents that cover it.
#include <fmt/format.h>

#include "cli/commands/commands.h"
#include "cli/output.h"
#include "cli/spec_output.h"
#include "kb/spec_links.h"

namespace verity::cli {
namespace {

struct CoverageArgs {
  SpecArgs specs;
  std::vector<std::string> kb_paths;
  std::string state;
  bool json = false;
};

std::string Percent(size_t part, size_t whole) {
  return whole == 0 ? "-"
                    : fmt::format("{:.1f}%",
                                  100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

int RunCoverage(const CoverageArgs& args, Context& ctx) {
  auto catalog = LoadCatalogOrReport(ctx, args.specs);
  if (!catalog) return ctx.exit_code;
  std::optional<kb::KnowledgeBase> kb = LoadOrReport(ctx, args.kb_paths);
  if (!kb) return ctx.exit_code;
  kb::Coverage coverage = kb::ComputeCoverage(*catalog, *kb);
  if (args.json) {
    ctx.out << kb::CoverageToJson(coverage).dump(2) << "\n";
    return kExitOk;
  }
  for (const kb::CoveredOperation& entry : coverage.operations) {
    // A failing variant shows under "failed" too, whatever its operation's own state.
    bool failing_variant = args.state == "failed" && !entry.failing_variants.empty();
    if (!args.state.empty() && entry.state != args.state && !failing_variant) continue;
    std::string docs;
    for (const doc::Document* d : entry.documents) {
      docs += (docs.empty() ? "" : ", ") + d->file;
      // A variant's own state is shown: the operation's is its primary's.
      if (!d->frontmatter.variant.empty())
        docs += fmt::format(" [{}: {}]", d->frontmatter.variant, kb::CoverageStateOf(*d));
    }
    ctx.out << fmt::format("{:<10} {:<7} {:<64} {:<24} {}\n", entry.state, entry.operation->method,
                           entry.operation->path, entry.operation->domain, docs);
  }
  if (!coverage.unmatched.empty()) {
    ctx.out << "\ndocuments whose endpoint matches no operation:\n";
    for (const kb::UnmatchedDocument& u : coverage.unmatched) {
      ctx.out << fmt::format(
          "  {}: {} {}{}\n", u.document->file, u.document->frontmatter.method,
          u.document->frontmatter.path,
          u.nearest.operation ? "  (nearest: " + u.nearest.operation->Key() + ")" : "");
    }
  }
  ctx.out << fmt::format("\n{:<26} {:>6} {:>8} {:>9} {:>7} {:>8} {:>8} {:>11} {:>6}\n", "domain",
                         "ops", "covered", "verified", "failed", "pending", "skipped", "deprecated",
                         "none");
  auto row = [&](const std::string& name, const kb::CoverageTotals& t) {
    ctx.out << fmt::format("{:<26} {:>6} {:>8} {:>9} {:>7} {:>8} {:>8} {:>11} {:>6}\n", name,
                           t.operations, Percent(t.covered(), t.operations),
                           t.by_state.at("verified"), t.by_state.at("failed"),
                           t.by_state.at("pending"), t.by_state.at("skipped"),
                           t.by_state.at("deprecated"), t.by_state.at("none"));
  };
  for (const auto& [domain, totals] : coverage.by_domain) row(domain, totals);
  row("total", coverage.total);
  ctx.out << fmt::format("{} document{} match no operation\n", coverage.unmatched.size(),
                         coverage.unmatched.size() == 1 ? "" : "s");
  size_t failing = 0;
  for (const kb::CoveredOperation& entry : coverage.operations)
    failing += entry.failing_variants.size();
  if (failing > 0)
    ctx.out << fmt::format("{} variant recipe{} failed (shown in brackets beside the operation)\n",
                           failing, failing == 1 ? "" : "s");
  return kExitOk;
}

}  // namespace

void RegisterCoverage(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<CoverageArgs>();
  CLI::App* cmd = app.add_subcommand(
      "coverage", "Every spec operation with its knowledge-base state, totals per domain");
  cmd->add_option("--specs", args->specs.spec_paths, "Spec files or folders")->required();
  cmd->add_option("--kb", args->kb_paths, "Knowledge base folders or documents")->required();
  cmd->add_option("--state", args->state, "List only operations in this state")
      ->check(CLI::IsMember({"verified", "failed", "pending", "skipped", "deprecated", "none"}));
  cmd->add_flag("--json", args->json, "Print JSON");
  AddRefMapOption(*cmd, args->specs);
  cmd->callback([args, &ctx] { ctx.exit_code = RunCoverage(*args, ctx); });
}

}  // namespace verity::cli
