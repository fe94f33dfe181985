// JSON as block-style YAML, for the exported document. A string is written plain only when YAML
// cannot read it as anything else (a number, a boolean, null, a mapping, a comment); every other
// string is written as a JSON string, which YAML's double-quoted style reads the same.
#include <string>

#include "arazzo/export.h"
#include "base/strings.h"

namespace verity::arazzo {

namespace {

bool PlainSafe(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char c : s) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
              c == '/' || c == ' ';
    if (!ok) return false;
  }
  if (s.back() == ' ') return false;
  for (const char* word : {"true", "false", "null", "yes", "no", "on", "off", "y", "n"})
    if (IEquals(s, word)) return false;
  return true;
}

std::string Scalar(const Json& v) {
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    return PlainSafe(s) ? s : Json(s).dump();
  }
  return v.dump();
}

bool IsBlock(const Json& v) { return (v.is_object() || v.is_array()) && !v.empty(); }

void Emit(const Json& v, size_t indent, std::string* out);

// A block written at `indent`, its first line's indentation replaced by "- ".
void EmitItem(const Json& item, size_t indent, std::string* out) {
  std::string pad(indent, ' ');
  if (!IsBlock(item)) {
    *out += pad + "- " + Scalar(item) + "\n";
    return;
  }
  std::string inner;
  Emit(item, indent + 2, &inner);
  *out += pad + "- " + inner.substr(indent + 2);
}

void Emit(const Json& v, size_t indent, std::string* out) {
  std::string pad(indent, ' ');
  if (v.is_object()) {
    for (const auto& [key, value] : v.items()) {
      *out += pad + Scalar(Json(key)) + ":";
      if (IsBlock(value)) {
        *out += "\n";
        Emit(value, value.is_array() ? indent : indent + 2, out);
      } else {
        *out += " " + Scalar(value) + "\n";
      }
    }
  } else if (v.is_array()) {
    for (const Json& item : v) EmitItem(item, indent, out);
  } else {
    *out += pad + Scalar(v) + "\n";
  }
}

}  // namespace

std::string ToYaml(const Json& document) {
  std::string out;
  Emit(document, 0, &out);
  return out;
}

}  // namespace verity::arazzo
