#include "doc/flow.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <cctype>
#include <cmath>

#include "base/strings.h"
#include "base/yaml_json.h"
#include "expr/arazzo_expression.h"
#include "expr/jsonpath.h"

namespace verity::doc {

namespace {

using yaml::Describe;
using yaml::Node;

SourcePos At(SourcePos pos, size_t offset) {
  if (pos.known()) pos.col += static_cast<uint32_t>(offset);
  return pos;
}

std::string Text(const Node* node) { return node && node->is_scalar() ? node->value : ""; }

bool ExpressionParses(std::string_view text, SourcePos pos, std::string_view code,
                      std::string_view what, DiagnosticSink& sink) {
  arazzo::ExpressionError error;
  if (arazzo::ParseExpression(text, &error)) return true;
  sink.Error(
      std::string(code),
      fmt::format("{} {} is not a runtime expression: {}", what, Quoted(text), error.message),
      At(pos, error.offset));
  return false;
}

// The condition as its type reads it: a simple condition, an RE2 pattern or a JSONPath.
bool CheckCondition(const std::string& type, const Node& condition, std::string_view where,
                    DiagnosticSink& sink) {
  const std::string& text = condition.value;
  if (type == "simple") {
    arazzo::ExpressionError error;
    if (arazzo::ParseCondition(text, &error)) return true;
    sink.Error("CRITERION_INVALID",
               fmt::format("{}: condition {}: {} (column {})", where, Quoted(text), error.message,
                           error.offset + 1),
               condition.pos);
    return false;
  }
  if (type == "regex") {
    RE2 re(text, RE2::Quiet);
    if (re.ok()) return true;
    sink.Error("CRITERION_INVALID",
               fmt::format("{}: regex {}: {}", where, Quoted(text), re.error()), condition.pos);
    return false;
  }
  expr::JsonPathError error;
  if (expr::JsonPath::Compile(text, {}, &error).ok()) return true;
  sink.Error("CRITERION_INVALID",
             fmt::format("{}: JSONPath {}: {}", where, Quoted(text), error.ToString()),
             condition.pos);
  return false;
}

// `type: simple`, or `type: {type: jsonpath, version: draft-goessner-dispatch-jsonpath-00}`.
std::optional<std::string> CriterionType(const Node* node, std::string_view where,
                                         DiagnosticSink& sink) {
  if (node == nullptr || node->is_null()) return "simple";
  const Node* name = node;
  if (node->is_mapping()) name = node->Find("type");
  std::string type = ToLower(Text(name));
  if (type == "simple" || type == "regex" || type == "jsonpath") return type;
  if (type == "xpath") {
    sink.Error("CRITERION_UNSUPPORTED",
               fmt::format("{}: xpath criteria are not supported (JSON answers only)", where),
               node->pos);
    return std::nullopt;
  }
  sink.Error("CRITERION_INVALID",
             fmt::format("{}: type must be simple, regex or jsonpath, got {}", where,
                         name && name->is_scalar() ? Quoted(name->value) : Describe(*node)),
             node->pos);
  return std::nullopt;
}

std::optional<Check> ReadCriterion(const Node& item, std::string_view where, DiagnosticSink& sink) {
  if (!item.is_mapping()) {
    sink.Error("CRITERION_INVALID",
               fmt::format("{}: a criterion is a mapping {{condition, context, type}}, got {}",
                           where, Describe(item)),
               item.pos);
    return std::nullopt;
  }
  for (const auto& [k, v] : item.entries) {
    if (k.value != "condition" && k.value != "context" && k.value != "type" &&
        !k.value.starts_with("x-"))
      sink.Warning("CRITERION_KEY_UNKNOWN",
                   fmt::format("{}: unknown criterion key {} (condition, context, type)", where,
                               Quoted(k.value)),
                   k.pos);
  }
  const Node* condition = item.Find("condition");
  if (condition == nullptr || !condition->is_scalar() || condition->value.empty()) {
    sink.Error("CRITERION_INVALID", fmt::format("{}: a criterion needs a condition", where),
               condition ? condition->pos : item.pos);
    return std::nullopt;
  }
  std::optional<std::string> type = CriterionType(item.Find("type"), where, sink);
  if (!type) return std::nullopt;
  Check check;
  check.subject = Check::Subject::kCriterion;
  check.op = *type;
  check.operand = condition->value;
  check.pos = sink.Map(condition->pos);
  check.target_pos = check.pos;
  if (const Node* context = item.Find("context"); context && !context->is_null()) {
    if (!context->is_scalar()) {
      sink.Error("CRITERION_INVALID",
                 fmt::format("{}: context must be a runtime expression, got {}", where,
                             Describe(*context)),
                 context->pos);
      return std::nullopt;
    }
    if (!ExpressionParses(context->value, context->pos, "CRITERION_INVALID",
                          fmt::format("{}: context", where), sink))
      return std::nullopt;
    check.target = context->value;
    check.target_pos = sink.Map(context->pos);
  } else if (*type != "simple") {
    sink.Error("CRITERION_INVALID",
               fmt::format("{}: a {} criterion needs a context (the runtime expression it "
                           "reads, such as $response.body)",
                           where, *type),
               item.pos);
    return std::nullopt;
  }
  if (!CheckCondition(*type, *condition, where, sink)) return std::nullopt;
  return check;
}

std::optional<FlowAction> ReadAction(const Node& item, std::string_view where, bool failure,
                                     DiagnosticSink& sink) {
  if (!item.is_mapping()) {
    sink.Error("ACTION_INVALID",
               fmt::format("{}: an action is a mapping {{name, type, stepId, workflowId, …}}, "
                           "got {}",
                           where, Describe(item)),
               item.pos);
    return std::nullopt;
  }
  FlowAction action;
  action.pos = sink.Map(item.pos);
  action.name = Text(item.Find("name"));
  std::string type = Text(item.Find("type"));
  if (type == "end") {
    action.type = FlowAction::Type::kEnd;
  } else if (type == "goto") {
    action.type = FlowAction::Type::kGoto;
  } else if (type == "retry" && failure) {
    action.type = FlowAction::Type::kRetry;
  } else if (type == "retry") {
    sink.Error("ACTION_INVALID",
               fmt::format("{}: retry is a failure action (onFailure, failureActions)", where),
               item.Find("type")->pos);
    return std::nullopt;
  } else {
    sink.Error("ACTION_INVALID",
               fmt::format("{}: type must be end, goto or retry, got {}", where,
                           type.empty() ? "nothing" : Quoted(type)),
               item.Find("type") ? item.Find("type")->pos : item.pos);
    return std::nullopt;
  }
  action.step_id = Text(item.Find("stepId"));
  action.workflow_id = Text(item.Find("workflowId"));
  bool has_target = !action.step_id.empty() || !action.workflow_id.empty();
  if (!action.step_id.empty() && !action.workflow_id.empty()) {
    sink.Error("ACTION_INVALID", fmt::format("{}: give stepId or workflowId, not both", where),
               item.pos);
    return std::nullopt;
  }
  if (action.type == FlowAction::Type::kGoto && !has_target) {
    sink.Error("ACTION_INVALID", fmt::format("{}: a goto needs a stepId or a workflowId", where),
               item.pos);
    return std::nullopt;
  }
  if (action.type == FlowAction::Type::kGoto && !action.workflow_id.empty()) {
    sink.Error("ACTION_UNSUPPORTED",
               fmt::format("{}: a goto to another workflow is not supported; call it from a "
                           "step with useWorkflow",
                           where),
               item.pos);
    return std::nullopt;
  }
  if (action.type == FlowAction::Type::kRetry && has_target) {
    sink.Error("ACTION_UNSUPPORTED",
               fmt::format("{}: a retry that first runs another step or workflow is not "
                           "supported; retry the step itself, or goto that step",
                           where),
               item.pos);
    return std::nullopt;
  }
  if (const Node* after = item.Find("retryAfter")) {
    Json j = after->is_scalar() ? yaml::ScalarToJson(*after) : Json();
    if (!j.is_number() || j.get<double>() < 0 || j.get<double>() > 86400) {
      sink.Error("ACTION_INVALID",
                 fmt::format("{}: retryAfter is a number of seconds (0 to 86400), got {}", where,
                             Describe(*after)),
                 after->pos);
      return std::nullopt;
    }
    action.retry_after_ms = std::llround(j.get<double>() * 1000);
  }
  if (const Node* limit = item.Find("retryLimit")) {
    Json j = limit->is_scalar() ? yaml::ScalarToJson(*limit) : Json();
    if (!j.is_number_integer() || j.get<int64_t>() < 0 || j.get<int64_t>() > 1000) {
      sink.Error("ACTION_INVALID",
                 fmt::format("{}: retryLimit is a whole number from 0 to 1000, got {}", where,
                             Describe(*limit)),
                 limit->pos);
      return std::nullopt;
    }
    action.retry_limit = static_cast<int>(j.get<int64_t>());
  }
  if (const Node* criteria = item.Find("criteria"))
    ReadCriteria(*criteria, fmt::format("{}.criteria", where), sink, &action.criteria);
  return action;
}

}  // namespace

void ReadCriteria(const Node& list, std::string_view where, DiagnosticSink& sink,
                  std::vector<Check>* out) {
  if (list.is_null()) return;
  if (!list.is_sequence()) {
    sink.Error("CRITERION_INVALID",
               fmt::format("{} must be a list of criteria, got {}", where, Describe(list)),
               list.pos);
    return;
  }
  for (size_t i = 0; i < list.items.size(); ++i) {
    std::optional<Check> check = ReadCriterion(list.items[i], fmt::format("{}/{}", where, i), sink);
    if (check) out->push_back(std::move(*check));
  }
}

std::vector<FlowAction> ReadActions(const Node& list, std::string_view where, bool failure,
                                    DiagnosticSink& sink) {
  std::vector<FlowAction> actions;
  if (list.is_null()) return actions;
  if (!list.is_sequence()) {
    sink.Error("ACTION_INVALID",
               fmt::format("{} must be a list of actions, got {}", where, Describe(list)),
               list.pos);
    return actions;
  }
  for (size_t i = 0; i < list.items.size(); ++i) {
    std::optional<FlowAction> action =
        ReadAction(list.items[i], fmt::format("{}/{}", where, i), failure, sink);
    if (action) actions.push_back(std::move(*action));
  }
  return actions;
}

bool IsRuntimeExpression(std::string_view text) {
  return text.size() > 1 && text[0] == '$' && std::isalpha(static_cast<unsigned char>(text[1]));
}

bool CheckRuntimeExpression(std::string_view text, SourcePos pos, std::string_view where,
                            DiagnosticSink& sink) {
  return ExpressionParses(text, pos, "EXTRACT_EXPRESSION_INVALID", where, sink);
}

}  // namespace verity::doc
