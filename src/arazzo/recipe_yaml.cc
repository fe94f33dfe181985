#include "arazzo/recipe_yaml.h"

#include <fmt/format.h>

#include <cctype>

#include "base/strings.h"

namespace verity::arazzo {

namespace {

bool IsPlainSafe(std::string_view s) {
  if (s.empty()) return false;
  char first = s.front();
  if (!(std::isalpha(static_cast<unsigned char>(first)) || first == '_' || first == '/'))
    return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
          c == '/'))
      return false;
  // Words the core schema (or an older YAML 1.1 reader) would take for a boolean or null.
  static const char* kWords[] = {"true", "false", "null", "yes", "no", "on", "off", "y", "n"};
  std::string lower = ToLower(s);
  for (const char* word : kWords)
    if (lower == word) return false;
  return true;
}

// A JSON string literal is a YAML double-quoted scalar, except that YAML wants DEL and the C1
// controls escaped too: they are not printable characters in a YAML stream.
std::string DoubleQuoted(std::string_view s) {
  std::string json = Json(std::string(s)).dump(-1, ' ', false, Json::error_handler_t::replace);
  std::string out;
  out.reserve(json.size());
  for (size_t i = 0; i < json.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(json[i]);
    if (c == 0x7F) {
      out += "\\x7F";
    } else if (c == 0xC2 && i + 1 < json.size() &&
               static_cast<unsigned char>(json[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(json[i + 1]) <= 0x9F) {
      out += fmt::format("\\x{:02X}", static_cast<unsigned char>(json[++i]));
    } else {
      out += json[i];
    }
  }
  return out;
}

std::string Key(std::string_view key) {
  return IsPlainSafe(key) ? std::string(key) : DoubleQuoted(key);
}

// A scalar, an empty container, or a list of scalars (`status: [200, 201]`): one line.
bool IsInline(const Json& v) {
  if (!v.is_structured() || v.empty()) return true;
  if (!v.is_array()) return false;
  for (const Json& item : v)
    if (item.is_structured()) return false;
  return true;
}

}  // namespace

std::string YamlScalar(const Json& value) {
  if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    return IsPlainSafe(s) ? s : DoubleQuoted(s);
  }
  if (value.is_object()) return value.empty() ? "{}" : value.dump();
  if (value.is_array()) {
    // Only lists of scalars get here; plain scalars hold no `,[]{}`, so they are safe in flow.
    std::string out = "[";
    for (const Json& item : value) out += (out.size() > 1 ? ", " : "") + YamlScalar(item);
    return out + "]";
  }
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string YamlBlock(const Json& value, int indent) {
  std::string pad(static_cast<size_t>(indent), ' ');
  if (IsInline(value)) return pad + YamlScalar(value) + "\n";
  std::string out;
  if (value.is_object()) {
    for (const auto& [k, v] : value.items()) out += YamlEntry(k, v, indent);
    return out;
  }
  for (const Json& item : value) {
    if (IsInline(item)) {
      out += pad + "- " + YamlScalar(item) + "\n";
      continue;
    }
    // The item's block two spaces in, its first line's indentation replaced by the dash.
    std::string block = YamlBlock(item, indent + 2);
    out += pad + "- " + block.substr(static_cast<size_t>(indent) + 2);
  }
  return out;
}

std::string YamlEntry(std::string_view key, const Json& value, int indent) {
  std::string pad(static_cast<size_t>(indent), ' ');
  if (IsInline(value)) return pad + Key(key) + ": " + YamlScalar(value) + "\n";
  return pad + Key(key) + ":\n" + YamlBlock(value, indent + 2);
}

}  // namespace verity::arazzo
