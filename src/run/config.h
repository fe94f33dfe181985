// The run configuration (verity.yaml, docs/config.md): where the API lives, per environment, and
// how politely, patiently and with which credentials to call it.
//
// Tokens are held by reference only: an environment variable or a file. A literal secret in the
// file is refused (CONFIG_LITERAL_TOKEN), because a config file gets committed and shared; no
// message, display or error ever carries a secret's value.
//
// Problems with the file are collected, not stopped at: one Status whose message has a line
// `file:line:col: message [CODE]` per problem, in file order.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/file_system.h"
#include "base/json.h"
#include "base/status.h"
#include "base/units.h"
#include "run/rate_limit.h"
#include "run/validation_policy.h"

namespace verity::run {

/// How a credential goes into the Authorization header: `Bearer x`, `Admin x`,
/// `Token token="x"`, `Basic base64(user:password)`, or the value as it is (`none`: an API key
/// an API reads from that header raw).
enum class AuthScheme { kBearer, kAdmin, kToken, kBasic, kNone };

/// How a query array is written when the operation's spec says nothing about it: `k[]=a&k[]=b`
/// (brackets, the default), `k=a&k=b` (repeat) or `k=a,b` (comma).
enum class ArrayFormat { kBrackets, kRepeat, kComma };
/// "brackets", "repeat", "comma".
const char* ArrayFormatName(ArrayFormat format);
/// The format named by `name`, if any.
std::optional<ArrayFormat> ParseArrayFormat(std::string_view name);

/// "bearer", "admin", "token", "basic", "none".
const char* AuthSchemeName(AuthScheme scheme);
/// The scheme named (case-insensitively) by `name`, if any.
std::optional<AuthScheme> ParseAuthScheme(std::string_view name);

/// The conventions of one API that its spec does not say, switched on by name in verity.yaml
/// (`conventions: [vcita]`). Without them Verity reads credentials from the spec's security
/// schemes and the configuration alone.
struct Conventions {
  /// vcita: operations name their token types in prose ("Available for **Staff tokens**") and a
  /// test request of one that names none (and declares no `security`) is warned about; a
  /// directory token acts for a business through X-On-Behalf-Of; admin and internal tokens are
  /// sent as `Admin <token>`; the default token is `staff`.
  bool vcita = false;
};
/// The names `conventions:` accepts.
const std::vector<std::string_view>& ConventionNames();

/// A token type's Authorization scheme when its configuration names none and no spec scheme
/// decides: `Admin` for admin and internal tokens under the vcita conventions, else `Bearer`.
AuthScheme DefaultSchemeFor(std::string_view token_type, const Conventions& conventions = {});
/// The Authorization header value: "Bearer x", "Admin x", `Token token="x"`, "Basic <base64>"
/// (of `x`, which is then "user:password"), or "x".
std::string AuthorizationValue(AuthScheme scheme, std::string_view token);

/// Where a secret's value comes from: exactly one of `env`, `file` and `command`.
struct SecretSource {
  std::string env;                   // environment variable name
  std::string file;                  // resolved against the config file's folder
  std::vector<std::string> command;  // argv; its standard output, trimmed, is the value
  int64_t command_timeout_ms = 10000;
};

/// A value the token request sends that is not written in the file: a source of its own
/// (`{env: …}`, `{file: …}`, `{command: […]}`) or a name of the environment's `secrets:`
/// (`{secret: NAME}`).
struct SecretInput {
  SecretSource source;
  std::string secret;  // a `secrets:` name; empty: `source`
  bool set() const {
    return !secret.empty() || !source.env.empty() || !source.file.empty() ||
           !source.command.empty();
  }
};

/// An OAuth2 token obtained at run time (docs/auth.md, "Tokens obtained at run time").
struct OAuth2Grant {
  std::string grant = "client_credentials";  // or "password"
  std::string token_url;      // empty: the spec's (oauth2 tokenUrl, openIdConnect token_endpoint)
  std::string client_id;      // written as it is (a client id is not a secret) …
  SecretInput client_id_ref;  // … or referenced
  SecretInput client_secret;  // optional: a public client has none
  std::vector<std::string> scopes;
  std::string username;    // password grant
  SecretInput password;    // password grant
  bool basic_auth = true;  // client credentials in `Authorization: Basic`; false: in the body
  /// More form fields the token server wants (`audience`, `resource`), written as they are.
  std::map<std::string, std::string> params;
};

/// A token a knowledge-base document obtains: it runs once per run, and again when the token
/// expires, and the variable it extracts is the token.
struct LoginRecipe {
  std::string recipe;      // a path below the knowledge base, or "METHOD /path" as `use:` names one
  std::string token;       // the variable holding the token
  std::string expires_in;  // the variable holding its lifetime in seconds; empty: the whole run
};

/// A credential: where its value comes from and, when the configuration says, how it is sent.
/// What it does not say comes from the operation's security scheme, else the conventions' default
/// for its type, else `Authorization: Bearer`.
struct TokenRef : SecretSource {
  std::string type;  // "staff", "api_key", … as documents and security schemes name them
  std::optional<AuthScheme> scheme;
  std::string in;        // "header", "query" or "cookie"; empty: as the spec's scheme says
  std::string name;      // the header, query parameter or cookie; empty: as the spec says
  std::string username;  // with scheme basic: the value is the password
  /// Extra headers sent with this credential, values templated like a step's headers (an
  /// X-On-Behalf-Of, a tenant header).
  std::map<std::string, std::string> headers;
  /// Set: the value is obtained at run time, and the source fields above are empty.
  std::optional<OAuth2Grant> oauth2;
  std::optional<LoginRecipe> login;
  bool obtained() const { return oauth2.has_value() || login.has_value(); }
};

/// Another server for some paths (a partners API beside the main one): requests whose path
/// matches one of `path_globs` go to `url`, optionally with their own Authorization scheme.
struct NamedBase {
  std::string name;
  std::string url;
  std::vector<std::string> path_globs;  // base/glob.h: '*' matches any run, '/' included
  std::optional<AuthScheme> scheme;     // overrides the token's scheme for requests sent there
};

/// The base a request for `path` goes to: the first in `bases` (file order) with a glob that
/// matches, or null. A query string or fragment is not part of what is matched. The request
/// builder routes every request through this.
const NamedBase* NamedBaseFor(const std::vector<NamedBase>& bases, std::string_view path);

/// A producer the configuration names for a value (`producers:` in verity.yaml): where a request
/// built from the spec takes a parameter of that name from, instead of inferring it.
struct ConfiguredProducer {
  std::string endpoint;         // "GET /platform/v1/clients"; path parameters from `params`
  std::string extract;          // a JSONPath into its answer: "$.data.clients[0].uid"
  Json query = Json::object();  // query parameters to send
};

struct Environment {
  std::string name;
  std::string config_file;
  std::string config_dir;
  std::string base_url;      // http or https, without a trailing '/'
  std::string fallback_url;  // empty when not set
  std::vector<NamedBase> bases;
  std::string spec_root;       // resolved against config_dir; empty when not set
  std::string knowledge_base;  // resolved against config_dir; empty when not set
  Json params = Json::object();
  int64_t timeout_ms = 30000;          // per request
  std::optional<int64_t> deadline_ms;  // the whole run
  RateLimit rate_limit;                // default: the normal preset
  int max_retries = 3;                 // for 429, 503 and timeouts
  std::string default_token;           // as written; DefaultToken() is what a run uses
  Conventions conventions;
  int failures_before_failed = 2;  // consecutive failures before a verified document is failed
  bool insecure = false;           // skip TLS verification
  size_t max_response_bytes = 64u << 20;
  std::string time_zone = "UTC";  // passed through as written
  ArrayFormat array_format = ArrayFormat::kBrackets;
  std::map<std::string, TokenRef> tokens;
  /// Values templates may use as {{secrets.NAME}} (a login's password) and every output masks.
  std::map<std::string, SecretSource> secrets;

