#include "doc/scaffold.h"

#include <fmt/format.h>

#include <cctype>

#include "base/strings.h"
#include "base/timestamp.h"

namespace verity::doc {

namespace {

std::string LastLiteralSegment(std::string_view path) {
  std::string_view p = path.substr(0, path.find('?'));
  std::string last;
  for (std::string_view seg : Split(p, '/'))
    if (!seg.empty() && seg.front() != '{') last = std::string(seg);
  return last;
}

std::vector<std::string> PathParameters(std::string_view path) {
  std::vector<std::string> names;
  size_t i = 0;
  while ((i = path.find('{', i)) != std::string_view::npos) {
    size_t close = path.find('}', i);
    if (close == std::string_view::npos) break;
    names.emplace_back(path.substr(i + 1, close - i - 1));
    i = close + 1;
  }
  return names;
}

std::string ActionFor(std::string_view method) {
  if (method == "GET") return "Get";
  if (method == "POST") return "Create";
  if (method == "PUT" || method == "PATCH") return "Update";
  if (method == "DELETE") return "Delete";
  return std::string(method);
}

std::string ExpectedStatuses(std::string_view method) {
  if (method == "POST") return "[200, 201]";
  if (method == "DELETE") return "[200, 204]";
  return "[200]";
}

}  // namespace

std::string TitleFor(std::string_view method, std::string_view path) {
  std::string resource = LastLiteralSegment(path);
  for (char& c : resource)
    if (c == '_' || c == '-') c = ' ';
  if (!resource.empty()) resource[0] = ToUpper(resource.substr(0, 1))[0];
  std::string title = ActionFor(method) + " " + resource;
  return std::string(Trim(title));
}

std::string ScaffoldDocument(const ScaffoldOptions& o) {
  std::string_view e = Trim(o.endpoint);
  std::string method = ToUpper(e.substr(0, e.find(' ')));
  std::string path(Trim(e.substr(e.find(' '))));
  std::vector<std::string> tags = o.tags;
  if (tags.empty() && !LastLiteralSegment(path).empty()) tags.push_back(LastLiteralSegment(path));

  std::string request_path = path;
  for (const std::string& p : PathParameters(path)) {
    size_t at = request_path.find("{" + p + "}");
    request_path.replace(at, p.size() + 2, "{{" + p + "}}");
  }
  std::string step_id = ToLower(method) + "_" + ToLower(LastLiteralSegment(path));
  for (char& c : step_id)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';

  std::string out = "---\n";
  out += fmt::format("endpoint: \"{} {}\"\n", method, path);
  if (!o.variant.empty()) out += fmt::format("variant: {}\n", o.variant);
  out += fmt::format("domain: {}\n", o.domain);
  out += fmt::format("tags: [{}]\n", Join(tags, ", "));
  if (!o.swagger.empty()) out += fmt::format("swagger: \"{}\"\n", o.swagger);
  out += "status: pending\n";
  out += fmt::format("savedAt: \"{}\"\n", FormatIso8601(o.now_ms));
  out += "timesReused: 0\n";
  out += fmt::format("tokens: [{}]\n", o.token);
  out += "---\n\n";
  out += fmt::format("# {}\n\n", TitleFor(method, path));
  out += "## Summary\n\n";
  out += fmt::format("{} `{}`. Describe what it does and what it needs.\n\n",
                     TitleFor(method, path), path);
  out += "## Prerequisites\n\nNone required for this endpoint.\n\n";
  out += "## Test Request\n\n```yaml\nsteps:\n";
  out += fmt::format("  - id: {}\n", step_id);
  out += fmt::format("    description: \"{}\"\n", TitleFor(method, path));
  out += fmt::format("    method: {}\n", method);
  out += fmt::format("    path: \"{}\"\n", request_path);
  out += fmt::format("    token: {}\n", o.token);
  if (method == "POST" || method == "PUT" || method == "PATCH") out += "    body: {}\n";
  out += "    expect:\n";
  out += fmt::format("      status: {}\n", ExpectedStatuses(method));
  // An empty list that lints clean, with the commonest check written out: the place to say what
  // the answer must hold is visible from the first draft (docs/workflow-format.md, "Checks").
  out +=
      "      # What the answer must hold, one check per item (docs/workflow-format.md#checks):\n";
  out += "      #   - {path: \"$.data.id\", exists: true}\n";
  out += "      body: []\n";
  out += "    onFail: abort\n```\n";
  return out;
}

}  // namespace verity::doc
