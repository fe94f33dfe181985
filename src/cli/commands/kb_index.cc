#include <fmt/format.h>

#include "cli/commands/commands.h"
#include "cli/output.h"
#include "kb/index.h"

namespace verity::cli {

namespace {

int RunIndex(const std::string& path, Context& ctx) {
  Result<FileInfo> info = ctx.fs.Stat(path);
  if (!info.ok()) return ReportFailure(ctx, info.status());
  if (info->type != FileType::kDirectory)
    return ReportFailure(ctx, Status::InvalidArgument(fmt::format("{} is not a folder", path)));
  std::optional<kb::KnowledgeBase> kb = LoadOrReport(ctx, {path});
  if (!kb) return ctx.exit_code;
  Json index = kb::BuildIndex(*kb, path);
  std::string text = index.dump(2) + "\n";
  std::string target = JoinPath(path, "index.json");
  Result<std::string> old = ctx.fs.ReadFileInside(target, kb->confinement);
  size_t count = index["workflows"].size();
  if (old.ok() && *old == text) {
    ctx.out << fmt::format("{} is up to date ({} workflows)\n", target, count);
    return kExitOk;
  }
  Status st = WriteFileLocked(ctx.fs, target, text, kb->confinement);
  if (!st.ok()) return ReportFailure(ctx, st);
  ctx.out << fmt::format("wrote {} ({} workflows)\n", target, count);
  return kExitOk;
}

}  // namespace

void RegisterKbIndex(CLI::App& kb, Context& ctx) {
  auto path = std::make_shared<std::string>();
  CLI::App* cmd = kb.add_subcommand("index", "Write PATH/index.json");
  cmd->add_option("path", *path, "Knowledge base folder")->required();
  cmd->callback([path, &ctx] { ctx.exit_code = RunIndex(*path, ctx); });
}

}  // namespace verity::cli
