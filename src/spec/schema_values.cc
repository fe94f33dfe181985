#include "spec/schema_values.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>

namespace verity::spec::schema_detail {
namespace {

bool IsInteger(const Json& v) { return v.is_number_integer(); }  // signed or unsigned

__int128 AsInt128(const Json& v) {
  if (v.is_number_unsigned())
    return static_cast<__int128>(v.get_ref<const Json::number_unsigned_t&>());
  return static_cast<__int128>(v.get_ref<const Json::number_integer_t&>());
}

// long double holds every int64 and uint64 exactly on x86-64, so comparisons between an integer
// and a float do not round the integer.
long double AsLongDouble(const Json& v) {
  if (v.is_number_float()) return v.get_ref<const Json::number_float_t&>();
  if (v.is_number_unsigned()) {
    return static_cast<long double>(v.get_ref<const Json::number_unsigned_t&>());
  }
  return static_cast<long double>(v.get_ref<const Json::number_integer_t&>());
}

size_t Mix(size_t seed, size_t value) {
  return seed ^ (value + 0x9e3779b97f4a7c15ull + (seed << 6) + (seed >> 2));
}

}  // namespace

int CompareNumbers(const Json& a, const Json& b) {
  if (IsInteger(a) && IsInteger(b)) {
    __int128 x = AsInt128(a), y = AsInt128(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  long double x = AsLongDouble(a), y = AsLongDouble(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

bool IsIntegral(const Json& value) {
  if (value.is_number_integer()) return true;
  if (!value.is_number_float()) return false;
  double d = value.get_ref<const Json::number_float_t&>();
  return std::isfinite(d) && std::floor(d) == d;
}

bool IsMultipleOf(const Json& value, const Json& divisor) {
  if (!value.is_number() || !divisor.is_number()) return true;
  if (IsInteger(value) && IsIntegral(divisor)) {
    long double d = AsLongDouble(divisor);
    if (d <= 0 || d > 1e30L) return true;
    __int128 m = static_cast<__int128>(d);
    return AsInt128(value) % m == 0;
  }
  long double d = AsLongDouble(divisor);
  if (!(d > 0)) return true;  // a nonsensical schema value constrains nothing
  long double q = AsLongDouble(value) / d;
  if (!std::isfinite(static_cast<double>(q))) return false;
  // 0.3 / 0.1 is 2.9999999999999996: decimal multipleOf needs a tolerance.
  long double nearest = std::round(q);
  return std::fabs(q - nearest) <= 1e-9L * std::max<long double>(1, std::fabs(q));
}

bool JsonEqual(const Json& a, const Json& b) {
  if (a.is_number() && b.is_number()) return CompareNumbers(a, b) == 0;
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case Json::value_t::object: {
      if (a.size() != b.size()) return false;
      for (auto it = a.begin(); it != a.end(); ++it) {
        auto other = b.find(it.key());
        if (other == b.end() || !JsonEqual(*it, *other)) return false;
      }
      return true;
    }
    case Json::value_t::array: {
      if (a.size() != b.size()) return false;
      for (size_t i = 0; i < a.size(); ++i) {
        if (!JsonEqual(a[i], b[i])) return false;
      }
      return true;
    }
    default:
      return a == b;
  }
}

size_t JsonHash(const Json& value) {
  switch (value.type()) {
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: {
      double d = static_cast<double>(AsLongDouble(value));
      if (d == 0) d = 0;  // -0.0 == 0.0
      return std::hash<double>{}(d);
    }
    case Json::value_t::string:
      return std::hash<std::string_view>{}(value.get_ref<const std::string&>());
    case Json::value_t::boolean:
      return value.get<bool>() ? 0x51u : 0x52u;
    case Json::value_t::null:
      return 0x53u;
    case Json::value_t::array: {
      size_t h = 0x54u;
      for (const Json& item : value) h = Mix(h, JsonHash(item));
      return h;
    }
    case Json::value_t::object: {
      // A sum, so that member order does not matter.
      size_t h = 0x55u;
      for (auto it = value.begin(); it != value.end(); ++it) {
        h += Mix(std::hash<std::string_view>{}(it.key()), JsonHash(*it));
      }
      return h;
    }
    default:
      return 0;
  }
}

size_t CountCodePoints(std::string_view text) {
  size_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::string ShortJson(const Json& value, size_t max_chars, const QuoteMask* mask) {
  std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (mask) text = (*mask)(text);
  if (text.size() <= max_chars) return text;
  size_t cut = max_chars;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  text += "…";
  return text;
}

std::string DescribeValue(const Json& value, const QuoteMask* mask) {
  switch (value.type()) {
    case Json::value_t::string:
      return "string " + ShortJson(value, 40, mask);
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      return "number " + ShortJson(value);
    case Json::value_t::boolean:
      return value.get<bool>() ? "boolean true" : "boolean false";
    case Json::value_t::null:
      return "null";
    case Json::value_t::object:
      return "object";
    case Json::value_t::array:
      return "array";
    default:
      return value.type_name();
  }
}

}  // namespace verity::spec::schema_detail
