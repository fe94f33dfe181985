#include "base/yaml_problems.h"

#include <fmt/format.h>

#include "base/edit_distance.h"
#include "base/strings.h"
#include "base/yaml_json.h"

namespace verity::yaml {

void Problems::Add(SourcePos pos, std::string code, std::string message) {
  list_.push_back({pos, std::move(code), std::move(message)});
}

void Problems::TypeError(const Node& v, std::string_view where, std::string_view expected) {
  Add(v.pos, prefix_ + "_TYPE",
      fmt::format("{}: expected {}, got {}", where, expected, Describe(v)));
}

void Problems::UnknownKey(const Node& key, std::string_view where,
                          const std::vector<std::string_view>& known) {
  std::string hint = ClosestMatch(key.value, known);
  Add(key.pos, prefix_ + "_UNKNOWN_KEY",
      fmt::format("{}: unknown key {}{}", where, Quoted(key.value),
                  hint.empty() ? fmt::format(" (known: {})", JoinNames(known))
                               : fmt::format("; did you mean \"{}\"?", hint)));
}

std::vector<std::pair<const Node*, const Node*>> Problems::Entries(const Node& map,
                                                                   std::string_view where) {
  std::vector<std::pair<const Node*, const Node*>> out;
  for (const auto& [k, v] : map.entries) {
    if (!k.is_scalar() || k.value.empty())
      Add(k.pos, prefix_ + "_TYPE", fmt::format("{}: keys must be names", where));
    else
      out.emplace_back(&k, &v);
  }
  return out;
}

std::string JoinNames(const std::vector<std::string_view>& names) {
  return Join(std::vector<std::string>(names.begin(), names.end()), ", ");
}

}  // namespace verity::yaml
