#include "doc/parse_test_support.h"

#include <string>

#include "doc/parser.h"
#include "support/paths.h"

namespace verity::doc {

using verity::testing::ReadFileOrDie;
using verity::testing::SharedPath;

std::string SeedText() { return ReadFileOrDie(SharedPath("seed/000_11cb7a21dc1c2995.txt")); }

// Every diagnostic as `file:line:col: severity: message [CODE]`, in the order the parser found
// them.
std::vector<std::string> Formatted(const Document& doc) {
  std::vector<std::string> out;
  for (Diagnostic d : doc.diagnostics) {
    d.file = doc.file;
    out.push_back(FormatDiagnostic(d));
  }
  return out;
}

std::vector<std::string> Titles(const Document& doc) {
  std::vector<std::string> out;
  for (const Section& s : doc.sections) out.push_back(s.title);
  return out;
}

std::vector<std::string> StepIds(const std::vector<const Step*>& steps) {
  std::vector<std::string> out;
  for (const Step* s : steps) out.push_back(s->id);
  return out;
}

std::vector<std::string> StepIds(const Document& doc) {
  std::vector<std::string> out;
  for (const Step& s : doc.steps) out.push_back(s.id);
  return out;
}

// A ref as one comparable line: "name [filters] @where line:col".
std::vector<std::string> Refs(const Step& step) {
  std::vector<std::string> out;
  for (const TemplateRef& r : step.refs) {
    std::string filters;
    for (const std::string& f : r.filters) filters += (filters.empty() ? "" : ",") + f;
    out.push_back(r.name + " [" + filters + "] @" + r.where + " " + std::to_string(r.pos.line) +
                  ":" + std::to_string(r.pos.col));
  }
  return out;
}

namespace {
constexpr std::string_view kFrontmatter = R"(---
endpoint: "POST /platform/v1/clients"
domain: clients
status: verified
---

## Test Request

```yaml
steps:
)";  // the step list starts on line 11

}  // namespace

Document ParseSteps(std::string_view steps) {
  return ParseDocument(std::string(kFrontmatter) + std::string(steps) + "```\n", "steps.md");
}

Document ParseFrontmatterOnly(std::string_view fields) {
  return ParseDocument("---\n" + std::string(fields) + "---\n\n# Title\n", "fm.md");
}

}  // namespace verity::doc
