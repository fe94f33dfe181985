// The token entries whose value is obtained at run time: `oauth2:` (a token request) and `login:`
// (a knowledge-base document that extracts the token). Their secret inputs are references, like
// every secret of the file.
#include <fmt/format.h>

#include <algorithm>

#include "base/strings.h"
#include "base/yaml_json.h"
#include "run/config_reader.h"

namespace verity::run::config_internal {

using yaml::Node;

namespace {

const std::vector<std::string_view> kOAuth2Keys = {"grant",         "token_url", "client_id",
                                                   "client_secret", "scopes",    "username",
                                                   "password",      "auth",      "params"};
const std::vector<std::string_view> kLoginKeys = {"recipe", "token", "expires_in"};
const std::vector<std::string_view> kGrants = {"client_credentials", "password"};

// `{secret: NAME}` or a source of its own; a scalar is a literal secret, refused.
std::optional<SecretInput> ReadSecretInput(const Node& v, const std::string& at,
                                           const std::string& dir, Problems& problems) {
  if (!v.is_mapping()) {
    LiteralToken(v, at, problems);
    return std::nullopt;
  }
  SecretInput input;
  if (const Node* name = v.Find("secret"); name && v.entries.size() == 1) {
    std::optional<std::string> text =
        ReadText(*name, at + ".secret", "a name of secrets:", problems);
    if (!text) return std::nullopt;
    input.secret = *text;
    return input;
  }
  bool ok = true;
  for (auto [k, value] : problems.Entries(v, at)) {
    if (!ReadSourceKey(k->value, *value, at + "." + k->value, dir, problems, &input.source, &ok)) {
      problems.UnknownKey(*k, at, {"env", "file", "command", "timeout", "secret"});
      ok = false;
    }
  }
  if (!CheckSource(v, at, ok, problems) || !ok) return std::nullopt;
  return input;
}

std::optional<std::vector<std::string>> ReadScopes(const Node& v, const std::string& at,
                                                   Problems& problems) {
  std::vector<std::string> scopes;
  if (v.is_scalar() && !v.is_null()) {
    for (std::string_view s : Split(v.value, ' '))
      if (!Trim(s).empty()) scopes.emplace_back(Trim(s));
    return scopes;
  }
  if (!v.is_sequence()) {
    problems.TypeError(v, at, "a list of scopes");
    return std::nullopt;
  }
  for (const Node& item : v.items) {
    std::optional<std::string> text = ReadText(item, at, "a scope", problems);
    if (!text) return std::nullopt;
    scopes.push_back(*text);
  }
  return scopes;
}

bool ReadOAuth2Key(const std::string& key, const Node& v, const std::string& at,
                   const std::string& dir, Problems& problems, OAuth2Grant* grant) {
  if (key == "grant") {
    if (v.is_scalar() && std::find(kGrants.begin(), kGrants.end(), v.value) != kGrants.end()) {
      grant->grant = v.value;
      return true;
    }
    problems.Add(v.pos, "CONFIG_BAD_TOKEN",
                 fmt::format("{}: {} is not a grant Verity obtains ({}; an authorization code "
                             "needs a person at a browser)",
                             at, yaml::Describe(v), JoinNames(kGrants)));
    return false;
  }
  if (key == "token_url") {
    std::optional<std::string> url = ReadUrl(v, at, problems);
    if (url) grant->token_url = *url;
    return url.has_value();
  }
  if (key == "client_id") {
    if (v.is_mapping()) {
      std::optional<SecretInput> ref = ReadSecretInput(v, at, dir, problems);
      if (ref) grant->client_id_ref = *ref;
      return ref.has_value();
    }
    std::optional<std::string> text = ReadText(v, at, "a client id", problems);
    if (text) grant->client_id = *text;
    return text.has_value();
  }
  if (key == "client_secret" || key == "password") {
    std::optional<SecretInput> ref = ReadSecretInput(v, at, dir, problems);
    if (ref) (key == "password" ? grant->password : grant->client_secret) = *ref;
    return ref.has_value();
  }
  if (key == "scopes") {
    std::optional<std::vector<std::string>> scopes = ReadScopes(v, at, problems);
    if (scopes) grant->scopes = *scopes;
    return scopes.has_value();
  }
  if (key == "username") {
    std::optional<std::string> text = ReadText(v, at, "a user name", problems);
    if (text) grant->username = *text;
    return text.has_value();
  }
  if (key == "params") {
    if (!v.is_mapping()) {
      problems.TypeError(v, at, "a mapping of form fields to values (audience, resource, …)");
      return false;
    }
    bool ok = true;
    for (auto [pk, pv] : problems.Entries(v, at)) {
      if (pk->value == "grant_type" || pk->value == "client_secret" || pk->value == "password") {
        problems.Add(pk->pos, "CONFIG_BAD_TOKEN",
                     fmt::format("{}.{}: set by the grant, not by params", at, pk->value));
        ok = false;
      } else if (pv->is_scalar() && !pv->is_null()) {
        grant->params[pk->value] = pv->value;
      } else {
        problems.TypeError(*pv, at + "." + pk->value, "a form field's value (text)");
        ok = false;
      }
    }
    return ok;
  }
  if (key == "auth") {
    if (v.is_scalar() && (v.value == "basic" || v.value == "body")) {
      grant->basic_auth = v.value == "basic";
      return true;
    }
    problems.Add(v.pos, "CONFIG_BAD_TOKEN",
                 fmt::format("{}: {} is not basic or body", at, yaml::Describe(v)));
    return false;
  }
  return false;
}

}  // namespace

std::optional<OAuth2Grant> ReadOAuth2(const Node& v, const std::string& at, const std::string& dir,
                                      Problems& problems) {
  if (!v.is_mapping()) {
    problems.TypeError(v, at, "a mapping: grant, token_url, client_id, client_secret, …");
    return std::nullopt;
  }
  OAuth2Grant grant;
  bool ok = true;
  for (auto [k, value] : problems.Entries(v, at)) {
    if (std::find(kOAuth2Keys.begin(), kOAuth2Keys.end(), k->value) == kOAuth2Keys.end()) {
      problems.UnknownKey(*k, at, kOAuth2Keys);
      ok = false;
    } else if (!ReadOAuth2Key(k->value, *value, at + "." + k->value, dir, problems, &grant)) {
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  if (grant.client_id.empty() && !grant.client_id_ref.set()) {
    problems.Add(v.pos, "CONFIG_BAD_TOKEN", fmt::format("{}: needs client_id", at));
    return std::nullopt;
  }
  bool password = grant.grant == "password";
  if (password && (grant.username.empty() || !grant.password.set())) {
    problems.Add(v.pos, "CONFIG_BAD_TOKEN",
                 fmt::format("{}: the password grant needs username and password", at));
    return std::nullopt;
  }
  if (!password && (!grant.username.empty() || grant.password.set())) {
    problems.Add(v.pos, "CONFIG_BAD_TOKEN",
                 fmt::format("{}: username and password go with grant: password", at));
    return std::nullopt;
  }
  return grant;
}

std::optional<LoginRecipe> ReadLogin(const Node& v, const std::string& at, Problems& problems) {
  if (!v.is_mapping()) {
    problems.TypeError(v, at, "a mapping: recipe, token, expires_in");
    return std::nullopt;
  }
  LoginRecipe login;
  bool ok = true;
  for (auto [k, value] : problems.Entries(v, at)) {
    std::string where = at + "." + k->value;
    std::string* field = k->value == "recipe"       ? &login.recipe
                         : k->value == "token"      ? &login.token
                         : k->value == "expires_in" ? &login.expires_in
                                                    : nullptr;
    if (!field) {
      problems.UnknownKey(*k, at, kLoginKeys);
      ok = false;
      continue;
    }
    std::optional<std::string> text = ReadText(*value, where, "text", problems);
    if (text) *field = *text;
    ok = ok && text.has_value();
  }
  if (!ok) return std::nullopt;
  if (login.recipe.empty() || login.token.empty()) {
    problems.Add(v.pos, "CONFIG_BAD_TOKEN",
                 fmt::format("{}: needs recipe (the document that logs in) and token (the "
                             "variable it extracts)",
                             at));
    return std::nullopt;
  }
  return login;
}

}  // namespace verity::run::config_internal
