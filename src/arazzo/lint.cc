#include "arazzo/lint.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "base/edit_distance.h"
#include "base/strings.h"
#include "expr/arazzo_expression.h"
#include "expr/jsonpath.h"
#include "spec/spec_file.h"

namespace verity::arazzo {

namespace {

constexpr const char* kHttpMethods[] = {"get",     "put",  "post",  "delete",
                                        "options", "head", "patch", "trace"};

struct LoadedSource {
  const SourceDescription* description = nullptr;
  bool loaded = false;            // false for a URL or a file that could not be read
  std::optional<Json> spec_root;  // openapi
  std::set<std::string> names;    // operationIds (openapi) or workflowIds (arazzo)
};

// The operationIds of an OpenAPI (or Swagger) description's operations.
std::set<std::string> OperationIds(const Json& root) {
  std::set<std::string> ids;
  auto paths = root.find("paths");
  if (paths == root.end() || !paths->is_object()) return ids;
  for (const Json& item : *paths) {
    if (!item.is_object()) continue;
    for (const char* method : kHttpMethods) {
      auto op = item.find(method);
      if (op == item.end() || !op->is_object()) continue;
      auto id = op->find("operationId");
      if (id != op->end() && id->is_string()) ids.insert(id->get<std::string>());
    }
  }
  return ids;
}

std::string Nearest(std::string_view word, const std::set<std::string>& names) {
  std::vector<std::string_view> candidates(names.begin(), names.end());
  std::string hint = ClosestMatch(word, candidates);
  return hint.empty() ? "" : fmt::format("; did you mean {}?", Quoted(hint));
}

SourcePos At(SourcePos pos, size_t offset) {
  if (pos.known()) pos.col += static_cast<uint32_t>(offset);
  return pos;
}

class Linter {
 public:
  Linter(const FileSystem& fs, const Document& doc, std::vector<Problem>& out)
      : fs_(fs), doc_(doc), out_(out) {}

  void Run() {
    LoadSources();
    std::map<std::string, SourcePos> seen;
    for (const Workflow& w : doc_.workflows) {
      Unique(seen, w.workflow_id, w.pos, "workflowId");
      workflows_.emplace(w.workflow_id, &w);
    }
    for (const Workflow& w : doc_.workflows) CheckWorkflow(w);
  }

 private:
  void Add(SourcePos pos, Severity severity, std::string code, std::string message) {
    out_.push_back({doc_.path, pos, severity, std::move(code), std::move(message)});
  }
  void Error(SourcePos pos, std::string code, std::string message) {
    Add(pos, Severity::kError, std::move(code), std::move(message));
  }
  void Warning(SourcePos pos, std::string code, std::string message) {
    Add(pos, Severity::kWarning, std::move(code), std::move(message));
  }

  void Unique(std::map<std::string, SourcePos>& seen, const std::string& id, SourcePos pos,
              std::string_view what) {
    if (id.empty()) return;
    auto [it, fresh] = seen.emplace(id, pos);
    if (!fresh)
      Error(pos, "ARAZZO_DUPLICATE_ID",
            fmt::format("{} {} is already used at line {}", what, Quoted(id), it->second.line));
  }

  void LoadSources() {
    std::map<std::string, SourcePos> seen;
    for (const SourceDescription& s : doc_.source_descriptions) {
      Unique(seen, s.name, s.pos, "sourceDescription name");
      LoadedSource& loaded = sources_[s.name];
      loaded.description = &s;
      // Verity never fetches: a source on the network leaves its steps unchecked.
      if (s.url.empty() || s.url.find("://") != std::string::npos) continue;
      std::string_view relative = s.url;
      while (relative.starts_with("./")) relative.remove_prefix(2);
      std::string path = JoinPath(ParentPath(doc_.path), relative);
      Result<std::string> text = fs_.ReadFile(path);
      if (!text.ok()) {
        Warning(
            s.pos, "ARAZZO_SOURCE_UNREADABLE",
            fmt::format("source {}: cannot read {}: its steps go unchecked", Quoted(s.name), path));
        continue;
      }
      if (s.type == "arazzo") {
        LoadResult other = LoadDocument(path, *text);
        if (!other.document) {
          Error(s.pos, "ARAZZO_SOURCE_INVALID",
                fmt::format("source {}: {} is not an Arazzo document", Quoted(s.name), path));
          continue;
        }
        for (const Workflow& w : other.document->workflows) loaded.names.insert(w.workflow_id);
      } else {
        Result<spec::SpecFile> spec = spec::ParseSpecText(path, *text);
        if (!spec.ok()) {
          Error(s.pos, "ARAZZO_SOURCE_INVALID",
                fmt::format("source {}: {}: {}", Quoted(s.name), path, spec.status().message()));
          continue;
        }
        loaded.names = OperationIds(spec->root);
        loaded.spec_root = std::move(spec->root);
      }
      loaded.loaded = true;
    }
  }

