#include "doc/naming.h"

#include "base/strings.h"

namespace verity::doc {

bool IsHttpMethod(std::string_view m) {
  for (std::string_view known : {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})
    if (m == known) return true;
  return false;
}

bool IsVariantName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string RecipeLabel(std::string_view endpoint, std::string_view variant) {
  std::string label(endpoint);
  if (!variant.empty()) label += " [" + std::string(variant) + "]";
  return label;
}

std::string ConventionalFileName(std::string_view endpoint, std::string_view variant) {
  std::string_view e = Trim(endpoint);
  size_t space = e.find(' ');
  std::string method = ToLower(e.substr(0, space));
  std::string_view path = space == std::string_view::npos ? "" : Trim(e.substr(space));
  if (path.starts_with('/')) path.remove_prefix(1);
  std::string name = method + "_";
  for (char c : ToLower(path)) {
    if (c == '{' || c == '}') continue;
    bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
    char out = keep ? c : '_';
    if (out == '_' && name.back() == '_') continue;
    name += out;
  }
  if (!variant.empty()) {
    // The separator is always two underscores, even after a path's trailing '_', so the variant
    // can be told from the path.
    name += "__";
    name += variant;
  }
  return name + ".md";
}

}  // namespace verity::doc
