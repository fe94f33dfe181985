// The rules file's `resources`: read onto ResourceRule, and a list filter judged per item.
#include "mock/resource_rules.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <map>

#include "base/yaml_json.h"
#include "expr/jsonpath.h"
#include "expr/predicate.h"
#include "expr/template.h"
#include "mock/rules_reader.h"

namespace verity::mock {

namespace {

using Groups = std::map<std::string, std::string, std::less<>>;

// `text` with each `{{name}}` of `groups` replaced by `escape(value)`; other placeholders stay as
// written.
template <typename Escape>
std::string Fill(std::string_view text, const Groups& groups, Escape escape) {
  std::string out;
  size_t at = 0;
  for (const expr::PlaceholderSpan& span : expr::ScanPlaceholders(text)) {
    if (!span.terminated) break;
    out.append(text.substr(at, span.begin - at));
    auto group = groups.find(text.substr(span.begin + 2, span.end - span.begin - 4));
    if (group == groups.end()) {
      out.append(text.substr(span.begin, span.end - span.begin));
    } else {
      out += escape(group->second);
    }
    at = span.end;
  }
  out.append(text.substr(at));
  return out;
}

// The text of a JSONPath string literal in single quotes.
std::string InQuotes(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  return out;
}

Json FillOperand(const Json& operand, const Groups& groups) {
  if (operand.is_string()) {
    return Fill(operand.get_ref<const std::string&>(), groups,
                [](const std::string& value) { return value; });
  }
  if (!operand.is_structured()) return operand;
  Json out = operand;
  for (auto& member : out) member = FillOperand(member, groups);
  return out;
}

}  // namespace

std::optional<BoundFilter> BindFilter(const QueryFilter& filter, std::string_view value) {
  const re2::RE2& pattern = *filter.pattern;
  std::vector<std::string> texts(pattern.NumberOfCapturingGroups());
  std::vector<re2::RE2::Arg> args(texts.size());
  std::vector<re2::RE2::Arg*> arg_ptrs(texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    args[i] = &texts[i];
    arg_ptrs[i] = &args[i];
  }
  if (!re2::RE2::FullMatchN(value, pattern, arg_ptrs.data(), static_cast<int>(texts.size())))
    return std::nullopt;
  Groups groups;
  for (const auto& [name, index] : pattern.NamedCapturingGroups()) {
    groups.emplace(name, texts[static_cast<size_t>(index) - 1]);
  }
  Result<expr::JsonPath> path = expr::JsonPath::Compile(Fill(filter.path, groups, InQuotes));
  Result<expr::Predicate> predicate =
      expr::MakePredicate(filter.op, FillOperand(filter.operand, groups));
  if (!path.ok() || !predicate.ok()) return std::nullopt;
  return BoundFilter{std::move(*path), std::move(*predicate)};
}

bool FilterHolds(const BoundFilter& bound, const Json& item) {
  return expr::EvaluateSelected(bound.predicate, bound.path.singular(), bound.path.Select(item))
      .passed;
}

namespace rules_internal {

namespace {

const std::vector<std::string_view> kResourceKeys = {"path", "on_create", "on_delete", "filters"};

bool ReadFilter(const yaml::Node& v, const std::string& at, Problems& p, QueryFilter* out) {
  if (!v.is_mapping()) {
    p.TypeError(v, at, "a mapping of param, pattern, path and one operator");
    return false;
  }
  out->line = v.pos.line;
  std::string pattern = "(?P<value>.*)";
  bool ok = true;
  const yaml::Node* op_value = nullptr;
  for (auto [k, value] : p.Entries(v, at)) {
    std::string where = at + "." + k->value;
    bool text = value->is_scalar() && !value->is_null() && !value->value.empty();
    if (k->value == "param" || k->value == "pattern" || k->value == "path") {
      if (!text) {
        p.TypeError(*value, where, "text");
        ok = false;
        continue;
      }
      (k->value == "param"     ? out->param
       : k->value == "pattern" ? pattern
                               : out->path) = value->value;
    } else if (expr::ParsePredicateOp(k->value) && !op_value) {
      out->op = k->value;
      op_value = value;
    } else {
      p.Add(k->pos, "MOCK_RULE_FILTER",
            fmt::format("{}: \"{}\" is neither param, pattern, path nor an operator (one of {})",
                        at, k->value, JoinNames(expr::PredicateOpNames())));
      ok = false;
    }
  }
  for (std::string_view key : {"param", "path"}) {
    if (v.Find(key)) continue;
    p.Add(v.pos, "MOCK_RULE_MISSING_KEY", fmt::format("{}: {} is required", at, key));
    ok = false;
  }
  if (!op_value) {
    p.Add(v.pos, "MOCK_RULE_MISSING_KEY",
          fmt::format("{}: an operator is required (one of {})", at,
                      JoinNames(expr::PredicateOpNames())));
    return false;
  }
  if (!ok) return false;
  auto compiled = std::make_shared<re2::RE2>(pattern, re2::RE2::Quiet);
  if (!compiled->ok()) {
    p.Add(v.Find("pattern")->pos, "MOCK_RULE_FILTER",
          fmt::format("{}.pattern: {}", at, compiled->error()));
    return false;
  }
  out->pattern = std::move(compiled);
  out->operand = yaml::ToJson(*op_value);
  // What the path and the operand will be once filled in must compile: the groups' values are
  // unknown, so each `{{group}}` stands for a letter here.
  Groups sample;
  for (const auto& [name, index] : out->pattern->NamedCapturingGroups()) sample.emplace(name, "x");
  Result<expr::JsonPath> path = expr::JsonPath::Compile(Fill(out->path, sample, InQuotes));
  if (!path.ok()) {
    p.Add(v.Find("path")->pos, "MOCK_RULE_FILTER",
          fmt::format("{}.path: {}", at, path.status().message()));
    return false;
  }
  Result<expr::Predicate> made = expr::MakePredicate(out->op, FillOperand(out->operand, sample));
  if (!made.ok()) {
    p.Add(op_value->pos, "MOCK_RULE_FILTER",
          fmt::format("{}.{}: {}", at, out->op, made.status().message()));
    return false;
  }
  return true;
}

bool ReadResource(const yaml::Node& v, const std::string& at, Problems& p, ResourceRule* out) {
  if (!v.is_mapping()) {
    p.TypeError(v, at, "a mapping of path, on_create, on_delete and filters");
    return false;
  }
  out->line = v.pos.line;
  bool ok = true;
  for (auto [k, value] : p.Entries(v, at)) {
    std::string where = at + "." + k->value;
    if (k->value == "path") {
      if (!value->is_scalar() || !value->value.starts_with('/')) {
        p.TypeError(*value, where, "a path of the spec, starting with /");
        ok = false;
      } else {
        out->path = value->value;
      }
    } else if (k->value == "on_create" || k->value == "on_delete") {
      if (!value->is_mapping()) {
        p.TypeError(*value, where, "a mapping of the members to set");
        ok = false;
      } else {
        (k->value == "on_create" ? out->on_create : out->on_delete) = yaml::ToJson(*value);
      }
    } else if (k->value == "filters") {
      if (!value->is_sequence()) {
        p.TypeError(*value, where, "a list of filters");
        ok = false;
        continue;
      }
      for (size_t i = 0; i < value->items.size(); ++i) {
        QueryFilter filter;
        if (ReadFilter(value->items[i], fmt::format("{}[{}]", where, i), p, &filter)) {
          out->filters.push_back(std::move(filter));
        } else {
          ok = false;
        }
      }
    } else {
      p.UnknownKey(*k, at, kResourceKeys);
      ok = false;
    }
  }
  if (!v.Find("path")) {
    p.Add(v.pos, "MOCK_RULE_MISSING_KEY", fmt::format("{}: path is required", at));
    ok = false;
  }
  return ok;
}

}  // namespace

bool ReadResources(const yaml::Node& v, Problems& p, std::vector<ResourceRule>* out) {
  if (!v.is_sequence()) {
    p.TypeError(v, "resources", "a list of resources");
    return false;
  }
  bool ok = true;
  for (size_t i = 0; i < v.items.size(); ++i) {
    ResourceRule rule;
    if (ReadResource(v.items[i], fmt::format("resources[{}]", i), p, &rule)) {
      out->push_back(std::move(rule));
    } else {
      ok = false;
    }
  }
  return ok;
}

}  // namespace rules_internal

}  // namespace verity::mock
