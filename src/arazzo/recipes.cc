#include "arazzo/recipes.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "arazzo/recipe_values.h"
#include "arazzo/recipe_yaml.h"
#include "arazzo/sources.h"
#include "base/strings.h"

namespace verity::arazzo {

namespace {

// `to` relative to the folder `from`, both in the same form (absolute, or relative to the same
// folder); `to` as given when they are not.
std::string RelativePath(const std::string& from, const std::string& to) {
  std::string a = NormalizePath(from), b = NormalizePath(to);
  if ((a[0] == '/') != (b[0] == '/')) return to;
  auto parts = [](const std::string& p) {
    std::vector<std::string> out;
    for (std::string_view s : Split(p, '/'))
      if (!s.empty() && s != ".") out.emplace_back(s);
    return out;
  };
  std::vector<std::string> pa = parts(a), pb = parts(b);
  size_t common = 0;
  while (common < pa.size() && common < pb.size() && pa[common] == pb[common]) ++common;
  // A folder that climbs with ".." cannot be walked back by name.
  for (size_t i = common; i < pa.size(); ++i)
    if (pa[i] == "..") return to;
  std::vector<std::string> out(pa.size() - common, "..");
  out.insert(out.end(), pb.begin() + static_cast<std::ptrdiff_t>(common), pb.end());
  return out.empty() ? "." : Join(out, "/");
}

// One line of prose, for the heading and the paragraph under it: a line break could otherwise
// open a section or a code block of its own in the recipe.
std::string OneLine(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : Trim(text)) {
    bool blank = c == '\n' || c == '\r' || c == '\t' || c == ' ';
    if (blank && !space) out += ' ';
    if (!blank) out += c;
    space = blank;
  }
  return out;
}

// The letters and digits of a name, lower-cased: `pet_id`, `petId` and `pet-id` are one.
std::string Folded(std::string_view name) {
  std::string out;
  for (char c : name)
    if (std::isalnum(static_cast<unsigned char>(c)))
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The `{placeholder}` of the path template a parameter fills: its own name, else the one
// placeholder whose name differs only in case and separators (examples write `pet_id` for
// `{petId}`); empty when there is none.
std::string PathPlaceholder(const std::string& path, const std::string& name) {
  if (path.find("{" + name + "}") != std::string::npos) return "{" + name + "}";
  std::vector<std::string> found;
  for (size_t open = path.find('{'); open != std::string::npos; open = path.find('{', open + 1)) {
    size_t close = path.find('}', open);
    if (close == std::string::npos) break;
    std::string inner = path.substr(open + 1, close - open - 1);
    if (!inner.starts_with("{") && Folded(inner) == Folded(name))
      found.push_back("{" + inner + "}");
  }
  return found.size() == 1 ? found.front() : "";
}

bool IsJsonMedia(std::string_view media) {
  std::string m = ToLower(Trim(media.substr(0, media.find(';'))));
  return m.empty() || m == "application/json" || m.ends_with("+json") || m == "*/*";
}

class WorkflowWriter {
 public:
  WorkflowWriter(const Document& doc, const Sources& sources, const std::string& recipe_dir,
                 const std::string& arazzo_path, std::vector<Problem>& problems)
      : doc_(doc),
        sources_(sources),
        recipe_dir_(recipe_dir),
        arazzo_path_(arazzo_path),
        problems_(problems),
        values_(doc, sources, problems) {}

  // The recipe text, or empty when an error was reported.
  std::string Write(const Workflow& w, size_t index) {
    Json steps = Json::array();
    for (const Step& s : w.steps) {
      std::optional<Json> step = s.workflow_id.empty() ? OperationStep(w, s) : WorkflowStep(s);
      if (step) steps.push_back(std::move(*step));
    }
    std::optional<OperationRef> endpoint = EndpointOf(w, 0);
    // A step whose operation is not found has said why already.
    bool reported = std::any_of(problems_.begin(), problems_.end(),
                                [](const Problem& p) { return p.code == kRecipeOperation; });
    if (!endpoint && !reported)
      values_.Error(w.pos, kRecipeEndpoint,
                    fmt::format("workflow {}: no operation step gives the recipe its endpoint",
                                Quoted(w.workflow_id)));
    std::optional<Json> outputs = Outputs(w);
    for (const Problem& p : problems_)
      if (p.is_error()) return "";
    return Text(w, index, *endpoint, steps, *outputs);
  }

 private:
  std::optional<OperationRef> Resolve(const Step& s, std::string* error) const {
    if (!s.operation_id.empty()) return FindOperationById(sources_, s.operation_id, error);
    if (!s.operation_path.empty()) return FindOperationByPath(sources_, s.operation_path, error);
    *error = "the step names no operation";
    return std::nullopt;
  }

  // The last operation a workflow calls: its last operation step, or the endpoint of the workflow
  // its last step runs (a workflow of another Arazzo document is passed over).
  std::optional<OperationRef> EndpointOf(const Workflow& w, int depth) const {
    if (depth > 16) return std::nullopt;  // workflows that run each other
    for (auto it = w.steps.rbegin(); it != w.steps.rend(); ++it) {
      std::string error;
      if (it->workflow_id.empty()) {
        if (std::optional<OperationRef> op = Resolve(*it, &error)) return op;
        continue;
      }
      for (const Workflow& other : doc_.workflows)
        if (other.workflow_id == it->workflow_id)
          if (std::optional<OperationRef> op = EndpointOf(other, depth + 1)) return op;
    }
    return std::nullopt;
  }

  // Workflow parameters apply to every operation step; the step's own win by name and location.
  std::vector<const Parameter*> ParametersOf(const Workflow& w, const Step& s) const {
    std::vector<const Parameter*> out;
    for (const Parameter& p : w.parameters) {
      bool overridden = false;
      for (const Parameter& own : s.parameters)
        overridden = overridden || (own.name == p.name && own.in == p.in);
      if (!overridden) out.push_back(&p);
    }
    for (const Parameter& p : s.parameters) out.push_back(&p);
    return out;
  }

  static std::string Text(const Json& value) {
    return value.is_string() ? value.get<std::string>() : value.dump();
  }

  // A `{name}` of the template that no parameter filled is sent as written: worth a warning.
  void WarnUnfilled(const Step& s, const std::string& path) {
    for (size_t open = path.find('{'); open != std::string::npos; open = path.find('{', open + 1))
      if (path.compare(open, 2, "{{") == 0) {
        open = path.find("}}", open);
        if (open == std::string::npos) break;
      } else {
        values_.Warning(
            s.pos, kRecipeParameter,
            fmt::format("step {}: no parameter gives {} a value: sent as written",
                        Quoted(s.step_id), path.substr(open, path.find('}', open) - open + 1)));
      }
  }

  // Path parameters substituted, query parameters, headers and cookies; false on an error.
  bool Parameters(const Workflow& w, const Step& s, const OperationRef& op, Json& step) {
    std::string path = op.source->base_path + op.path;
    Json params = Json::object(), headers = Json::object();
    std::vector<std::string> cookies;
    bool ok = true;
    for (const Parameter* p : ParametersOf(w, s)) {
      std::string in = p->in.empty() ? ParameterLocation(op, p->name) : p->in;
      std::optional<Json> value = values_.Value(p->value);
      if (!value) {
        ok = false;
        continue;
      }
      if (in == "path") {
        std::string placeholder = PathPlaceholder(path, p->name);
        if (placeholder.empty()) {
          values_.Warning(p->pos, kRecipeParameter,
                          fmt::format("step {}: path parameter {} is not in {} {}: not sent",
                                      Quoted(s.step_id), Quoted(p->name), op.method, op.path));
          continue;
        }
        if (placeholder != "{" + p->name + "}")
          values_.Warning(
              p->pos, kRecipeParameter,
              fmt::format("step {}: path parameter {} is taken for {} of {} {}", Quoted(s.step_id),
                          Quoted(p->name), placeholder, op.method, op.path));
        path.replace(path.find(placeholder), placeholder.size(), Text(*value));
      } else if (in == "query") {
        params[p->name] = std::move(*value);
      } else if (in == "header") {
        headers[p->name] = std::move(*value);
      } else if (in == "cookie") {
        cookies.push_back(p->name + "=" + Text(*value));
      } else {
        values_.Error(p->pos, kRecipeParameter,
                      fmt::format("step {}: parameter {} has no `in`, and {} {} declares no "
                                  "parameter of that name",
                                  Quoted(s.step_id), Quoted(p->name), op.method, op.path));
        ok = false;
      }
    }
    WarnUnfilled(s, path);
    if (!cookies.empty()) headers["Cookie"] = Join(cookies, "; ");
    step["method"] = op.method;
    step["path"] = path;
    if (!params.empty()) step["params"] = std::move(params);
    if (!headers.empty()) step["headers"] = std::move(headers);
    return ok;
  }

  // The payload as JSON: a string that holds JSON (`payload: |` with `"{$inputs.x}"` inside) is
  // that JSON, its strings then converted like any other.
  static Value PayloadOf(const Value& payload) {
    if (!payload.json.is_string()) return payload;
    Result<Json> parsed = ParseJson(payload.json.get<std::string>());
    if (!parsed.ok() || !parsed->is_structured()) return payload;
    Value out;
    out.json = std::move(*parsed);
    out.pos = payload.pos;
    return out;
  }

  bool Body(const Step& s, const OperationRef& op, Json& step) {
    const RequestBody& rb = *s.request_body;
    std::string media = rb.content_type;
    if (media.empty()) {
      std::vector<std::string> declared = RequestMediaTypes(op);
      if (!declared.empty()) media = declared.front();
    }
    std::optional<Json> body;
    bool ok = true;
    if (rb.payload) {
      body = values_.Value(PayloadOf(*rb.payload));
      ok = body.has_value();
    }
    for (const Replacement& r : rb.replacements) {
      std::optional<Json> value = values_.Value(r.value);
      if (!value) {
        ok = false;
        continue;
      }
      if (!body) body = Json::object();
      try {
        (*body)[Json::json_pointer(r.target)] = std::move(*value);
      } catch (const std::exception& e) {
        values_.Error(r.pos, kRecipeBody,
                      fmt::format("step {}: replacement target {}: only JSON Pointers into a JSON "
                                  "payload are supported ({})",
                                  Quoted(s.step_id), Quoted(r.target), e.what()));
        ok = false;
      }
    }
    if (!ok || !body) return ok;
    std::string lower = ToLower(Trim(std::string_view(media).substr(0, media.find(';'))));
    if (lower == "application/x-www-form-urlencoded" || lower == "multipart/form-data") {
      if (!body->is_object()) {
        values_.Error(rb.pos, kRecipeBody,
                      fmt::format("step {}: a {} payload must be a mapping of fields",
                                  Quoted(s.step_id), media));
        return false;
      }
      step["content_type"] = lower == "multipart/form-data" ? "multipart" : "form";
      step["form_fields"] = std::move(*body);
      return true;
    }
    if (!IsJsonMedia(media)) {
      values_.Error(rb.pos, kRecipeBody,
                    fmt::format("step {}: a {} body cannot be sent by a recipe (JSON, forms and "
                                "multipart can)",
                                Quoted(s.step_id), media));
      return false;
    }
    if (!lower.empty() && lower != "application/json" && lower != "*/*") {
      if (!step.contains("headers")) step["headers"] = Json::object();
      step["headers"]["Content-Type"] = media;
    }
    step["body"] = std::move(*body);
    return true;
  }

  // criteria, extracts and actions, shared by operation and workflow steps.
  void Rest(const Step& s, Json& step) {
    Json expect = ExpectFor(s.success_criteria);
    if (!expect.empty()) step["expect"] = std::move(expect);
    if (!s.outputs.empty()) {
      Json extract = Json::object();
      for (const Output& o : s.outputs)
        extract[fmt::format("steps.{}.outputs.{}", s.step_id, o.name)] = o.expression;
      step["extract"] = std::move(extract);
    }
    if (!s.on_success.empty()) step["onSuccess"] = ActionsJson(s.on_success);
    if (!s.on_failure.empty()) step["onFailure"] = ActionsJson(s.on_failure);
  }

  static Json Head(const Step& s) {
    Json step = Json::object();
    step["id"] = s.step_id;
    if (!s.description.empty()) step["description"] = s.description;
    return step;
  }

  std::optional<Json> OperationStep(const Workflow& w, const Step& s) {
    std::string error;
    std::optional<OperationRef> op = Resolve(s, &error);
    if (!op) {
      values_.Error(s.target_pos, kRecipeOperation,
                    fmt::format("step {}: {}", Quoted(s.step_id), error));
      return std::nullopt;
    }
    Json step = Head(s);
    bool ok = Parameters(w, s, *op, step);
    if (s.request_body) ok = Body(s, *op, step) && ok;
    Rest(s, step);
    if (!ok) return std::nullopt;
    return step;
  }

  std::optional<Json> WorkflowStep(const Step& s) {
    Json step = Head(s);
    step["useWorkflow"] = s.workflow_id;
    Json with = Json::object();
    bool ok = true;
    for (const Parameter& p : s.parameters) {
      std::optional<Json> value = values_.Value(p.value);
      if (value)
        with[p.name] = std::move(*value);
      else
        ok = false;
    }
    if (!with.empty()) step["with"] = std::move(with);
    Rest(s, step);
    if (!ok) return std::nullopt;
    return step;
  }

  std::optional<Json> Outputs(const Workflow& w) {
    Json out = Json::object();
    bool ok = true;
    for (const Output& o : w.outputs) {
      std::optional<std::string> value = values_.String(o.expression, o.pos);
      if (value)
        out[o.name] = std::move(*value);
      else
        ok = false;
    }
    if (!ok) return std::nullopt;
    return out;
  }

  std::string Text(const Workflow& w, size_t index, const OperationRef& endpoint, const Json& steps,
                   const Json& outputs) {
    std::string out = "---\n";
    out += YamlEntry("endpoint", endpoint.method + " " + endpoint.source->base_path + endpoint.path,
                     0);
    out += YamlEntry("workflow", w.workflow_id, 0);
    out += YamlEntry("domain", endpoint.source->name, 0);
    out += "status: pending\n";
    if (!w.depends_on.empty()) {
      Json ids = Json::array();
      for (const auto& [id, pos] : w.depends_on) ids.push_back(id);
      out += YamlEntry("dependsOn", ids, 0);
    }
    if (w.inputs) out += YamlEntry("inputs", ResolveInputs(*w.inputs, doc_.components), 0);
    if (!outputs.empty()) out += YamlEntry("outputs", outputs, 0);
    if (!w.success_actions.empty())
      out += YamlEntry("successActions", ActionsJson(w.success_actions), 0);
    if (!w.failure_actions.empty())
      out += YamlEntry("failureActions", ActionsJson(w.failure_actions), 0);
    std::string source = RelativePath(recipe_dir_, arazzo_path_);
    out += YamlEntry("arazzo", fmt::format("{}#/workflows/{}", source, index), 0);
    out += "---\n\n";
    std::string title = OneLine(w.summary.empty() ? w.workflow_id : w.summary);
    out += fmt::format("# {}\n\n", title.empty() ? w.workflow_id : title);
    std::string description = OneLine(w.description);
    if (!description.empty()) out += description + "\n\n";
    out += "## Test Request\n\n```yaml\n";
    out += YamlEntry("steps", steps, 0);
    out += "```\n";
    return out;
  }

  const Document& doc_;
  const Sources& sources_;
  const std::string& recipe_dir_;
  const std::string& arazzo_path_;
  std::vector<Problem>& problems_;
  TemplateWriter values_;
};

}  // namespace

std::string RecipeFileName(std::string_view workflow_id) {
  std::string slug;
  for (char c : ToLower(workflow_id)) {
    bool keep = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
    char out = keep ? c : '_';
    if (out == '_' && !slug.empty() && slug.back() == '_') continue;
    slug += out;
  }
  while (!slug.empty() && (slug.front() == '_' || slug.front() == '.')) slug.erase(0, 1);
  while (!slug.empty() && slug.back() == '_') slug.pop_back();
  return (slug.empty() ? "workflow" : slug) + ".md";
}

Conversion ConvertDocument(const FileSystem& fs, const Document& doc,
                           const RecipeOptions& options) {
  Conversion out;
  Sources sources = LoadSources(fs, doc);
  for (const SourceFile& f : sources.files)
    out.sources.push_back({f.name, f.type, f.path, f.server_url});
  std::string arazzo_path = options.arazzo_path.empty() ? doc.path : options.arazzo_path;
  std::string recipe_dir =
      options.recipe_dir.empty() ? ParentPath(arazzo_path) : options.recipe_dir;
  std::set<std::string> names;
  for (size_t i = 0; i < doc.workflows.size(); ++i) {
    const Workflow& w = doc.workflows[i];
    WorkflowRecipe& recipe = out.workflows.emplace_back();
    recipe.workflow_id = w.workflow_id;
    std::string base = RecipeFileName(w.workflow_id);
    recipe.file = base;
    for (int n = 2; names.contains(recipe.file); ++n)
      recipe.file = fmt::format("{}-{}.md", base.substr(0, base.size() - 3), n);
    names.insert(recipe.file);
    recipe.text =
        WorkflowWriter(doc, sources, recipe_dir, arazzo_path, recipe.problems).Write(w, i);
  }
  return out;
}

}  // namespace verity::arazzo
