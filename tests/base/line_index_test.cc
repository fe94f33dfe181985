// Positions of a LineIndex agree with libyaml's for every line break libyaml reads, so a YAML
// node's position finds its bytes.
#include "base/line_index.h"

#include <gtest/gtest.h>

#include <string>

#include "base/yaml.h"

namespace verity {
namespace {

// The bytes at the position libyaml gives the value of `key`.
std::string_view ValueAt(std::string_view text, std::string_view key) {
  yaml::LoadResult r = yaml::Load(text);
  EXPECT_TRUE(r.root) << text;
  if (!r.root) return {};
  const yaml::Node* v = r.root->Find(key);
  EXPECT_NE(nullptr, v);
  if (!v) return {};
  LineIndex lines(text);
  size_t b = lines.OffsetOf(v->pos), e = lines.OffsetOf(v->end);
  return text.substr(b, e - b);
}

TEST(LineIndex, EveryLineBreakLibyamlReadsEndsALine) {
  for (std::string_view sep : {"\n", "\r\n", "\r", "\xC2\x85", "\xE2\x80\xA8", "\xE2\x80\xA9"}) {
    std::string text = "a: 1" + std::string(sep) + "bb: two" + std::string(sep) + "c: é3";
    EXPECT_EQ("two", ValueAt(text, "bb")) << "separator of " << sep.size() << " bytes";
    EXPECT_EQ("é3", ValueAt(text, "c"));
    LineIndex lines(text);
    EXPECT_EQ(3u, lines.line_count());
    EXPECT_EQ("bb: two", lines.LineText(2));
    EXPECT_EQ((SourcePos{3, 4}), lines.PosOf(text.size() - 3));  // "é3" starts at column 4
  }
}

TEST(LineIndex, ALoneCarriageReturnAmongCrlfLinesIsABreakOfItsOwn) {
  std::string text = "a: 1\r\nb: 2\rc: 3\r\nd: 4\r\n";
  EXPECT_EQ("3", ValueAt(text, "c"));
  EXPECT_EQ("4", ValueAt(text, "d"));
  LineIndex lines(text);
  EXPECT_EQ("b: 2", lines.LineText(2));
  EXPECT_EQ("c: 3", lines.LineText(3));
}

}  // namespace
}  // namespace verity
