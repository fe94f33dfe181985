// A step's checks as success criteria (export_internal.h): an `equals` on a simple path is a
// simple condition, `matches` a regex criterion, `exists` a JSONPath criterion; the others have
// no Arazzo form that means the same and are kept under `x-verity-expect`.
#include <fmt/format.h>

#include "arazzo/export_internal.h"
#include "expr/template.h"

namespace verity::arazzo::export_internal {

namespace {

std::string RegexEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::string_view(".^$|?*+()[]{}\\").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

// The right-hand side of an `==`: a placeholder's expression, or the literal.
std::optional<std::string> Operand(const doc::Check& check, WorkflowScope& scope) {
  if (!check.templated) return ConditionLiteral(check.operand);
  if (!check.operand.is_string() || !expr::IsSinglePlaceholder(check.operand.get<std::string>()))
    return std::nullopt;
  std::vector<expr::PlaceholderSpan> spans =
      expr::ScanPlaceholders(check.operand.get<std::string>());
  if (spans.size() != 1 || !spans[0].placeholder || !spans[0].placeholder->filters.empty())
    return std::nullopt;
  return ExpressionForName(spans[0].placeholder->path, scope);
}

std::optional<Json> BodyCriterion(const doc::Check& check, WorkflowScope& scope) {
  if (check.op == "exists" && check.operand == Json(true))
    return Json{{"context", "$response.body"}, {"condition", check.target}, {"type", "jsonpath"}};
  std::optional<std::string> pointer = SimplePointer(check.target);
  if (!pointer) return std::nullopt;
  if (check.op == "equals") {
    std::optional<std::string> rhs = Operand(check, scope);
    if (!rhs) return std::nullopt;
    return Json{{"condition", fmt::format("$response.body#{} == {}", *pointer, *rhs)}};
  }
  if (check.op == "matches" && check.operand.is_string() && !check.templated)
    return Json{
        {"context", "$response.body#" + *pointer}, {"condition", check.operand}, {"type", "regex"}};
  return std::nullopt;
}

std::optional<Json> HeaderCriterion(const doc::Check& check) {
  std::string context = "$response.header." + check.target;
  if (check.templated || !check.operand.is_string()) return std::nullopt;
  if (check.op == "matches")
    return Json{{"context", context}, {"condition", check.operand}, {"type", "regex"}};
  if (check.op == "equals")
    return Json{{"context", context},
                {"condition", "^" + RegexEscape(check.operand.get<std::string>()) + "$"},
                {"type", "regex"}};
  return std::nullopt;
}

std::optional<Json> ContentTypeCriterion(const doc::Check& check) {
  if (check.templated || !check.operand.is_string()) return std::nullopt;
  // Verity compares the media type, parameters (charset) left out: a prefix says the same.
  return Json{{"context", "$response.header.Content-Type"},
              {"condition", "^" + RegexEscape(check.operand.get<std::string>())},
              {"type", "regex"}};
}

}  // namespace

void ConvertChecks(const doc::Step& step, WorkflowScope& scope, Json* criteria, Json* kept) {
  for (const doc::Check& check : step.checks) {
    std::optional<Json> criterion;
    switch (check.subject) {
      case doc::Check::Subject::kBody:
        criterion = BodyCriterion(check, scope);
        break;
      case doc::Check::Subject::kHeader:
        criterion = HeaderCriterion(check);
        break;
      case doc::Check::Subject::kContentType:
        criterion = ContentTypeCriterion(check);
        break;
      case doc::Check::Subject::kDuration:
        break;
      case doc::Check::Subject::kCriterion: {
        // Already an Arazzo criterion: written back as it was read.
        Json c = {{"condition", check.operand}};
        if (!check.target.empty()) c["context"] = check.target;
        if (check.op != "simple") c["type"] = check.op;
        criterion = std::move(c);
        break;
      }
    }
    if (criterion) {
      criteria->push_back(std::move(*criterion));
      continue;
    }
    Json entry = {{"subject", std::string(doc::CheckSubjectName(check.subject))},
                  {check.op, check.operand}};
    if (!check.target.empty()) entry["target"] = check.target;
    kept->push_back(std::move(entry));
    scope.Warn(check.pos.line,
               fmt::format("step {}: the check {} {} of {} has no Arazzo criterion; kept under "
                           "x-verity-expect, other tools do not check it",
                           step.id, check.op, check.operand.dump(),
                           check.target.empty() ? std::string(doc::CheckSubjectName(check.subject))
                                                : check.target));
  }
}

}  // namespace verity::arazzo::export_internal