  // The source a `$sourceDescriptions.<name>…` expression names, reported when there is none.
  const LoadedSource* SourceNamed(const std::string& name, SourcePos pos) {
    auto it = sources_.find(name);
    if (it != sources_.end()) return &it->second;
    std::set<std::string> names;
    for (const auto& [n, s] : sources_) names.insert(n);
    Error(pos, "ARAZZO_SOURCE_UNKNOWN",
          fmt::format("no sourceDescription is named {}{}", Quoted(name), Nearest(name, names)));
    return nullptr;
  }

  void CheckWorkflow(const Workflow& w) {
    std::map<std::string, SourcePos> seen;
    for (const Step& s : w.steps) {
      Unique(seen, s.step_id, s.pos, "stepId");
      steps_[&w].emplace(s.step_id, &s);  // the first one is the one kept
    }
    for (const auto& [id, pos] : w.depends_on) CheckWorkflowRef(id, pos, "dependsOn");
    for (const Parameter& p : w.parameters) CheckValue(w, nullptr, p.value);
    for (const Step& s : w.steps) CheckStep(w, s);
    for (const Action& a : w.success_actions) CheckAction(w, nullptr, a);
    for (const Action& a : w.failure_actions) CheckAction(w, nullptr, a);
    for (const Output& o : w.outputs) CheckOutput(w, nullptr, o);
  }

  void CheckStep(const Workflow& w, const Step& s) {
    if (!s.operation_id.empty()) CheckOperationId(s);
    if (!s.operation_path.empty()) CheckOperationPath(s);
    if (!s.workflow_id.empty()) CheckWorkflowRef(s.workflow_id, s.target_pos, "workflowId");
    for (const Parameter& p : s.parameters) CheckValue(w, &s, p.value);
    if (s.request_body) {
      if (s.request_body->payload) CheckValue(w, &s, *s.request_body->payload);
      for (const Replacement& r : s.request_body->replacements) CheckValue(w, &s, r.value);
    }
    for (const Criterion& c : s.success_criteria) CheckCriterion(w, &s, c);
    for (const Action& a : s.on_success) CheckAction(w, &s, a);
    for (const Action& a : s.on_failure) CheckAction(w, &s, a);
    for (const Output& o : s.outputs) CheckOutput(w, &s, o);
  }

