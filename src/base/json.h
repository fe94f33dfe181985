// The JSON value type used across Verity. Ordered, so that bodies, reports and `kb show --json`
// keep the order in which the author wrote things.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace verity {
using Json = nlohmann::ordered_json;

struct JsonLimits {
  /// Nested arrays and objects. Everything that walks a tree recurses, so depth is bounded here,
  /// once, instead of in every walker.
  size_t max_depth = 1000;
};

/// Appends a reference token to a JSON Pointer, escaping '~' and '/' (RFC 6901).
void AppendPointerToken(std::string& pointer, std::string_view token);

/// Parses JSON text. A failure is a ParseError whose message starts with the position:
/// "line 3, column 7: syntax error while parsing object - unexpected '}'". A key given twice keeps
/// its first position and its last value.
Result<Json> ParseJson(std::string_view text, const JsonLimits& limits = {});

/// What ParseJsonReporting saw besides the value. Offsets are bytes into the parsed text, at the
/// opening quote of a key (base/line_index.h turns them into line:col).
struct JsonKeyReport {
  struct Duplicate {
    std::string pointer;  // JSON Pointer of the object that holds the key twice
    std::string key;
    size_t offset = 0;        // the repeat, which is dropped
    size_t first_offset = 0;  // the definition that is kept
  };
  struct Watched {
    std::string pointer;  // JSON Pointer of the object that holds the member
    std::string value;    // the member's string value
    size_t offset = 0;
  };
  std::vector<Duplicate> duplicates;
  std::vector<Watched> watched;
};

struct JsonWatch {
  /// Members with this key and a string value are reported ("$ref").
  std::string_view key;
  /// Which of their values to report; null: all.
  bool (*keep)(std::string_view value) = nullptr;
};

/// Like ParseJson, except that a key given twice keeps its *first* value (later ones are parsed
/// and dropped; YAML readers do the same) and each repeat is reported, and that the members named
/// by `watch` are reported with their positions. Costs about one extra store per input byte.
Result<Json> ParseJsonReporting(std::string_view text, const JsonWatch& watch,
                                JsonKeyReport* report, const JsonLimits& limits = {});

/// Appends a member to a JSON object without looking for an existing one. ordered_json's own
/// insertion searches linearly, which makes building an object of n members O(n^2); callers that
/// already hold unique keys (from a std::map, say) use this instead.
inline void AppendMember(Json& object, std::string key, Json value) {
  if (!object.is_object()) object = Json::object();
  auto& members = object.get_ref<Json::object_t&>();
  members.Json::object_t::Container::emplace_back(std::move(key), std::move(value));
}
}  // namespace verity
