// Recipes as an Arazzo document (export.h). Each recipe is built once, the recipes it `use:`s
// first, so that a step running another recipe can name that workflow and read its outputs.
#include "arazzo/export.h"

#include <fmt/format.h>

#include <filesystem>
#include <set>

#include "arazzo/export_internal.h"
#include "base/strings.h"
#include "kb/uses.h"
#include "spec/path_template.h"

namespace verity::arazzo {

using export_internal::ConvertValue;
using export_internal::WorkflowScope;

namespace {

// The input a workflow that another one runs (`use:`) is given, so that it stops before its
// cleanup: `use:` runs a recipe's prerequisites and test request only, and the data they made is
// what the user came for.
constexpr const char* kSkipCleanup = "skip_cleanup";
constexpr const char* kRetryAction = "retry_unavailable";

std::string Slug(std::string_view text) {
  std::string out;
  for (char c : text) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
    out += ok ? c : '_';
  }
  return out.empty() ? "x" : out;
}

std::string Unique(std::string base, std::set<std::string>* taken) {
  std::string name = base;
  for (int n = 2; taken->count(name); ++n) name = fmt::format("{}_{}", base, n);
  taken->insert(name);
  return name;
}

std::string RelativeUrl(const std::string& file, const std::string& output_path) {
  namespace fs = std::filesystem;
  fs::path from = fs::absolute(fs::path(output_path)).lexically_normal().parent_path();
  fs::path to = fs::absolute(fs::path(file)).lexically_normal();
  std::string rel = to.lexically_relative(from).generic_string();
  return rel.empty() ? to.generic_string() : rel;
}

std::vector<std::string> Split(std::string_view text, char sep) {
  std::vector<std::string> out;
  size_t at = 0;
  while (true) {
    size_t next = text.find(sep, at);
    out.emplace_back(text.substr(at, next == std::string_view::npos ? next : next - at));
    if (next == std::string_view::npos) return out;
    at = next + 1;
  }
}

Json Parameter(const std::string& name, const char* in, Json value) {
  return Json{{"name", name}, {"in", in}, {"value", std::move(value)}};
}

struct Built {
  std::string id;
  bool done = false;
  Json inputs = Json::object();
  std::vector<std::string> outputs;
};

class Exporter {
 public:
  Exporter(const kb::KnowledgeBase& kb, const spec::Catalog* catalog, const ExportOptions& options)
      : kb_(kb), catalog_(catalog), options_(options) {}

  void Add(const doc::Document* d);
  void Warn(ExportWarning w) { warnings_.push_back(std::move(w)); }
  ExportResult Finish();

 private:
  void BuildSteps(const doc::Document& d, WorkflowScope& scope, Json* steps, bool* has_cleanup);
  std::optional<Json> UseStep(const doc::Step& s, const std::string& id, WorkflowScope& scope);
  std::optional<Json> RequestStep(const doc::Document& d, const doc::Step& s, const std::string& id,
                                  bool is_test, WorkflowScope& scope);
  const spec::Operation* FindOperation(const doc::Document& d, const doc::Step& s) const;
  std::string SourceName(const spec::SpecFile& file);
  void AddParameters(const doc::Document& d, const doc::Step& s, const spec::Operation& op,
                     WorkflowScope& scope, Json* params);
  void AddOutputs(const doc::Step& s, const std::string& id, WorkflowScope& scope, Json* step);

