// `verity render TEXT`: fills in `{{…}}` placeholders the way a step's path, params and body are
// filled in, so a template can be tried before a recipe runs it. `--now`, `--seed` and `--tz` fix
// the clock, the random source and the time zone, so the same inputs give the same output.
#include "expr/render.h"

#include <fmt/format.h>

#include "base/clock.h"
#include "base/json.h"
#include "base/random.h"
#include "base/timestamp.h"
#include "cli/commands/commands.h"
#include "expr/builtins.h"
#include "expr/variables.h"

namespace verity::cli {

namespace {

struct RenderArgs {
  std::string text;
  bool json = false;
  bool path = false;
  std::vector<std::string> vars;
  std::string params_file;
  std::string now;
  std::optional<uint64_t> seed;
  std::string tz = "UTC";
  std::string step = "render";
};

int RunRender(const RenderArgs& args, Context& ctx) {
  if (args.json && args.path)
    return ReportFailure(ctx, Status::InvalidArgument("--json and --path exclude each other"));
  std::optional<int64_t> now_ms = ctx.clock.NowMillis();
  if (!args.now.empty()) {
    now_ms = ParseIso8601(args.now);
    if (!now_ms)
      return ReportFailure(ctx, Status::InvalidArgument(fmt::format(
                                    "--now: not an ISO-8601 date or date-time: {}", args.now)));
  }
  Result<expr::TimeZone> zone = expr::TimeZone::Parse(args.tz);
  if (!zone.ok())
    return ReportFailure(ctx, Status::InvalidArgument("--tz: " + zone.status().message()));

  FakeClock fixed_clock(*now_ms);
  SeededRandom seeded(args.seed.value_or(0));
  SystemRandom system_random;
  Random& random = args.seed ? static_cast<Random&>(seeded) : system_random;
  expr::Builtins builtins(fixed_clock, random, *zone);
  expr::Scope scope(&builtins);

  if (!args.params_file.empty()) {
    Result<std::string> text = ctx.fs.ReadFile(args.params_file);
    if (!text.ok()) return ReportFailure(ctx, text.status());
    Result<Json> params = ParseJson(*text);
    if (!params.ok() || !params->is_object())
      return ReportFailure(ctx, Status::InvalidArgument(fmt::format(
                                    "--params {}: expected a JSON object{}", args.params_file,
                                    params.ok() ? "" : ": " + params.status().message())));
    scope.SetAll(expr::Layer::kConfig, *params);
  }
  for (const std::string& kv : args.vars) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0)
      return ReportFailure(
          ctx, Status::InvalidArgument(fmt::format("--var {}: expected NAME=VALUE", kv)));
    scope.Set(expr::Layer::kCommandLine, kv.substr(0, eq), Json(kv.substr(eq + 1)));
  }

  expr::Renderer renderer(scope, args.step);
  std::string out;
  if (args.json) {
    Result<Json> value = ParseJson(args.text);
    if (!value.ok())
      return ReportFailure(
          ctx, Status::InvalidArgument("TEXT is not JSON: " + value.status().message()));
    out = renderer.Value(*value, "body").dump(2);
  } else if (args.path) {
    out = renderer.Path(args.text);
  } else {
    out = renderer.String(args.text, "text");
  }
  if (!renderer.ok()) {
    for (const expr::TemplateError& e : renderer.errors())
      ctx.err << fmt::format("verity: {} [{}]\n", e.message, e.code);
    return kExitFindings;
  }
  ctx.out << out << "\n";
  return kExitOk;
}

}  // namespace

void RegisterRender(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<RenderArgs>();
  CLI::App* cmd = app.add_subcommand("render", "Fill in {{…}} placeholders as a step would");
  cmd->add_option("text", args->text, "The template (a JSON value with --json)")->required();
  cmd->add_flag("--json", args->json, "TEXT is a JSON body: render keys and values, keep types");
  cmd->add_flag("--path", args->path, "TEXT is a request path: percent-encode substituted values");
  cmd->add_option("--var", args->vars, "NAME=VALUE, highest precedence (repeatable)");
  cmd->add_option("--params", args->params_file, "JSON object of config params (config.params.X)");
  cmd->add_option("--now", args->now, "Fix the clock, e.g. 2026-02-08T13:58:00Z");
  cmd->add_option("--seed", args->seed, "Fix the random source");
  cmd->add_option("--tz", args->tz, "Time zone of the date variables: UTC or ±HH:MM");
  cmd->add_option("--step", args->step, "Step id used in messages");
  cmd->callback([args, &ctx] { ctx.exit_code = RunRender(*args, ctx); });
}

}  // namespace verity::cli
