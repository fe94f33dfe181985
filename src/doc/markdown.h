// The markdown layer of a workflow document, read with md4c (CommonMark + GitHub tables): the
// title, the "##" sections in order, their tables, and every fenced code block. Headings inside
// fenced code are code, not headings.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/line_index.h"
#include "doc/diagnostic.h"
#include "doc/limits.h"
#include "doc/model.h"

namespace verity::doc {

struct Outline {
  std::optional<std::string> title;  // the first "#" heading
  SourcePos title_pos;
  std::vector<Section> sections;
  std::vector<CodeBlock> blocks;
};

/// Parses `text.substr(body_offset)`; positions are reported against the whole `text` through
/// `lines`, so a body that follows frontmatter gets file line numbers. Parsing stops at the first
/// section, fenced code block or table cell past its bound in `options`, with a SECTION_LIMIT,
/// CODE_BLOCK_LIMIT or TABLE_LIMIT error in `sink` at that piece's line.
Outline ParseMarkdown(std::string_view text, size_t body_offset, const LineIndex& lines,
                      const ParseOptions& options, DiagnosticSink& sink);

/// The kind of a section from its title: "Prerequisites", "Test Request (WILL FAIL)", "Cleanup".
SectionKind ClassifySection(std::string_view title);

}  // namespace verity::doc
