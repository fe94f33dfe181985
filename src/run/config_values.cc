// The value forms of the run configuration: authorization schemes, query array formats, durations,
// sizes, path globs.
#include <cmath>
#include <cstdlib>

#include "base/glob.h"
#include "base/strings.h"
#include "expr/filters.h"
#include "run/config.h"

namespace verity::run {

const char* AuthSchemeName(AuthScheme scheme) {
  switch (scheme) {
    case AuthScheme::kBearer:
      return "bearer";
    case AuthScheme::kAdmin:
      return "admin";
    case AuthScheme::kToken:
      return "token";
    case AuthScheme::kBasic:
      return "basic";
    case AuthScheme::kNone:
      return "none";
  }
  return "bearer";
}

std::optional<AuthScheme> ParseAuthScheme(std::string_view name) {
  name = Trim(name);
  if (IEquals(name, "bearer")) return AuthScheme::kBearer;
  if (IEquals(name, "admin")) return AuthScheme::kAdmin;
  if (IEquals(name, "token")) return AuthScheme::kToken;
  if (IEquals(name, "basic")) return AuthScheme::kBasic;
  if (IEquals(name, "none")) return AuthScheme::kNone;
  return std::nullopt;
}

const char* ArrayFormatName(ArrayFormat format) {
  switch (format) {
    case ArrayFormat::kBrackets:
      return "brackets";
    case ArrayFormat::kRepeat:
      return "repeat";
    case ArrayFormat::kComma:
      return "comma";
  }
  return "brackets";
}

std::optional<ArrayFormat> ParseArrayFormat(std::string_view name) {
  name = Trim(name);
  if (IEquals(name, "brackets")) return ArrayFormat::kBrackets;
  if (IEquals(name, "repeat")) return ArrayFormat::kRepeat;
  if (IEquals(name, "comma")) return ArrayFormat::kComma;
  return std::nullopt;
}

const std::vector<std::string_view>& ConventionNames() {
  static const std::vector<std::string_view> names = {"vcita"};
  return names;
}

AuthScheme DefaultSchemeFor(std::string_view token_type, const Conventions& conventions) {
  // That API's gateway reads these two token types from "Admin" headers.
  if (conventions.vcita && (IEquals(token_type, "admin") || IEquals(token_type, "internal")))
    return AuthScheme::kAdmin;
  return AuthScheme::kBearer;
}

std::string Environment::DefaultToken() const {
  if (!default_token.empty()) return default_token;
  if (conventions.vcita) return "staff";
  return tokens.size() == 1 ? tokens.begin()->first : "";
}

std::string AuthorizationValue(AuthScheme scheme, std::string_view token) {
  switch (scheme) {
    case AuthScheme::kBearer:
      return "Bearer " + std::string(token);
    case AuthScheme::kAdmin:
      return "Admin " + std::string(token);
    case AuthScheme::kToken:
      return "Token token=\"" + std::string(token) + "\"";
    case AuthScheme::kBasic:
      return "Basic " + expr::Base64Encode(token);
    case AuthScheme::kNone:
      break;
  }
  return std::string(token);
}

const NamedBase* NamedBaseFor(const std::vector<NamedBase>& bases, std::string_view path) {
  path = path.substr(0, path.find_first_of("?#"));
  for (const NamedBase& base : bases)
    for (const std::string& glob : base.path_globs)
      if (GlobMatches(glob, path)) return &base;
  return nullptr;
}

}  // namespace verity::run
