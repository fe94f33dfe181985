#include "run/credentials.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/strings.h"

namespace verity::run {

namespace {

const Credential* ValueOf(const RunSettings& settings, const std::string& type) {
  auto found = settings.tokens.find(type);
  return found != settings.tokens.end() && !found->second.value.empty() ? &found->second : nullptr;
}

bool Configured(const RunSettings& settings, const std::string& type) {
  return settings.tokens.count(type) > 0 || settings.token_problems.count(type) > 0;
}

// How a spec scheme writes its credential when the configuration does not say.
void PlaceBySpec(const spec::SecurityScheme& scheme, CredentialUse* use) {
  use->spec_scheme = scheme.name;
  if (scheme.kind == spec::SecurityKind::kApiKey) {
    if (!scheme.in.empty()) use->in = scheme.in;
    if (!scheme.param_name.empty()) use->name = scheme.param_name;
    use->scheme = AuthScheme::kNone;
    return;
  }
  use->in = "header";
  use->name = "Authorization";
  use->scheme = scheme.http_scheme == "basic" ? AuthScheme::kBasic : AuthScheme::kBearer;
}

// A use of credential `type`, placed by its configuration over `spec_scheme` (may be null) over
// the type's default.
CredentialUse Place(const std::string& type, const spec::SecurityScheme* spec_scheme,
                    const RunSettings& settings) {
  CredentialUse use;
  use.type = type;
  use.credential = ValueOf(settings, type);
  if (spec_scheme) {
    PlaceBySpec(*spec_scheme, &use);
    // A bearer scheme says "a token in Authorization"; the type's own scheme (an admin token's
    // `Admin`, under the vcita conventions) says how that API reads it.
    if (use.scheme == AuthScheme::kBearer)
      use.scheme = DefaultSchemeFor(type, settings.conventions);
  } else {
    use.scheme = DefaultSchemeFor(type, settings.conventions);
  }
  auto configured = settings.tokens.find(type);
  const Credential* config = configured != settings.tokens.end() ? &configured->second : nullptr;
  if (config && !config->in.empty()) use.in = config->in;
  if (config && !config->name.empty()) use.name = config->name;
  if (use.in == "header" && use.name.empty()) use.name = "Authorization";
  bool in_authorization = use.in == "header" && IEquals(use.name, "Authorization");
  if (config && config->scheme) {
    use.scheme = *config->scheme;
  } else if (config && !config->username.empty()) {
    use.scheme = AuthScheme::kBasic;
  } else if (!in_authorization) {
    use.scheme = AuthScheme::kNone;  // another header, a query parameter or a cookie: the value
  }
  // A base's scheme re-words a token ("Token token=…" on the partners API); an API key sent raw
  // or a user and password are not tokens to re-word.
  use.base_scheme_applies =
      in_authorization && use.scheme != AuthScheme::kNone && use.scheme != AuthScheme::kBasic;
  return use;
}

// The scheme a recipe's named credential stands for: the one of that name, else the only scheme
// of an operation with a single one-scheme alternative.
const spec::SecurityScheme* SchemeFor(const std::string& type, const spec::Operation* operation) {
  if (!operation || !operation->auth.declared) return nullptr;
  for (const spec::SecurityAlternative& alternative : operation->auth.alternatives)
    for (const spec::SecurityUse& use : alternative)
      if (use.name == type && use.scheme) return &*use.scheme;
  const auto& alternatives = operation->auth.alternatives;
  if (alternatives.size() == 1 && alternatives[0].size() == 1 && alternatives[0][0].scheme)
    return &*alternatives[0][0].scheme;
  return nullptr;
}

std::string Describe(const spec::SecurityUse& use) {
  if (!use.scheme) return fmt::format("{} (not defined by the spec)", use.name);
  const spec::SecurityScheme& s = *use.scheme;
  switch (s.kind) {
    case spec::SecurityKind::kApiKey:
      return fmt::format("{} (apiKey in {} {})", s.name, s.in, s.param_name);
    case spec::SecurityKind::kHttp:
      return fmt::format("{} (http {})", s.name, s.http_scheme);
    default:
      return fmt::format("{} ({})", s.name, spec::SecurityKindName(s.kind));
  }
}

// The operation's security, met by the first alternative whose schemes all have a configured
// credential of their name; else, for a one-scheme alternative, by the default token.
CredentialPlan PlanFromSpec(const spec::Operation& operation, const RunSettings& settings) {
  CredentialPlan plan;
  if (operation.auth.alternatives.empty()) return plan;  // `security: []`: none is needed
  for (const spec::SecurityAlternative& alternative : operation.auth.alternatives) {
    if (alternative.empty()) return plan;  // anonymous is allowed, and comes first
    bool all = std::all_of(alternative.begin(), alternative.end(), [&](const spec::SecurityUse& u) {
      return Configured(settings, u.name);
    });
    if (!all) continue;
    for (const spec::SecurityUse& u : alternative)
      plan.uses.push_back(Place(u.name, u.scheme ? &*u.scheme : nullptr, settings));
    return plan;
  }
  if (!settings.default_token.empty()) {
    for (const spec::SecurityAlternative& alternative : operation.auth.alternatives) {
      if (alternative.size() != 1 || !alternative[0].scheme) continue;
      plan.uses.push_back(Place(settings.default_token, &*alternative[0].scheme, settings));
      return plan;
    }
  }
  std::vector<std::string> wanted, keys;
  for (const spec::SecurityAlternative& alternative : operation.auth.alternatives) {
    std::vector<std::string> all, all_keys;
    for (const spec::SecurityUse& u : alternative) {
      all.push_back(Describe(u));
      all_keys.push_back("tokens." + u.name);
    }
    wanted.push_back(Join(all, " with "));
    keys.push_back(Join(all_keys, " and "));
  }
  plan.unmet = fmt::format(
      "{} needs credentials for the security scheme {}, and the environment "
      "configures none",
      operation.Key(), Join(wanted, " or "));
  plan.unmet_suggestion =
      fmt::format("configure {} in the environment (docs/auth.md)", Join(keys, " or "));
  return plan;
}

}  // namespace

CredentialPlan PlanCredentials(const doc::Step& step, const doc::Document& document,
                               const spec::Operation* operation, const RunSettings& settings) {
  CredentialPlan plan;
  std::optional<std::string> named = step.token;
  if (!named && !document.frontmatter.tokens.empty()) named = document.frontmatter.tokens[0];
  if (named) {
    if (*named != "none")
      plan.uses.push_back(Place(*named, SchemeFor(*named, operation), settings));
    return plan;
  }
  if (operation && operation->auth.declared) return PlanFromSpec(*operation, settings);
  if (!settings.default_token.empty())
    plan.uses.push_back(Place(settings.default_token, nullptr, settings));
  return plan;
}

std::string CredentialRawValue(const CredentialUse& use) {
  if (!use.credential) return "";
  if (!use.credential->username.empty())
    return use.credential->username + ":" + use.credential->value;
  return use.credential->value;
}

std::string CredentialHeaderValue(const CredentialUse& use, AuthScheme scheme) {
  return AuthorizationValue(scheme, CredentialRawValue(use));
}

}  // namespace verity::run
