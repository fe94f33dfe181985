// `verity run FILE.arazzo.yaml`: an Arazzo document's workflows run as recipes. Each workflow is
// converted in memory exactly as `verity arazzo import` would write it (arazzo/recipes.h), parsed
// like a recipe file, and run by the same executor, so a workflow gets what recipes get:
// concurrency, rate limits, retries, masking, response validation against its source
// descriptions, every report and the history. Workflows run concurrently unless `dependsOn`
// orders them; a document's file is never written back to.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "arazzo/model.h"
#include "arazzo/recipes.h"
#include "base/file_system.h"
#include "base/strings.h"
#include "base/yaml.h"
#include "base/yaml_json.h"
#include "cli/run_setup.h"
#include "doc/parser.h"

namespace verity::cli {

namespace {

Status Usage(std::string message) { return Status::InvalidArgument(std::move(message)); }

// `--input name=value`: the value as JSON when it is JSON (`7`, `true`, `["a"]`), else the text.
Status AddInputs(const RunArgs& args, Context& ctx, Json* inputs) {
  if (!args.inputs_file.empty()) {
    Result<std::string> text = ctx.fs.ReadFile(args.inputs_file);
    if (!text.ok()) return text.status();
    yaml::LoadResult loaded = yaml::Load(*text);
    if (!loaded.errors.empty())
      return Usage(fmt::format("{}:{}:{}: {}", args.inputs_file, loaded.errors[0].pos.line,
                               loaded.errors[0].pos.col, loaded.errors[0].message));
    Json values = loaded.root ? yaml::ToJson(*loaded.root) : Json::object();
    if (!values.is_object())
      return Usage(
          fmt::format("{}: the inputs file holds a mapping of names to values", args.inputs_file));
    for (const auto& [name, value] : values.items()) (*inputs)[name] = value;
  }
  for (const std::string& item : args.inputs) {
    size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0)
      return Usage(fmt::format("--input {}: expected NAME=VALUE", item));
    std::string text = item.substr(eq + 1);
    Json value = Json::parse(text, nullptr, false);
    (*inputs)[item.substr(0, eq)] = value.is_discarded() ? Json(text) : value;
  }
  return Status::Ok();
}

// Whether an input holds a credential: its schema says so (`format: password`, `writeOnly`), in
// any workflow that declares it, or its name does (`client_secret`, `password`, `refresh_token`,
// `apiKey`). Such inputs are masked wherever they would show, like the environment's tokens.
bool IsSecretInput(const std::string& name, const kb::KnowledgeBase& kb) {
  if (NamesACredential(name)) return true;
  for (const doc::Document& d : kb.documents) {
    const Json& inputs = d.frontmatter.inputs;
    if (!inputs.is_object() || !inputs.contains("properties")) continue;
    const Json& properties = inputs["properties"];
    if (!properties.is_object() || !properties.contains(name)) continue;
    const Json& schema = properties[name];
    if (!schema.is_object()) continue;
    if (schema.value("format", "") == "password" || schema.value("writeOnly", false)) return true;
  }
  return false;
}

// The workflows to start: those named (and what they depend on), or all; ordered by dependsOn.
Result<run::Plan> PlanWorkflows(const kb::KnowledgeBase& kb,
                                const std::vector<std::string>& named) {
  std::map<std::string, size_t> by_id;
  for (size_t i = 0; i < kb.documents.size(); ++i) by_id[kb.documents[i].frontmatter.workflow] = i;
  std::set<size_t> chosen;
  std::vector<std::string> pending = named;
  if (named.empty())
    for (const auto& [id, index] : by_id) pending.push_back(id);
  while (!pending.empty()) {
    std::string id = pending.back();
    pending.pop_back();
    auto it = by_id.find(id);
    if (it == by_id.end()) return Usage(fmt::format("no workflow {} in the document", Quoted(id)));
    if (!chosen.insert(it->second).second) continue;
    for (const std::string& dependency : kb.documents[it->second].frontmatter.depends_on)
      pending.push_back(dependency);
  }
  run::Plan plan;
  std::map<size_t, size_t> planned;  // document index → plan index
  for (size_t index : chosen) {
    planned[index] = plan.documents.size();
    plan.documents.push_back({&kb.documents[index], "", run::CrudPhase::kRead});
  }
  plan.waits_for.resize(plan.documents.size());
  for (const auto& [index, at] : planned)
    for (const std::string& dependency : kb.documents[index].frontmatter.depends_on)
      plan.waits_for[at].push_back(planned.at(by_id.at(dependency)));
  return plan;
}

// The knowledge base of one document's workflows, beside the document. A workflow that cannot be
// converted, or whose recipe has errors, is reported and left out; the others run.
Result<kb::KnowledgeBase> WorkflowRecipes(const std::string& path, Context& ctx,
                                          arazzo::Conversion* conversion, bool* problems) {
  Result<std::string> text = ctx.fs.ReadFile(path);
  if (!text.ok()) return text.status();
  arazzo::LoadResult loaded = arazzo::LoadDocument(path, *text);
  for (const arazzo::Problem& p : loaded.problems) {
    ctx.err << arazzo::FormatProblem(p) << "\n";
    *problems = *problems || p.is_error();
  }
  if (!loaded.document || *problems)
    return Usage(
        fmt::format("{}: not a valid Arazzo document (verity arazzo lint {})", path, path));
  *conversion = arazzo::ConvertDocument(ctx.fs, *loaded.document);
  kb::KnowledgeBase kb;
  std::string folder = ParentPath(path).empty() ? "." : ParentPath(path);
  kb.roots = {folder};
  kb.confinement = PathRoots::OfRealPaths({folder});
  for (const arazzo::WorkflowRecipe& w : conversion->workflows) {
    for (const arazzo::Problem& p : w.problems) {
      ctx.err << arazzo::FormatProblem(p) << "\n";
      *problems = *problems || p.is_error();
    }
    if (w.text.empty()) continue;
    doc::Document d = doc::ParseDocument(w.text, JoinPath(folder, w.file));
    if (d.has_errors()) {
      for (const doc::Diagnostic& diagnostic : d.diagnostics)
        if (diagnostic.is_error())
          ctx.err << fmt::format("{}: workflow {}: {}\n", path, Quoted(w.workflow_id),
                                 diagnostic.message);
      *problems = true;
      continue;
    }
    kb.documents.push_back(std::move(d));
  }
  return kb;
}

}  // namespace

