#include "doc/expect.h"

#include <fmt/format.h>

#include "base/edit_distance.h"
#include "base/strings.h"
#include "base/yaml_json.h"
#include "doc/flow.h"
#include "expr/jsonpath.h"
#include "expr/predicate.h"

namespace verity::doc {

namespace {

using yaml::Describe;
using yaml::Node;

// Whether a value holds a placeholder anywhere (its type and pattern are then judged at run time).
bool HasPlaceholder(const Json& value) {
  if (value.is_string()) return value.get_ref<const std::string&>().find("{{") != std::string::npos;
  if (!value.is_structured()) return false;  // a scalar iterates as itself
  for (const Json& item : value)
    if (HasPlaceholder(item)) return true;
  return false;
}

// The position of a scalar's first character, inside its quotes.
SourcePos ValueStart(const Node& v, const DiagnosticSink& sink) {
  SourcePos pos = sink.Map(v.pos);
  if (v.style == yaml::ScalarStyle::kSingleQuoted || v.style == yaml::ScalarStyle::kDoubleQuoted)
    ++pos.col;
  return pos;
}

class ExpectReader {
 public:
  ExpectReader(Step* step, DiagnosticSink& sink, const PlaceholderScan& scan)
      : step_(step), sink_(sink), scan_(scan) {}

  void Read(const Node& v) {
    if (v.is_null()) return;
    if (!v.is_mapping()) {
      sink_.Error("STEP_FIELD_TYPE",
                  fmt::format("expect must be a mapping (status, body, headers, duration_ms, "
                              "content_type, criteria), got {}",
                              Describe(v)),
                  v.pos);
      return;
    }
    for (const auto& [k, value] : v.entries) {
      if (k.value == "status") {
        Status(value);
      } else if (k.value == "body") {
        Body(value);
      } else if (k.value == "headers") {
        Headers(value);
      } else if (k.value == "duration_ms") {
        Duration(k, value);
      } else if (k.value == "content_type") {
        ContentType(k, value);
      } else if (k.value == "criteria") {
        ReadCriteria(value, "expect.criteria", sink_, &step_->checks);
      } else {
        std::string hint = ClosestMatch(k.value, KnownExpectKeys());
        sink_.Warning("EXPECT_KEY_UNKNOWN",
                      fmt::format("unknown expect key \"{}\" (kept, not checked){}", k.value,
                                  hint.empty() ? "" : fmt::format("; did you mean \"{}\"?", hint)),
                      k.pos);
      }
    }
  }

 private:
  void Status(const Node& value) {
    std::vector<const Node*> items;
    if (value.is_sequence())
      for (const Node& item : value.items) items.push_back(&item);
    else
      items.push_back(&value);
    for (const Node* item : items) {
      Json j = item->is_scalar() ? yaml::ScalarToJson(*item) : Json();
      // A quoted code ("200") is what existing knowledge bases sometimes hold; its meaning is
      // unambiguous, so it is accepted.
      if (j.is_string() && !j.get<std::string>().empty() &&
          j.get<std::string>().find_first_not_of("0123456789") == std::string::npos &&
          j.get<std::string>().size() <= 3)
        j = std::stoi(j.get<std::string>());
      if (j.is_number_integer()) {
        step_->expect_status.push_back(static_cast<int>(j.get<int64_t>()));
      } else {
        sink_.Error("EXPECT_STATUS_TYPE",
                    fmt::format("expect.status must be an HTTP status code or a list of them, "
                                "got {}",
                                Describe(*item)),
                    item->pos);
      }
    }
  }

  // `body:` is a list of checks ({path, <operator>: operand, …}) or, for the commonest case, a
  // mapping of paths to the values they must equal.
  void Body(const Node& v) {
    if (v.is_null()) return;
    if (v.is_mapping()) {
      for (const auto& [path, expected] : v.entries) ShortBodyCheck(path, expected);
      return;
    }
    if (!v.is_sequence()) {
      sink_.Error("CHECK_SHAPE",
                  fmt::format("expect.body must be a list of checks ({{path: \"$.x\", equals: "
                              "1}}) or a mapping of paths to values, got {}",
                              Describe(v)),
                  v.pos);
      return;
    }
    for (size_t i = 0; i < v.items.size(); ++i) BodyCheck(v.items[i], i);
  }

