// Values, JSONPaths and checks of recipes in their Arazzo forms (export_internal.h).
#include <fmt/format.h>

#include "arazzo/export_internal.h"
#include "expr/builtins.h"
#include "expr/template.h"

namespace verity::arazzo::export_internal {

namespace {

bool IsNameStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

std::string PointerOf(const std::vector<std::string>& path, size_t from) {
  std::string out;
  for (size_t i = from; i < path.size(); ++i) out += "/" + EscapePointerToken(path[i]);
  return out;
}

// The JSON Schema of an input named after a variable: the environment's params say the type of
// theirs; Verity's generators and dates are strings a run makes up.
Json InputSchema(const std::string& name, const WorkflowScope& scope) {
  Json schema = {{"type", "string"}};
  const Json& params = scope.options->params;
  if (params.is_object() && params.contains(name)) {
    const Json& v = params[name];
    if (v.is_boolean()) schema["type"] = "boolean";
    if (v.is_number_integer()) schema["type"] = "integer";
    if (v.is_number_float()) schema["type"] = "number";
  } else if (expr::IsBuiltin(name)) {
    schema["description"] = fmt::format("Verity makes up {{{{{}}}}} on each run", name);
  }
  return schema;
}

// One `{{…}}` as an expression; nullopt when it cannot be one.
std::optional<std::string> ExpressionFor(const expr::Placeholder& p, WorkflowScope& scope) {
  if (!p.filters.empty()) return std::nullopt;
  return ExpressionForName(p.path, scope);
}

Json ConvertString(const std::string& text, WorkflowScope& scope, uint32_t line, bool* kept) {
  std::vector<expr::PlaceholderSpan> spans = expr::ScanPlaceholders(text);
  if (spans.empty()) return text;
  auto keep = [&](std::string_view why) {
    *kept = true;
    scope.Warn(line, fmt::format("\"{}\" is kept as written: {}", text, why));
    return Json(text);
  };
  for (const expr::PlaceholderSpan& span : spans)
    if (!span.placeholder) return keep("a placeholder that does not parse");
  if (expr::IsSinglePlaceholder(text)) {
    std::optional<std::string> e = ExpressionFor(*spans[0].placeholder, scope);
    if (!e) return keep("Arazzo has no form for filters or this variable");
    return *e;
  }
  std::string out;
  size_t at = 0;
  for (const expr::PlaceholderSpan& span : spans) {
    out += text.substr(at, span.begin - at);
    std::optional<std::string> e = ExpressionFor(*span.placeholder, scope);
    if (!e) return keep("Arazzo has no form for filters or this variable");
    out += "{" + *e + "}";
    at = span.end;
  }
  out += text.substr(at);
  return out;
}

}  // namespace

void WorkflowScope::Warn(uint32_t line, std::string message) {
  warnings->push_back(ExportWarning{file, line, std::move(message)});
}

std::string WorkflowScope::Input(const std::string& name, Json schema) {
  if (!inputs.contains(name)) inputs[name] = std::move(schema);
  return "$inputs." + name;
}

std::optional<std::string> ExpressionForName(const std::vector<std::string>& path,
                                             WorkflowScope& scope) {
  if (path.empty()) return std::nullopt;
  if (path[0] == "request") {
    // Only what was sent in the body has a runtime expression ($request.body#/…).
    if (path.size() < 2 || path[1] != "body") return std::nullopt;
    return "$request.body#" + PointerOf(path, 2);
  }
  if (path[0] == "config" && path.size() >= 3 && path[1] == "params") {
    std::string e = scope.Input(path[2], InputSchema(path[2], scope));
    std::string rest = PointerOf(path, 3);
    return rest.empty() ? e : e + "#" + rest;
  }
  std::string rest = PointerOf(path, 1);
  if (auto it = scope.produced.find(path[0]); it != scope.produced.end()) {
    std::string e = fmt::format("$steps.{}.outputs.{}", it->second, path[0]);
    return rest.empty() ? e : e + "#" + rest;
  }
  std::string e = scope.Input(path[0], InputSchema(path[0], scope));
  return rest.empty() ? e : e + "#" + rest;
}

Json ConvertValue(const Json& value, WorkflowScope& scope, uint32_t line, bool* kept) {
  if (value.is_string()) return ConvertString(value.get<std::string>(), scope, line, kept);
  if (value.is_array()) {
    Json out = Json::array();
    for (const Json& item : value) out.push_back(ConvertValue(item, scope, line, kept));
    return out;
  }
  if (value.is_object()) {
    Json out = Json::object();
    for (const auto& [key, item] : value.items()) out[key] = ConvertValue(item, scope, line, kept);
    return out;
  }
  return value;
}

std::string EscapePointerToken(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

std::optional<std::string> SimplePointer(std::string_view p) {
  if (p.empty() || p[0] != '$') return std::nullopt;
  std::string out;
  size_t i = 1;
  while (i < p.size()) {
    if (p[i] == '.') {
      size_t start = ++i;
      if (i >= p.size() || !IsNameStart(p[i])) return std::nullopt;
      while (i < p.size() && IsNameChar(p[i])) ++i;
      out += "/" + EscapePointerToken(p.substr(start, i - start));
    } else if (p[i] == '[') {
      size_t close = p.find(']', i);
      if (close == std::string_view::npos) return std::nullopt;
      std::string_view inner = p.substr(i + 1, close - i - 1);
      bool digits = !inner.empty() && inner.find_first_not_of("0123456789") == inner.npos;
      bool quoted = inner.size() >= 2 && inner.front() == '\'' && inner.back() == '\'' &&
                    inner.substr(1, inner.size() - 2).find_first_of("'\\") == inner.npos;
      if (digits)
        out += "/" + std::string(inner);
      else if (quoted)
        out += "/" + EscapePointerToken(inner.substr(1, inner.size() - 2));
      else
        return std::nullopt;
      i = close + 1;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

std::optional<std::string> ConditionLiteral(const Json& value) {
  if (value.is_null()) return "null";
  if (value.is_boolean() || value.is_number()) return value.dump();
  if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    if (s.find('\'') != std::string::npos) return std::nullopt;
    return "'" + s + "'";
  }
  return std::nullopt;
}

}  // namespace verity::arazzo::export_internal
