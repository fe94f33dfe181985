// Reading the schemas that apply to one value into Facts: the types they allow and their string,
// number, array and object keywords.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "spec/sample_internal.h"
#include "spec/schema_values.h"

namespace verity::spec::sample_detail {

using schema_detail::IsIntegral;

uint8_t TypeBit(std::string_view name) {
  if (name == "string") return kString;
  if (name == "integer") return kInteger;
  // An integer is a number: "number" in one allOf part and "integer" in another mean integer.
  if (name == "number") return kNumber | kInteger;
  if (name == "boolean") return kBoolean;
  if (name == "object") return kObject;
  if (name == "array") return kArray;
  if (name == "null") return kNull;
  return 0;
}

// 0 when `type` constrains nothing (absent, "file", "any", a typo), as for the validator.
uint8_t TypeMask(const Json& type) {
  if (type.is_string()) return TypeBit(type.get_ref<const std::string&>());
  if (!type.is_array()) return 0;
  uint8_t mask = 0;
  for (const Json& item : type) {
    uint8_t bit = item.is_string() ? TypeBit(item.get_ref<const std::string&>()) : 0;
    if (bit == 0) return 0;
    mask |= bit;
  }
  return mask;
}

uint8_t ValueType(const Json& v) {
  switch (v.type()) {
    case Json::value_t::string:
      return kString;
    case Json::value_t::boolean:
      return kBoolean;
    case Json::value_t::null:
      return kNull;
    case Json::value_t::object:
      return kObject;
    case Json::value_t::array:
      return kArray;
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return kInteger | kNumber;
    case Json::value_t::number_float:
      return IsIntegral(v) ? kInteger | kNumber : kNumber;
    default:
      return 0;
  }
}

bool IsTrue(const Json& v) { return v.is_boolean() && v.get<bool>(); }

namespace {

// A count keyword (minLength, maxItems …); -1 when absent or not a non-negative integer.
int64_t Count(const Json& v) {
  if (v.is_number_unsigned()) {
    auto n = v.get<uint64_t>();
    return n > static_cast<uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<int64_t>(n);
  }
  if (v.is_number_integer()) return std::max<int64_t>(-1, v.get<int64_t>());
  if (v.is_number_float() && IsIntegral(v) && v.get<double>() >= 0) {
    double d = v.get<double>();
    return d >= 9.2e18 ? INT64_MAX : static_cast<int64_t>(d);
  }
  return -1;
}

void Tighten(std::optional<double>& bound, bool& exclusive, double value, bool value_exclusive,
             bool is_low) {
  bool tighter = !bound || (is_low ? value > *bound : value < *bound) ||
                 (value == *bound && value_exclusive && !exclusive);
  if (tighter) {
    bound = value;
    exclusive = value_exclusive;
  }
}

}  // namespace

void ReadLeaf(const SchemaRef& leaf, size_t index, Facts& f) {
  const Json& node = *leaf.node;
  bool min_exclusive_flag = false, max_exclusive_flag = false;
  const Json* minimum = nullptr;
  const Json* maximum = nullptr;
  for (const auto& [key, v] : node.get_ref<const Json::object_t&>()) {
    if (key == "type") {
      uint8_t mask = TypeMask(v);
      if (mask) {
        if (!f.typed) f.first_type = &v;
        f.typed = true;
        f.types &= mask;
      }
    } else if (key == "const") {
      if (!f.constant) f.constant = &v;
    } else if (key == "enum") {
      if (v.is_array() && !v.empty()) f.enums.push_back(&v);
    } else if (key == "example") {
      f.examples.push_back(&v);
    } else if (key == "examples") {
      // A JSON Schema (3.1) list; 3.0 has no such schema keyword.
      if (v.is_array() && !v.empty()) f.examples.push_back(&v.front());
    } else if (key == "default") {
      f.defaults.push_back(&v);
    } else if (key == "format") {
      if (v.is_string() && !f.format) f.format = &v.get_ref<const std::string&>();
      f.string_keywords = true;
    } else if (key == "minLength") {
      f.min_length = std::max(f.min_length, Count(v));
      f.string_keywords = true;
    } else if (key == "maxLength") {
      int64_t n = Count(v);
      if (n >= 0 && (f.max_length < 0 || n < f.max_length)) f.max_length = n;
      f.string_keywords = true;
    } else if (key == "pattern") {
      if (v.is_string()) f.patterns.push_back(&v.get_ref<const std::string&>());
      f.string_keywords = true;
    } else if (key == "minimum") {
      if (v.is_number()) minimum = &v;
    } else if (key == "maximum") {
      if (v.is_number()) maximum = &v;
    } else if (key == "exclusiveMinimum") {
      if (v.is_boolean())
        min_exclusive_flag = v.get<bool>();
      else if (v.is_number())
        Tighten(f.low, f.low_exclusive, v.get<double>(), true, true);
      f.number_keywords = true;
    } else if (key == "exclusiveMaximum") {
      if (v.is_boolean())
        max_exclusive_flag = v.get<bool>();
      else if (v.is_number())
        Tighten(f.high, f.high_exclusive, v.get<double>(), true, false);
      f.number_keywords = true;
    } else if (key == "multipleOf") {
      if (v.is_number() && v.get<double>() > 0) f.multiples.push_back(&v);
      f.number_keywords = true;
    } else if (key == "items") {
      if (v.is_array()) {
        if (!f.prefix_items) f.prefix_items = leaf.Child("items");
      } else if (v.is_object() || v.is_boolean()) {
        f.items.push_back(leaf.Child("items"));
      }
      f.array_keywords = true;
    } else if (key == "prefixItems") {
      if (v.is_array() && !f.prefix_items) f.prefix_items = leaf.Child("prefixItems");
      f.array_keywords = true;
    } else if (key == "minItems") {
      f.min_items = std::max(f.min_items, Count(v));
      f.array_keywords = true;
    } else if (key == "maxItems") {
      int64_t n = Count(v);
      if (n >= 0 && (f.max_items < 0 || n < f.max_items)) f.max_items = n;
      f.array_keywords = true;
    } else if (key == "uniqueItems") {
      f.unique_items |= IsTrue(v);
      f.array_keywords = true;
    } else if (key == "properties") {
      if (!v.is_object()) continue;
      for (const auto& member : v.get_ref<const Json::object_t&>()) {
        const std::string& name = member.first;
        auto [it, added] = f.property_index.emplace(name, f.properties.size());
        if (added) f.properties.push_back({name, {}});
        f.properties[it->second].leaves.push_back(index);
      }
      f.object_keywords = true;
    } else if (key == "required") {
      if (!v.is_array()) continue;
      for (const Json& name : v) {
        if (!name.is_string()) continue;
        std::string_view n = name.get_ref<const std::string&>();
        if (std::find(f.required.begin(), f.required.end(), n) == f.required.end()) {
          f.required.push_back(n);
        }
      }
      f.object_keywords = true;
    } else if (key == "additionalProperties") {
      if (v.is_boolean() && !v.get<bool>())
        f.additional_forbidden = true;
      else if (v.is_object() && !f.additional)
        f.additional = leaf.Child("additionalProperties");
      f.object_keywords = true;
    } else if (key == "minProperties") {
      f.min_properties = std::max(f.min_properties, Count(v));
      f.object_keywords = true;
    } else if (key == "maxProperties") {
      int64_t n = Count(v);
      if (n >= 0 && (f.max_properties < 0 || n < f.max_properties)) f.max_properties = n;
      f.object_keywords = true;
    }
  }
  if (minimum) Tighten(f.low, f.low_exclusive, minimum->get<double>(), min_exclusive_flag, true);
  if (maximum) Tighten(f.high, f.high_exclusive, maximum->get<double>(), max_exclusive_flag, false);
  if (minimum || maximum) f.number_keywords = true;
}

}  // namespace verity::spec::sample_detail
