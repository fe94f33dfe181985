// The nested parts of verity.yaml: URLs, named bases, rate limits and token references, and the
// problem list they report to.
#include <fmt/format.h>

#include <algorithm>

#include "base/edit_distance.h"
#include "base/strings.h"
#include "base/yaml_json.h"
#include "expr/jsonpath.h"
#include "run/config_reader.h"
#include "spec/catalog.h"

namespace verity::run::config_internal {

using yaml::Node;

namespace {

const std::vector<std::string_view> kBaseKeys = {"url", "paths", "scheme"};
const std::vector<std::string_view> kProducerKeys = {"endpoint", "extract", "query"};
const std::vector<std::string_view> kRateLimitKeys = {"preset", "requests_per_second",
                                                      "max_in_flight", "min_gap", "burst"};

bool IsEnvVarName(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// Checks an http(s) URL enough to catch typos and pasted credentials; the HTTP engine has the
// final word. Returns the reason it is refused, or "".
std::string UrlProblem(std::string_view url) {
  std::string_view rest;
  if (StartsWith(ToLower(url.substr(0, 8)), "https://"))
    rest = url.substr(8);
  else if (StartsWith(ToLower(url.substr(0, 7)), "http://"))
    rest = url.substr(7);
  else
    return "must start with http:// or https://";
  if (url.find_first_of(" \t\r\n") != std::string_view::npos) return "contains white space";
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.find('@') != std::string_view::npos)
    return "carries credentials (user:password@); put them in tokens instead";
  if (authority.empty() || authority[0] == ':') return "has no host";
  if (rest.find_first_of("?#") != std::string_view::npos)
    return "may not have a query or fragment: request paths are appended to it";
  return "";
}

bool ReadGlobs(const Node& v, const std::string& at, Problems& problems,
               std::vector<std::string>* out) {
  std::vector<const Node*> items;
  if (v.is_sequence()) {
    for (const Node& item : v.items) items.push_back(&item);
  } else if (v.is_scalar() && !v.is_null()) {
    items.push_back(&v);  // one rule, written without brackets
  }
  if (items.empty()) {
    problems.Add(v.pos, "CONFIG_BAD_GLOB",
                 fmt::format("{}: expected a list of path globs such as \"/partners/*\"", at));
    return false;
  }
  bool ok = true;
  for (const Node* item : items) {
    if (!item->is_scalar() || !(StartsWith(item->value, "/") || StartsWith(item->value, "*"))) {
      problems.Add(item->pos, "CONFIG_BAD_GLOB",
                   fmt::format("{}: {} is not a path glob (it starts with '/' or '*')", at,
                               yaml::Describe(*item)));
      ok = false;
    } else {
      out->push_back(item->value);
    }
  }
  return ok;
}

}  // namespace

// Token values never reach a message: the nodes below are described by position and kind only.
void LiteralToken(const Node& v, std::string_view where, Problems& problems) {
  problems.Add(v.pos, "CONFIG_LITERAL_TOKEN",
               fmt::format("{}: a secret may not be written in the config file (the value is not "
                           "repeated here); reference it with {{env: VARIABLE}}, {{file: PATH}} "
                           "or {{command: [PROGRAM, ARG…]}}",
                           where));
}

namespace {

bool IsLiteralSecretKey(std::string_view key) {
  return key == "value" || key == "token" || key == "secret" || key == "password";
}

}  // namespace

bool ReadSourceKey(const std::string& key, const Node& v, const std::string& at,
                   const std::string& dir, Problems& problems, SecretSource* out, bool* ok) {
  if (key == "env") {
    if (v.is_scalar() && IsEnvVarName(v.value)) {
      out->env = v.value;
    } else {
      problems.Add(v.pos, "CONFIG_BAD_TOKEN",
                   fmt::format("{}: expected an environment variable name (letters, digits, "
                               "'_'); the value is not repeated in case it is the secret itself",
                               at));
      *ok = false;
    }
  } else if (key == "file") {
    if (v.is_scalar() && !v.is_null() && !Trim(v.value).empty()) {
      out->file = ResolvePath(dir, Trim(v.value));
    } else {
      problems.Add(v.pos, "CONFIG_BAD_TOKEN",
                   fmt::format("{}: expected the path of a file holding the secret", at));
      *ok = false;
    }
  } else if (key == "command") {
    bool valid = v.is_sequence() && !v.items.empty();
    for (const Node& item : v.items) valid = valid && item.is_scalar() && !item.is_null();
    if (valid) {
      for (const Node& item : v.items) out->command.push_back(item.value);
    } else {
      problems.Add(v.pos, "CONFIG_BAD_TOKEN",
                   fmt::format("{}: expected a list: the program and its arguments, e.g. "
                               "[vault, read, -field=token, secret/api]",
                               at));
      *ok = false;
    }
  } else if (key == "timeout") {
    std::optional<int64_t> ms = v.is_scalar() ? ParseDurationMs(v.value) : std::nullopt;
    if (ms && *ms > 0) {
      out->command_timeout_ms = *ms;
    } else {
      problems.Add(v.pos, "CONFIG_BAD_DURATION",
                   fmt::format("{}: {} is not a duration above 0", at, yaml::Describe(v)));
      *ok = false;
    }
  } else {
    return false;
  }
  return true;
}

// Exactly one source, and a timeout only for a command. A missing source is not reported on top
// of another problem (a literal value: the source is what that message asks for).
bool CheckSource(const Node& map, const std::string& where, bool ok, Problems& problems) {
  int sources = (map.Find("env") != nullptr) + (map.Find("file") != nullptr) +
                (map.Find("command") != nullptr);
  if (sources > 1) {
    problems.Add(map.pos, "CONFIG_BAD_TOKEN",
                 fmt::format("{}: env, file and command exclude each other", where));
    return false;
  }
  if (sources == 0) {
    if (!ok) return false;
    problems.Add(map.pos, "CONFIG_BAD_TOKEN",
                 fmt::format("{}: needs env:, file: or command:", where));
    return false;
  }
  if (const Node* timeout = map.Find("timeout"); timeout && !map.Find("command")) {
    problems.Add(timeout->pos, "CONFIG_BAD_TOKEN",
                 fmt::format("{}.timeout: only a command has a timeout", where));
    return false;
  }
  return true;
}

namespace {

const std::vector<std::string_view> kPlacements = {"header", "query", "cookie"};

bool ReadPlacementKey(const std::string& key, const Node& v, const std::string& at,
                      Problems& problems, TokenRef* token, bool* ok) {
  if (key == "scheme") {
    token->scheme = ReadScheme(v, at, problems);
    *ok = *ok && token->scheme.has_value();
  } else if (key == "in") {
    bool known = v.is_scalar() &&
                 std::find(kPlacements.begin(), kPlacements.end(), v.value) != kPlacements.end();
    if (known) {
      token->in = v.value;
    } else {
      problems.Add(v.pos, "CONFIG_BAD_TOKEN",
                   fmt::format("{}: {} is not header, query or cookie", at, yaml::Describe(v)));
      *ok = false;
    }
  } else if (key == "name" || key == "username") {
    std::optional<std::string> text = ReadText(v, at, "a name", problems);
    if (text) (key == "name" ? token->name : token->username) = *text;
    *ok = *ok && text.has_value();
  } else if (key == "headers") {
    if (!v.is_mapping()) {
      problems.TypeError(v, at, "a mapping of header names to values (templates)");
      *ok = false;
      return true;
    }
    for (auto [hk, hv] : problems.Entries(v, at)) {
      if (hv->is_scalar() && !hv->is_null())
        token->headers[hk->value] = hv->value;
      else
        problems.TypeError(*hv, at + "." + hk->value, "a header value (text)");
    }
  } else {
    return false;
  }
  return true;
}

const std::vector<std::string_view> kTokenKeys = {"env",     "file",   "command", "timeout",
                                                  "scheme",  "in",     "name",    "username",
                                                  "headers", "oauth2", "login"};
const std::vector<std::string_view> kSecretKeys = {"env", "file", "command", "timeout"};

std::optional<TokenRef> ReadToken(const Node& map, const std::string& where,
                                  const std::string& type, const std::string& dir,
                                  Problems& problems) {
  TokenRef token;
  token.type = type;
  bool ok = true;
  for (auto [k, v] : problems.Entries(map, where)) {
    const std::string& key = k->value;
    std::string at = where + "." + key;
    if (IsLiteralSecretKey(key)) {
      LiteralToken(*v, at, problems);
      ok = false;
    } else if (key == "oauth2") {
      token.oauth2 = ReadOAuth2(*v, at, dir, problems);
      ok = ok && token.oauth2.has_value();
    } else if (key == "login") {
      token.login = ReadLogin(*v, at, problems);
      ok = ok && token.login.has_value();
    } else if (!ReadSourceKey(key, *v, at, dir, problems, &token, &ok) &&
               !ReadPlacementKey(key, *v, at, problems, &token, &ok)) {
      problems.UnknownKey(*k, where, kTokenKeys);
      ok = false;
    }
  }
  if (const char* obtained = map.Find("login")    ? "login"
                             : map.Find("oauth2") ? "oauth2"
                                                  : nullptr) {
    // Obtained at run time: a stored source would be a second, contradicting answer.
    for (const char* key : {"env", "file", "command", "oauth2"}) {
      const Node* other = map.Find(key);
      if (!other || std::string_view(key) == obtained) continue;
      problems.Add(other->pos, "CONFIG_BAD_TOKEN",
                   fmt::format("{}: {} and {} exclude each other", where, obtained, key));
      ok = false;
    }
    if (!ok) return std::nullopt;
  } else if (!CheckSource(map, where, ok, problems)) {
    return std::nullopt;
  }
  if (!token.username.empty() && token.scheme.value_or(AuthScheme::kBasic) != AuthScheme::kBasic) {
    problems.Add(map.pos, "CONFIG_BAD_TOKEN",
                 fmt::format("{}: username goes with scheme basic", where));
    ok = false;
  }
  if (!ok) return std::nullopt;
  return token;
}

std::optional<SecretSource> ReadSecret(const Node& map, const std::string& where,
                                       const std::string& dir, Problems& problems) {
  SecretSource secret;
  bool ok = true;
  for (auto [k, v] : problems.Entries(map, where)) {
    std::string at = where + "." + k->value;
    if (IsLiteralSecretKey(k->value)) {
      LiteralToken(*v, at, problems);
      ok = false;
    } else if (!ReadSourceKey(k->value, *v, at, dir, problems, &secret, &ok)) {
      problems.UnknownKey(*k, where, kSecretKeys);
      ok = false;
    }
  }
  if (!CheckSource(map, where, ok, problems) || !ok) return std::nullopt;
  return secret;
}

}  // namespace

std::string ResolvePath(const std::string& dir, std::string_view path) {
  if (StartsWith(path, "/")) return std::string(path);
  return JoinPath(dir, path);
}

std::optional<std::string> ReadText(const Node& v, std::string_view at, std::string_view what,
                                    Problems& problems) {
  if (!v.is_scalar() || v.is_null() || Trim(v.value).empty()) {
    problems.TypeError(v, at, what);
    return std::nullopt;
  }
  return std::string(Trim(v.value));
}

std::optional<std::string> ReadUrl(const Node& v, std::string_view at, Problems& problems) {
  std::optional<std::string> url = ReadText(v, at, "an http or https URL", problems);
  if (!url) return std::nullopt;
  if (std::string problem = UrlProblem(*url); !problem.empty()) {
    // The URL itself is left out when it carries credentials: they are a password more often
    // than not.
    bool secret = problem.find("credentials") != std::string::npos;
    problems.Add(v.pos, "CONFIG_BAD_URL",
                 secret ? fmt::format("{}: the URL {}", at, problem)
                        : fmt::format("{}: {} {}", at, Quoted(*url), problem));
    return std::nullopt;
  }
  while (url->ends_with('/')) url->pop_back();
  return url;
}

std::optional<AuthScheme> ReadScheme(const Node& v, std::string_view at, Problems& problems) {
  std::optional<AuthScheme> scheme =
      v.is_scalar() ? ParseAuthScheme(v.value) : std::optional<AuthScheme>();
  if (!scheme)
    problems.Add(
        v.pos, "CONFIG_BAD_SCHEME",
        fmt::format("{}: {} is not an authorization scheme (bearer, basic, none, admin, token)", at,
                    yaml::Describe(v)));
  return scheme;
}

void ReadRateLimit(const Node& v, const std::string& at, Problems& problems, RateLimit* out) {
  if (v.is_scalar()) {
    Result<RateLimit> parsed = ParseRateLimit(v.value, RateLimit{});
    if (parsed.ok())
      *out = *parsed;
    else
      problems.Add(v.pos, "CONFIG_BAD_RATE_LIMIT",
                   fmt::format("{}: {}", at, parsed.status().message()));
    return;
  }
  if (!v.is_mapping())
    return problems.TypeError(v, at,
                              "a preset name or a mapping of requests_per_second, max_in_flight, "
                              "min_gap, burst");
  RateLimit limit;
  if (const Node* preset = v.Find("preset")) {
    std::optional<RateLimit> named =
        preset->is_scalar() ? RateLimitPreset(Trim(preset->value)) : std::nullopt;
    if (!named)
      return problems.Add(
          preset->pos, "CONFIG_BAD_RATE_LIMIT",
          fmt::format("{}.preset: {} is not a preset (conservative, normal, aggressive, "
                      "sequential, off)",
                      at, yaml::Describe(*preset)));
    limit = *named;
  }
  limit.preset = "custom";
  bool ok = true;
  // As in the text form: a preset's gap is not kept when other values are given without one.
  bool gap_given = v.Find("min_gap") != nullptr;
  bool others_given = false;
  auto bad = [&](const Node& value, std::string_view key, std::string_view expected) {
    problems.Add(
        value.pos, "CONFIG_BAD_RATE_LIMIT",
        fmt::format("{}.{}: expected {}, got {}", at, key, expected, yaml::Describe(value)));
    ok = false;
  };
  for (auto [k, value] : problems.Entries(v, at)) {
    const std::string& key = k->value;
    Json j = value->is_scalar() ? yaml::ScalarToJson(*value) : Json();
    if (key == "preset") continue;
    others_given = true;
    if (key == "requests_per_second") {
      if (j.is_number() && j.get<double>() >= 0)
        limit.requests_per_second = j.get<double>();
      else
        bad(*value, key, "a number of requests per second (0: no limit)");
    } else if (key == "max_in_flight") {
      if (j.is_number_integer() && j.get<int64_t>() >= 0 && j.get<int64_t>() <= 10000)
        limit.max_in_flight = static_cast<int>(j.get<int64_t>());
      else
        bad(*value, key, "an integer from 0 (no limit) to 10000");
    } else if (key == "min_gap") {
      std::optional<int64_t> ms = value->is_scalar() ? ParseDurationMs(value->value) : std::nullopt;
      if (ms)
        limit.min_gap_ms = *ms;
      else
        bad(*value, key, "a duration (\"200ms\", \"1s\" or milliseconds)");
    } else if (key == "burst") {
      if (j.is_number_integer() && j.get<int64_t>() >= 1 && j.get<int64_t>() <= 10000)
        limit.burst = static_cast<int>(j.get<int64_t>());
      else
        bad(*value, key, "an integer from 1 to 10000");
    } else {
      problems.UnknownKey(*k, at, kRateLimitKeys);
      ok = false;
    }
  }
  if (others_given && !gap_given) limit.min_gap_ms = 0;
  if (ok) *out = limit;
}

void ReadBases(const Node& v, const std::string& at, Problems& problems,
               std::vector<NamedBase>* out) {
  if (!v.is_mapping()) return problems.TypeError(v, at, "a mapping of base names to {url, paths}");
  // A whole list replaces an inherited one: merging rules by name would make their order, which
  // decides the first match, hard to see.
  out->clear();
  for (auto [k, value] : problems.Entries(v, at)) {
    std::string where = at + "." + k->value;
    if (!value->is_mapping()) {
      problems.TypeError(*value, where, "a mapping with url and paths");
      continue;
    }
    NamedBase base;
    base.name = k->value;
    bool ok = true;
    for (auto [bk, bv] : problems.Entries(*value, where)) {
      std::string field = where + "." + bk->value;
      if (bk->value == "url") {
        std::optional<std::string> url =
            bv->is_null() ? std::nullopt : ReadUrl(*bv, field, problems);
        if (url) base.url = *url;
        ok = ok && url.has_value();
      } else if (bk->value == "paths") {
        ok = ReadGlobs(*bv, field, problems, &base.path_globs) && ok;
      } else if (bk->value == "scheme") {
        base.scheme = ReadScheme(*bv, field, problems);
        ok = ok && base.scheme.has_value();
      } else {
        problems.UnknownKey(*bk, where, kBaseKeys);
      }
    }
    if (!value->Find("url") || value->Find("url")->is_null()) {
      problems.Add(k->pos, "CONFIG_MISSING_BASE_URL", fmt::format("{}: url is required", where));
      ok = false;
    }
    if (!value->Find("paths")) {
      problems.Add(
          k->pos, "CONFIG_BAD_GLOB",
          fmt::format("{}: paths is required: a base no path chooses is never used", where));
      ok = false;
    }
    if (ok) out->push_back(std::move(base));
  }
}

void ReadProducers(const Node& v, const std::string& at, Problems& problems,
                   std::map<std::string, ConfiguredProducer>* out) {
  if (!v.is_mapping())
    return problems.TypeError(v, at, "a mapping of parameter names to {endpoint, extract}");
  for (auto [k, value] : problems.Entries(v, at)) {
    std::string where = at + "." + k->value;
    if (!value->is_mapping()) {
      problems.TypeError(*value, where, "a mapping with endpoint and extract");
      continue;
    }
    ConfiguredProducer producer;
    bool ok = true;
    for (auto [pk, pv] : problems.Entries(*value, where)) {
      std::string field = where + "." + pk->value;
      if (pk->value == "endpoint") {
        std::optional<std::string> text = ReadText(*pv, field, "\"METHOD /path\"", problems);
        std::string method, path;
        if (text && !spec::SplitEndpoint(*text, &method, &path)) {
          problems.Add(pv->pos, "CONFIG_BAD_PRODUCER",
                       fmt::format("{}: {} is not an endpoint (\"GET /v1/clients\")", field,
                                   yaml::Describe(*pv)));
          text.reset();
        }
        if (text) producer.endpoint = method + " " + path;
        ok = ok && text.has_value();
      } else if (pk->value == "extract") {
        std::optional<std::string> text = ReadText(*pv, field, "a JSONPath", problems);
        Result<expr::JsonPath> path = text ? expr::JsonPath::Compile(*text)
                                           : Result<expr::JsonPath>(Status::InvalidArgument(""));
        if (text && !path.ok()) {
          problems.Add(pv->pos, "CONFIG_BAD_PRODUCER",
                       fmt::format("{}: {}", field, path.status().message()));
        }
        if (text && path.ok()) producer.extract = *text;
        ok = ok && text && path.ok();
      } else if (pk->value == "query") {
        if (!pv->is_mapping()) {
          problems.TypeError(*pv, field, "a mapping of query parameter names to values");
          ok = false;
          continue;
        }
        for (auto [qk, qv] : problems.Entries(*pv, field))
          producer.query[qk->value] = yaml::ToJson(*qv);
      } else {
        problems.UnknownKey(*pk, where, kProducerKeys);
      }
    }
    for (const char* required : {"endpoint", "extract"}) {
      if (value->Find(required)) continue;
      problems.Add(k->pos, "CONFIG_BAD_PRODUCER",
                   fmt::format("{}: {} is required", where, required));
      ok = false;
    }
    if (ok) (*out)[k->value] = std::move(producer);
  }
}

void ReadTokens(const Node& v, const std::string& at, const std::string& dir, Problems& problems,
                std::map<std::string, TokenRef>* out) {
  if (!v.is_mapping())
    return problems.Add(v.pos, "CONFIG_TYPE",
                        fmt::format("{}: expected a mapping of token types to {{env: VAR}} or "
                                    "{{file: PATH}}, got {}",
                                    at, WithArticle(yaml::KindName(v))));
  for (auto [k, ref] : problems.Entries(v, at)) {
    std::string where = at + "." + k->value;
    if (ref->is_null()) {
      out->erase(k->value);  // `admin: ~` drops a token inherited from defaults
    } else if (ref->is_scalar()) {
      LiteralToken(*ref, where, problems);
    } else if (!ref->is_mapping()) {
      problems.Add(ref->pos, "CONFIG_TYPE",
                   fmt::format("{}: expected {{env: VAR}} or {{file: PATH}}, got {}", where,
                               WithArticle(yaml::KindName(*ref))));
    } else if (std::optional<TokenRef> token = ReadToken(*ref, where, k->value, dir, problems)) {
      (*out)[k->value] = std::move(*token);
    }
  }
}

void ReadSecrets(const Node& v, const std::string& at, const std::string& dir, Problems& problems,
                 std::map<std::string, SecretSource>* out) {
  if (!v.is_mapping())
    return problems.TypeError(v, at,
                              "a mapping of names to {env: VAR}, {file: PATH} or "
                              "{command: [PROGRAM, ARG…]}");
  for (auto [k, ref] : problems.Entries(v, at)) {
    std::string where = at + "." + k->value;
    if (ref->is_null()) {
      out->erase(k->value);
    } else if (!ref->is_mapping()) {
      LiteralToken(*ref, where, problems);
    } else if (std::optional<SecretSource> secret = ReadSecret(*ref, where, dir, problems)) {
      (*out)[k->value] = std::move(*secret);
    }
  }
}

void ReadConventions(const Node& v, const std::string& at, Problems& problems, Conventions* out) {
  std::vector<const Node*> items;
  if (v.is_sequence()) {
    for (const Node& item : v.items) items.push_back(&item);
  } else if (v.is_scalar()) {
    items.push_back(&v);
  } else {
    return problems.TypeError(v, at, "a list of convention names, e.g. [vcita]");
  }
  Conventions conventions;
  for (const Node* item : items) {
    if (item->is_scalar() && item->value == "vcita") {
      conventions.vcita = true;
    } else {
      problems.Add(item->pos, "CONFIG_UNKNOWN_CONVENTION",
                   fmt::format("{}: {} is not a known convention ({})", at, yaml::Describe(*item),
                               JoinNames(ConventionNames())));
    }
  }
  *out = conventions;
}

}  // namespace verity::run::config_internal
