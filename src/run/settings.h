// Everything a run needs to know besides the documents: where to send requests, with which
// credentials, how politely, and what it may change. The CLI fills it from the configuration file
// (run/config.h) and the command line; tests fill it directly.
//
// Token values live here and nowhere else in the run's data: results, events and reports carry
// token *types*, and whatever shows a request passes it through the run's SecretRedactor.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/json.h"
#include "run/config.h"
#include "run/rate_limit.h"
#include "run/retry.h"

namespace verity::run {

/// Where requests that would go to the primary or the fallback base URL go instead. The base-URL
/// scan (run/fallback_scan.h) runs a recipe once per base, and its verdict is only honest when
/// nothing of the other base leaks in: not a step's `useFallback`, not a `use:`d document's
/// `useFallbackApi`, not the gateway-failure resend. Named bases keep their paths: the Partners
/// API is neither the primary nor the fallback.
enum class BaseOverride { kNone, kPrimary, kFallback };

/// How a credential obtained at run time gets its value (run/config.h's TokenRef): an OAuth2
/// token request, with its inputs resolved, or a login recipe.
struct ObtainedBy {
  std::optional<OAuth2Grant> oauth2;
  std::optional<LoginRecipe> login;
  std::string client_id, client_secret, password;  // oauth2's inputs; the last two are secrets
};

/// A credential's value and what its configuration says about sending it (run/config.h's
/// TokenRef); what it leaves out comes from the operation's security scheme (run/credentials.h).
/// An obtained one has no value until the executor obtains it (run/token_cache.h), and loses it
/// again when it nears its expiry.
struct Credential {
  std::string value;  // the secret
  std::optional<AuthScheme> scheme;
  std::string in;        // "header", "query", "cookie"; empty: as the spec's scheme says
  std::string name;      // header, query parameter or cookie name; empty: as the spec says
  std::string username;  // basic: sent as username:value
  std::map<std::string, std::string> headers;  // extra headers, templated
  std::optional<ObtainedBy> obtain = std::nullopt;
};

/// What the person starting a run chooses that the executor reads as it is. A new field here is a
/// new run option everywhere: run::Session copies these from its RunOptions (run/session.h)
/// whole, so adding one takes this field and its flag in cli/commands/run.cc.
struct RunChoices {
  bool include_delete = false;  // run test requests that DELETE
  /// A fact for the summary (reports, history). What keeps a dry run from sending is the dry-run
  /// transport run::Session chooses with it, not this field.
  bool dry_run = false;
  bool strict = false;     // warnings fail the run
  bool write_back = true;  // record outcomes in the knowledge base
};

struct RunSettings : RunChoices {
  std::string environment = "default";
  std::string base_url;
  std::string fallback_url;      // empty: no fallback
  std::vector<NamedBase> bases;  // run/config.h; chosen by NamedBaseFor
  BaseOverride base_override = BaseOverride::kNone;

  Json params = Json::object();        // config params: template variables
  Json command_line = Json::object();  // --var k=v: beat everything else
  /// The values of `{{inputs.NAME}}` in a workflow the run starts (`verity run FILE.arazzo.yaml
  /// --input NAME=VALUE`); a workflow called by `useWorkflow:` gets its caller's `with` instead.
  Json inputs = Json::object();
  std::string time_zone = "UTC";

  std::map<std::string, Credential> tokens;  // by token type or security scheme name
  /// Why a token type has no value ("VERITY_STAFF_TOKEN is not set"), for the step that needs it.
  std::map<std::string, std::string> token_problems;
  /// The credential of requests that name none and whose operation declares no `security`;
  /// empty: none is sent.
  std::string default_token;
  Conventions conventions;
  /// `secrets:` by name: {{secrets.NAME}} in templates, masked everywhere like tokens.
  std::map<std::string, std::string> secrets;
  std::map<std::string, std::string> secret_problems;  // unresolved ones, why

  int64_t timeout_ms = 30000;             // per request
  std::optional<int64_t> deadline_ms;     // whole run
  size_t max_response_bytes = 64u << 20;  // per response
  bool verify_tls = true;
  ArrayFormat array_format = ArrayFormat::kBrackets;  // query arrays the spec says nothing about
  RateLimit rate_limit;
  RetryPolicy retry;

  size_t concurrency = 8;  // documents in flight at once
  int failures_before_failed = 2;

  std::string spec_root;  // where documents' `swagger` paths are relative to

  /// Run-level fixtures, as verity.yaml names them (run/fixtures.h resolves them): run once, in
  /// order, before the plan; the teardown always runs at the end. Empty for a base-URL scan.
  std::vector<std::string> setup;
  std::vector<std::string> teardown;
  /// By parameter name: where a request built from the spec takes that value (derive/recipe.h).
  std::map<std::string, ConfiguredProducer> producers;
  /// How strictly answers are held to their spec, per environment and spec (validation_policy.h).
  ValidationPolicy validation;
};

/// The settings an environment of the configuration gives, with its resolved tokens: what
/// `verity run` and the dashboard start from before their own options (run/session.h's
/// RunOptions; concurrency from the rate limit, else 8; write-back on; no DELETE test requests;
/// not strict, not a dry run).
RunSettings SettingsFromEnvironment(const Environment& env, const ResolvedTokens& tokens);

/// Documents in flight at once: `asked` when given (not 0), else the rate limit's in-flight cap,
/// else 8.
size_t ConcurrencyFor(size_t asked, const RateLimit& limit);

}  // namespace verity::run
