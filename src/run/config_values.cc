// The value forms of the run configuration: authorization schemes, query array formats, durations,
// sizes, path globs.
#include <cmath>
#include <cstdlib>

#include "base/strings.h"
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
  }
  return "bearer";
}

std::optional<AuthScheme> ParseAuthScheme(std::string_view name) {
  name = Trim(name);
  if (IEquals(name, "bearer")) return AuthScheme::kBearer;
  if (IEquals(name, "admin")) return AuthScheme::kAdmin;
  if (IEquals(name, "token")) return AuthScheme::kToken;
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

AuthScheme DefaultSchemeFor(std::string_view token_type) {
  // The original tool's convention: the API gateway reads these two from "Admin" headers.
  if (IEquals(token_type, "admin") || IEquals(token_type, "internal")) return AuthScheme::kAdmin;
  return AuthScheme::kBearer;
}

std::string AuthorizationValue(AuthScheme scheme, std::string_view token) {
  switch (scheme) {
    case AuthScheme::kBearer:
      return "Bearer " + std::string(token);
    case AuthScheme::kAdmin:
      return "Admin " + std::string(token);
    case AuthScheme::kToken:
      return "Token token=\"" + std::string(token) + "\"";
  }
  return std::string(token);
}

bool PathGlobMatches(std::string_view glob, std::string_view path) {
  // Greedy matching with one backtrack point: on a mismatch, the last '*' takes one more
  // character. Linear in practice, never exponential, whatever the number of stars.
  size_t g = 0, p = 0;
  size_t star = std::string_view::npos, star_p = 0;
  while (p < path.size()) {
    if (g < glob.size() && glob[g] == '*') {
      star = g++;
      star_p = p;
    } else if (g < glob.size() && glob[g] == path[p]) {
      ++g, ++p;
    } else if (star != std::string_view::npos) {
      g = star + 1;
      p = ++star_p;
    } else {
      return false;
    }
  }
  while (g < glob.size() && glob[g] == '*') ++g;
  return g == glob.size();
}

const NamedBase* Environment::BaseFor(std::string_view path) const {
  size_t query = path.find_first_of("?#");
  if (query != std::string_view::npos) path = path.substr(0, query);
  for (const NamedBase& base : bases)
    for (const std::string& glob : base.path_globs)
      if (PathGlobMatches(glob, path)) return &base;
  return nullptr;
}

}  // namespace verity::run
