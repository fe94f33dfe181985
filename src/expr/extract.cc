#include "expr/extract.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include "base/strings.h"
#include "expr/template.h"

namespace verity::expr {
namespace {

// The value a header entry reads, or why it reads none.
std::optional<std::string> HeaderValue(const ExtractRule& rule, const HeaderLookup& headers,
                                       const ExcerptMask& mask, std::string* why) {
  std::optional<std::string> value = headers ? headers(rule.header) : std::nullopt;
  if (!value) {
    *why = fmt::format("the response has no {} header", rule.header);
    return std::nullopt;
  }
  if (rule.match.empty()) return value;
  re2::RE2 pattern(rule.match, re2::RE2::Quiet);
  // Submatch 0 is what the expression matched, 1 its first group.
  int keep = pattern.NumberOfCapturingGroups() > 0 ? 1 : 0;
  re2::StringPiece found[2];
  if (!pattern.ok()) {
    *why = fmt::format("{} is not a valid RE2 expression: {}", rule.match, pattern.error());
    return std::nullopt;
  }
  if (!pattern.Match(*value, 0, value->size(), re2::RE2::UNANCHORED, found, keep + 1)) {
    *why = fmt::format("its {} header ({}) does not match {}", rule.header,
                       Abbreviate(mask ? mask(*value) : *value, 120), rule.match);
    return std::nullopt;
  }
  return std::string(found[keep].data(), found[keep].size());
}

}  // namespace

std::string MatchError(const std::string& match) {
  if (match.empty()) return "";
  re2::RE2 pattern(match, re2::RE2::Quiet);
  return pattern.ok() ? "" : pattern.error();
}

std::string Excerpt(const Json& value, size_t max_chars, const ExcerptMask& mask) {
  // Invalid UTF-8 in a response must not make the excerpt itself fail.
  std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (mask) text = mask(text);
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (chars++ == max_chars) return text.substr(0, i) + "…";
  }
  return text;
}

namespace {

// The literal after `||`: a quoted string ('…' or "…", no quote of the same kind inside) or a JSON
// number, true, false or null. Anything else is not the shorthand (a filter's `||` is followed
// by more of the query).
std::optional<Json> Literal(std::string_view text) {
  if (text.size() >= 2 && (text.front() == '\'' || text.front() == '"') &&
      text.back() == text.front()) {
    std::string_view inner = text.substr(1, text.size() - 2);
    if (inner.find(text.front()) != std::string_view::npos) return std::nullopt;
    return Json(std::string(inner));
  }
  Result<Json> parsed = ParseJson(text);
  if (parsed.ok() && (parsed->is_number() || parsed->is_boolean() || parsed->is_null()))
    return *parsed;
  return std::nullopt;
}

std::optional<Json> Copy(const ExtractRule& rule, const Extraction& so_far,
                         const VariableLookup& lookup) {
  for (auto it = so_far.values.rbegin(); it != so_far.values.rend(); ++it)
    if (it->first == rule.copy_of) return it->second;
  if (lookup) return lookup(rule.copy_of);
  return std::nullopt;
}

}  // namespace

ExtractText ReadExtractText(std::string_view text) {
  ExtractText out;
  std::string_view trimmed = Trim(text);
  if (IsSinglePlaceholder(trimmed)) {
    // A copy is a bare variable: with a filter it would be a computed value, which extracts
    // cannot express.
    Result<Placeholder> placeholder = ParsePlaceholder(trimmed.substr(2, trimmed.size() - 4));
    if (placeholder.ok() && placeholder->filters.empty()) {
      out.copy_of = placeholder->name;
      return out;
    }
  }
  out.path = std::string(text);
  size_t bar = trimmed.rfind("||");
  if (bar == std::string_view::npos) return out;
  std::string_view query = Trim(trimmed.substr(0, bar));
  std::optional<Json> literal = Literal(Trim(trimmed.substr(bar + 2)));
  if (!literal || !StartsWith(query, "$")) return out;
  out.path = std::string(query);
  out.default_value = std::move(literal);
  return out;
}

Extraction Extract(const std::vector<ExtractRule>& rules, const Json& response,
                   const JsonPathOptions& options, const ExcerptMask& mask,
                   const VariableLookup& lookup, const HeaderLookup& headers) {
  Extraction out;
  for (const ExtractRule& rule : rules) {
    if (!rule.header.empty()) {
      std::string why;
      if (std::optional<std::string> value = HeaderValue(rule, headers, mask, &why)) {
        out.values.emplace_back(rule.name, std::move(*value));
      } else if (rule.default_value) {
        out.values.emplace_back(rule.name, *rule.default_value);
      } else if (rule.optional) {
        out.optional_misses.push_back(rule.name);
      } else {
        out.failures.push_back({"EXTRACT_MISS", rule.name, "header " + rule.header,
                                fmt::format("cannot extract {}: {}", rule.name, why)});
      }
      continue;
    }
    if (!rule.copy_of.empty()) {
      if (std::optional<Json> value = Copy(rule, out, lookup)) {
        out.values.emplace_back(rule.name, std::move(*value));
      } else if (rule.default_value) {
        out.values.emplace_back(rule.name, *rule.default_value);
      } else if (rule.optional) {
        out.optional_misses.push_back(rule.name);
      } else {
        out.failures.push_back(
            {"EXTRACT_MISS", rule.name, "{{" + rule.copy_of + "}}",
             fmt::format("cannot extract {}: it copies {}, which no earlier step or the "
                         "environment defines",
                         rule.name, rule.copy_of)});
      }
      continue;
    }
    JsonPathError error;
    Result<JsonPath> query = JsonPath::Compile(rule.path, options, &error);
    if (!query.ok()) {
      out.failures.push_back({"EXTRACT_INVALID", rule.name, rule.path,
                              fmt::format("cannot extract {}: {} is not a valid JSONPath ({})",
                                          rule.name, rule.path, error.ToString())});
      continue;
    }
    std::vector<JsonPathNode> nodes = query->Evaluate(response);
    bool found = !nodes.empty() && !(rule.default_value && nodes.front().value->is_null());
    if (found) {
      out.values.emplace_back(rule.name, *nodes.front().value);
      continue;
    }
    if (rule.default_value) {
      out.values.emplace_back(rule.name, *rule.default_value);
      continue;
    }
    if (rule.optional) {
      out.optional_misses.push_back(rule.name);
      continue;
    }
    out.failures.push_back({"EXTRACT_MISS", rule.name, rule.path,
                            fmt::format("cannot extract {}: {} selects nothing in the response {}",
                                        rule.name, rule.path, Excerpt(response, 160, mask))});
  }
  return out;
}

}  // namespace verity::expr
