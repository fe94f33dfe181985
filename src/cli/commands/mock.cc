// `verity mock SPEC_PATH...`: serves every operation of the specs, statefully, with the behaviour
// rules of --rules, until SIGINT or SIGTERM. The first line on stdout is the URL it listens on, so
// a script can start it with --port 0 and read where it went. With --proxy it stands in front of
// the real API instead, and --record and --replay keep and play back what it said (mock/proxy.h).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <mutex>

#include "cli/commands/commands.h"
#include "cli/stop_signals.h"
#include "kb/knowledge_base.h"
#include "mock/answer_hints.h"
#include "mock/service.h"

namespace verity::cli {
namespace {

struct MockArgs {
  std::vector<std::string> specs;
  std::string rules;
  std::string host = "127.0.0.1";
  int port = 0;
  std::optional<uint64_t> seed;
  size_t seed_items = 2;
  bool quiet = false;
  bool no_security_check = false;
  bool lenient = false;
  std::string kb;
  std::string proxy;
  std::string record;
  std::string replay;
};

int RunMock(const MockArgs& args, Context& ctx) {
  StopSignals signals;
  std::mutex log_mutex;
  // Member by member: GCC 12 misreads nested designated initializers of strings as uninitialized.
  mock::ServiceOptions options;
  options.spec_paths = args.specs;
  options.rules_path = args.rules;
  options.seed = args.seed;
  options.seed_items = args.seed_items;
  options.check_security = !args.no_security_check;
  options.lenient = args.lenient;
  if (!args.kb.empty()) {
    Result<kb::KnowledgeBase> loaded = kb::LoadKnowledgeBase(ctx.fs, {args.kb});
    if (!loaded.ok()) return ReportFailure(ctx, loaded.status());
    options.answer_hints = mock::AnswerHintsOf(loaded->documents);
  }
  options.server.host = args.host;
  options.server.port = args.port;
  options.env = ctx.env;
  options.proxy_url = args.proxy;
  options.record_dir = args.record;
  options.record_fs = &ctx.fs;
  options.replay_dir = args.replay;
  // Drift is what a proxy (and a lenient mock) is run for: shown with --quiet too, one finding a
  // line.
  options.access_log = [&ctx, &log_mutex, quiet = args.quiet](const mock::AccessEntry& entry) {
    std::string lines = quiet ? std::string() : mock::FormatAccess(entry) + "\n";
    for (const std::string& drift : entry.drift) lines += fmt::format("drift: {}\n", drift);
    if (lines.empty()) return;
    std::lock_guard lock(log_mutex);
    ctx.err << lines << std::flush;
  };
  Result<std::unique_ptr<mock::Service>> started =
      mock::Service::Start(ctx.fs, ctx.clock, std::move(options));
  if (!started.ok()) {
    // Whatever stops the mock from starting is the operator's to fix, a broken rules file too.
    int code = ReportFailure(ctx, started.status());
    return code == kExitFindings ? kExitUsage : code;
  }
  mock::Service& service = **started;
  ctx.out << service.url() << std::endl;
  {
    std::lock_guard lock(log_mutex);
    for (const std::string& warning : service.warnings()) ctx.err << "warning: " << warning << "\n";
    std::string mode;
    if (!args.proxy.empty()) mode = fmt::format("; proxy to {}", args.proxy);
    if (!args.record.empty()) mode += fmt::format(", recording into {}", args.record);
    if (!args.replay.empty())
      mode = fmt::format("; replaying {} exchange{} of {}", service.replayable(),
                         service.replayable() == 1 ? "" : "s", args.replay);
    ctx.err << fmt::format("verity mock: {} operation{}, {} rule{}{}; Ctrl-C stops\n",
                           service.operation_count(), service.operation_count() == 1 ? "" : "s",
                           service.rule_count(), service.rule_count() == 1 ? "" : "s", mode)
            << std::flush;
  }
  int signal = 0;
  while (signal == 0 && !service.ended()) signal = signals.Wait(200);
  Status stopped = service.Stop();
  if (!stopped.ok()) return ReportFailure(ctx, stopped);
  std::lock_guard lock(log_mutex);
  ctx.err << fmt::format("verity mock: stopped after {} request{}", service.server().requests(),
                         service.server().requests() == 1 ? "" : "s");
  if (!args.record.empty()) ctx.err << fmt::format("; {} exchanges recorded", service.recorded());
  if (service.record_failures() > 0)
    ctx.err << fmt::format(", {} could not be written", service.record_failures());
  ctx.err << "\n";
  return kExitOk;
}

}  // namespace

void RegisterMock(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<MockArgs>();
  CLI::App* cmd = app.add_subcommand(
      "mock", "Serve the operations of OpenAPI/Swagger specs statefully, with behaviour rules");
  cmd->add_option("specs", args->specs, "Spec files or folders")->required();
  cmd->add_option("--rules", args->rules, "Behaviour rules (docs/mock-rules.md)");
  cmd->add_option("--host", args->host, "Address to listen on (default 127.0.0.1)");
  cmd->add_option("--port", args->port, "Port; 0 picks a free one (the default)")
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--seed", args->seed, "Seed for ids, generated data and latency ranges");
  cmd->add_option("--seed-items", args->seed_items, "Resources each collection starts with")
      ->check(CLI::Range(0, 100));
  cmd->add_flag("--no-security-check", args->no_security_check,
                "Serve requests without the credentials the spec's security asks for");
  cmd->add_option("--kb", args->kb,
                  "Also answer where this knowledge base's verified recipes read their values")
      ->check(CLI::ExistingPath);
  cmd->add_flag("--lenient", args->lenient,
                "Serve requests the spec refuses, logging each issue as drift, instead of 400");
  cmd->add_flag("-q,--quiet", args->quiet, "No access log on stderr (drift is still shown)");
  CLI::Option* proxy = cmd->add_option(
      "--proxy", args->proxy,
      "Forward every request to this base URL, validating both ways (drift on stderr)");
  cmd->add_option("--record", args->record, "With --proxy: save each exchange here, secrets masked")
      ->needs(proxy);
  cmd->add_option("--replay", args->replay,
                  "Answer from the exchanges recorded here, else as the mock would")
      ->excludes(proxy)
      ->check(CLI::ExistingDirectory);
  cmd->callback([args, &ctx] { ctx.exit_code = RunMock(*args, ctx); });
}

}  // namespace verity::cli