  void CheckOperationId(const Step& s) {
    std::string id = s.operation_id;
    std::vector<const LoadedSource*> candidates;
    if (id.starts_with("$sourceDescriptions.")) {
      ExpressionError error;
      std::optional<Expression> e = ParseExpression(id, &error);
      if (!e) return Error(At(s.target_pos, error.offset), "ARAZZO_EXPRESSION", error.message);
      const LoadedSource* source = SourceNamed(e->id, s.target_pos);
      if (source == nullptr) return;
      if (source->description->type != "openapi")
        return Error(s.target_pos, "ARAZZO_OPERATION_UNRESOLVED",
                     fmt::format("operationId {}: source {} is not an OpenAPI description",
                                 Quoted(id), Quoted(e->id)));
      id = e->name;
      candidates.push_back(source);
    } else {
      for (const auto& [name, source] : sources_)
        if (source.description->type == "openapi") candidates.push_back(&source);
    }
    std::set<std::string> known;
    for (const LoadedSource* source : candidates) {
      if (!source->loaded) return;  // it may be there: nothing can be said
      if (source->names.contains(id)) return;
      known.insert(source->names.begin(), source->names.end());
    }
    // OpenAPI operationIds are case-sensitive, but a lone match that differs only in case is
    // clearly the one meant: a warning, and the step keeps that operation.
    std::vector<std::string> folded;
    for (const std::string& name : known)
      if (ToLower(name) == ToLower(id)) folded.push_back(name);
    if (folded.size() == 1)
      return Warning(s.target_pos, "ARAZZO_OPERATION_CASE",
                     fmt::format("step {}: operationId {} matches {} only when case is ignored",
                                 Quoted(s.step_id), Quoted(id), Quoted(folded[0])));
    Error(s.target_pos, "ARAZZO_OPERATION_UNRESOLVED",
          fmt::format("step {}: no operation has operationId {}{}", Quoted(s.step_id), Quoted(id),
                      Nearest(id, known)));
  }

  // `{$sourceDescriptions.<name>.url}#<JSON Pointer to an operation>`.
  void CheckOperationPath(const Step& s) {
    ExpressionError error;
    std::optional<std::vector<TemplatePart>> parts = ParseTemplate(s.operation_path, &error);
    if (!parts) return Error(At(s.target_pos, error.offset), "ARAZZO_EXPRESSION", error.message);
    if (parts->size() != 2 || !(*parts)[0].is_expression ||
        (*parts)[0].expression.source != Source::kSourceDescriptions ||
        (*parts)[0].expression.name != "url" || !(*parts)[1].literal.starts_with("#"))
      return Error(s.target_pos, "ARAZZO_OPERATION_PATH",
                   "operationPath is written {$sourceDescriptions.<name>.url}#<JSON Pointer>");
    const LoadedSource* source = SourceNamed((*parts)[0].expression.id, s.target_pos);
    if (source == nullptr || !source->loaded || !source->spec_root) return;
    std::string pointer = (*parts)[1].literal.substr(1);
    bool found = false;
    try {
      found = source->spec_root->contains(Json::json_pointer(pointer));
    } catch (const std::exception&) {
    }
    if (!found)
      Error(s.target_pos, "ARAZZO_OPERATION_UNRESOLVED",
            fmt::format("step {}: {} has nothing at {}", Quoted(s.step_id),
                        source->description->url, pointer));
  }

  void CheckWorkflowRef(const std::string& id, SourcePos pos, std::string_view what) {
    if (id.starts_with("$sourceDescriptions.")) {
      ExpressionError error;
      std::optional<Expression> e = ParseExpression(id, &error);
      if (!e) return Error(At(pos, error.offset), "ARAZZO_EXPRESSION", error.message);
      const LoadedSource* source = SourceNamed(e->id, pos);
      if (source == nullptr) return;
      if (source->description->type != "arazzo")
        return Error(pos, "ARAZZO_WORKFLOW_UNRESOLVED",
                     fmt::format("{} {}: source {} is not an Arazzo document", what, Quoted(id),
                                 Quoted(e->id)));
      if (source->loaded && !source->names.contains(e->name))
        Error(pos, "ARAZZO_WORKFLOW_UNRESOLVED",
              fmt::format("{} {}: {} has no workflow {}{}", what, Quoted(id),
                          source->description->url, Quoted(e->name),
                          Nearest(e->name, source->names)));
      return;
    }
    if (workflows_.contains(id)) return;
    std::set<std::string> names;
    for (const auto& [n, w] : workflows_) names.insert(n);
    Error(pos, "ARAZZO_WORKFLOW_UNRESOLVED",
          fmt::format("{} {}: no workflow has this id{}", what, Quoted(id), Nearest(id, names)));
  }

