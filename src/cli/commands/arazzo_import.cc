// `verity arazzo import FILE --kb DIR`: one recipe per workflow of an Arazzo document, written
// into DIR (arazzo/recipes.h). A file that exists is never overwritten: it is left as it is and
// reported, and the run exits 1, so that a script sees that the knowledge base does not hold
// what the document says. A workflow that cannot be converted is reported with its problems and
// the others are still written.
#include <fmt/format.h>

#include "arazzo/model.h"
#include "arazzo/recipes.h"
#include "cli/commands/commands.h"

namespace verity::cli {

namespace {

struct ArazzoImportArgs {
  std::string file;
  std::string kb;
};

struct ImportCounts {
  size_t written = 0, skipped = 0, failed = 0;
  bool io_error = false;
};

// Writes one recipe, never over an existing file; what happened is printed.
void WriteRecipe(Context& ctx, const std::string& dir, const PathRoots& roots,
                 const arazzo::WorkflowRecipe& recipe, ImportCounts& counts) {
  std::string path = JoinPath(dir, recipe.file);
  Status created = ctx.fs.CreateFileExclusiveInside(path, recipe.text, roots);
  if (created.ok()) {
    counts.written++;
    ctx.out << fmt::format("wrote {} (workflow {})\n", path, recipe.workflow_id);
  } else if (created.code() == StatusCode::kAlreadyExists) {
    counts.skipped++;
    ctx.out << fmt::format("skipped {} (workflow {}): the file exists and is never overwritten\n",
                           path, recipe.workflow_id);
  } else {
    counts.io_error = true;
    ctx.err << fmt::format("verity: {}: {}\n", path, created.message());
  }
}

int RunArazzoImport(const ArazzoImportArgs& args, Context& ctx) {
  Result<std::string> text = ctx.fs.ReadFile(args.file);
  if (!text.ok()) return ReportFailure(ctx, text.status());
  arazzo::LoadResult loaded = arazzo::LoadDocument(args.file, *text);
  size_t errors = 0;
  for (const arazzo::Problem& p : loaded.problems) {
    ctx.out << arazzo::FormatProblem(p) << "\n";
    if (p.is_error()) errors++;
  }
  if (!loaded.document || errors > 0) {
    ctx.out << fmt::format("{}: not imported: the document has errors (`verity arazzo lint`)\n",
                           args.file);
    return kExitFindings;
  }
  Status made = ctx.fs.CreateDirectories(args.kb);
  if (!made.ok()) return ReportFailure(ctx, made);
  Result<PathRoots> roots = PathRoots::Resolve(ctx.fs, {args.kb});
  if (!roots.ok()) return ReportFailure(ctx, roots.status());
  Result<std::string> real_dir = ResolveInside(ctx.fs, args.kb, *roots);
  if (!real_dir.ok()) return ReportFailure(ctx, real_dir.status());
  Result<std::string> real_file = ctx.fs.RealPath(args.file);
  if (!real_file.ok()) return ReportFailure(ctx, real_file.status());

  arazzo::RecipeOptions options;
  options.recipe_dir = *real_dir;
  options.arazzo_path = *real_file;
  arazzo::Conversion conversion = arazzo::ConvertDocument(ctx.fs, *loaded.document, options);

  // Under the folder's lock like every write, so the temporary files are never taken for a dead
  // writer's.
  Result<std::unique_ptr<FileLock>> lock = ctx.fs.LockDirectory(*real_dir);
  if (!lock.ok()) return ReportFailure(ctx, lock.status());
  ImportCounts counts;
  for (const arazzo::WorkflowRecipe& recipe : conversion.workflows) {
    for (const arazzo::Problem& p : recipe.problems) ctx.out << arazzo::FormatProblem(p) << "\n";
    if (recipe.text.empty()) {
      counts.failed++;
      ctx.out << fmt::format("not converted: workflow {}\n", recipe.workflow_id);
      continue;
    }
    WriteRecipe(ctx, args.kb, *roots, recipe, counts);
  }
  ctx.out << fmt::format(
      "{} recipe{} written, {} skipped (existing), {} workflow{} not converted\n", counts.written,
      counts.written == 1 ? "" : "s", counts.skipped, counts.failed, counts.failed == 1 ? "" : "s");
  if (counts.io_error) return kExitIo;
  return counts.skipped + counts.failed > 0 ? kExitFindings : kExitOk;
}

}  // namespace

void RegisterArazzoImport(CLI::App& arazzo, Context& ctx) {
  auto args = std::make_shared<ArazzoImportArgs>();
  CLI::App* cmd = arazzo.add_subcommand(
      "import", "Write one recipe per workflow of an Arazzo document, never overwriting");
  cmd->add_option("file", args->file, "Arazzo document (YAML or JSON)")->required();
  cmd->add_option("--kb", args->kb, "Folder the recipes are written in")->required();
  cmd->callback([args, &ctx] { ctx.exit_code = RunArazzoImport(*args, ctx); });
}

}  // namespace verity::cli
