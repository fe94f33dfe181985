#include <fmt/format.h>

#include "base/strings.h"
#include "cli/commands/commands.h"
#include "cli/output.h"
#include "kb/update.h"

namespace verity::cli {

namespace {

struct SetArgs {
  std::string file;
  std::vector<std::string> assignments;
};

int RunSet(const SetArgs& args, Context& ctx) {
  std::vector<doc::FieldUpdate> updates;
  std::vector<std::string> keys;
  for (const std::string& a : args.assignments) {
    Result<doc::FieldUpdate> u = doc::ParseFieldUpdate(a);
    if (!u.ok()) return ReportFailure(ctx, u.status());
    keys.push_back(u->key);
    updates.push_back(std::move(u).value());
  }
  // A file named here is confined to its folder: a link in it that leads out is not followed.
  Result<PathRoots> roots = PathRoots::Resolve(ctx.fs, {args.file});
  if (!roots.ok()) return ReportFailure(ctx, roots.status());
  Result<bool> changed = kb::UpdateDocumentFields(ctx.fs, args.file, *roots, updates);
  if (!changed.ok()) return ReportFailure(ctx, changed.status());
  ctx.out << fmt::format("{}: {}\n", args.file,
                         *changed ? "updated " + Join(keys, ", ") : std::string("unchanged"));
  return kExitOk;
}

}  // namespace

void RegisterKbSet(CLI::App& kb, Context& ctx) {
  auto args = std::make_shared<SetArgs>();
  CLI::App* cmd =
      kb.add_subcommand("set", "Update frontmatter fields in place (only those bytes change)");
  cmd->add_option("file", args->file, "The document")->required();
  cmd->add_option("assignments", args->assignments, "key=value …")->required();
  cmd->callback([args, &ctx] { ctx.exit_code = RunSet(*args, ctx); });
}

}  // namespace verity::cli