  void CheckAction(const Workflow& w, const Step* step, const Action& a) {
    if (a.type == "goto" || a.type == "retry") {
      if (!a.workflow_id.empty()) CheckWorkflowRef(a.workflow_id, a.target_pos, "workflowId");
      if (!a.step_id.empty() && !steps_[&w].contains(a.step_id)) {
        std::set<std::string> names;
        for (const auto& [n, s] : steps_[&w]) names.insert(n);
        Error(a.target_pos, "ARAZZO_GOTO_UNRESOLVED",
              fmt::format("action {}: workflow {} has no step {}{}", Quoted(a.name),
                          Quoted(w.workflow_id), Quoted(a.step_id), Nearest(a.step_id, names)));
      }
    }
    for (const Criterion& c : a.criteria) CheckCriterion(w, step, c);
  }

  void CheckCriterion(const Workflow& w, const Step* step, const Criterion& c) {
    if (!c.context.empty()) CheckString(w, step, c.context, c.context_pos, true);
    ExpressionError error;
    if (c.type == "simple") {
      std::optional<Condition> parsed = ParseCondition(c.condition, &error);
      if (!parsed)
        return Error(At(c.condition_pos, error.offset), "ARAZZO_CRITERION",
                     fmt::format("condition {}: {} (column {})", Quoted(c.condition), error.message,
                                 error.offset + 1));
      CheckCondition(w, step, *parsed, c.condition_pos);
    } else if (c.type == "regex") {
      RE2 re(c.condition, RE2::Quiet);
      if (!re.ok())
        Error(c.condition_pos, "ARAZZO_CRITERION",
              fmt::format("regex {}: {}", Quoted(c.condition), re.error()));
    } else if (c.type == "jsonpath") {
      expr::JsonPathError jp;
      if (!expr::JsonPath::Compile(c.condition, {}, &jp).ok())
        Error(c.condition_pos, "ARAZZO_CRITERION",
              fmt::format("JSONPath {}: {}", Quoted(c.condition), jp.ToString()));
    } else if (c.type == "xpath") {
      Warning(c.pos, "ARAZZO_UNSUPPORTED", "xpath criteria are not supported: it is never checked");
    }
  }

  void CheckCondition(const Workflow& w, const Step* step, const Condition& c, SourcePos pos) {
    if (c.kind == Condition::Kind::kExpression) CheckReference(w, step, c.expression, pos);
    for (const Condition& operand : c.operands) CheckCondition(w, step, operand, pos);
  }

  void CheckOutput(const Workflow& w, const Step* step, const Output& o) {
    CheckString(w, step, o.expression, o.pos, true);
  }

  void CheckValue(const Workflow& w, const Step* step, const Value& v) {
    for (const auto& [pointer, pos] : v.string_pos) {
      const Json& s = v.json.at(Json::json_pointer(pointer));
      if (s.is_string()) CheckString(w, step, s.get<std::string>(), pos, false);
    }
  }

  // A string that is a runtime expression (`$…`) or embeds some (`…{$…}…`); `must` when nothing
  // else is allowed there (outputs, contexts).
  void CheckString(const Workflow& w, const Step* step, const std::string& text, SourcePos pos,
                   bool must) {
    ExpressionError error;
    if (text.starts_with("$")) {
      std::optional<Expression> e = ParseExpression(text, &error);
      if (!e)
        return Error(At(pos, error.offset), "ARAZZO_EXPRESSION",
                     fmt::format("{}: {}", Quoted(text), error.message));
      return CheckReference(w, step, *e, pos);
    }
    if (text.find("{$") != std::string::npos) {
      std::optional<std::vector<TemplatePart>> parts = ParseTemplate(text, &error);
      if (!parts)
        return Error(pos, "ARAZZO_EXPRESSION",
                     fmt::format("{} (at byte {} of the text)", error.message, error.offset + 1));
      for (const TemplatePart& part : *parts)
        if (part.is_expression) CheckReference(w, step, part.expression, pos);
      return;
    }
    if (must)
      Error(pos, "ARAZZO_EXPRESSION",
            fmt::format("{}: expected a runtime expression ($…)", Quoted(text)));
  }

