// The problem list of a YAML file reader (verity.yaml, mock rules): problems are collected, not
// stopped at, each with its position and a stable code, and the usual ones (a wrong type, an
// unknown key with the nearest known one) are worded the same way in every file Verity reads.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/source_pos.h"
#include "base/yaml.h"

namespace verity::yaml {

struct Problem {
  SourcePos pos;
  std::string code;
  std::string message;
};

class Problems {
 public:
  /// Codes of the common problems are `<prefix>_TYPE` and `<prefix>_UNKNOWN_KEY`.
  explicit Problems(std::string code_prefix) : prefix_(std::move(code_prefix)) {}

  void Add(SourcePos pos, std::string code, std::string message);
  /// <prefix>_TYPE: "WHERE: expected EXPECTED, got string \"x\"". Never for a node that may hold
  /// a secret: it quotes scalars.
  void TypeError(const Node& v, std::string_view where, std::string_view expected);
  /// <prefix>_UNKNOWN_KEY with the nearest of `known`, or the whole list when none is near.
  void UnknownKey(const Node& key, std::string_view where,
                  const std::vector<std::string_view>& known);
  /// The entries of `map` whose key is a non-empty scalar; other keys are reported.
  std::vector<std::pair<const Node*, const Node*>> Entries(const Node& map, std::string_view where);

  std::vector<Problem>& list() { return list_; }

 private:
  std::string prefix_;
  std::vector<Problem> list_;
};

/// "a, b, c".
std::string JoinNames(const std::vector<std::string_view>& names);

}  // namespace verity::yaml
