// `match`'s conditions on what a request carries: read from the rules file onto the predicate
// engine a recipe's checks use (expr/predicate.h), and judged per request.
#include <fmt/format.h>

#include <algorithm>

#include "base/strings.h"
#include "base/yaml_json.h"
#include "mock/request_check.h"
#include "mock/rules_reader.h"

namespace verity::mock {

namespace rules_internal {

namespace {

const std::vector<std::string_view> kQueryAndHeaderOps = {
    "equals", "not_equals", "contains", "not_contains", "matches", "in",
    "exists", "absent",     "lt",       "le",           "gt",      "ge"};

// One `operator: operand` (or a bare value: equals) for `target`.
// `literal`: `v` is the value to equal, whatever its shape (a body path's short form).
bool ReadPredicates(const yaml::Node& v, const std::string& at, RequestCondition base, bool literal,
                    Problems& p, std::vector<RequestCondition>* out) {
  bool body = base.subject == RequestCondition::Subject::kBody;
  struct Op {
    std::string name;
    const yaml::Node* operand;
    SourcePos at;  // the operator's key, or the value of a bare one
  };
  std::vector<Op> ops;
  if (literal) {
    ops.push_back({"equals", &v, v.pos});
  } else if (v.is_mapping() && !body) {
    for (auto [k, operand] : p.Entries(v, at)) ops.push_back({k->value, operand, k->pos});
  } else if (v.is_mapping() && body) {
    for (auto [k, operand] : p.Entries(v, at)) {
      if (k->value != "path") ops.push_back({k->value, operand, k->pos});
    }
  } else {
    ops.push_back({"equals", &v, v.pos});
  }
  bool ok = true;
  for (const auto& [name, operand, op_pos] : ops) {
    if (!body && std::find(kQueryAndHeaderOps.begin(), kQueryAndHeaderOps.end(), name) ==
                     kQueryAndHeaderOps.end()) {
      p.Add(op_pos, "MOCK_RULE_CONDITION",
            fmt::format("{}: {} does not apply to a query parameter or a header (it takes {})", at,
                        name, JoinNames(kQueryAndHeaderOps)));
      ok = false;
      continue;
    }
    // A parameter's or header's value is text (`limit: 100` means "100"), unless the operator
    // orders numbers or takes a flag.
    bool as_text = !body && name != "exists" && name != "absent" && name != "lt" && name != "le" &&
                   name != "gt" && name != "ge";
    Json value = as_text ? yaml::ToJsonAsText(*operand) : yaml::ToJson(*operand);
    Result<expr::Predicate> made = expr::MakePredicate(name, value);
    if (!made.ok()) {
      // An unknown operator is its key's fault, a wrong operand its value's.
      bool unknown = !expr::ParsePredicateOp(name);
      p.Add(unknown ? op_pos : operand->pos, "MOCK_RULE_CONDITION",
            fmt::format("{}: {}", at, made.status().message()));
      ok = false;
      continue;
    }
    RequestCondition condition = base;
    condition.predicate = std::move(*made);
    out->push_back(std::move(condition));
  }
  return ok;
}

bool ReadBody(const yaml::Node& v, const std::string& at, Problems& p,
              std::vector<RequestCondition>* out) {
  auto one = [&](const yaml::Node& path, const yaml::Node& ops, const std::string& where,
                 bool literal) {
    if (!path.is_scalar() || path.is_null()) {
      p.TypeError(path, where, "a JSONPath string");
      return false;
    }
    expr::JsonPathError error;
    Result<expr::JsonPath> compiled = expr::JsonPath::Compile(path.value, {}, &error);
    if (!compiled.ok()) {
      p.Add(path.pos, "MOCK_RULE_CONDITION",
            fmt::format("{}: {} is not a valid JSONPath: {}", where, Quoted(path.value),
                        error.message));
      return false;
    }
    RequestCondition base;
    base.subject = RequestCondition::Subject::kBody;
    base.target = path.value;
    base.path = std::move(*compiled);
    return ReadPredicates(ops, where, std::move(base), literal, p, out);
  };
  if (v.is_mapping()) {  // path → value: equals
    bool ok = true;
    for (auto [k, value] : p.Entries(v, at)) ok = one(*k, *value, at + "." + k->value, true) && ok;
    return ok;
  }
  if (!v.is_sequence()) {
    p.TypeError(v, at, "a list of {path, <operator>: value} or a mapping of paths to values");
    return false;
  }
  bool ok = true;
  for (size_t i = 0; i < v.items.size(); ++i) {
    const yaml::Node& item = v.items[i];
    std::string where = fmt::format("{}[{}]", at, i);
    const yaml::Node* path = item.is_mapping() ? item.Find("path") : nullptr;
    if (!path || item.entries.size() < 2) {
      p.Add(item.pos, "MOCK_RULE_CONDITION",
            fmt::format("{}: a condition needs path and an operator ({{path: \"$.x\", equals: "
                        "1}})",
                        where));
      ok = false;
      continue;
    }
    ok = one(*path, item, where, false) && ok;
  }
  return ok;
}

}  // namespace

bool ReadConditions(const yaml::Node& v, std::string_view key, const std::string& at, Problems& p,
                    std::vector<RequestCondition>* out) {
  if (key == "body") return ReadBody(v, at, p, out);
  if (!v.is_mapping()) {
    p.TypeError(v, at,
                key == "query" ? "a mapping of parameter names to values or operators"
                               : "a mapping of header names to values or operators");
    return false;
  }
  bool ok = true;
  for (auto [k, value] : p.Entries(v, at)) {
    RequestCondition base;
    base.subject =
        key == "query" ? RequestCondition::Subject::kQuery : RequestCondition::Subject::kHeader;
    base.target = k->value;
    ok = ReadPredicates(*value, at + "." + k->value, std::move(base), false, p, out) && ok;
  }
  return ok;
}

}  // namespace rules_internal

namespace {

// A parameter's value, or its values in order when it is repeated; nullopt when absent.
std::optional<Json> QueryValue(std::string_view query, std::string_view name) {
  std::optional<Json> found;
  for (auto& [key, value] : ParseQuery(query)) {
    if (key != name) continue;
    if (!found)
      found = Json(std::move(value));
    else if (found->is_array())
      found->push_back(std::move(value));
    else
      found = Json::array({std::move(*found), std::move(value)});
  }
  return found;
}

std::optional<Json> HeaderValue(const std::vector<net::Header>* headers, std::string_view name) {
  if (headers == nullptr) return std::nullopt;
  std::optional<std::string> joined;
  for (const net::Header& h : *headers) {
    if (!IEquals(h.name, name)) continue;
    joined = joined ? *joined + ", " + h.value : h.value;
  }
  if (!joined) return std::nullopt;
  return Json(std::move(*joined));
}

// Text that spells a number is that number when the operand is one (`limit: {gt: 100}`).
void NumberIfCompared(const expr::Predicate& predicate, std::optional<Json>& subject) {
  if (!subject || !subject->is_string() || !predicate.operand.is_number()) return;
  Result<Json> number = ParseJson(subject->get_ref<const std::string&>());
  if (number.ok() && number->is_number()) subject = std::move(*number);
}

bool Holds(const RequestCondition& c, const RequestInfo& request, const Json* body) {
  if (c.subject == RequestCondition::Subject::kBody) {
    if (body == nullptr) return false;
    return expr::EvaluateSelected(c.predicate, c.path->singular(), c.path->Select(*body)).passed;
  }
  std::optional<Json> subject = c.subject == RequestCondition::Subject::kQuery
                                    ? QueryValue(request.query, c.target)
                                    : HeaderValue(request.headers, c.target);
  NumberIfCompared(c.predicate, subject);
  return expr::Evaluate(c.predicate, subject ? &*subject : nullptr).passed;
}

}  // namespace

bool ConditionsHold(const std::vector<RequestCondition>& conditions, const RequestInfo& request,
                    const Json* body) {
  for (const RequestCondition& c : conditions)
    if (!Holds(c, request, body)) return false;
  return true;
}

}  // namespace verity::mock
