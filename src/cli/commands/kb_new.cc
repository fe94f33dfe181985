#include <fmt/format.h>

#include "cli/commands/commands.h"
#include "cli/output.h"
#include "kb/update.h"

namespace verity::cli {

namespace {

struct NewArgs {
  doc::ScaffoldOptions options;
  std::string kb_root = ".";
};

int RunNew(const NewArgs& args, Context& ctx) {
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
  cmd->add_option("--domain", args->options.domain, "Domain (the folder it goes in)")->required();
  cmd->add_option("--kb", args->kb_root, "Knowledge base folder")->capture_default_str();
  cmd->add_option("--token", args->options.token, "Token type of the request")
      ->capture_default_str();
  cmd->add_option("--tag", args->options.tags, "Tag (repeatable)");
  cmd->add_option("--variant", args->options.variant,
                  "Another recipe of an endpoint that has one (a negative case): its name, written "
                  "as variant: and after __ in the file name");
  cmd->add_option("--swagger", args->options.swagger, "Spec file this endpoint is documented in");
  cmd->callback([args, &ctx] { ctx.exit_code = RunNew(*args, ctx); });
}

}  // namespace verity::cli
