#include "run/query_encoding.h"

#include <cctype>

#include "expr/filters.h"

namespace verity::run {

namespace {

using Kind = QueryStyle::Kind;

std::optional<QueryStyle> SwaggerStyle(std::string_view format) {
  if (format == "multi") return QueryStyle{Kind::kForm, true};
  if (format == "csv") return QueryStyle{Kind::kForm, false};
  if (format == "ssv") return QueryStyle{Kind::kSpaceDelimited, false};
  if (format == "tsv") return QueryStyle{Kind::kTabDelimited, false};
  if (format == "pipes") return QueryStyle{Kind::kPipeDelimited, false};
  return std::nullopt;
}

std::optional<QueryStyle> OpenApiStyle(const Json& parameter) {
  std::string style = "form";
  if (auto s = parameter.find("style"); s != parameter.end()) {
    if (!s->is_string()) return std::nullopt;
    style = s->get<std::string>();
  }
  QueryStyle out;
  if (style == "form") {
    out.kind = Kind::kForm;
  } else if (style == "spaceDelimited") {
    out.kind = Kind::kSpaceDelimited;
  } else if (style == "pipeDelimited") {
    out.kind = Kind::kPipeDelimited;
  } else if (style == "deepObject") {
    out.kind = Kind::kDeepObject;
  } else {
    return std::nullopt;
  }
  out.explode = style == "form";
  if (auto e = parameter.find("explode"); e != parameter.end() && e->is_boolean())
    out.explode = e->get<bool>();
  return out;
}

// The delimiter between the items of one non-exploded value, already encoded where a raw one
// would not be a valid URL character.
std::string_view Delimiter(Kind kind) {
  switch (kind) {
    case Kind::kSpaceDelimited:
      return "%20";
    case Kind::kPipeDelimited:
      return "%7C";
    case Kind::kTabDelimited:
      return "%09";
    case Kind::kForm:
    case Kind::kDeepObject:
      break;
  }
  return ",";
}

void AppendPair(std::string_view key, const std::string& encoded_value, std::string* out) {
  if (!out->empty()) *out += '&';
  *out += expr::PercentEncode(key, "[]");
  *out += '=';
  *out += encoded_value;
}

std::string Text(const Json& value) { return expr::PercentEncode(expr::ToText(value)); }

// axios-style brackets: `k[]=v` for array items, `k[a]=v` for members, nested as deep as they go.
void AppendBrackets(const std::string& key, const Json& value, std::string* out) {
  if (value.is_null()) return;
  if (value.is_array()) {
    for (const Json& item : value) AppendBrackets(key + "[]", item, out);
    return;
  }
  if (value.is_object()) {
    for (const auto& [k, v] : value.items()) AppendBrackets(key + "[" + k + "]", v, out);
    return;
  }
  AppendPair(key, Text(value), out);
}

void AppendJoined(const std::string& key, const Json& value, std::string_view delimiter,
                  std::string* out) {
  std::string joined;
  bool first = true;
  auto add = [&](const std::string& piece) {
    if (!first) joined += delimiter;
    first = false;
    joined += piece;
  };
  if (value.is_object()) {
    for (const auto& [k, v] : value.items()) {
      if (v.is_null()) continue;
      add(expr::PercentEncode(k));
      add(Text(v));
    }
  } else {
    for (const Json& item : value)
      if (!item.is_null()) add(Text(item));
  }
  if (!first) AppendPair(key, joined, out);
}

void AppendStyled(const std::string& key, const Json& value, const QueryStyle& style,
                  std::string* out) {
  if (value.is_array()) {
    if (style.kind == Kind::kDeepObject) return AppendBrackets(key, value, out);
    if (!style.explode) return AppendJoined(key, value, Delimiter(style.kind), out);
    for (const Json& item : value)
      if (!item.is_null()) AppendPair(key, Text(item), out);
    return;
  }
  if (value.is_object()) {
    if (style.kind == Kind::kDeepObject) return AppendBrackets(key, value, out);
    if (!style.explode) return AppendJoined(key, value, Delimiter(style.kind), out);
    // An exploded object's members are parameters of their own.
    for (const auto& [k, v] : value.items())
      if (!v.is_null()) AppendPair(k, Text(v), out);
    return;
  }
  AppendPair(key, Text(value), out);
}

void AppendFallback(const std::string& key, const Json& value, ArrayFormat format,
                    std::string* out) {
  if (!value.is_array() || format == ArrayFormat::kBrackets) return AppendBrackets(key, value, out);
  if (format == ArrayFormat::kComma) return AppendJoined(key, value, ",", out);
  for (const Json& item : value)
    if (!item.is_null()) AppendPair(key, Text(item), out);
}

bool MustEscape(unsigned char c) {
  if (c <= 0x20 || c >= 0x7f) return true;
  switch (c) {
    case '"':
    case '<':
    case '>':
    case '\\':
    case '^':
    case '`':
    case '{':
    case '|':
    case '}':
    case '#':
      return true;
    default:
      return false;
  }
}

}  // namespace

QueryStyles QueryStylesOf(const spec::Operation& operation) {
  QueryStyles out;
  for (const spec::Parameter& p : operation.parameters) {
    if (p.in != "query" || !p.node || !p.node->is_object()) continue;
    const Json& node = *p.node.node;
    // Swagger 2.0 puts `type` on the parameter itself; OpenAPI 3 has `schema` or `content`.
    bool swagger2 =
        node.contains("collectionFormat") || (node.contains("type") && !node.contains("schema"));
    std::optional<QueryStyle> style;
    if (swagger2) {
      auto format = node.find("collectionFormat");
      style = SwaggerStyle(format != node.end() && format->is_string() ? format->get<std::string>()
                                                                       : std::string("csv"));
    } else {
      style = OpenApiStyle(node);
    }
    if (style) out.emplace(p.name, *style);
  }
  return out;
}

std::string EncodeQuery(const Json& params, const QueryStyles& styles, ArrayFormat fallback) {
  std::string out;
  if (!params.is_object()) return out;
  for (const auto& [key, value] : params.items()) {
    if (value.is_null()) continue;
    if (auto style = styles.find(key); style != styles.end())
      AppendStyled(key, value, style->second, &out);
    else
      AppendFallback(key, value, fallback, &out);
  }
  return out;
}

std::string EscapeUrlText(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    bool escape_start = c == '%' && i + 2 < text.size() &&
                        std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
                        std::isxdigit(static_cast<unsigned char>(text[i + 2]));
    if (!MustEscape(c) && (c != '%' || escape_start)) {
      out += static_cast<char>(c);
      continue;
    }
    out += '%';
    out += kHex[c >> 4];
    out += kHex[c & 0xF];
  }
  return out;
}

}  // namespace verity::run
