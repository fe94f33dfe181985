// What one workflow document may hold. The size limit alone does not bound memory: a 4 MB document
// whose step path is `{{a}}` 830 000 times made 830 000 placeholder records, each a few hundred
// bytes and, in the JSON view, a few kilobytes (2.6 GB for `kb show --json`). So every kind of
// piece the parser keeps per occurrence is counted, and the document is cut at a bound with one
// error (docs/workflow-format.md, "Limits"). The bounds sit far above real recipes: the 285
// documents of the reference knowledge base have at most 6 steps, 12 placeholders, 10 sections, 8
// code blocks, 96 table cells and 3 diagnostics each.
#pragma once

#include <cstddef>
#include <string_view>

#include "base/yaml.h"

namespace verity::doc {

struct ParseOptions {
  /// Larger documents are refused (DOCUMENT_TOO_LARGE) before any parsing. Real recipes are a few
  /// kilobytes; the limit keeps a stray 20 MB file from costing seconds and memory.
  size_t max_bytes = 4u << 20;
  /// YAML nodes of the frontmatter and every step block together (YAML_NODE_LIMIT). A node costs
  /// ~140 bytes in the tree and as much again as JSON, for as little as two bytes of input.
  size_t max_yaml_nodes = 100'000;
  size_t max_steps = 1'000;          // STEP_LIMIT
  size_t max_placeholders = 10'000;  // PLACEHOLDER_LIMIT
  size_t max_sections = 1'000;       // SECTION_LIMIT: "##" headings
  size_t max_code_blocks = 1'000;    // CODE_BLOCK_LIMIT: fenced blocks
  size_t max_table_cells = 10'000;   // TABLE_LIMIT: cells of every table together
  size_t max_diagnostics = 1'000;    // DIAGNOSTIC_LIMIT: parse and lint findings, each
};

/// What is left of the bounds while one document is parsed; the parts take from it in document
/// order. A part that finds its bound reached reports it once (the `*_reported` flags) and stops
/// adding that kind of piece.
struct Budget {
  explicit Budget(const ParseOptions& options)
      : yaml_nodes(options.max_yaml_nodes),
        steps(options.max_steps),
        placeholders(options.max_placeholders),
        options(options) {}

  size_t yaml_nodes;
  size_t steps;
  size_t placeholders;
  bool steps_reported = false;
  bool placeholders_reported = false;
  const ParseOptions& options;
};

/// Loads YAML of a document (its frontmatter, a step block) within what is left of its node
/// budget, and takes the nodes read from it. A YAML_NODE_LIMIT error names the document's bound.
yaml::LoadResult LoadDocumentYaml(std::string_view text, Budget& budget);

}  // namespace verity::doc
