#include "arazzo/recipe_values.h"

#include <fmt/format.h>

#include <cctype>
#include <set>

#include "base/strings.h"
#include "expr/arazzo_expression.h"

namespace verity::arazzo {

namespace {

// A segment of a `{{a.b.0}}` name: `[A-Za-z_][A-Za-z0-9_-]*` or a decimal index
// (docs/templates.md).
bool IsNameSegment(std::string_view s) {
  if (s.empty()) return false;
  bool digits = true;
  for (char c : s) digits = digits && std::isdigit(static_cast<unsigned char>(c));
  if (digits) return true;
  if (!(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return false;
  return true;
}

// The JSON Pointer's tokens, unescaped.
std::vector<std::string> PointerTokens(std::string_view pointer) {
  std::vector<std::string> out;
  if (pointer.empty()) return out;
  for (std::string_view raw : Split(pointer.substr(1), '/')) {
    std::string token;
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '~' && i + 1 < raw.size()) {
        token += raw[i + 1] == '1' ? '/' : '~';
        ++i;
      } else {
        token += raw[i];
      }
    }
    out.push_back(std::move(token));
  }
  return out;
}

bool MentionsStatus(const Condition& c) {
  if (c.kind == Condition::Kind::kExpression) return c.expression.source == Source::kStatusCode;
  for (const Condition& operand : c.operands)
    if (MentionsStatus(operand)) return true;
  return false;
}

// The statuses `$statusCode == N` or `A || B` of such allows; nullopt for anything else.
std::optional<std::set<int>> StatusSet(const Condition& c) {
  using Kind = Condition::Kind;
  if (c.kind == Kind::kOr) {
    std::set<int> out;
    for (const Condition& operand : c.operands) {
      std::optional<std::set<int>> part = StatusSet(operand);
      if (!part) return std::nullopt;
      out.insert(part->begin(), part->end());
    }
    return out;
  }
  if (c.kind != Kind::kCompare || c.op != "==" || c.operands.size() != 2) return std::nullopt;
  const Condition* status = &c.operands[0];
  const Condition* literal = &c.operands[1];
  if (status->kind != Kind::kExpression) std::swap(status, literal);
  if (status->kind != Kind::kExpression || status->expression.source != Source::kStatusCode ||
      literal->kind != Kind::kLiteral || !literal->literal.is_number_integer())
    return std::nullopt;
  return std::set<int>{literal->literal.get<int>()};
}

}  // namespace

void TemplateWriter::Error(SourcePos pos, std::string code, std::string message) {
  problems_.push_back({doc_.path, pos, Severity::kError, std::move(code), std::move(message)});
}

void TemplateWriter::Warning(SourcePos pos, std::string code, std::string message) {
  problems_.push_back({doc_.path, pos, Severity::kWarning, std::move(code), std::move(message)});
}

std::optional<std::string> TemplateWriter::Placeholder(const Expression& e, SourcePos pos) {
  std::vector<std::string> segments;
  switch (e.source) {
    case Source::kInputs:
      segments = {"inputs"};
      break;
    case Source::kSteps:
      segments = {"steps", e.id};
      break;
    case Source::kWorkflows:
      segments = {"workflows", e.id};
      break;
    case Source::kSourceDescriptions: {
      const SourceFile* source = sources_.Find(e.id);
      if (e.name == "url" && !e.has_pointer && source != nullptr) return source->url;
      [[fallthrough]];
    }
    default:
      Error(pos, kRecipeTemplate,
            fmt::format("{}: a value sent can only use $inputs, $steps, $workflows and "
                        "$sourceDescriptions.NAME.url; this one has no value before the request",
                        e.text));
      return std::nullopt;
  }
  if (!e.field.empty()) segments.push_back(e.field);
  for (std::string_view part : Split(e.name, '.')) segments.emplace_back(part);
  if (e.has_pointer)
    for (std::string& token : PointerTokens(e.pointer)) segments.push_back(std::move(token));
  for (const std::string& segment : segments)
    if (!IsNameSegment(segment)) {
      Error(pos, kRecipeTemplate,
            fmt::format("{}: {} cannot be part of a {{{{…}}}} name (letters, digits, _ and -, "
                        "starting with a letter or _, or a number)",
                        e.text, Quoted(segment)));
      return std::nullopt;
    }
  return "{{" + Join(segments, ".") + "}}";
}

std::optional<std::string> TemplateWriter::String(const std::string& text, SourcePos pos) {
  ExpressionError error;
  if (text.starts_with("$")) {
    std::optional<Expression> e = ParseExpression(text, &error);
    if (!e) {
      Error(pos, kRecipeTemplate, fmt::format("{}: {}", Quoted(text), error.message));
      return std::nullopt;
    }
    return Placeholder(*e, pos);
  }
  if (text.find("{$") == std::string::npos) return text;
  std::optional<std::vector<TemplatePart>> parts = ParseTemplate(text, &error);
  if (!parts) {
    Error(pos, kRecipeTemplate,
          fmt::format("{} (at byte {} of the text)", error.message, error.offset + 1));
    return std::nullopt;
  }
  std::string out;
  for (const TemplatePart& part : *parts) {
    if (!part.is_expression) {
      out += part.literal;
      continue;
    }
    std::optional<std::string> placeholder = Placeholder(part.expression, pos);
    if (!placeholder) return std::nullopt;
    out += *placeholder;
  }
  return out;
}

std::optional<Json> TemplateWriter::Walk(const Json& json, const arazzo::Value& value,
                                         std::string& pointer) {
  if (json.is_string()) {
    auto at = value.string_pos.find(pointer);
    std::optional<std::string> s =
        String(json.get<std::string>(), at == value.string_pos.end() ? value.pos : at->second);
    if (!s) return std::nullopt;
    return Json(std::move(*s));
  }
  if (!json.is_structured()) return json;
  Json out = json.is_object() ? Json::object() : Json::array();
  bool ok = true;
  size_t index = 0;
  for (auto it = json.begin(); it != json.end(); ++it, ++index) {
    size_t length = pointer.size();
    if (json.is_object())
      AppendPointerToken(pointer, it.key());
    else
      pointer += "/" + std::to_string(index);
    std::optional<Json> item = Walk(*it, value, pointer);
    pointer.resize(length);
    if (!item) {
      ok = false;  // the others are still converted, so every bad one is reported
      continue;
    }
    if (json.is_object())
      AppendMember(out, it.key(), std::move(*item));
    else
      out.push_back(std::move(*item));
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<Json> TemplateWriter::Value(const arazzo::Value& value) {
  std::string pointer;
  return Walk(value.json, value, pointer);
}

Json CriterionJson(const Criterion& c) {
  Json out = Json::object();
  if (!c.context.empty()) out["context"] = c.context;
  out["condition"] = c.condition;
  if (c.type != "simple") {
    if (c.version.empty())
      out["type"] = c.type;
    else
      out["type"] = {{"type", c.type}, {"version", c.version}};
  }
  return out;
}

Json ExpectFor(const std::vector<Criterion>& criteria) {
  std::optional<std::set<int>> statuses;
  bool all_status_lists = true;
  std::vector<bool> is_status(criteria.size(), false);
  for (size_t i = 0; i < criteria.size(); ++i) {
    const Criterion& c = criteria[i];
    if (c.type != "simple" || !c.context.empty()) continue;
    ExpressionError error;
    std::optional<Condition> parsed = ParseCondition(c.condition, &error);
    if (!parsed || !MentionsStatus(*parsed)) continue;
    std::optional<std::set<int>> allowed = StatusSet(*parsed);
    if (!allowed) {
      all_status_lists = false;
      continue;
    }
    is_status[i] = true;
    if (!statuses) {
      statuses = std::move(allowed);
      continue;
    }
    // Every criterion must hold: a status must be in each list.
    std::set<int> both;
    for (int s : *statuses)
      if (allowed->contains(s)) both.insert(s);
    statuses = std::move(both);
  }
  // A status condition of another shape, or lists that no status satisfies together, stay
  // criteria, so that what they say is evaluated as written.
  bool use_status = all_status_lists && statuses && !statuses->empty();
  Json out = Json::object();
  if (use_status) out["status"] = Json(std::vector<int>(statuses->begin(), statuses->end()));
  Json rest = Json::array();
  for (size_t i = 0; i < criteria.size(); ++i)
    if (!(use_status && is_status[i])) rest.push_back(CriterionJson(criteria[i]));
  if (!rest.empty()) out["criteria"] = std::move(rest);
  return out;
}

Json ActionJson(const Action& a) {
  Json out = Json::object();
  out["name"] = a.name;
  out["type"] = a.type;
  if (!a.step_id.empty()) out["stepId"] = a.step_id;
  if (!a.workflow_id.empty()) out["workflowId"] = a.workflow_id;
  if (a.retry_after) out["retryAfter"] = *a.retry_after;
  if (a.retry_limit) out["retryLimit"] = *a.retry_limit;
  if (!a.criteria.empty()) {
    Json criteria = Json::array();
    for (const Criterion& c : a.criteria) criteria.push_back(CriterionJson(c));
    out["criteria"] = std::move(criteria);
  }
  return out;
}

Json ActionsJson(const std::vector<Action>& actions) {
  Json out = Json::array();
  for (const Action& a : actions) out.push_back(ActionJson(a));
  return out;
}

namespace {

Json ResolveInputsAt(const Json& schema, const Components& components, int depth) {
  if (schema.is_array()) {
    Json out = Json::array();
    for (const Json& item : schema) out.push_back(ResolveInputsAt(item, components, depth));
    return out;
  }
  if (!schema.is_object()) return schema;
  constexpr std::string_view kPrefix = "#/components/inputs/";
  if (auto ref = schema.find("$ref"); ref != schema.end() && ref->is_string() && depth < 32) {
    std::string target = ref->get<std::string>();
    if (target.starts_with(kPrefix)) {
      auto it = components.inputs.find(target.substr(kPrefix.size()));
      if (it != components.inputs.end()) return ResolveInputsAt(it->second, components, depth + 1);
    }
  }
  Json out = Json::object();
  for (const auto& [k, v] : schema.items())
    AppendMember(out, k, ResolveInputsAt(v, components, depth));
  return out;
}

}  // namespace

Json ResolveInputs(const Json& schema, const Components& components) {
  return ResolveInputsAt(schema, components, 0);
}

}  // namespace verity::arazzo
