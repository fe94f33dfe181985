#include "base/yaml_json.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "base/strings.h"

namespace verity::yaml {

namespace {

constexpr std::string_view kStrTag = "tag:yaml.org,2002:str";

bool IsDigits(std::string_view s, int base) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = base == 10 ? (c >= '0' && c <= '9')
              : base == 8
                  ? (c >= '0' && c <= '7')
                  : ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
    if (!ok) return false;
  }
  return true;
}

std::optional<Json> ParseInteger(std::string_view s) {
  int base = 10;
  std::string_view digits = s;
  bool negative = false;
  if (s.starts_with("0o")) {
    base = 8, digits = s.substr(2);
  } else if (s.starts_with("0x")) {
    base = 16, digits = s.substr(2);
  } else if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    digits = s.substr(1);
  }
  if (!IsDigits(digits, base)) return std::nullopt;
  uint64_t magnitude = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, base);
  if (ec == std::errc() && ptr == digits.data() + digits.size()) {
    if (!negative) {
      if (magnitude <= static_cast<uint64_t>(INT64_MAX))
        return Json(static_cast<int64_t>(magnitude));
      return Json(magnitude);
    }
    if (magnitude <= static_cast<uint64_t>(INT64_MAX) + 1)
      return Json(static_cast<int64_t>(0 - magnitude));
  }
  // Too large for 64 bits: YAML still says "integer"; the nearest double is the honest value.
  return Json(std::strtod(std::string(s).c_str(), nullptr));
}

bool LooksLikeFloat(std::string_view s) {
  // [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  size_t int_digits = 0, frac_digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++int_digits;
  bool dot = false;
  if (i < s.size() && s[i] == '.') {
    dot = true;
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0) return false;
  bool exponent = false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    exponent = true;
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    size_t exp_digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == s.size() && (dot || exponent);
}

}  // namespace

Json ScalarToJson(const Node& n) {
  if (n.style != ScalarStyle::kPlain || n.tag == kStrTag) return Json(n.value);
  const std::string& v = n.value;
  if (n.is_null()) return Json(nullptr);
  if (v == "true" || v == "True" || v == "TRUE") return Json(true);
  if (v == "false" || v == "False" || v == "FALSE") return Json(false);
  if (auto integer = ParseInteger(v)) return *integer;
  if (LooksLikeFloat(v)) return Json(std::strtod(v.c_str(), nullptr));
  // .inf and .nan have no JSON form; they stay text rather than turning into null.
  return Json(v);
}

Json ToJson(const Node& n) {
  switch (n.kind) {
    case NodeKind::kScalar:
      return ScalarToJson(n);
    case NodeKind::kSequence: {
      Json arr = Json::array();
      for (const Node& item : n.items) arr.push_back(ToJson(item));
      return arr;
    }
    case NodeKind::kMapping: {
      Json obj = Json::object();
      // The reader has dropped repeated scalar keys, so those can be appended without the
      // linear search of operator[] (O(n^2) for the 110 000 keys of a large `paths`). A complex
      // key becomes its JSON text, which could equal another key's: then the search is needed.
      bool all_scalar = std::all_of(n.entries.begin(), n.entries.end(),
                                    [](const auto& entry) { return entry.first.is_scalar(); });
      for (const auto& [k, v] : n.entries) {
        if (all_scalar) {
          AppendMember(obj, k.value, ToJson(v));
        } else {
          obj[k.is_scalar() ? k.value : ToJson(k).dump()] = ToJson(v);
        }
      }
      return obj;
    }
  }
  return Json();
}

Json ToJsonAsText(const Node& node) {
  if (node.is_sequence()) {
    Json out = Json::array();
    for (const Node& item : node.items) out.push_back(ToJsonAsText(item));
    return out;
  }
  Json value = ToJson(node);
  if (node.is_scalar() && (value.is_number() || value.is_boolean())) return node.value;
  return value;
}

const char* TypeName(const Node& n) {
  if (n.is_sequence()) return "list";
  if (n.is_mapping()) return "mapping";
  Json j = ScalarToJson(n);
  if (j.is_null()) return "null";
  if (j.is_boolean()) return "boolean";
  if (j.is_number_integer()) return "integer";
  if (j.is_number()) return "number";
  return "string";
}

std::string Describe(const Node& n) {
  if (n.is_scalar() && !n.is_null())
    return fmt::format("{} {}", TypeName(n), Quoted(Abbreviate(n.value, 40)));
  return TypeName(n);
}

}  // namespace verity::yaml
