// Inside the verity.yaml reader: the problem list every part reports to, and the readers of the
// nested sections (bases, tokens, rate limits) that config.cc calls per environment. Not part of
// the run module's interface; include run/config.h instead.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/source_pos.h"
#include "base/yaml.h"
#include "base/yaml_problems.h"
#include "run/config.h"

namespace verity::run::config_internal {

using yaml::JoinNames;
using yaml::Problem;
using yaml::Problems;

/// `path` as written, when absolute; else below `dir`.
std::string ResolvePath(const std::string& dir, std::string_view path);

/// A non-empty scalar, trimmed.
std::optional<std::string> ReadText(const yaml::Node& v, std::string_view at, std::string_view what,
                                    Problems& problems);
/// An http(s) URL without its trailing '/'.
std::optional<std::string> ReadUrl(const yaml::Node& v, std::string_view at, Problems& problems);
std::optional<AuthScheme> ReadScheme(const yaml::Node& v, std::string_view at, Problems& problems);
/// Sets `out` only when the whole value is valid.
void ReadRateLimit(const yaml::Node& v, const std::string& at, Problems& problems, RateLimit* out);
/// Merges the valid producers of `v` into `out` by parameter name.
void ReadProducers(const yaml::Node& v, const std::string& at, Problems& problems,
                   std::map<std::string, ConfiguredProducer>* out);
/// Replaces `out` with the valid bases of `v`.
void ReadBases(const yaml::Node& v, const std::string& at, Problems& problems,
               std::vector<NamedBase>* out);
/// Merges the valid token references of `v` into `out` by type; a null one removes the type.
void ReadTokens(const yaml::Node& v, const std::string& at, const std::string& dir,
                Problems& problems, std::map<std::string, TokenRef>* out);
/// The `oauth2:` block of a token entry (config_obtain.cc); nullopt after reporting a problem.
std::optional<OAuth2Grant> ReadOAuth2(const yaml::Node& v, const std::string& at,
                                      const std::string& dir, Problems& problems);
/// The `login:` block of a token entry; nullopt after reporting a problem.
std::optional<LoginRecipe> ReadLogin(const yaml::Node& v, const std::string& at,
                                     Problems& problems);
/// One of the source keys (env, file, command, timeout) of a token or a secret. False when `key`
/// is none of them.
bool ReadSourceKey(const std::string& key, const yaml::Node& v, const std::string& at,
                   const std::string& dir, Problems& problems, SecretSource* out, bool* ok);
/// Exactly one source, and a timeout only for a command.
bool CheckSource(const yaml::Node& map, const std::string& where, bool ok, Problems& problems);
/// CONFIG_LITERAL_TOKEN: a secret written in the file (its value is not repeated).
void LiteralToken(const yaml::Node& v, std::string_view where, Problems& problems);

/// Merges the valid secret references of `v` into `out` by name; a null one removes the name.
void ReadSecrets(const yaml::Node& v, const std::string& at, const std::string& dir,
                 Problems& problems, std::map<std::string, SecretSource>* out);
/// Replaces `out` with the conventions `v` names (a list, or one name).
void ReadConventions(const yaml::Node& v, const std::string& at, Problems& problems,
                     Conventions* out);

/// Sets the knobs `v` names over those in `out`; a `specs` list replaces out->specs. Problems are
/// CONFIG_BAD_VALIDATION (and the usual type and unknown-key ones).
void ReadValidation(const yaml::Node& v, const std::string& at, Problems& problems,
                    ValidationPolicy* out);

}  // namespace verity::run::config_internal
