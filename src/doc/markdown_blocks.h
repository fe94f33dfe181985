// A markdown document as a flat list of blocks for the dashboard to draw: headings, paragraphs,
// code blocks, lists, quotes and tables, each holding plain text. The page builds elements from
// them and inserts the text as text, so a recipe's markdown can never become HTML in a browser
// (a dashboard that rendered a recipe's markdown as HTML would run any script a recipe or an API
// answer copied into it). Inline formatting is kept as its text
// (`code` spans keep their content, links their label); nested lists are flattened into their
// parent's items.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace verity::doc {

struct MarkdownBlock {
  enum class Kind { kHeading, kParagraph, kCode, kList, kQuote, kTable };
  Kind kind = Kind::kParagraph;
  int level = 0;                   // headings: 1-6
  std::string language;            // code: the fence's info word ("yaml")
  std::string text;                // heading, paragraph, code, quote
  std::vector<std::string> items;  // list items; table rows with cells joined by " | "
};

/// "heading", "paragraph", "code", "list", "quote", "table".
const char* BlockKindName(MarkdownBlock::Kind kind);

/// At most `max_pieces` blocks, list items and table rows; past it the parse stops and a last
/// paragraph says that the rest is not shown.
std::vector<MarkdownBlock> MarkdownBlocks(std::string_view markdown, size_t max_pieces = 10'000);

}  // namespace verity::doc
