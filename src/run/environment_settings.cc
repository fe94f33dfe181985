#include "run/settings.h"

namespace verity::run {

RunSettings SettingsFromEnvironment(const Environment& env, const ResolvedTokens& tokens) {
  RunSettings s;
  s.environment = env.name.empty() ? "command-line" : env.name;
  s.base_url = env.base_url;
  s.fallback_url = env.fallback_url;
  s.bases = env.bases;
  s.params = env.params;
  s.time_zone = env.time_zone;
  for (const auto& [type, ref] : env.tokens) {
    if (auto value = tokens.Get(type))
      s.tokens[type] = {std::string(*value), ref.scheme,  ref.in,      ref.name,
                        ref.username,        ref.headers, std::nullopt};
  }
  for (const TokenProblem& p : tokens.problems) s.token_problems[p.type] = p.message;
  for (const auto& [type, ref] : env.tokens) {
    if (!ref.obtained() || s.token_problems.count(type)) continue;
    Credential& c = s.tokens[type];
    c = {"", ref.scheme, ref.in, ref.name, ref.username, ref.headers, ObtainedBy{}};
    c.obtain->oauth2 = ref.oauth2;
    c.obtain->login = ref.login;
    if (auto grant = tokens.grants.find(type); grant != tokens.grants.end()) {
      c.obtain->client_id = grant->second.client_id;
      c.obtain->client_secret = grant->second.client_secret;
      c.obtain->password = grant->second.password;
    }
  }
  s.default_token = env.DefaultToken();
  s.conventions = env.conventions;
  s.secrets = tokens.secrets;
  for (const TokenProblem& p : tokens.secret_problems) s.secret_problems[p.type] = p.message;
  s.timeout_ms = env.timeout_ms;
  s.deadline_ms = env.deadline_ms;
  s.max_response_bytes = env.max_response_bytes;
  s.verify_tls = !env.insecure;
  s.array_format = env.array_format;
  s.rate_limit = env.rate_limit;
  s.retry.max_retries = env.max_retries;
  s.concurrency = ConcurrencyFor(0, env.rate_limit);
  s.write_back = true;
  s.failures_before_failed = env.failures_before_failed;
  s.spec_root = env.spec_root;
  s.setup = env.setup;
  s.teardown = env.teardown;
  s.producers = env.producers;
  s.validation = env.validation;
  return s;
}

size_t ConcurrencyFor(size_t asked, const RateLimit& limit) {
  if (asked > 0) return asked;
  return limit.max_in_flight > 0 ? static_cast<size_t>(limit.max_in_flight) : 8;
}

}  // namespace verity::run
