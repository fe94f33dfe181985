#include "expr/extract.h"

#include <fmt/format.h>

namespace verity::expr {

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

Extraction Extract(const std::vector<ExtractRule>& rules, const Json& response,
                   const JsonPathOptions& options, const ExcerptMask& mask) {
  Extraction out;
  for (const ExtractRule& rule : rules) {
    JsonPathError error;
    Result<JsonPath> query = JsonPath::Compile(rule.path, options, &error);
    if (!query.ok()) {
      out.failures.push_back({"EXTRACT_INVALID", rule.name, rule.path,
                              fmt::format("cannot extract {}: {} is not a valid JSONPath ({})",
                                          rule.name, rule.path, error.ToString())});
      continue;
    }
    std::vector<JsonPathNode> nodes = query->Evaluate(response);
    if (!nodes.empty()) {
      out.values.emplace_back(rule.name, *nodes.front().value);
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
