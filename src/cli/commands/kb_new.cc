// `verity kb new`: a new document at the conventional file name, never over an existing one:
// a scaffold to fill in, or, with --from-spec, the recipe a run would build from the spec for the
// endpoint (derive/recipe.h), offline: nothing is sent, and the draft says `status: pending`
// until a run proves it.
#include <fmt/format.h>

#include "cli/commands/commands.h"
#include "cli/output.h"
#include "derive/recipe.h"
#include "kb/update.h"
#include "spec/catalog.h"

namespace verity::cli {

namespace {

struct NewArgs {
  doc::ScaffoldOptions options;
  std::string kb_root = ".";
  std::string from_spec;            // a spec file or folder
  bool allow_writes = false;        // a producer may create what the recipe needs
  std::vector<std::string> params;  // names the environment gives (`{{name}}` in the recipe)
};

int RunNewFromSpec(const NewArgs& args, Context& ctx) {
  spec::Catalog catalog(ctx.fs);
  if (!catalog.Add(args.from_spec))
    return ReportFailure(ctx, Status::InvalidArgument(fmt::format(
                                  "--from-spec: cannot read the spec at {}", args.from_spec)));
  const spec::Operation* op = catalog.FindEndpoint(args.options.endpoint);
  if (op == nullptr)
    return ReportFailure(ctx, Status::InvalidArgument(fmt::format(
                                  "{}: no operation of the spec at {} has this endpoint",
                                  args.options.endpoint, args.from_spec)));
  derive::DeriveOptions options;
  options.allow_writes = args.allow_writes;
  options.variant = args.options.variant;
  options.params.insert(args.params.begin(), args.params.end());
  Result<derive::DerivedRecipe> recipe = derive::DeriveRecipe(*op, catalog, options);
  if (!recipe.ok()) {
    ctx.err << "verity: " << recipe.status().message() << "\n";
    return kExitFindings;
  }
  std::string domain = args.options.domain.empty() ? recipe->domain : args.options.domain;
  Result<std::string> file = kb::CreateDocumentText(ctx.fs, args.kb_root, domain, recipe->endpoint,
                                                    recipe->variant, recipe->text);
  if (!file.ok()) return ReportFailure(ctx, file.status());
  ctx.out << fmt::format("created {} (status: pending; `verity run` proves it)\n", *file);
  for (const derive::ValueSource& v : recipe->sources)
    ctx.out << fmt::format("  {} ({}) <- {}: {}\n", v.name, v.in, v.source, v.detail);
  return kExitOk;
}

int RunNew(const NewArgs& args, Context& ctx) {
  if (!args.from_spec.empty()) return RunNewFromSpec(args, ctx);
  if (args.options.domain.empty())
    return ReportFailure(ctx, Status::InvalidArgument("--domain is required (or --from-spec)"));
  Result<std::string> file = kb::CreateDocument(ctx.fs, args.kb_root, args.options, ctx.clock);
  if (!file.ok()) return ReportFailure(ctx, file.status());
  ctx.out << fmt::format("created {}\n", *file);
  return kExitOk;
}

}  // namespace

void RegisterKbNew(CLI::App& kb, Context& ctx) {
  auto args = std::make_shared<NewArgs>();
  CLI::App* cmd = kb.add_subcommand("new", "Scaffold a document for an endpoint");
  cmd->add_option("endpoint", args->options.endpoint, "\"METHOD /path\"")->required();
  cmd->add_option("--domain", args->options.domain,
                  "Domain (the folder it goes in); with --from-spec, the spec's by default");
  cmd->add_option("--kb", args->kb_root, "Knowledge base folder")->capture_default_str();
  cmd->add_option("--token", args->options.token, "Token type of the request")
      ->capture_default_str();
  cmd->add_option("--tag", args->options.tags, "Tag (repeatable)");
  cmd->add_option("--variant", args->options.variant,
                  "Another recipe of an endpoint that has one (a negative case): its name, written "
                  "as variant: and after __ in the file name");
  cmd->add_option("--swagger", args->options.swagger, "Spec file this endpoint is documented in");
  cmd->add_option("--from-spec", args->from_spec,
                  "Build the recipe from this spec (file or folder) as `verity run "
                  "--all-operations` would: producers, values, body, cleanup; nothing is sent");
  cmd->add_flag("--allow-writes", args->allow_writes,
                "With --from-spec: a value may come from creating a resource first");
  cmd->add_option("--param", args->params,
                  "With --from-spec: a name the environment's params give (repeatable)");
  cmd->callback([args, &ctx] { ctx.exit_code = RunNew(*args, ctx); });
}

}  // namespace verity::cli
