#include <fmt/format.h>

#include "cli/commands/commands.h"
#include "cli/output.h"
#include "doc/naming.h"
#include "doc/status_vocabulary.h"

namespace verity::cli {

namespace {

struct LsArgs {
  std::string path;
  kb::DocumentFilter filter;
  bool json = false;
};

int RunLs(const LsArgs& args, Context& ctx) {
  std::optional<kb::KnowledgeBase> kb = LoadOrReport(ctx, {args.path});
  if (!kb) return ctx.exit_code;
  std::vector<const doc::Document*> docs;
  for (const doc::Document& d : kb->documents)
    if (args.filter.Matches(d)) docs.push_back(&d);
  if (args.json) {
    Json arr = Json::array();
    for (const doc::Document* d : docs) arr.push_back(DocumentSummaryJson(*d));
    ctx.out << arr.dump(2) << "\n";
    return kExitOk;
  }
  for (const doc::Document* d : docs) {
    const doc::Frontmatter& fm = d->frontmatter;
    std::string status = fm.status ? doc::StatusName(*fm.status) : "?";
    if (fm.use_fallback_api.value_or(false)) status += "*";
    ctx.out << fmt::format(
        "{:<11} {:<6} {:<60} {:<24} {}\n", status, fm.method.empty() ? "?" : fm.method,
        fm.path.empty() ? "(no endpoint)" : doc::RecipeLabel(fm.path, fm.variant), fm.domain,
        d->file);
  }
  ctx.out << fmt::format("{} document{} (* = uses the fallback API)\n", docs.size(),
                         docs.size() == 1 ? "" : "s");
  return kExitOk;
}

}  // namespace

void RegisterKbLs(CLI::App& kb, Context& ctx) {
  auto args = std::make_shared<LsArgs>();
  CLI::App* cmd = kb.add_subcommand("ls", "List documents");
  cmd->add_option("path", args->path, "Knowledge base folder (or one document)")->required();
  AddFilterOptions(*cmd, args->filter);
  cmd->add_flag("--json", args->json, "Print a JSON array");
  cmd->callback([args, &ctx] { ctx.exit_code = RunLs(*args, ctx); });
}

}  // namespace verity::cli