  void BodyCheck(const Node& item, size_t index) {
    std::string where = fmt::format("expect/body/{}", index);
    if (!item.is_mapping()) {
      sink_.Error("CHECK_SHAPE",
                  fmt::format("a check must be a mapping with path and an operator, got {}",
                              Describe(item)),
                  item.pos);
      return;
    }
    const Node* path = item.Find("path");
    if (!path || !path->is_scalar() || path->is_null()) {
      sink_.Error("CHECK_SHAPE", "a check needs path: a JSONPath such as \"$.data.id\"",
                  path ? path->pos : item.pos);
      return;
    }
    Check base;
    base.subject = Check::Subject::kBody;
    base.target = path->value;
    base.target_pos = ValueStart(*path, sink_);
    if (!PathCompiles(*path)) return;
    size_t operators = 0;
    for (const auto& [k, operand] : item.entries) {
      if (k.value == "path") continue;
      ++operators;
      Operator(base, k, operand, where + "/" + k.value);
    }
    if (operators == 0)
      sink_.Error(
          "CHECK_SHAPE",
          fmt::format("the check of {} has no operator ({})", Quoted(path->value), OperatorList()),
          item.pos);
  }

  void ShortBodyCheck(const Node& path, const Node& expected) {
    if (!path.is_scalar()) {
      sink_.Error("CHECK_SHAPE", "expect.body's keys must be JSONPath strings", path.pos);
      return;
    }
    if (!PathCompiles(path)) return;
    if (expected.is_mapping() && !expected.entries.empty()) {
      bool all_operators = true;
      for (const auto& [k, unused] : expected.entries)
        all_operators = all_operators && expr::ParsePredicateOp(k.value).has_value();
      if (all_operators)
        sink_.Warning("CHECK_SHORT_FORM_OPERATOR",
                      fmt::format("{} must equal this object; to use its keys as operators, write "
                                  "the check as a list item: - {{path: {}, …}}",
                                  Quoted(path.value), Quoted(path.value)),
                      expected.pos);
    }
    Check check;
    check.subject = Check::Subject::kBody;
    check.target = path.value;
    check.target_pos = ValueStart(path, sink_);
    check.op = "equals";
    check.operand = yaml::ToJson(expected);
    check.templated = HasPlaceholder(check.operand);
    check.pos = sink_.Map(path.pos);
    scan_(expected, "expect/body/" + path.value);
    step_->checks.push_back(std::move(check));
  }

  // `headers:` maps a name to the value it must equal, or to operators.
  void Headers(const Node& v) {
    if (v.is_null()) return;
    if (!v.is_mapping()) {
      sink_.Error("CHECK_SHAPE",
                  fmt::format("expect.headers must be a mapping of header names to values or "
                              "operators, got {}",
                              Describe(v)),
                  v.pos);
      return;
    }
    for (const auto& [name, expected] : v.entries) {
      if (!name.is_scalar() || name.value.empty()) {
        sink_.Error("CHECK_SHAPE", "a header name must be a string", name.pos);
        continue;
      }
      Check base;
      base.subject = Check::Subject::kHeader;
      base.target = name.value;
      base.target_pos = sink_.Map(name.pos);
      std::string where = "expect/headers/" + name.value;
      if (!expected.is_mapping()) {
        Operator(base, name, expected, where, "equals");
        continue;
      }
      for (const auto& [k, operand] : expected.entries) {
        std::optional<expr::PredicateOp> op = expr::ParsePredicateOp(k.value);
        if (op && !HeaderOperator(*op)) {
          sink_.Error("CHECK_OPERATOR_UNKNOWN",
                      fmt::format("{} does not apply to a header; a header takes equals, "
                                  "not_equals, contains, not_contains, matches, in, exists, absent",
                                  k.value),
                      k.pos);
          continue;
        }
        Operator(base, k, operand, where + "/" + k.value);
      }
    }
  }

  static bool HeaderOperator(expr::PredicateOp op) {
    using expr::PredicateOp;
    return op == PredicateOp::kEquals || op == PredicateOp::kNotEquals ||
           op == PredicateOp::kContains || op == PredicateOp::kNotContains ||
           op == PredicateOp::kMatches || op == PredicateOp::kIn || op == PredicateOp::kExists ||
           op == PredicateOp::kAbsent;
  }

