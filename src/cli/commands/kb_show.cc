#include <fmt/format.h>

#include "base/strings.h"
#include "cli/commands/commands.h"
#include "cli/output.h"
#include "doc/naming.h"
#include "doc/status_vocabulary.h"
#include "doc/to_json.h"
#include "kb/lint.h"

namespace verity::cli {

namespace {

struct ShowArgs {
  std::string file;
  bool json = false;
};

void PrintStep(std::ostream& out, size_t n, const doc::Step& s) {
  out << fmt::format("  {}. {:<24} {} {}", n, s.id.empty() ? "(no id)" : s.id, s.method, s.path);
  if (s.token) out << fmt::format("  [{}]", *s.token);
  if (s.use_fallback.value_or(false)) out << "  (fallback)";
  out << "\n";
  if (!s.description.empty()) out << fmt::format("     {}\n", s.description);
  std::vector<std::string> facts;
  if (!s.expect_status.empty()) {
    std::vector<std::string> codes;
    for (int c : s.expect_status) codes.push_back(std::to_string(c));
    facts.push_back("expect " + Join(codes, "|"));
  }
  for (const doc::Extract& e : s.extract) {
    if (!e.copy_of.empty())
      facts.push_back(fmt::format("{} ← {{{{{}}}}}", e.name, e.copy_of));
    else if (e.default_value)
      facts.push_back(fmt::format("{} ← {} (default {})", e.name, e.path, e.default_value->dump()));
    else
      facts.push_back(fmt::format("{} ← {}", e.name, e.path));
  }
  if (!s.on_fail_text.empty()) facts.push_back("onFail " + s.on_fail_text);
  if (!facts.empty()) out << "     " << Join(facts, "; ") << "\n";
}

int RunShow(const ShowArgs& args, Context& ctx) {
  Result<FileInfo> info = ctx.fs.Stat(args.file);
  if (!info.ok()) return ReportFailure(ctx, info.status());
  if (info->type != FileType::kFile)
    return ReportFailure(ctx, Status::NotFound(fmt::format("no such document: {}", args.file)));
  // A file named here is confined to its folder: a link in it that leads out is not followed.
  Result<PathRoots> roots = PathRoots::Resolve(ctx.fs, {args.file});
  if (!roots.ok()) return ReportFailure(ctx, roots.status());
  doc::Document d = kb::LoadDocument(ctx.fs, args.file, *roots);
  std::vector<doc::Diagnostic> diags = d.diagnostics;
  kb::LintDocument(d, "", kb::LintOptions{}, &diags);
  doc::SortDiagnostics(&diags);
  if (args.json) {
    Json j = doc::DocumentToJson(d);
    Json all = Json::array();
    for (const doc::Diagnostic& diag : diags) all.push_back(doc::DiagnosticToJson(diag));
    j["diagnostics"] = all;
    ctx.out << j.dump(2) << "\n";
  } else {
    const doc::Frontmatter& fm = d.frontmatter;
    ctx.out << fmt::format(
        "{}\n", fm.endpoint.empty() ? "(no endpoint)" : doc::RecipeLabel(fm.endpoint, fm.variant));
    ctx.out << fmt::format("  file      {}\n", d.file);
    if (d.title) ctx.out << fmt::format("  title     {}\n", *d.title);
    ctx.out << fmt::format("  domain    {}\n", fm.domain);
    ctx.out << fmt::format(
        "  status    {}{}\n", fm.status ? doc::StatusName(*fm.status) : "?",
        fm.raw_status.empty() || (fm.status && fm.raw_status == doc::StatusName(*fm.status))
            ? ""
            : fmt::format(" (written \"{}\")", fm.raw_status));
    if (!fm.tags.empty()) ctx.out << fmt::format("  tags      {}\n", Join(fm.tags, ", "));
    if (!fm.tokens.empty()) ctx.out << fmt::format("  tokens    {}\n", Join(fm.tokens, ", "));
    if (fm.swagger) ctx.out << fmt::format("  swagger   {}\n", *fm.swagger);
    if (fm.use_fallback_api.value_or(false)) ctx.out << "  fallback  yes (useFallbackApi)\n";
    if (fm.saved_at) ctx.out << fmt::format("  saved     {}\n", fm.saved_at->text);
    if (fm.verified_at) ctx.out << fmt::format("  verified  {}\n", fm.verified_at->text);
    ctx.out << fmt::format("  reused    {}\n", fm.times_reused.value_or(0));
    if (fm.skip_reason) ctx.out << fmt::format("  skip      {}\n", *fm.skip_reason);
    std::vector<std::string> titles;
    for (const doc::Section& s : d.sections) titles.push_back(s.title);
    ctx.out << fmt::format("  sections  {}\n", Join(titles, " · "));
    for (doc::SectionKind kind : {doc::SectionKind::kPrerequisites, doc::SectionKind::kTestRequest,
                                  doc::SectionKind::kCleanup, doc::SectionKind::kOther}) {
      std::vector<const doc::Step*> steps = d.StepsIn(kind);
      if (steps.empty()) continue;
      ctx.out << fmt::format("{} ({} step{}):\n", doc::SectionKindName(kind), steps.size(),
                             steps.size() == 1 ? "" : "s");
      for (size_t i = 0; i < steps.size(); ++i) PrintStep(ctx.out, i + 1, *steps[i]);
    }
    if (!diags.empty()) {
      ctx.out << "diagnostics:\n";
      PrintDiagnosticsText(ctx.out, diags);
    }
  }
  return d.has_errors() ? kExitFindings : kExitOk;
}

}  // namespace

void RegisterKbShow(CLI::App& kb, Context& ctx) {
  auto args = std::make_shared<ShowArgs>();
  CLI::App* cmd = kb.add_subcommand("show", "Show one parsed document");
  cmd->add_option("file", args->file, "The document")->required();
  cmd->add_flag("--json", args->json, "Print the whole model as JSON");
  cmd->callback([args, &ctx] { ctx.exit_code = RunShow(*args, ctx); });
}

}  // namespace verity::cli