  void OutputDefined(const std::vector<Output>& outputs, const Expression& e, SourcePos pos,
                     std::string_view owner) {
    if (e.field.empty())
      return Warning(pos, "ARAZZO_OUTPUT_UNDEFINED",
                     fmt::format("{}: {} has no {}: only its outputs can be named (…outputs.{})",
                                 e.text, owner, Quoted(e.name), e.name));
    if (e.field != "outputs") return;
    std::string name = e.name;
    if (std::none_of(outputs.begin(), outputs.end(),
                     [&](const Output& o) { return o.name == name; }))
      Warning(pos, "ARAZZO_OUTPUT_UNDEFINED",
              fmt::format("{}: {} defines no output {}: it has no value at run time", e.text, owner,
                          Quoted(name)));
  }

  void CheckReference(const Workflow& w, const Step* step, const Expression& e, SourcePos pos) {
    switch (e.source) {
      case Source::kSteps: {
        auto it = steps_[&w].find(e.id);
        if (it == steps_[&w].end()) {
          std::set<std::string> names;
          for (const auto& [n, s] : steps_[&w]) names.insert(n);
          return Error(pos, "ARAZZO_STEP_UNKNOWN",
                       fmt::format("{}: workflow {} has no step {}{}", e.text,
                                   Quoted(w.workflow_id), Quoted(e.id), Nearest(e.id, names)));
        }
        return OutputDefined(it->second->outputs, e, pos, "step " + Quoted(e.id));
      }
      case Source::kWorkflows: {
        auto it = workflows_.find(e.id);
        if (it == workflows_.end()) return CheckWorkflowRef(e.id, pos, "workflow");
        if (e.field == "inputs") return;
        return OutputDefined(it->second->outputs, e, pos, "workflow " + Quoted(e.id));
      }
      case Source::kOutputs: {
        // In a step that runs a workflow, `$outputs.x` is that workflow's output.
        if (step == nullptr || step->workflow_id.empty()) return;
        auto it = workflows_.find(step->workflow_id);
        if (it == workflows_.end()) return;
        Expression named = e;
        named.field = "outputs";
        return OutputDefined(it->second->outputs, named, pos,
                             "workflow " + Quoted(step->workflow_id));
      }
      case Source::kSourceDescriptions:
        SourceNamed(e.id, pos);
        return;
      case Source::kComponents: {
        const Components& c = doc_.components;
        bool found = e.field == "parameters"       ? c.parameters.contains(e.name)
                     : e.field == "inputs"         ? c.inputs.contains(e.name)
                     : e.field == "successActions" ? c.success_actions.contains(e.name)
                                                   : c.failure_actions.contains(e.name);
        if (!found)
          Error(pos, "ARAZZO_REFERENCE_UNRESOLVED",
                fmt::format("{}: components.{} has no {}", e.text, e.field, Quoted(e.name)));
        return;
      }
      default:
        return;
    }
  }

  const FileSystem& fs_;
  const Document& doc_;
  std::vector<Problem>& out_;
  std::map<std::string, LoadedSource> sources_;
  std::map<std::string, const Workflow*> workflows_;
  std::map<const Workflow*, std::map<std::string, const Step*>> steps_;
};

}  // namespace

std::vector<Problem> Lint(const FileSystem& fs, const Document& doc) {
  std::vector<Problem> out;
  Linter(fs, doc, out).Run();
  return out;
}

std::vector<Problem> LintFile(const FileSystem& fs, const std::string& path) {
  Result<std::string> text = fs.ReadFile(path);
  if (!text.ok())
    return {{path, {}, Severity::kError, "ARAZZO_READ", std::string(text.status().message())}};
  LoadResult loaded = LoadDocument(path, *text);
  std::vector<Problem> out = std::move(loaded.problems);
  if (loaded.document) {
    std::vector<Problem> more = Lint(fs, *loaded.document);
    out.insert(out.end(), more.begin(), more.end());
  }
  std::stable_sort(out.begin(), out.end(), [](const Problem& a, const Problem& b) {
    return std::pair(a.pos.line, a.pos.col) < std::pair(b.pos.line, b.pos.col);
  });
  return out;
}

}  // namespace verity::arazzo
