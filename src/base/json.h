// The JSON value type used across Verity. Ordered, so that bodies, reports and `kb show --json`
// keep the order in which the author wrote things.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>

#include "base/status.h"

namespace verity {
using Json = nlohmann::ordered_json;

struct JsonLimits {
  /// Nested arrays and objects. Everything that walks a tree recurses, so depth is bounded here,
  /// once, instead of in every walker.
  size_t max_depth = 1000;
};

/// Parses JSON text. A failure is a ParseError whose message starts with the position:
/// "line 3, column 7: syntax error while parsing object - unexpected '}'". A key given twice keeps
/// its first position and its last value.
Result<Json> ParseJson(std::string_view text, const JsonLimits& limits = {});

/// Appends a member to a JSON object without looking for an existing one. ordered_json's own
/// insertion searches linearly, which makes building an object of n members O(n^2); callers that
/// already hold unique keys (from a std::map, say) use this instead.
inline void AppendMember(Json& object, std::string key, Json value) {
  if (!object.is_object()) object = Json::object();
  auto& members = object.get_ref<Json::object_t&>();
  members.Json::object_t::Container::emplace_back(std::move(key), std::move(value));
}
}  // namespace verity
