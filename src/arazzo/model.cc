#include "arazzo/model.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "base/strings.h"
#include "base/yaml.h"
#include "base/yaml_json.h"
#include "base/yaml_problems.h"

namespace verity::arazzo {

std::string FormatProblem(const Problem& p) {
  std::string where = p.file.empty() ? "<input>" : p.file;
  if (p.pos.known()) where += fmt::format(":{}:{}", p.pos.line, p.pos.col);
  return fmt::format("{}: {}: {} [{}]", where, p.is_error() ? "error" : "warning", p.message,
                     p.code);
}

namespace {

using yaml::Node;
using Keys = std::vector<std::string_view>;

class Reader {
 public:
  explicit Reader(Document& doc) : doc_(doc), problems_("ARAZZO") {}

  std::vector<yaml::Problem>& problems() { return problems_.list(); }

  void ReadRoot(const Node& root) {
    auto f = Fields(root, "document",
                    {"arazzo", "info", "sourceDescriptions", "workflows", "components"},
                    {"arazzo", "info", "sourceDescriptions", "workflows"});
    if (const Node* v = Get(f, "arazzo")) {
      doc_.arazzo = String(*v, "arazzo");
      if (!doc_.arazzo.empty() && !doc_.arazzo.starts_with("1.0."))
        problems_.Add(
            v->pos, "ARAZZO_VERSION",
            fmt::format("arazzo: version {} is not supported (1.0.x is)", Quoted(doc_.arazzo)));
    }
    if (const Node* v = Get(f, "info")) ReadInfo(*v);
    if (const Node* v = Get(f, "components")) ReadComponents(*v);
    if (const Node* v = Get(f, "sourceDescriptions"))
      for (const Node* item : List(*v, "sourceDescriptions", true))
        doc_.source_descriptions.push_back(ReadSource(*item));
    if (const Node* v = Get(f, "workflows"))
      for (const Node* item : List(*v, "workflows", true))
        doc_.workflows.push_back(ReadWorkflow(*item));
  }

 private:
  using FieldMap = std::map<std::string, const Node*, std::less<>>;

  static const Node* Get(const FieldMap& f, std::string_view key) {
    auto it = f.find(key);
    return it == f.end() ? nullptr : it->second;
  }

  // The entries of an object; unknown keys (other than x- extensions) and missing required ones
  // are reported.
  FieldMap Fields(const Node& node, std::string_view where, const Keys& known,
                  const Keys& required) {
    FieldMap out;
    if (!node.is_mapping()) {
      problems_.TypeError(node, where, "a mapping");
      return out;
    }
    for (auto [k, v] : problems_.Entries(node, where)) {
      if (k->value.starts_with("x-")) continue;
      if (std::find(known.begin(), known.end(), k->value) == known.end()) {
        problems_.UnknownKey(*k, where, known);
        continue;
      }
      out[k->value] = v;
    }
    for (std::string_view key : required)
      if (!out.contains(key))
        problems_.Add(node.pos, "ARAZZO_MISSING", fmt::format("{}: {} is required", where, key));
    return out;
  }

  std::string String(const Node& v, std::string_view where) {
    if (!v.is_scalar() || v.is_null()) {
      problems_.TypeError(v, where, "a string");
      return "";
    }
    return v.value;
  }

  std::vector<const Node*> List(const Node& v, std::string_view where, bool non_empty = false) {
    std::vector<const Node*> out;
    if (!v.is_sequence()) {
      problems_.TypeError(v, where, "a list");
      return out;
    }
    if (non_empty && v.items.empty())
      problems_.Add(v.pos, "ARAZZO_MISSING", fmt::format("{}: needs at least one item", where));
    for (const Node& item : v.items) out.push_back(&item);
    return out;
  }