bool IsArazzoTarget(std::string_view target) {
  std::string lower = ToLower(target);
  return lower.ends_with(".arazzo.yaml") || lower.ends_with(".arazzo.yml") ||
         lower.ends_with(".arazzo.json");
}

int ExecuteArazzoRun(const RunArgs& given, Context& ctx) {
  if (given.targets.size() != 1)
    return ReportFailure(ctx, Usage("verity run takes one Arazzo document at a time"));
  if (given.all_operations || given.write_drafts || given.spec_only)
    return ReportFailure(ctx, Usage("--all-operations and --write-drafts are for knowledge "
                                    "bases, not Arazzo documents"));
  const std::string& path = given.targets.front();
  arazzo::Conversion conversion;
  bool problems = false;
  Result<kb::KnowledgeBase> recipes = WorkflowRecipes(path, ctx, &conversion, &problems);
  if (!recipes.ok()) return ReportFailure(ctx, recipes.status());

  // The base URL: the environment's, else the origin of the first source description's server
  // (the recipes' paths carry the server's own path, as the spec's operations do).
  RunArgs args = given;
  Result<FileInfo> config = ctx.fs.Stat(args.config);
  bool have_config = args.config_given || (config.ok() && config->type != FileType::kNone);
  if (!have_config && args.base_url.empty()) {
    for (const arazzo::SourceServer& s : conversion.sources) {
      size_t scheme = s.server_url.find("://");
      if (scheme == std::string::npos) continue;
      args.base_url = s.server_url.substr(0, s.server_url.find('/', scheme + 3));
      break;
    }
    if (args.base_url.empty())
      return ReportFailure(ctx, Usage(fmt::format("{}: no source description names an absolute "
                                                  "server URL: pass --base-url URL",
                                                  path)));
  }
  Result<run::Environment> env = LoadEnvironment(args, ctx);
  if (!env.ok()) return ReportEnvironmentFailure(ctx, env.status());
  run::RunSettings settings = EnvironmentSettings(*env, ctx);

  run::RunOptions options = args.options;
  // The document is the recipe: nothing to write back, and a DELETE it names is meant.
  options.write_back = false;
  options.include_delete = true;
  if (Status s = AddVariables(args, &options); !s.ok()) return ReportFailure(ctx, s);
  // Inputs: the environment's params, then the inputs file, then --input.
  options.inputs = settings.params.is_object() ? settings.params : Json::object();
  if (Status s = AddInputs(args, ctx, &options.inputs); !s.ok()) return ReportFailure(ctx, s);

  // Answers are checked against the document's OpenAPI sources.
  auto catalog = std::make_shared<spec::Catalog>(ctx.fs);
  for (const arazzo::SourceServer& s : conversion.sources)
    if (s.type == "openapi" && !s.spec_path.empty()) catalog->Add(s.spec_path);

  auto kb = std::make_shared<const kb::KnowledgeBase>(std::move(*recipes));
  for (const auto& [name, value] : options.inputs.items())
    if (value.is_string() && IsSecretInput(name, *kb))
      settings.secrets["inputs." + name] = value.get<std::string>();
  Result<run::Plan> plan = PlanWorkflows(*kb, args.workflows);
  if (!plan.ok()) return ReportFailure(ctx, plan.status());
  int code = RunPrepared(
      args, ctx, {std::move(settings), std::move(options), kb, catalog, std::move(*plan), nullptr});
  // A workflow left out because it could not be converted is a failure of the run.
  return code == 0 && problems ? 1 : code;
}

}  // namespace verity::cli