  void Duration(const Node& key, const Node& v) {
    Json j = v.is_scalar() ? yaml::ScalarToJson(v) : Json();
    if (!j.is_number() || j.get<double>() <= 0) {
      sink_.Error("CHECK_VALUE_TYPE",
                  fmt::format("expect.duration_ms must be a positive number of milliseconds, "
                              "got {}",
                              Describe(v)),
                  v.pos);
      return;
    }
    Check check;
    check.subject = Check::Subject::kDuration;
    check.op = "le";
    check.operand = j;
    check.pos = sink_.Map(key.pos);
    step_->checks.push_back(std::move(check));
  }

  void ContentType(const Node& key, const Node& v) {
    if (!v.is_scalar() || v.is_null() || v.value.find('/') == std::string::npos) {
      sink_.Error("CHECK_VALUE_TYPE",
                  fmt::format("expect.content_type must be a media type such as "
                              "application/json, got {}",
                              Describe(v)),
                  v.pos);
      return;
    }
    Check check;
    check.subject = Check::Subject::kContentType;
    check.op = "equals";
    check.operand = v.value;
    check.pos = sink_.Map(key.pos);
    step_->checks.push_back(std::move(check));
  }

  // One `operator: operand` entry of a check. `op_name` overrides the key (a header's short form).
  void Operator(const Check& base, const Node& key, const Node& operand, const std::string& where,
                std::string_view op_name = {}) {
    std::string name(op_name.empty() ? std::string_view(key.value) : op_name);
    if (!expr::ParsePredicateOp(name)) {
      std::string hint = ClosestMatch(name, expr::PredicateOpNames());
      sink_.Error("CHECK_OPERATOR_UNKNOWN",
                  hint.empty()
                      ? fmt::format("unknown operator \"{}\" ({})", name, OperatorList())
                      : fmt::format("unknown operator \"{}\"; did you mean \"{}\"?", name, hint),
                  key.pos);
      return;
    }
    // A header's value is text: `X-Total-Count: 3` compares with "3", as it was written.
    bool as_text = base.subject == Check::Subject::kHeader && name != "exists" && name != "absent";
    Json value = as_text ? yaml::ToJsonAsText(operand) : yaml::ToJson(operand);
    bool templated = HasPlaceholder(value);
    Result<expr::Predicate> made = expr::MakePredicate(name, value, templated);
    if (!made.ok()) {
      sink_.Error("CHECK_VALUE_TYPE", made.status().message(), operand.pos);
      return;
    }
    Check check = base;
    check.op = name;
    check.operand = std::move(value);
    check.templated = templated;
    check.pos = sink_.Map(key.pos);
    scan_(operand, where);
    step_->checks.push_back(std::move(check));
  }

  bool PathCompiles(const Node& path) {
    expr::JsonPathError error;
    if (expr::JsonPath::Compile(path.value, {}, &error).ok()) return true;
    SourcePos at = path.pos;
    bool quoted = path.style == yaml::ScalarStyle::kSingleQuoted ||
                  path.style == yaml::ScalarStyle::kDoubleQuoted;
    bool exact = path.pos.line == path.end.line &&
                 (path.style == yaml::ScalarStyle::kPlain || quoted) &&
                 path.end.col - path.pos.col == CodePointCount(path.value) + (quoted ? 2 : 0);
    if (exact) at.col += error.column - 1 + (quoted ? 1 : 0);
    sink_.Error("CHECK_PATH_INVALID",
                fmt::format("{} is not a valid JSONPath: {}", Quoted(path.value), error.message),
                at);
    return false;
  }

  static std::string OperatorList() {
    std::string out;
    for (std::string_view name : expr::PredicateOpNames())
      out += (out.empty() ? "" : ", ") + std::string(name);
    return out;
  }

  Step* step_;
  DiagnosticSink& sink_;
  const PlaceholderScan& scan_;
};

}  // namespace

void ReadExpect(const yaml::Node& expect, Step* step, DiagnosticSink& sink,
                const PlaceholderScan& scan) {
  ExpectReader(step, sink, scan).Read(expect);
}

const std::vector<std::string_view>& KnownExpectKeys() {
  static const std::vector<std::string_view> kKeys = {"status",      "body",         "headers",
                                                      "duration_ms", "content_type", "criteria"};
  return kKeys;
}

}  // namespace verity::doc