  void OneOf(const Node& v, std::string_view where, const std::string& value, const Keys& allowed) {
    if (value.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return;
    problems_.Add(
        v.pos, "ARAZZO_INVALID_VALUE",
        fmt::format("{}: {} is not one of {}", where, Quoted(value), yaml::JoinNames(allowed)));
  }

  static void CollectStrings(const Node& node, const std::string& pointer, Value& out) {
    if (node.is_scalar()) {
      out.string_pos[pointer] = node.pos;
    } else if (node.is_sequence()) {
      for (size_t i = 0; i < node.items.size(); ++i)
        CollectStrings(node.items[i], pointer + "/" + std::to_string(i), out);
    } else {
      for (const auto& [k, v] : node.entries) {
        std::string child = pointer;
        AppendPointerToken(child, k.value);
        CollectStrings(v, child, out);
      }
    }
  }

  static Value ReadValue(const Node& node) {
    Value out;
    out.json = yaml::ToJson(node);
    out.pos = node.pos;
    CollectStrings(node, "", out);
    return out;
  }

  void ReadInfo(const Node& node) {
    auto f =
        Fields(node, "info", {"title", "summary", "description", "version"}, {"title", "version"});
    for (const auto& [key, v] : f) String(*v, "info." + key);
    doc_.info = yaml::ToJson(node);
  }

  SourceDescription ReadSource(const Node& node) {
    SourceDescription s;
    s.pos = node.pos;
    auto f = Fields(node, "sourceDescription", {"name", "url", "type"}, {"name", "url"});
    if (const Node* v = Get(f, "name")) s.name = String(*v, "sourceDescription.name");
    if (const Node* v = Get(f, "url")) s.url = String(*v, "sourceDescription.url");
    if (const Node* v = Get(f, "type")) {
      s.type = String(*v, "sourceDescription.type");
      OneOf(*v, "sourceDescription.type", s.type, {"openapi", "arazzo"});
    }
    return s;
  }

  Workflow ReadWorkflow(const Node& node) {
    Workflow w;
    w.pos = node.pos;
    auto f = Fields(node, "workflow",
                    {"workflowId", "summary", "description", "inputs", "dependsOn", "steps",
                     "successActions", "failureActions", "outputs", "parameters"},
                    {"workflowId", "steps"});
    if (const Node* v = Get(f, "workflowId")) w.workflow_id = String(*v, "workflowId");
    if (const Node* v = Get(f, "summary")) w.summary = String(*v, "workflow.summary");
    if (const Node* v = Get(f, "description")) w.description = String(*v, "workflow.description");
    if (const Node* v = Get(f, "inputs")) {
      if (!v->is_mapping()) problems_.TypeError(*v, "workflow.inputs", "a JSON Schema mapping");
      w.inputs = yaml::ToJson(*v);
    }
    if (const Node* v = Get(f, "dependsOn"))
      for (const Node* item : List(*v, "dependsOn"))
        w.depends_on.emplace_back(String(*item, "dependsOn"), item->pos);
    if (const Node* v = Get(f, "parameters")) w.parameters = ReadParameters(*v);
    if (const Node* v = Get(f, "steps"))
      for (const Node* item : List(*v, "steps", true)) w.steps.push_back(ReadStep(*item));
    if (const Node* v = Get(f, "successActions"))
      w.success_actions = ReadActions(*v, "successActions", false);
    if (const Node* v = Get(f, "failureActions"))
      w.failure_actions = ReadActions(*v, "failureActions", true);
    if (const Node* v = Get(f, "outputs")) w.outputs = ReadOutputs(*v, "workflow.outputs");
    return w;
  }

  Step ReadStep(const Node& node) {
    Step s;
    s.pos = node.pos;
    auto f =
        Fields(node, "step",
               {"stepId", "description", "operationId", "operationPath", "workflowId", "parameters",
                "requestBody", "successCriteria", "onSuccess", "onFailure", "outputs"},
               {"stepId"});
    if (const Node* v = Get(f, "stepId")) s.step_id = String(*v, "stepId");
    if (const Node* v = Get(f, "description")) s.description = String(*v, "step.description");
    int targets = 0;
    for (auto [key, out] :
         {std::pair{"operationId", &s.operation_id}, std::pair{"operationPath", &s.operation_path},
          std::pair{"workflowId", &s.workflow_id}}) {
      const Node* v = Get(f, key);
      if (v == nullptr) continue;
      *out = String(*v, fmt::format("step.{}", key));
      if (targets++ == 0) s.target_pos = v->pos;
    }
    if (targets != 1)
      problems_.Add(node.pos, "ARAZZO_STEP_TARGET",
                    fmt::format("step {}: needs exactly one of operationId, operationPath and "
                                "workflowId, has {}",
                                Quoted(s.step_id), targets));
    if (const Node* v = Get(f, "parameters")) s.parameters = ReadParameters(*v);
    if (const Node* v = Get(f, "requestBody")) s.request_body = ReadRequestBody(*v);
    if (const Node* v = Get(f, "successCriteria"))
      for (const Node* item : List(*v, "successCriteria"))
        s.success_criteria.push_back(ReadCriterion(*item));
    if (const Node* v = Get(f, "onSuccess")) s.on_success = ReadActions(*v, "onSuccess", false);
    if (const Node* v = Get(f, "onFailure")) s.on_failure = ReadActions(*v, "onFailure", true);
    if (const Node* v = Get(f, "outputs")) s.outputs = ReadOutputs(*v, "step.outputs");
    return s;
  }

  // A `reference` object: `$components.<kind>.<name>`, its target looked up in `table`.
  template <typename T>
  std::optional<T> Resolve(const Node& ref, std::string_view kind,
                           const std::map<std::string, T>& table) {
    std::string text = String(ref, "reference");
    std::string prefix = fmt::format("$components.{}.", kind);
    auto it = text.starts_with(prefix) ? table.find(text.substr(prefix.size())) : table.end();
    if (it == table.end()) {
      problems_.Add(
          ref.pos, "ARAZZO_REFERENCE_UNRESOLVED",
          fmt::format("reference {} names no {} in components{}", Quoted(text), kind,
                      text.starts_with(prefix) ? "" : fmt::format(" (it starts with {})", prefix)));
      return std::nullopt;
    }
    return it->second;
  }

  std::vector<Parameter> ReadParameters(const Node& v) {
    std::vector<Parameter> out;
    for (const Node* item : List(v, "parameters")) {
      if (item->is_mapping() && item->Find("reference") != nullptr) {
        auto f = Fields(*item, "parameter reference", {"reference", "value"}, {});
        std::optional<Parameter> p =
            Resolve(*Get(f, "reference"), "parameters", doc_.components.parameters);
        if (!p) continue;
        p->pos = item->pos;
        if (const Node* value = Get(f, "value")) p->value = ReadValue(*value);
        out.push_back(std::move(*p));
        continue;
      }
      out.push_back(ReadParameter(*item));
    }
    return out;
  }

  Parameter ReadParameter(const Node& node) {
    Parameter p;
    p.pos = node.pos;
    auto f = Fields(node, "parameter", {"name", "in", "value"}, {"name", "value"});
    if (const Node* v = Get(f, "name")) p.name = String(*v, "parameter.name");
    if (const Node* v = Get(f, "in")) {
      p.in = String(*v, "parameter.in");
      OneOf(*v, "parameter.in", p.in, {"path", "query", "header", "cookie"});
    }
    if (const Node* v = Get(f, "value")) p.value = ReadValue(*v);
    return p;
  }

  RequestBody ReadRequestBody(const Node& node) {
    RequestBody b;
    b.pos = node.pos;
    auto f = Fields(node, "requestBody", {"contentType", "payload", "replacements"}, {});
    if (const Node* v = Get(f, "contentType")) b.content_type = String(*v, "contentType");
    if (const Node* v = Get(f, "payload")) b.payload = ReadValue(*v);
    if (const Node* v = Get(f, "replacements")) {
      for (const Node* item : List(*v, "replacements")) {
        Replacement r;
        r.pos = item->pos;
        auto rf = Fields(*item, "replacement", {"target", "value"}, {"target", "value"});
        if (const Node* t = Get(rf, "target")) r.target = String(*t, "replacement.target");
        if (const Node* t = Get(rf, "value")) r.value = ReadValue(*t);
        b.replacements.push_back(std::move(r));
      }
    }
    return b;
  }

  Criterion ReadCriterion(const Node& node) {
    Criterion c;
    c.pos = node.pos;
    auto f = Fields(node, "criterion", {"condition", "context", "type"}, {"condition"});
    if (const Node* v = Get(f, "condition")) {
      c.condition = String(*v, "criterion.condition");
      c.condition_pos = v->pos;
    }
    if (const Node* v = Get(f, "context")) {
      c.context = String(*v, "criterion.context");
      c.context_pos = v->pos;
    }
    if (const Node* v = Get(f, "type")) {
      if (v->is_mapping()) {
        auto tf = Fields(*v, "criterion.type", {"type", "version"}, {"type", "version"});
        if (const Node* t = Get(tf, "type")) {
          c.type = String(*t, "criterion.type.type");
          OneOf(*t, "criterion.type.type", c.type, {"jsonpath", "xpath"});
        }
        if (const Node* t = Get(tf, "version")) c.version = String(*t, "criterion.type.version");
      } else {
        c.type = String(*v, "criterion.type");
        OneOf(*v, "criterion.type", c.type, {"simple", "regex", "jsonpath", "xpath"});
      }
    }
    if (c.type != "simple" && c.context.empty() && !f.empty())
      problems_.Add(node.pos, "ARAZZO_MISSING",
                    fmt::format("criterion: a {} criterion needs a context", c.type));
    return c;
  }

  std::vector<Action> ReadActions(const Node& v, std::string_view where, bool failure) {
    std::vector<Action> out;
    for (const Node* item : List(v, where)) {
      if (item->is_mapping() && item->Find("reference") != nullptr) {
        auto f = Fields(*item, "action reference", {"reference"}, {});
        std::optional<Action> a =
            failure
                ? Resolve(*Get(f, "reference"), "failureActions", doc_.components.failure_actions)
                : Resolve(*Get(f, "reference"), "successActions", doc_.components.success_actions);
        if (a) out.push_back(std::move(*a));
        continue;
      }
      out.push_back(ReadAction(*item, failure));
    }
    return out;
  }

  Action ReadAction(const Node& node, bool failure) {
    Action a;
    a.pos = node.pos;
    Keys known = {"name", "type", "workflowId", "stepId", "criteria"};
    if (failure) known.insert(known.end(), {"retryAfter", "retryLimit"});
    auto f = Fields(node, failure ? "failureAction" : "successAction", known, {"name", "type"});
    if (const Node* v = Get(f, "name")) a.name = String(*v, "action.name");
    if (const Node* v = Get(f, "type")) {
      a.type = String(*v, "action.type");
      OneOf(*v, "action.type", a.type,
            failure ? Keys{"end", "goto", "retry"} : Keys{"end", "goto"});
    }
    if (const Node* v = Get(f, "workflowId")) {
      a.workflow_id = String(*v, "action.workflowId");
      a.target_pos = v->pos;
    }
    if (const Node* v = Get(f, "stepId")) {
      a.step_id = String(*v, "action.stepId");
      a.target_pos = v->pos;
    }
    if (!a.workflow_id.empty() && !a.step_id.empty())
      problems_.Add(
          node.pos, "ARAZZO_ACTION_TARGET",
          fmt::format("action {}: workflowId and stepId exclude each other", Quoted(a.name)));
    if (a.type == "goto" && a.workflow_id.empty() && a.step_id.empty())
      problems_.Add(
          node.pos, "ARAZZO_ACTION_TARGET",
          fmt::format("action {}: a goto needs a workflowId or a stepId", Quoted(a.name)));
    if (const Node* v = Get(f, "retryAfter")) {
      Json n = v->is_scalar() ? yaml::ScalarToJson(*v) : Json();
      if (!n.is_number() || n.get<double>() < 0)
        problems_.TypeError(*v, "retryAfter", "a non-negative number of seconds");
      else
        a.retry_after = n.get<double>();
    }
    if (const Node* v = Get(f, "retryLimit")) {
      Json n = v->is_scalar() ? yaml::ScalarToJson(*v) : Json();
      if (!n.is_number_integer() || n.get<int64_t>() < 0)
        problems_.TypeError(*v, "retryLimit", "a non-negative integer");
      else
        a.retry_limit = n.get<int64_t>();
    }
    if (const Node* v = Get(f, "criteria"))
      for (const Node* item : List(*v, "criteria")) a.criteria.push_back(ReadCriterion(*item));
    return a;
  }

  std::vector<Output> ReadOutputs(const Node& node, std::string_view where) {
    std::vector<Output> out;
    if (!node.is_mapping()) {
      problems_.TypeError(node, where, "a mapping");
      return out;
    }
    for (auto [k, v] : problems_.Entries(node, where))
      out.push_back({k->value, String(*v, fmt::format("{}.{}", where, k->value)), v->pos});
    return out;
  }

  void ReadComponents(const Node& node) {
    auto f = Fields(node, "components",
                    {"inputs", "parameters", "successActions", "failureActions"}, {});
    Components& c = doc_.components;
    auto each = [&](std::string_view key, auto&& read) {
      const Node* v = Get(f, key);
      if (v == nullptr) return;
      if (!v->is_mapping())
        return problems_.TypeError(*v, fmt::format("components.{}", key), "a mapping");
      for (auto [k, item] : problems_.Entries(*v, key)) read(k->value, *item);
    };
    each("inputs",
         [&](const std::string& name, const Node& v) { c.inputs[name] = yaml::ToJson(v); });
    each("parameters",
         [&](const std::string& name, const Node& v) { c.parameters[name] = ReadParameter(v); });
    each("successActions", [&](const std::string& name, const Node& v) {
      c.success_actions[name] = ReadAction(v, false);
    });
    each("failureActions", [&](const std::string& name, const Node& v) {
      c.failure_actions[name] = ReadAction(v, true);
    });
  }

  Document& doc_;
  yaml::Problems problems_;
};

}  // namespace

LoadResult LoadDocument(std::string path, std::string_view text) {
  LoadResult out;
  yaml::Limits limits;
  limits.max_nodes = 1'000'000;
  yaml::LoadResult parsed = yaml::Load(text, limits);
  for (const yaml::Error& e : parsed.errors)
    out.problems.push_back({path, e.pos, Severity::kError, "ARAZZO_YAML", e.message});
  if (!parsed.root) {
    if (parsed.errors.empty())
      out.problems.push_back({path, {1, 1}, Severity::kError, "ARAZZO_YAML", "the file is empty"});
    return out;
  }
  Document doc;
  doc.path = path;
  Reader reader(doc);
  reader.ReadRoot(*parsed.root);
  for (yaml::Problem& p : reader.problems())
    out.problems.push_back(
        {path, p.pos, Severity::kError, std::move(p.code), std::move(p.message)});
  out.document = std::move(doc);
  return out;
}

}  // namespace verity::arazzo
