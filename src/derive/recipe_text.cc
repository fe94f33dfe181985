// The text of a recipe built from the spec: the document `verity draft` writes and a run of
// `--all-operations` parses back, so that what runs is what a draft holds.
#include <fmt/format.h>

#include "base/strings.h"
#include "derive/operations.h"
#include "derive/recipe_parts.h"
#include "derive/shapes.h"
#include "doc/scaffold.h"

namespace verity::derive {
namespace {

std::string StepId(std::string_view method, std::string_view path) {
  std::string id = ToLower(method);
  std::vector<Segment> segments = Segments(path);
  for (auto it = segments.rbegin(); it != segments.rend(); ++it) {
    if (it->param.empty()) {
      id += "_" + it->text;
      break;
    }
  }
  return VariableName(id);
}

// Whether the recipe can take its producer's create from another recipe of the run: when it only
// needs the resource to exist (it reads it, or writes elsewhere and refers to it). A test that
// writes to the resource or below it changes it, or deletes it, and makes its own; so does every
// test of an action.
bool SharesCreate(const RecipeParts& parts, const PlannedProducer& p) {
  if (p.producer.method != "POST") return false;
  const std::string& method = parts.op->method;
  if (method == "GET" || method == "HEAD") return true;
  if (IsActionEndpoint(method, parts.op->path)) return false;
  const std::string& item = p.producer.cleanup;
  const std::string& path = parts.request_path;
  return item.empty() || !(path == item || path.starts_with(item + "/"));
}

std::string ProducerStep(const RecipeParts& parts, const PlannedProducer& p) {
  bool create = p.producer.method == "POST";
  std::string out = fmt::format("  - id: {}\n", ProducerStepId(p));
  out += fmt::format("    description: {}\n", Json((create ? "A new " : "An existing ") +
                                                   p.variable + " from " + p.producer.endpoint)
                                                  .dump());
  out += fmt::format("    method: {}\n", p.producer.method);
  out +=
      fmt::format("    path: {}\n", Json(p.producer.path.empty() ? "/" : p.producer.path).dump());
  // Every recipe that takes an id from the same list, or needs the same parent, sends the same
  // request: the run sends it once.
  if (p.producer.method == "GET" || SharesCreate(parts, p)) out += "    shared: true\n";
  if (!p.producer.query.empty()) out += fmt::format("    params: {}\n", p.producer.query.dump());
  if (p.producer.body) out += fmt::format("    body: {}\n", p.producer.body->dump());
  if (p.producer.header.empty()) {
    out += fmt::format("    extract:\n      {}: {}\n", p.variable,
                       Json(ExtractPath(p.producer)).dump());
  } else {
    out += fmt::format("    extract:\n      {}: {{header: {}{}}}\n", p.variable,
                       Json(p.producer.header).dump(),
                       p.producer.match.empty() ? "" : ", match: " + Json(p.producer.match).dump());
  }
  for (const auto& [variable, path] : p.also)
    out += fmt::format("      {}: {}\n", variable, Json(path).dump());
  out += fmt::format("    expect:\n      status: [{}]\n", create ? "200, 201" : "200");
  return out;
}

// What the prerequisites created is deleted again, last first, whether the test passed or not.
std::string CleanupSection(const RecipeParts& parts) {
  const spec::Operation& op = *parts.op;
  std::string steps;
  for (auto it = parts.producers.rbegin(); it != parts.producers.rend(); ++it) {
    const std::string& path = it->producer.cleanup;
    if (path.empty()) continue;
    // The operation under test may be that very DELETE.
    if (op.method == "DELETE" && path == parts.request_path) continue;
    steps += fmt::format("  - id: delete_{}\n", it->variable);
    steps += fmt::format("    description: {}\n",
                         Json("Delete the " + it->variable + " created first").dump());
    steps += "    method: DELETE\n";
    steps += fmt::format("    path: {}\n", Json(path).dump());
    // Deleted once, at the end of the run, when no recipe can still use it.
    if (SharesCreate(parts, *it)) steps += "    shared: true\n";
    steps += "    onFail: continue\n";
  }
  if (!parts.own_delete.empty()) {
    steps += fmt::format("  - id: delete_created_{}\n", parts.own_variable);
    steps +=
        fmt::format("    description: {}\n", Json("Delete what the test request created").dump());
    steps += "    method: DELETE\n";
    steps += fmt::format("    path: {}\n", Json(parts.own_delete).dump());
    steps += "    onFail: continue\n";
  }
  if (steps.empty()) return "";
  return "\n## Cleanup\n\n```yaml\nsteps:\n" + steps + "```\n";
}

}  // namespace

std::string ExtractPath(const Producer& p) {
  if (!p.header.empty()) return "header " + p.header;
  if (p.id_field.empty()) return p.item_path;  // a whole path, as the configuration gives it
  return p.item_path + (p.id_field.starts_with('[') ? p.id_field : MemberPath(p.id_field));
}

bool IsCredentialHeader(const spec::Operation& op, const std::string& name) {
  std::string lower = ToLower(name);
  if (lower == "authorization") return true;
  for (const spec::SecurityAlternative& alternative : op.auth.alternatives)
    for (const spec::SecurityUse& use : alternative)
      if (use.scheme && use.scheme->in == "header" && ToLower(use.scheme->param_name) == lower)
        return true;
  return false;
}

const spec::MediaSchema* JsonRequestMedia(const spec::Operation& op) {
  for (const spec::MediaSchema& media : op.request_bodies) {
    bool json = media.media_type == "application/json" || EndsWith(media.media_type, "+json");
    if (json && media.schema) return &media;
  }
  return nullptr;
}

std::string ProducerStepId(const PlannedProducer& p) {
  return (p.producer.method == "POST" ? "create_" : "list_") + p.variable;
}

std::string RecipeText(const RecipeParts& parts) {
  const spec::Operation& op = *parts.op;
  const DeriveOptions& options = *parts.options;
  std::string out = "---\n";
  out += fmt::format("endpoint: {}\n", Json(op.Key()).dump());
  if (!options.variant.empty()) out += fmt::format("variant: {}\n", options.variant);
  if (!op.domain.empty()) out += fmt::format("domain: {}\n", Json(op.domain).dump());
  out += "status: pending\n";
  if (!options.credential.empty())
    out += fmt::format("tokens: [{}]\n", Json(options.credential).dump());
  if (options.use_fallback) out += "useFallbackApi: true\n";
  out += "---\n\n";
  out += fmt::format("# {}\n\n", doc::TitleFor(op.method, op.path));
  out += "## Summary\n\n";
  // One line of prose, whatever the spec wrote: a summary with line breaks could otherwise open a
  // section or a code block of its own in the recipe.
  std::string summary;
  for (char c : op.summary.empty() ? op.operation_id : op.summary)
    summary += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  summary = Abbreviate(Trim(summary), 200);
  out += fmt::format("Built from the spec for an operation that has no recipe{}.\n\n",
                     summary.empty() ? "" : ": " + summary);
  if (!parts.producers.empty()) {
    out += "## Prerequisites\n\n```yaml\nsteps:\n";
    for (const PlannedProducer& p : parts.producers) out += ProducerStep(parts, p);
    out += "```\n\n";
  }
  out += "## Test Request\n\n```yaml\nsteps:\n";
  out += fmt::format("  - id: {}\n", StepId(op.method, op.path));
  out += fmt::format("    method: {}\n", op.method);
  out += fmt::format("    path: {}\n", Json(parts.request_path).dump());
  if (!parts.query.empty()) out += fmt::format("    params: {}\n", parts.query.dump());
  if (!parts.headers.empty()) out += fmt::format("    headers: {}\n", parts.headers.dump());
  if (parts.body) out += fmt::format("    body: {}\n", parts.body->dump());
  std::vector<std::string> statuses;
  for (int s : parts.statuses) statuses.push_back(std::to_string(s));
  if (!parts.own_variable.empty()) {
    out += fmt::format("    extract:\n      {}: {{path: {}, optional: true}}\n", parts.own_variable,
                       Json(parts.own_extract).dump());
  }
  out += fmt::format("    expect:\n      status: [{}]\n", Join(statuses, ", "));
  out += "```\n";
  out += CleanupSection(parts);
  return out;
}

}  // namespace verity::derive
