// `verity spec ls|show|check|problems`: the operations of OpenAPI/Swagger files, and checking a
// saved response body against one.
#include <fmt/format.h>

#include "base/strings.h"
#include "cli/commands/commands.h"
#include "cli/spec_output.h"
#include "doc/parser.h"
#include "run/outcome.h"
#include "spec/response_check.h"

namespace verity::cli {
namespace {

struct LsArgs {
  SpecArgs specs;
  std::string domain;
  bool json = false;
};

int RunLs(const LsArgs& args, Context& ctx) {
  auto catalog = LoadCatalogOrReport(ctx, args.specs);
  if (!catalog) return ctx.exit_code;
  std::vector<const spec::Operation*> shown;
  for (const spec::Operation& op : catalog->operations()) {
    if (args.domain.empty() || op.domain == args.domain) shown.push_back(&op);
  }
  if (args.json) {
    Json out = Json::array();
    for (const spec::Operation* op : shown) out.push_back(OperationSummaryJson(*op));
    ctx.out << out.dump(2) << "\n";
    return kExitOk;
  }
  for (const spec::Operation* op : shown) {
    ctx.out << fmt::format("{:<7} {:<64} {:<24} {:<22} {:<16} {}\n", op->method, op->path,
                           op->domain, TokenList(*op), Join(op->StatusCodes(), ","),
                           op->file->path);
  }
  ctx.out << fmt::format("{} operation{} in {} spec file{}\n", shown.size(),
                         shown.size() == 1 ? "" : "s", catalog->files().size(),
                         catalog->files().size() == 1 ? "" : "s");
  return kExitOk;
}

// The last positional argument(s) are the endpoint (and more); CLI11 fills them from the end.
const spec::Operation* FindOrReport(Context& ctx, const spec::Catalog& catalog,
                                    const std::string& endpoint) {
  std::string method, path;
  if (!spec::SplitEndpoint(endpoint, &method, &path)) {
    ctx.err << "verity: '" << endpoint << "' is not an endpoint; write \"METHOD /path\"\n";
    ctx.exit_code = kExitUsage;
    return nullptr;
  }
  const spec::Operation* op = catalog.Find(method, path);
  if (op) return op;
  spec::Nearest nearest = catalog.FindNearest(method, path);
  ctx.err << "verity: no operation matches " << method << " " << path;
  if (nearest.operation) {
    ctx.err << "; nearest: " << nearest.operation->Key() << " (" << nearest.operation->file->path
            << ")";
  }
  ctx.err << "\n";
  ctx.exit_code = kExitFindings;
  return nullptr;
}

Json SchemaJson(const spec::SchemaRef& ref) {
  if (!ref) return Json();
  Json out = Json::object();
  out["location"] = ref.Location();
  out["schema"] = *ref.node;
  return out;
}

Json OperationDetailJson(const spec::Operation& op) {
  Json out = OperationSummaryJson(op);
  out["description"] = op.description;
  out["tags"] = op.tags;
  out["location"] = op.node.Location();
  out["security"] = op.security;
  Json params = Json::array();
  for (const spec::Parameter& p : op.parameters) {
    Json item = Json::object();
    item["name"] = p.name;
    item["in"] = p.in;
    item["required"] = p.required;
    item["description"] = p.description;
    item["schema"] = p.schema ? *p.schema.node : Json();
    params.push_back(std::move(item));
  }
  out["parameters"] = std::move(params);
  Json bodies = Json::array();
  for (const spec::MediaSchema& media : op.request_bodies) {
    Json item = SchemaJson(media.schema);
    if (item.is_null()) item = Json::object();
    item["mediaType"] = media.media_type;
    bodies.push_back(std::move(item));
  }
  out["requestBodies"] = std::move(bodies);
  out["requestBodyRequired"] = op.request_body_required;
  Json responses = Json::array();
  for (const spec::Response& r : op.responses) {
    Json item = Json::object();
    item["status"] = r.status;
    item["description"] = r.description;
    Json content = Json::array();
    for (const spec::MediaSchema& media : r.content) {
      Json entry = SchemaJson(media.schema);
      if (entry.is_null()) entry = Json::object();
      entry["mediaType"] = media.media_type;
      if (media.example) entry["example"] = *media.example.node;
      content.push_back(std::move(entry));
    }
    item["content"] = std::move(content);
    responses.push_back(std::move(item));
  }
  out["responses"] = std::move(responses);
  return out;
}

std::string SchemaSummary(const spec::SchemaRef& ref) {
  if (!ref) return "(no schema)";
  auto it = ref.node->find("$ref");
  if (it != ref.node->end() && it->is_string()) return it->get<std::string>();
  auto type = ref.node->find("type");
  std::string kind = type != ref.node->end() ? type->dump() : "schema";
  return kind + " at " + ref.Location();
}

void PrintOperationText(std::ostream& out, const spec::Operation& op) {
  out << op.Key() << "\n";
  out << "  spec:        " << op.file->path << " (" << spec::SpecVersionName(op.file->version)
      << ")  " << op.node.Location() << "\n";
  out << "  domain:      " << op.domain << "\n";
  if (!op.operation_id.empty()) out << "  operationId: " << op.operation_id << "\n";
  if (!op.summary.empty()) out << "  summary:     " << op.summary << "\n";
  if (op.deprecated) out << "  deprecated:  yes\n";
  out << "  tokens:      " << TokenList(op)
      << (op.tokens.source.empty() ? "" : " (from " + op.tokens.source + ")") << "\n";
  if (!op.security.is_null()) out << "  security:    " << op.security.dump() << "\n";
  if (!op.parameters.empty()) {
    out << "  parameters:\n";
    for (const spec::Parameter& p : op.parameters) {
      std::string type;
      if (p.schema) {
        auto t = p.schema.node->find("type");
        if (t != p.schema.node->end() && t->is_string()) type = t->get<std::string>();
      }
      out << fmt::format("    {:<8} {:<28} {:<9} {}\n", p.in, p.name,
                         p.required ? "required" : "optional", type);
    }
  }
  for (const spec::MediaSchema& media : op.request_bodies) {
    out << "  request body " << media.media_type << (op.request_body_required ? " (required)" : "")
        << ": " << SchemaSummary(media.schema) << "\n";
  }
  out << "  responses:\n";
  for (const spec::Response& r : op.responses) {
    out << fmt::format("    {:<8} {}\n", r.status, Abbreviate(r.description, 70));
    for (const spec::MediaSchema& media : r.content) {
      out << fmt::format("             {}: {}\n", media.media_type, SchemaSummary(media.schema));
    }
  }
  if (!op.description.empty()) {
    out << "  description:\n";
    for (std::string_view line : Split(op.description, '\n')) out << "    " << line << "\n";
  }
}

struct ShowArgs {
  SpecArgs specs;
  std::vector<std::string> positionals;  // SPEC_PATH... ENDPOINT
  bool json = false;
};

int RunShow(ShowArgs args, Context& ctx) {
  std::string endpoint = args.positionals.back();
  args.positionals.pop_back();
  args.specs.spec_paths = args.positionals;
  auto catalog = LoadCatalogOrReport(ctx, args.specs);
  if (!catalog) return ctx.exit_code;
  const spec::Operation* op = FindOrReport(ctx, *catalog, endpoint);
  if (!op) return ctx.exit_code;
  if (args.json) {
    ctx.out << OperationDetailJson(*op).dump(2) << "\n";
  } else {
    PrintOperationText(ctx.out, *op);
  }
  return kExitOk;
}

struct CheckArgs {
  SpecArgs specs;
  std::vector<std::string> positionals;  // SPEC_PATH... ENDPOINT STATUS BODY
  std::vector<std::string> known_issues;
  std::string known_issues_from;
  bool no_undocumented = false;
  bool json = false;
};

int RunCheck(CheckArgs args, Context& ctx) {
  if (args.positionals.size() < 4) {
    ctx.err << "verity: spec check wants SPEC_PATH... \"METHOD /path\" STATUS BODY.json\n";
    return kExitUsage;
  }
  std::string body_path = args.positionals.back();
  args.positionals.pop_back();
  std::string status_text = args.positionals.back();
  args.positionals.pop_back();
  std::string endpoint = args.positionals.back();
  args.positionals.pop_back();
  args.specs.spec_paths = args.positionals;
  int status = 0;
  if (status_text.size() != 3 || !std::all_of(status_text.begin(), status_text.end(), ::isdigit)) {
    ctx.err << "verity: STATUS must be a 3-digit HTTP status, got '" << status_text << "'\n";
    return kExitUsage;
  }
  status = std::stoi(status_text);
  Result<std::string> text = ctx.fs.ReadFile(body_path);
  if (!text.ok()) return ReportFailure(ctx, text.status());
  Json body;
  bool has_body = !Trim(*text).empty();
  if (has_body) {
    Result<Json> parsed = ParseJson(*text);
    if (!parsed.ok()) {
      ctx.err << body_path << ": " << parsed.status().message() << "\n";
      return kExitUsage;
    }
    body = std::move(parsed).value();
  }
  if (!args.known_issues_from.empty()) {
    // The workflow document's own knownIssues, as the runner applies them.
    Result<std::string> doc_text = ctx.fs.ReadFile(args.known_issues_from);
    if (!doc_text.ok()) return ReportFailure(ctx, doc_text.status());
    doc::Document d = doc::ParseDocument(*doc_text, args.known_issues_from);
    for (const doc::KnownIssue& issue : d.frontmatter.known_issues) {
      args.known_issues.push_back(issue.path);
    }
  }
  auto catalog = LoadCatalogOrReport(ctx, args.specs);
  if (!catalog) return ctx.exit_code;
  const spec::Operation* op = FindOrReport(ctx, *catalog, endpoint);
  if (!op) return ctx.exit_code;
  spec::ValidationOptions options;
  options.undocumented_fields = !args.no_undocumented;
  spec::ResponseCheck check = spec::CheckResponse(
      catalog->specs(), *op, status, has_body ? &body : nullptr, args.known_issues, options);
  // Severities come from the reason table `verity run` follows, so both say the same of an answer.
  for (spec::SchemaIssue& issue : check.issues) {
    std::string_view own = issue.severity == spec::Severity::kError ? "error" : "warning";
    issue.severity = run::IssueSeverity(issue.code, own) == "error" ? spec::Severity::kError
                                                                    : spec::Severity::kWarning;
  }
  if (args.json) {
    Json out = Json::object();
    out["operation"] = op->Key();
    out["spec"] = op->file->path;
    out["status"] = status;
    out["documentedAs"] = check.response ? Json(check.response->status) : Json();
    out["schema"] =
        check.media && check.media->schema ? Json(check.media->schema.Location()) : Json();
    out["bodyChecked"] = check.body_checked;
    out["valid"] = check.ok();
    out["errors"] = check.error_count();
    out["warnings"] = check.warning_count();
    out["suppressed"] = check.suppressed;
    out["truncated"] = check.truncated;
    out["issues"] = spec::IssuesToJson(check.issues);
    ctx.out << out.dump(2) << "\n";
  } else {
    for (const spec::SchemaIssue& issue : check.issues) {
      ctx.out << fmt::format("{}#{}: {}: {} [{}]\n    schema: {}\n", body_path, issue.instance_path,
                             issue.severity == spec::Severity::kError ? "error" : "warning",
                             issue.message, issue.code, issue.schema_path);
    }
    std::string against = check.media && check.media->schema
                              ? check.media->schema.Location()
                              : (check.response ? "no JSON schema documented" : "no response");
    ctx.out << fmt::format("{} {} → {} against {}: {} error{}, {} warning{}{}{}\n", op->method,
                           op->path, status, against, check.error_count(),
                           check.error_count() == 1 ? "" : "s", check.warning_count(),
                           check.warning_count() == 1 ? "" : "s",
                           check.suppressed ? fmt::format(", {} suppressed", check.suppressed) : "",
                           check.truncated ? " (stopped early: too many issues)" : "");
  }
  return check.ok() ? kExitOk : kExitFindings;
}

struct ProblemsArgs {
  SpecArgs specs;
  bool json = false;
};

int RunProblems(const ProblemsArgs& args, Context& ctx) {
  std::unique_ptr<spec::Catalog> catalog = NewCatalog(ctx, args.specs);
  if (!catalog) return ctx.exit_code;
  for (const std::string& path : args.specs.spec_paths) catalog->Add(path);
  const auto& problems = catalog->problems();
  if (args.json) {
    Json out = Json::array();
    for (const spec::CatalogProblem& p : problems) {
      Json item = Json::object();
      item["code"] = p.code;
      item["severity"] = p.is_error ? "error" : "warning";
      item["location"] = p.location;
      item["message"] = p.message;
      out.push_back(std::move(item));
    }
    ctx.out << out.dump(2) << "\n";
  } else {
    for (const spec::CatalogProblem& p : problems) {
      ctx.out << fmt::format("{}: {}: {} [{}]\n", p.location, p.is_error ? "error" : "warning",
                             p.message, p.code);
    }
    ctx.out << fmt::format("{} spec file{} loaded, {} operations, {} problem{}\n",
                           catalog->files().size(), catalog->files().size() == 1 ? "" : "s",
                           catalog->operations().size(), problems.size(),
                           problems.size() == 1 ? "" : "s");
  }
  return std::any_of(problems.begin(), problems.end(), [](const auto& p) { return p.is_error; })
             ? kExitFindings
             : kExitOk;
}

}  // namespace

void RegisterSpec(CLI::App& app, Context& ctx) {
  CLI::App* spec = app.add_subcommand("spec", "Read OpenAPI/Swagger files and check bodies");
  spec->require_subcommand(1);

  auto ls = std::make_shared<LsArgs>();
  CLI::App* ls_cmd = spec->add_subcommand("ls",
                                          "List operations: method, path, domain, tokens, "
                                          "responses, spec file");
  ls_cmd->add_option("specs", ls->specs.spec_paths, "Spec files or folders")->required();
  ls_cmd->add_option("--domain", ls->domain, "Only this domain");
  ls_cmd->add_flag("--json", ls->json, "Print a JSON array");
  AddRefMapOption(*ls_cmd, ls->specs);
  ls_cmd->callback([ls, &ctx] { ctx.exit_code = RunLs(*ls, ctx); });

  auto show = std::make_shared<ShowArgs>();
  CLI::App* show_cmd = spec->add_subcommand("show", "Show one operation");
  show_cmd->add_option("args", show->positionals, "SPEC_PATH... \"METHOD /path\"")
      ->required()
      ->expected(2, -1);
  show_cmd->add_flag("--json", show->json, "Print JSON");
  AddRefMapOption(*show_cmd, show->specs);
  show_cmd->callback([show, &ctx] { ctx.exit_code = RunShow(*show, ctx); });

  auto check = std::make_shared<CheckArgs>();
  CLI::App* check_cmd =
      spec->add_subcommand("check", "Validate a response body against an operation's schema");
  check_cmd
      ->add_option("args", check->positionals, "SPEC_PATH... \"METHOD /path\" STATUS BODY.json")
      ->required()
      ->expected(4, -1);
  check_cmd->add_option("--known-issue", check->known_issues,
                        "Suppress issues at this JSON Pointer pattern ('*' = any index)");
  check_cmd->add_option("--known-issues-from", check->known_issues_from,
                        "Suppress the knownIssues a workflow document lists");
  check_cmd->add_flag("--no-undocumented", check->no_undocumented,
                      "Do not warn about fields the schema does not declare");
  check_cmd->add_flag("--json", check->json, "Print JSON");
  AddRefMapOption(*check_cmd, check->specs);
  check_cmd->callback([check, &ctx] { ctx.exit_code = RunCheck(*check, ctx); });

  auto problems = std::make_shared<ProblemsArgs>();
  CLI::App* problems_cmd =
      spec->add_subcommand("problems", "List files that are not specs and problems inside specs");
  problems_cmd->add_option("specs", problems->specs.spec_paths, "Spec files or folders")
      ->required();
  problems_cmd->add_flag("--json", problems->json, "Print a JSON array");
  AddRefMapOption(*problems_cmd, problems->specs);
  problems_cmd->callback([problems, &ctx] { ctx.exit_code = RunProblems(*problems, ctx); });
}

}  // namespace verity::cli