  /// default_token, else `staff` under the vcita conventions, else the only token when exactly
  /// one is configured, else "" (no default credential).
  std::string DefaultToken() const;

  /// Run-level fixtures (docs/run.md, "Setup and teardown"): knowledge-base documents, each named
  /// by its path below the knowledge base or by its endpoint as `use:` names one.
  std::vector<std::string> setup;
  std::vector<std::string> teardown;
  ValidationPolicy validation;  // `validation:`: how strictly answers are held to the spec
  /// `producers:`: by parameter name, where a request built from the spec takes that value.
  std::map<std::string, ConfiguredProducer> producers;
};

struct Config {
  std::string file;
  std::string default_env;  // empty when not set
  std::map<std::string, Environment> environments;
  std::vector<std::string> env_order;  // environment names in file order
};

/// Reads and parses `path`. A missing file is kNotFound, an unreadable one kIoError; problems in
/// the text are as ParseConfig reports them.
Result<Config> LoadConfig(const FileSystem& fs, const std::string& path);
/// `path` names the file in messages and is where relative paths start from. Problems come back
/// together as one Status, kParseError when the YAML itself is broken, else kInvalidArgument.
Result<Config> ParseConfig(std::string_view text, const std::string& path);
/// `name` empty: default_env, else the only environment; else kInvalidArgument listing the names.
Result<Environment> SelectEnvironment(const Config& config, std::string_view name);

using verity::ParseByteSize;  // base/units.h
using verity::ParseDurationMs;

using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
/// The process's environment (getenv).
EnvLookup ProcessEnvironment();

/// Why a token is unusable, or (in `warnings`) what is unsafe about it. Never holds the value.
struct TokenProblem {
  std::string type;
  std::string message;  // "VERITY_STAFF_TOKEN is not set", "secrets/x.token: cannot be read: …"
};

struct ResolvedTokens {
  std::map<std::string, std::string> values;  // type -> secret, the resolved ones only
  std::vector<TokenProblem> problems;         // unresolved tokens
  std::vector<TokenProblem> warnings;         // resolved, but kept unsafely (a group-readable file)
  std::map<std::string, std::string> secrets;  // `secrets:` by name, the resolved ones only
  std::vector<TokenProblem> secret_problems;   // unresolved secrets (`type` is the name)
  /// What an OAuth2 token request sends, by token type: the resolved inputs of `oauth2:`.
  struct GrantInputs {
    std::string client_id, client_secret, password;
  };
  std::map<std::string, GrantInputs> grants;
  std::optional<std::string_view> Get(std::string_view type) const;
};

/// Runs a `command:` source's program: RunCommandForOutput (base/command.h) unless a caller that
/// must never start a program (a fuzzer, a test) passes its own.
using CommandRunner =
    std::function<Result<std::string>(const std::vector<std::string>& argv, int64_t timeout_ms)>;

/// Reads every referenced environment variable and file and runs every command, each value
/// trimmed of surrounding whitespace. A missing, empty or multi-line value is a problem, not an
/// error: a run fails only the steps that need that token. Token files readable by group or
/// others are warned about when `fs` is the real file system (the seam has no permission bits).
/// A token obtained at run time (`oauth2:`, `login:`) has no value here: the inputs of its token
/// request go into `grants`, and an input that does not resolve is a problem of the token.
ResolvedTokens ResolveTokens(const Environment& env, const FileSystem& fs, const EnvLookup& lookup,
                             const CommandRunner& run_command = {});

/// The effective environment for display. Tokens appear as
/// {"env": "VAR", "scheme": "bearer", "status": "set (****abcd)" | "missing: …"}, masked with
/// http::MaskSecret; a full value never.
Json EffectiveConfigJson(const Environment& env, const ResolvedTokens& tokens);

}  // namespace verity::run
