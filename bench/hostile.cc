// Hostile inputs for the benchmark: documents that a careless parser would take seconds or
// gigabytes to read.
#include "hostile.h"

#include <fmt/format.h>

#include "generator.h"

namespace verity::bench {

std::string HugeDocument(size_t bytes, uint64_t seed) {
  CorpusGenerator gen(seed);
  SyntheticDoc first = gen.Next();
  std::string t = first.text;
  t.reserve(bytes + 8192);
  // Append the bodies (from "## Summary" on) of further documents: one document with many
  // sections, tables and step blocks.
  while (t.size() < bytes) {
    SyntheticDoc more = gen.Next();
    size_t body = more.text.find("\n## Summary");
    t += "\n";
    t.append(more.text, body == std::string::npos ? 0 : body);
    t += "\n";
  }
  return t;
}

std::string AliasBombDocument(int levels, int width) {
  std::string t =
      "---\nendpoint: \"GET /platform/v1/bombs\"\ndomain: sales\ntags: [bomb]\nstatus: pending\n"
      "---\n\n# Alias Bomb\n\n## Summary\n\nA billion laughs in a step block.\n\n"
      "## Test Request\n\n```yaml\nsteps:\n  - id: bomb\n    method: GET\n"
      "    path: \"/platform/v1/bombs\"\n    params:\n";
  t += "      l0: &l0 [";
  for (int i = 0; i < width; ++i) t += i ? ", \"lol\"" : "\"lol\"";
  t += "]\n";
  for (int level = 1; level < levels; ++level) {
    t += fmt::format("      l{}: &l{} [", level, level);
    for (int i = 0; i < width; ++i) t += fmt::format("{}*l{}", i ? ", " : "", level - 1);
    t += "]\n";
  }
  t += "    expect:\n      status: [200]\n```\n";
  return t;
}

std::string DeepNestingDocument(int depth) {
  std::string t =
      "---\nendpoint: \"POST /platform/v1/deep\"\ndomain: sales\ntags: [deep]\nstatus: pending\n"
      "---\n\n# Deep Nesting\n\n## Summary\n\nA flow sequence nested very deep in a step "
      "block.\n\n## Test Request\n\n```yaml\nsteps:\n  - id: deep\n    method: POST\n"
      "    path: \"/platform/v1/deep\"\n    body:\n      items: ";
  t += std::string(static_cast<size_t>(depth), '[');
  t += std::string(static_cast<size_t>(depth), ']');
  t += "\n    expect:\n      status: [200]\n```\n";
  return t;
}

}  // namespace verity::bench
