#include "doc/markdown_blocks.h"

#include <gtest/gtest.h>

namespace verity::doc {
namespace {

using Kind = MarkdownBlock::Kind;

TEST(MarkdownBlocks, EachBlockKeepsItsTextAndKind) {
  std::vector<MarkdownBlock> blocks = MarkdownBlocks(
      "# Title\n\nSome *emphasis* and `code` with &amp; entity.\n\n"
      "```yaml\nsteps:\n  - id: a\n```\n\n"
      "- one\n- two\n  - nested\n\n"
      "> careful\n\n"
      "| a | b |\n|---|---|\n| 1 | 2 |\n");
  ASSERT_EQ(blocks.size(), 6u);
  EXPECT_EQ(blocks[0].kind, Kind::kHeading);
  EXPECT_EQ(blocks[0].level, 1);
  EXPECT_EQ(blocks[0].text, "Title");
  EXPECT_EQ(blocks[1].kind, Kind::kParagraph);
  EXPECT_EQ(blocks[1].text, "Some emphasis and code with & entity.");
  EXPECT_EQ(blocks[2].kind, Kind::kCode);
  EXPECT_EQ(blocks[2].language, "yaml");
  EXPECT_EQ(blocks[2].text, "steps:\n  - id: a");
  EXPECT_EQ(blocks[3].kind, Kind::kList);
  EXPECT_EQ(blocks[3].items, (std::vector<std::string>{"one", "two", "nested"}));
  EXPECT_EQ(blocks[4].kind, Kind::kQuote);
  EXPECT_EQ(blocks[4].text, "careful");
  EXPECT_EQ(blocks[5].kind, Kind::kTable);
  EXPECT_EQ(blocks[5].items, (std::vector<std::string>{"a | b", "1 | 2"}));
  EXPECT_STREQ(BlockKindName(blocks[5].kind), "table");
}

// The page inserts these as text; here they must arrive as the characters written.
TEST(MarkdownBlocks, MarkupStaysText) {
  std::vector<MarkdownBlock> blocks =
      MarkdownBlocks("<img src=x onerror=alert(1)>\n\nA <b>bold</b> claim\n");
  ASSERT_FALSE(blocks.empty());
  std::string all;
  for (const MarkdownBlock& b : blocks) all += b.text;
  EXPECT_NE(all.find("<b>bold</b>"), std::string::npos) << all;
}

TEST(MarkdownBlocks, CodeInsideAListJoinsTheListItem) {
  std::vector<MarkdownBlock> blocks = MarkdownBlocks("- run:\n\n  ```\n  x\n  ```\n- done\n");
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].kind, Kind::kList);
  ASSERT_EQ(blocks[0].items.size(), 2u);
  EXPECT_EQ(blocks[0].items[1], "done");
}

}  // namespace
}  // namespace verity::doc
