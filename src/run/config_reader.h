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
#include "run/config.h"

namespace verity::run::config_internal {

struct Problem {
  SourcePos pos;
  std::string code;
  std::string message;
};

class Problems {
 public:
  void Add(SourcePos pos, std::string code, std::string message);
  /// CONFIG_TYPE: "WHERE: expected EXPECTED, got string \"x\"". Never for a node that may hold a
  /// secret: it quotes scalars.
  void TypeError(const yaml::Node& v, std::string_view where, std::string_view expected);
  /// CONFIG_UNKNOWN_KEY with the nearest of `known`, or the whole list when none is near.
  void UnknownKey(const yaml::Node& key, std::string_view where,
                  const std::vector<std::string_view>& known);
  /// The entries of `map` whose key is a non-empty scalar; other keys are reported.
  std::vector<std::pair<const yaml::Node*, const yaml::Node*>> Entries(const yaml::Node& map,
                                                                       std::string_view where);

  std::vector<Problem>& list() { return list_; }

 private:
  std::vector<Problem> list_;
};

std::string JoinNames(const std::vector<std::string_view>& names);
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
/// Replaces `out` with the valid bases of `v`.
void ReadBases(const yaml::Node& v, const std::string& at, Problems& problems,
               std::vector<NamedBase>* out);
/// Merges the valid token references of `v` into `out` by type; a null one removes the type.
void ReadTokens(const yaml::Node& v, const std::string& at, const std::string& dir,
                Problems& problems, std::map<std::string, TokenRef>* out);

}  // namespace verity::run::config_internal
