// Turning token references into values, and showing an environment without its secrets.
#include <fmt/format.h>
#include <sys/stat.h>

#include <cstdlib>

#include "base/command.h"
#include "base/strings.h"
#include "http/mask.h"
#include "run/config.h"

namespace verity::run {

namespace {

// A token is a line of text; a file much larger than that was named by mistake.
constexpr uint64_t kMaxTokenFileBytes = 64 * 1024;

// The permission bits of a real file, when `fs` is the real file system. The seam has no mode,
// and an in-memory file has none to check.
std::optional<unsigned> PosixMode(const FileSystem& fs, const std::string& path) {
  if (dynamic_cast<const PosixFileSystem*>(&fs) == nullptr) return std::nullopt;
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return static_cast<unsigned>(st.st_mode & 07777);
}

// The secret, or why there is none. `name` says where it came from, for messages.
std::optional<std::string> Usable(std::string_view raw, const std::string& name,
                                  std::string* problem) {
  std::string_view value = Trim(raw);
  if (value.empty()) {
    *problem = name + " is empty";
    return std::nullopt;
  }
  // It would go into a header, where a line break ends the header.
  if (value.find_first_of("\r\n") != std::string_view::npos) {
    *problem = name + " holds more than one line";
    return std::nullopt;
  }
  return std::string(value);
}

std::optional<std::string> ReadTokenFile(const FileSystem& fs, const std::string& path,
                                         std::string* problem) {
  Result<FileInfo> info = fs.Stat(path);
  if (!info.ok()) {
    *problem = fmt::format("{}: cannot be read ({})", path, info.status().message());
    return std::nullopt;
  }
  if (info->type == FileType::kNone) {
    *problem = fmt::format("{}: no such file", path);
    return std::nullopt;
  }
  if (info->type != FileType::kFile) {
    *problem = fmt::format("{}: not a file", path);
    return std::nullopt;
  }
  if (info->size > kMaxTokenFileBytes) {
    *problem = fmt::format("{}: {} bytes is too large for a token", path, info->size);
    return std::nullopt;
  }
  Result<std::string> text = fs.ReadFile(path);
  if (!text.ok()) {
    *problem = fmt::format("{}: cannot be read ({})", path, text.status().message());
    return std::nullopt;
  }
  return Usable(*text, path, problem);
}

}  // namespace

EnvLookup ProcessEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

std::optional<std::string_view> ResolvedTokens::Get(std::string_view type) const {
  auto it = values.find(std::string(type));
  if (it == values.end()) return std::nullopt;
  return std::string_view(it->second);
}

namespace {

// The value of one reference, or why there is none (`problem`); `warning` says what is unsafe
// about one that resolved.
std::optional<std::string> ResolveSource(const SecretSource& source, const FileSystem& fs,
                                         const EnvLookup& lookup, const CommandRunner& run_command,
                                         std::string* problem, std::string* warning) {
  if (!source.env.empty()) {
    std::optional<std::string> raw = lookup ? lookup(source.env) : std::nullopt;
    if (raw) return Usable(*raw, source.env, problem);
    *problem = source.env + " is not set";
    return std::nullopt;
  }
  if (!source.command.empty()) {
    CommandOptions options;
    options.timeout_ms = source.command_timeout_ms;
    options.max_output_bytes = kMaxTokenFileBytes;
    Result<std::string> output = run_command
                                     ? run_command(source.command, source.command_timeout_ms)
                                     : RunCommandForOutput(source.command, options);
    if (!output.ok()) {
      *problem = "command " + output.status().message();
      return std::nullopt;
    }
    return Usable(*output, "the output of " + source.command[0], problem);
  }
  std::optional<std::string> value = ReadTokenFile(fs, source.file, problem);
  if (std::optional<unsigned> mode = PosixMode(fs, source.file); mode && (*mode & 077) != 0) {
    *warning = fmt::format("{} can be read by group or others (mode {:04o}): chmod 600 it",
                           source.file, *mode);
  }
  return value;
}

// A token request's input: a name of `secrets:` (resolved already), else its own source.
std::optional<std::string> ResolveInput(const SecretInput& input, const std::string& at,
                                        const ResolvedTokens& resolved, const FileSystem& fs,
                                        const EnvLookup& lookup, const CommandRunner& run_command,
                                        std::string* problem, std::string* warning) {
  if (input.secret.empty()) {
    std::optional<std::string> value =
        ResolveSource(input.source, fs, lookup, run_command, problem, warning);
    if (!value) *problem = at + ": " + *problem;
    return value;
  }
  auto found = resolved.secrets.find(input.secret);
  if (found != resolved.secrets.end()) return found->second;
  *problem = fmt::format("{}: the environment has no secrets.{}", at, input.secret);
  for (const TokenProblem& p : resolved.secret_problems) {
    if (p.type == input.secret)
      *problem = fmt::format("{}: secrets.{} is not resolved ({})", at, input.secret, p.message);
  }
  return std::nullopt;
}

// The inputs of an `oauth2:` token request; false (with `problem`) when one does not resolve.
bool ResolveGrant(const std::string& type, const OAuth2Grant& grant, const FileSystem& fs,
                  const EnvLookup& lookup, const CommandRunner& run_command, ResolvedTokens& out,
                  std::string* problem, std::string* warning) {
  ResolvedTokens::GrantInputs inputs;
  inputs.client_id = grant.client_id;
  std::string at = "tokens." + type + ".oauth2.";
  struct Wanted {
    const SecretInput* input;
    std::string* value;
    const char* key;
  };
  for (const Wanted& w : {Wanted{&grant.client_id_ref, &inputs.client_id, "client_id"},
                          Wanted{&grant.client_secret, &inputs.client_secret, "client_secret"},
                          Wanted{&grant.password, &inputs.password, "password"}}) {
    if (!w.input->set()) continue;
    std::optional<std::string> value =
        ResolveInput(*w.input, at + w.key, out, fs, lookup, run_command, problem, warning);
    if (!value) return false;
    *w.value = std::move(*value);
  }
  out.grants[type] = std::move(inputs);
  return true;
}

}  // namespace

ResolvedTokens ResolveTokens(const Environment& env, const FileSystem& fs, const EnvLookup& lookup,
                             const CommandRunner& run_command) {
  ResolvedTokens out;
  // Secrets first: a token request's inputs may name them.
  for (const auto& [name, source] : env.secrets) {
    std::string problem, warning;
    std::optional<std::string> value =
        ResolveSource(source, fs, lookup, run_command, &problem, &warning);
    if (!warning.empty()) out.warnings.push_back({"secrets." + name, std::move(warning)});
    if (value)
      out.secrets[name] = std::move(*value);
    else
      out.secret_problems.push_back({name, std::move(problem)});
  }
  for (const auto& [type, ref] : env.tokens) {
    std::string problem, warning;
    if (ref.obtained()) {
      // Obtained when the run needs it; only the token request's inputs resolve now.
      if (ref.oauth2 &&
          !ResolveGrant(type, *ref.oauth2, fs, lookup, run_command, out, &problem, &warning))
        out.problems.push_back({type, std::move(problem)});
      if (!warning.empty()) out.warnings.push_back({type, std::move(warning)});
      continue;
    }
    std::optional<std::string> value =
        ResolveSource(ref, fs, lookup, run_command, &problem, &warning);
    if (!warning.empty()) out.warnings.push_back({type, std::move(warning)});
    if (value)
      out.values[type] = std::move(*value);
    else
      out.problems.push_back({type, std::move(problem)});
  }
  return out;
}

namespace {

Json OptionalText(const std::string& text) { return text.empty() ? Json() : Json(text); }

Json SourceJson(const SecretSource& source) {
  Json j = Json::object();
  if (!source.env.empty())
    j["env"] = source.env;
  else if (!source.command.empty())
    j["command"] = source.command;  // a program and its arguments: references, never the value
  else
    j["file"] = source.file;
  return j;
}

std::string StatusText(std::optional<std::string_view> value, const std::string& name,
                       const std::vector<TokenProblem>& problems) {
  if (value) return fmt::format("set ({})", http::MaskSecret(*value));
  std::string why = "not resolved";
  for (const TokenProblem& p : problems)
    if (p.type == name) why = p.message;
  return "missing: " + why;
}

Json TokenJson(const TokenRef& ref, const Environment& env, const ResolvedTokens& tokens) {
  Json j = SourceJson(ref);
  // Without an explicit scheme, the operation's security scheme decides where the spec has one.
  j["scheme"] = AuthSchemeName(ref.scheme.value_or(DefaultSchemeFor(ref.type, env.conventions)));
  if (!ref.in.empty()) j["in"] = ref.in;
  if (!ref.name.empty()) j["name"] = ref.name;
  if (!ref.username.empty()) j["username"] = ref.username;
  if (!ref.headers.empty()) j["headers"] = ref.headers;
  if (ref.obtained()) {
    j.erase("file");  // SourceJson's fallback: an obtained token has no source of its own
    if (ref.oauth2) {
      Json o = {{"grant", ref.oauth2->grant},
                {"token_url", OptionalText(ref.oauth2->token_url)},
                {"client_id", OptionalText(ref.oauth2->client_id)},
                {"scopes", ref.oauth2->scopes},
                {"auth", ref.oauth2->basic_auth ? "basic" : "body"}};
      if (!ref.oauth2->params.empty()) o["params"] = ref.oauth2->params;
      if (!ref.oauth2->username.empty()) o["username"] = ref.oauth2->username;
      j["oauth2"] = std::move(o);
    } else {
      j["login"] = {{"recipe", ref.login->recipe},
                    {"token", ref.login->token},
                    {"expires_in", OptionalText(ref.login->expires_in)}};
    }
    std::string why;
    for (const TokenProblem& p : tokens.problems)
      if (p.type == ref.type) why = p.message;
    j["status"] = why.empty() ? "obtained when the run first needs it" : "missing: " + why;
  } else {
    j["status"] = StatusText(tokens.Get(ref.type), ref.type, tokens.problems);
  }
  for (const TokenProblem& w : tokens.warnings)
    if (w.type == ref.type) j["warning"] = w.message;
  return j;
}

}  // namespace

Json EffectiveConfigJson(const Environment& env, const ResolvedTokens& tokens) {
  Json j = Json::object();
  j["environment"] = env.name;
  j["config_file"] = env.config_file;
  j["base_url"] = env.base_url;
  j["fallback_url"] = OptionalText(env.fallback_url);
  Json bases = Json::array();
  for (const NamedBase& b : env.bases) {
    bases.push_back({{"name", b.name},
                     {"url", b.url},
                     {"paths", b.path_globs},
                     {"scheme", b.scheme ? Json(AuthSchemeName(*b.scheme)) : Json()}});
  }
  j["bases"] = std::move(bases);
  j["spec_root"] = OptionalText(env.spec_root);
  j["knowledge_base"] = OptionalText(env.knowledge_base);
  j["params"] = env.params;
  j["timeout_ms"] = env.timeout_ms;
  j["deadline_ms"] = env.deadline_ms ? Json(*env.deadline_ms) : Json();
  j["rate_limit"] = {
      {"preset", env.rate_limit.preset},
      {"requests_per_second", env.rate_limit.requests_per_second},
      {"max_in_flight", env.rate_limit.max_in_flight},
      {"min_gap_ms", env.rate_limit.min_gap_ms},
      {"burst", env.rate_limit.burst},
      {"effective_requests_per_second", env.rate_limit.EffectiveRequestsPerSecond()
                                            ? Json(*env.rate_limit.EffectiveRequestsPerSecond())
                                            : Json("unlimited")}};
  j["max_retries"] = env.max_retries;
  j["default_token"] = OptionalText(env.DefaultToken());
  Json conventions = Json::array();
  if (env.conventions.vcita) conventions.push_back("vcita");
  j["conventions"] = std::move(conventions);
  j["failures_before_failed"] = env.failures_before_failed;
  j["insecure"] = env.insecure;
  j["max_response_bytes"] = env.max_response_bytes;
  j["time_zone"] = env.time_zone;
  j["array_format"] = ArrayFormatName(env.array_format);
  Json token_json = Json::object();
  for (const auto& [type, ref] : env.tokens)
    AppendMember(token_json, type, TokenJson(ref, env, tokens));
  j["tokens"] = std::move(token_json);
  Json secret_json = Json::object();
  for (const auto& [name, source] : env.secrets) {
    Json one = SourceJson(source);
    auto value = tokens.secrets.find(name);
    one["status"] =
        StatusText(value == tokens.secrets.end() ? std::nullopt
                                                 : std::optional<std::string_view>(value->second),
                   name, tokens.secret_problems);
    AppendMember(secret_json, name, std::move(one));
  }
  j["secrets"] = std::move(secret_json);
  j["validation"] = ValidationPolicyJson(env.validation);
  return j;
}

}  // namespace verity::run
