// `verity serve`: the dashboard (docs/serve.md) for an environment of the configuration, until
// SIGINT or SIGTERM. The first line on stdout is its URL.
#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "cli/commands/commands.h"
#include "cli/run_setup.h"
#include "cli/stop_signals.h"
#include "net/serving.h"
#include "run/config.h"
#include "run/settings.h"
#include "serve/dashboard.h"
#include "serve/server.h"
#include "store/history.h"

namespace verity::cli {
namespace {

struct ServeArgs : EnvironmentArgs {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string auth_token_env;
  std::string history;
};

int RunServe(const ServeArgs& args, Context& ctx) {
  auto lookup = ctx.env ? run::EnvLookup(ctx.env) : run::ProcessEnvironment();
  std::string auth_token;
  if (!args.auth_token_env.empty()) {
    std::optional<std::string> value = lookup(args.auth_token_env);
    if (!value || value->empty()) {
      return ReportFailure(
          ctx, Status::InvalidArgument(fmt::format("--auth-token-env {}: the variable is not set",
                                                   args.auth_token_env)));
    }
    auth_token = *value;
  } else if (!serve::IsLoopbackHost(args.host)) {
    return ReportFailure(
        ctx, Status::InvalidArgument(fmt::format(
                 "--host {} is reachable from other machines: pass --auth-token-env VARIABLE "
                 "naming the variable that holds the dashboard's access token",
                 args.host)));
  }

  Result<run::Environment> env = LoadEnvironment(args, ctx);
  if (!env.ok()) return ReportEnvironmentFailure(ctx, env.status());
  if (env->knowledge_base.empty()) {
    return ReportFailure(
        ctx, Status::InvalidArgument("no knowledge base: set knowledge_base in the environment or "
                                     "pass --kb DIR"));
  }
  serve::DashboardConfig dashboard_config;
  dashboard_config.settings = EnvironmentSettings(*env, ctx);
  dashboard_config.kb_roots = {env->knowledge_base};
  dashboard_config.spec_root = env->spec_root;
  for (const auto& [type, ref] : env->tokens) dashboard_config.token_types.push_back(type);

  std::string history_path = HistoryPath(ctx, args.history, args.config);
  if (history_path.empty()) history_path = ":memory:";
  Result<std::unique_ptr<store::History>> history = store::History::Open(history_path);
  if (!history.ok()) return ReportFailure(ctx, history.status());

  StopSignals signals;
  Result<std::unique_ptr<serve::Dashboard>> dashboard =
      serve::Dashboard::Create(ctx.fs, ctx.clock, std::move(dashboard_config), std::move(*history));
  if (!dashboard.ok()) return ReportFailure(ctx, dashboard.status());
  serve::ServerOptions options;
  options.host = args.host;
  options.port = args.port;
  options.auth_token = auth_token;
  serve::Server server(**dashboard, options);
  Result<int> port = server.Bind();
  if (!port.ok()) return ReportFailure(ctx, port.status());
  std::string host = args.host.find(':') != std::string::npos ? "[" + args.host + "]" : args.host;
  ctx.out << fmt::format("http://{}:{}", host, *port) << std::endl;
  ctx.err << fmt::format(
                 "verity serve: environment {} ({}), {} documents, history {}{}; Ctrl-C stops\n",
                 (*dashboard)->config().settings.environment,
                 (*dashboard)->config().settings.base_url,
                 (*dashboard)->snapshot().kb->documents.size(), history_path,
                 auth_token.empty() ? "" : ", access token required")
          << std::flush;

  net::ServingThread serving;
  serving.Start([&server] { return server.Serve(); }, [&server] { server.Stop(); });
  while (signals.Wait(200) == 0 && !serving.ended()) {
  }
  Status served = serving.Stop();
  (*dashboard)->Shutdown();
  if (!served.ok()) return ReportFailure(ctx, served);
  ctx.err << "verity serve: stopped\n";
  return kExitOk;
}

}  // namespace

void RegisterServe(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "serve", "The web dashboard: coverage, runs with live progress, history, base-URL scan");
  AddEnvironmentOptions(*cmd, *args);
  cmd->add_option("--host", args->host, "Address to listen on (default 127.0.0.1)");
  cmd->add_option("--port", args->port, "Port (default 8080); 0 picks a free one")
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--auth-token-env", args->auth_token_env,
                  "Variable holding the access token every API request must present (required "
                  "off loopback)");
  cmd->add_option("--history", args->history,
                  "History database (default .verity/history.db beside the configuration)");
  cmd->callback([args, &ctx] { ctx.exit_code = RunServe(*args, ctx); });
}

}  // namespace verity::cli