  const kb::KnowledgeBase& kb_;
  const spec::Catalog* catalog_;
  const ExportOptions& options_;
  std::map<const doc::Document*, Built> built_;
  std::set<std::string> workflow_ids_;
  Json workflows_ = Json::array();
  std::map<const spec::SpecFile*, std::string> source_names_;
  std::set<std::string> source_taken_;
  Json sources_ = Json::array();
  bool uses_retry_ = false;
  std::vector<ExportWarning> warnings_;
};

void Exporter::Add(const doc::Document* d) {
  if (built_.count(d)) return;
  Built& b = built_[d];
  b.id = Unique(Slug(std::filesystem::path(d->file).stem().string()), &workflow_ids_);
  WorkflowScope scope;
  scope.options = &options_;
  scope.warnings = &warnings_;
  scope.file = d->file;
  Json wf = {{"workflowId", b.id}};
  wf["summary"] = d->title.value_or(d->frontmatter.endpoint);
  wf["description"] = fmt::format("Verity recipe {} ({})", d->file, d->frontmatter.endpoint);
  if (d->frontmatter.use_fallback_api.value_or(false))
    scope.Warn(d->frontmatter.pos.line,
               "useFallbackApi: the fallback base URL is not carried over; the workflow's "
               "steps go to their source description's server");
  Json steps = Json::array();
  bool has_cleanup = false;
  BuildSteps(*d, scope, &steps, &has_cleanup);
  if (has_cleanup)
    scope.Input(kSkipCleanup,
                {{"type", "boolean"},
                 {"description", "true when another workflow runs this one: stop before cleanup"}});
  if (!scope.inputs.empty()) wf["inputs"] = Json{{"type", "object"}, {"properties", scope.inputs}};
  wf["steps"] = steps;
  Json outputs = Json::object();
  for (const std::string& name : b.outputs)
    outputs[name] = fmt::format("$steps.{}.outputs.{}", scope.produced[name], name);
  if (!outputs.empty()) wf["outputs"] = outputs;
  b.inputs = scope.inputs;
  b.done = true;
  if (steps.empty()) {
    warnings_.push_back({d->file, 1, "no step can be exported: the recipe is left out"});
    return;
  }
  workflows_.push_back(std::move(wf));
}

void Exporter::BuildSteps(const doc::Document& d, WorkflowScope& scope, Json* steps,
                          bool* has_cleanup) {
  std::set<std::string> step_ids;
  Built& self = built_[&d];
  for (doc::SectionKind kind : {doc::SectionKind::kPrerequisites, doc::SectionKind::kTestRequest,
                                doc::SectionKind::kCleanup}) {
    if (kind == doc::SectionKind::kCleanup) {
      // What the workflow exports: the variables of its prerequisites and test request.
      for (const auto& [name, step] : scope.produced) self.outputs.push_back(name);
      std::vector<const doc::Step*> cleanup = d.StepsIn(kind);
      bool any = std::any_of(cleanup.begin(), cleanup.end(), [](auto* s) { return !s->skip; });
      if (any && !steps->empty()) {
        *has_cleanup = true;
        Json& last = steps->back();
        if (!last.contains("onSuccess")) last["onSuccess"] = Json::array();
        last["onSuccess"].push_back(
            {{"name", kSkipCleanup},
             {"type", "end"},
             {"criteria", {{{"condition", fmt::format("$inputs.{} == true", kSkipCleanup)}}}}});
      }
    }
    for (const doc::Step* s : d.StepsIn(kind)) {
      if (s->skip) continue;
      std::string id =
          Unique(Slug(s->id.empty() ? fmt::format("step_{}", s->pos.line) : s->id), &step_ids);
      std::optional<Json> step =
          s->use ? UseStep(*s, id, scope)
                 : RequestStep(d, *s, id, kind == doc::SectionKind::kTestRequest, scope);
      if (step) steps->push_back(std::move(*step));
    }
  }
  // onFail skip/continue: on to the next step.
  for (size_t i = 0; i < steps->size(); ++i) {
    Json& step = (*steps)[i];
    if (!step.contains("x-verity-onFail") || i + 1 == steps->size()) continue;
    if (!step.contains("onFailure")) step["onFailure"] = Json::array();
    step["onFailure"].push_back(
        {{"name", "continue"}, {"type", "goto"}, {"stepId", (*steps)[i + 1]["stepId"]}});
    step.erase("x-verity-onFail");
  }
}

std::optional<Json> Exporter::UseStep(const doc::Step& s, const std::string& id,
                                      WorkflowScope& scope) {
  const doc::Document* used = kb::ResolveUse(kb_, *s.use);
  if (!used) {
    scope.Warn(s.pos.line,
               fmt::format("step {}: no recipe for use: \"{}\"; left out", s.id, *s.use));
    return std::nullopt;
  }
  auto it = built_.find(used);
  if (it != built_.end() && !it->second.done) {
    scope.Warn(s.pos.line,
               fmt::format("step {}: use: \"{}\" leads back here; left out", s.id, *s.use));
    return std::nullopt;
  }
  Add(used);
  const Built& b = built_[used];
  Json step = {{"stepId", id}};
  if (!s.description.empty()) step["description"] = s.description;
  step["workflowId"] = b.id;
  Json params = Json::array();
  bool kept = false;
  for (const auto& [name, value] : s.with.items())
    params.push_back({{"name", name}, {"value", ConvertValue(value, scope, s.pos.line, &kept)}});
  for (const auto& [name, schema] : b.inputs.items()) {
    if (s.with.contains(name)) continue;
    Json value = name == kSkipCleanup ? Json(true) : Json(scope.Input(name, schema));
    params.push_back({{"name", name}, {"value", value}});
  }
  if (!params.empty()) step["parameters"] = params;
  Json outputs = Json::object();
  for (const std::string& name : b.outputs) {
    outputs[name] = "$outputs." + name;
    scope.produced[name] = id;
  }
  if (!outputs.empty()) step["outputs"] = outputs;
  return step;
}

const spec::Operation* Exporter::FindOperation(const doc::Document& d, const doc::Step& s) const {
  if (!catalog_) return nullptr;
  std::string method = ToUpper(s.method);
  std::string_view path = spec::StripQuery(s.path);
  if (d.frontmatter.swagger) {
    std::string file = options_.spec_root.empty()
                           ? *d.frontmatter.swagger
                           : JoinPath(options_.spec_root, *d.frontmatter.swagger);
    if (const spec::SpecFile* f = catalog_->FileAt(NormalizePath(file)))
      if (const spec::Operation* op = catalog_->FindIn(*f, method, path)) return op;
  }
  return catalog_->Find(method, path);
}

std::string Exporter::SourceName(const spec::SpecFile& file) {
  auto it = source_names_.find(&file);
  if (it != source_names_.end()) return it->second;
  std::filesystem::path p(file.path);
  std::string name = Slug(p.stem().string());
  if (source_taken_.count(name)) name = Slug(p.parent_path().filename().string()) + "_" + name;
  name = Unique(name, &source_taken_);
  source_names_[&file] = name;
  sources_.push_back(
      {{"name", name}, {"url", RelativeUrl(file.path, options_.output_path)}, {"type", "openapi"}});
  return name;
}

std::optional<Json> Exporter::RequestStep(const doc::Document& d, const doc::Step& s,
                                          const std::string& id, bool is_test,
                                          WorkflowScope& scope) {
  const spec::Operation* op = FindOperation(d, s);
  if (!op || !op->file) {
    scope.Warn(s.pos.line, fmt::format("step {}: {} {} is in no spec: left out (Arazzo steps "
                                       "name an operation of a source description)",
                                       s.id, s.method, s.path));
    return std::nullopt;
  }
  Json step = {{"stepId", id}};
  if (!s.description.empty()) step["description"] = s.description;
  std::string source = SourceName(*op->file);
  if (!op->operation_id.empty()) {
    step["operationId"] = fmt::format("$sourceDescriptions.{}.{}", source, op->operation_id);
  } else {
    step["operationPath"] =
        fmt::format("{{$sourceDescriptions.{}.url}}#/paths/{}/{}", source,
                    export_internal::EscapePointerToken(op->path_key), ToLower(op->method));
  }
  Json params = Json::array();
  AddParameters(d, s, *op, scope, &params);
  if (!params.empty()) step["parameters"] = params;
  bool kept = false;
  if (s.body) {
    step["requestBody"] = {{"contentType", s.content_type.value_or("application/json")},
                           {"payload", ConvertValue(*s.body, scope, s.pos.line, &kept)}};
  } else if (!s.form_fields.empty()) {
    step["requestBody"] = {
        {"contentType", s.content_type.value_or("application/x-www-form-urlencoded")},
        {"payload", ConvertValue(s.form_fields, scope, s.pos.line, &kept)}};
  }
  if (!s.file_fields.empty())
    scope.Warn(s.pos.line, fmt::format("step {}: file parts are not carried over", s.id));
  std::vector<int> statuses = s.expect_status;
  if (statuses.empty() && is_test) statuses = d.frontmatter.expected_outcome;
  Json criteria = Json::array();
  if (statuses.empty()) {
    criteria.push_back({{"condition", "$statusCode >= 200 && $statusCode < 300"}});
  } else {
    std::string condition;
    for (int code : statuses)
      condition += fmt::format("{}$statusCode == {}", condition.empty() ? "" : " || ", code);
    criteria.push_back({{"condition", condition}});
  }
  Json expect_kept = Json::array();
  export_internal::ConvertChecks(s, scope, &criteria, &expect_kept);
  AddOutputs(s, id, scope, &step);
  if (step.contains("x-verity-extract"))
    for (const auto& [name, path] : step["x-verity-extract"].items())
      if (path.is_string() && path.get<std::string>().starts_with("$"))
        criteria.push_back(
            {{"context", "$response.body"}, {"condition", path}, {"type", "jsonpath"}});
  step["successCriteria"] = criteria;
  if (!expect_kept.empty()) step["x-verity-expect"] = expect_kept;
  if (options_.max_retries > 0) {
    uses_retry_ = true;
    step["onFailure"] = {
        {{"reference", fmt::format("$components.failureActions.{}", kRetryAction)}}};
  }
  if (s.on_fail == doc::OnFail::kSkip || s.on_fail == doc::OnFail::kContinue)
    step["x-verity-onFail"] = s.on_fail_text;
  if (s.sleep_ms || s.shared || s.use_fallback.value_or(false))
    scope.Warn(s.pos.line, fmt::format("step {}: sleep, shared and the fallback base URL are not "
                                       "carried over",
                                       s.id));
  return step;
}

void Exporter::AddParameters(const doc::Document& d, const doc::Step& s, const spec::Operation& op,
                             WorkflowScope& scope, Json* params) {
  // A parameter whose value keeps a `{{…}}` says so, for the tools (and people) that read it.
  auto add = [&](const std::string& name, const char* in, const Json& value) {
    bool kept = false;
    Json p = Parameter(name, in, ConvertValue(value, scope, s.pos.line, &kept));
    if (kept) p["x-verity-template"] = true;
    params->push_back(std::move(p));
  };
  std::string_view full = s.path;
  size_t q = full.find('?');
  std::vector<std::string> mine = Split(full.substr(0, q), '/');
  std::vector<std::string> theirs = Split(op.path, '/');
  if (mine.size() == theirs.size()) {
    for (size_t i = 0; i < theirs.size(); ++i) {
      const std::string& t = theirs[i];
      if (t.size() < 3 || t.front() != '{' || t.back() != '}') continue;
      add(t.substr(1, t.size() - 2), "path", Json(mine[i]));
    }
  } else {
    scope.Warn(s.pos.line, fmt::format("step {}: the path {} has not the segments of {}", s.id,
                                       s.path, op.path));
  }
  if (q != std::string_view::npos) {
    for (const std::string& pair : Split(full.substr(q + 1), '&')) {
      if (pair.empty()) continue;
      size_t eq = pair.find('=');
      add(pair.substr(0, eq), "query", Json(eq == std::string::npos ? "" : pair.substr(eq + 1)));
    }
  }
  for (const auto& [name, value] : s.params.items()) add(name, "query", value);
  bool has_auth = false;
  for (const auto& [name, value] : s.headers.items()) {
    has_auth = has_auth || IEquals(name, "authorization");
    add(name, "header", value);
  }
  std::string token = s.token.value_or(d.frontmatter.tokens.empty() ? options_.default_token
                                                                    : d.frontmatter.tokens.front());
  if (!token.empty() && token != "none" && !has_auth) {
    auto it = options_.tokens.find(token);
    TokenHeader h = it == options_.tokens.end() ? TokenHeader{} : it->second;
    std::string input =
        scope.Input("token_" + Slug(token), {{"type", "string"},
                                             {"format", "password"},
                                             {"description", fmt::format("the {} token", token)}});
    params->push_back(
        Parameter(h.header, "header", fmt::format("{}{{{}}}{}", h.prefix, input, h.suffix)));
  }
  if (s.x_on_behalf_of.value_or(false))
    params->push_back(Parameter("X-On-Behalf-Of", "header",
                                *export_internal::ExpressionForName({"business_id"}, scope)));
}

void Exporter::AddOutputs(const doc::Step& s, const std::string& id, WorkflowScope& scope,
                          Json* step) {
  Json outputs = Json::object();
  Json kept = Json::object();
  for (const doc::Extract& e : s.extract) {
    std::optional<std::string> expression;
    if (!e.header.empty() && e.match.empty()) {
      expression = "$response.header." + e.header;
    } else if (e.header.empty() && e.copy_of.empty() && !e.default_value) {
      if (auto pointer = export_internal::SimplePointer(e.path))
        expression = "$response.body#" + *pointer;
    }
    if (expression) {
      outputs[e.name] = *expression;
      scope.produced[e.name] = id;
      continue;
    }
    kept[e.name] = !e.header.empty()    ? Json{{"header", e.header}, {"match", e.match}}
                   : !e.copy_of.empty() ? Json("{{" + e.copy_of + "}}")
                                        : Json(e.path);
    scope.Warn(e.pos.line, fmt::format("step {}: the extraction {} is kept under "
                                       "x-verity-extract; the output is not defined for other "
                                       "tools",
                                       s.id, e.name));
  }
  if (!outputs.empty()) (*step)["outputs"] = outputs;
  if (!kept.empty()) (*step)["x-verity-extract"] = kept;
}

ExportResult Exporter::Finish() {
  Json doc = {{"arazzo", "1.0.1"},
              {"info",
               {{"title", options_.title},
                {"version", "1.0.0"},
                {"description", "Exported by `verity arazzo export`; see docs/arazzo.md"}}},
              {"sourceDescriptions", sources_},
              {"workflows", workflows_}};
  if (uses_retry_) {
    Json retry = {{"name", kRetryAction},
                  {"type", "retry"},
                  {"retryAfter", 1},
                  {"retryLimit", options_.max_retries},
                  {"criteria", {{{"condition", "$statusCode == 429 || $statusCode == 503"}}}}};
    doc["components"] = {{"failureActions", {{kRetryAction, retry}}}};
  }
  return ExportResult{std::move(doc), std::move(warnings_)};
}

}  // namespace

std::string FormatWarning(const ExportWarning& w) {
  return fmt::format("{}:{}: warning: {}", w.file, w.line, w.message);
}

ExportResult Export(const kb::KnowledgeBase& kb, const std::vector<const doc::Document*>& documents,
                    const spec::Catalog* catalog, const ExportOptions& options) {
  Exporter exporter(kb, catalog, options);
  for (const doc::Document* d : documents) {
    if (d->frontmatter.status == doc::WorkflowStatus::kSkipped ||
        d->frontmatter.status == doc::WorkflowStatus::kDeprecated) {
      exporter.Warn({d->file, d->frontmatter.pos.line,
                     fmt::format("status {}: the recipe is not run, so not exported",
                                 d->frontmatter.raw_status)});
      continue;
    }
    exporter.Add(d);
  }
  return exporter.Finish();
}

Status WriteExport(FileSystem& fs, const std::string& path, std::string_view text, bool force) {
  return force ? WriteFileLocked(fs, path, text) : fs.CreateFileExclusive(path, text);
}

}  // namespace verity::arazzo
