// The YAML reader's bounds on what hostile input may make it hold: nodes in the tree, and nodes and
// bytes copied for anchors and aliases.
#include <gtest/gtest.h>

#include <string>

#include "base/yaml.h"

namespace verity::yaml {
namespace {

std::string Repeat(std::string_view piece, size_t times) {
  std::string out;
  for (size_t i = 0; i < times; ++i) out += piece;
  return out;
}

TEST(YamlLimits, CountsTheNodesItReadAliasesExpanded) {
  EXPECT_EQ(5u, Load("a: [1, 2]\n").nodes);
  // mapping, a, [1] (two nodes), b, and the two nodes the alias copies
  EXPECT_EQ(7u, Load("a: &x [1]\nb: *x\n").nodes);
}

TEST(YamlLimits, ATreePastTheNodeBoundIsRefusedWhereItCrossesIt) {
  Limits limits;
  limits.max_nodes = 100;
  LoadResult r = Load("v: [" + Repeat("1,", 200) + "]\n", limits);
  EXPECT_FALSE(r.root);
  ASSERT_EQ(1u, r.errors.size());
  EXPECT_EQ("YAML_NODE_LIMIT", r.errors[0].code);
  EXPECT_EQ("more than 100 nodes", r.errors[0].message);
  // mapping, v and the sequence are three nodes; the 98th item is the 101st node, at column
  // 5 + 97 * 2.
  EXPECT_EQ((SourcePos{1, 199}), r.errors[0].pos);
}

TEST(YamlLimits, OneLongScalarAliasedManyTimesStopsAtTheByteBudget) {
  // 100 KiB anchored, then aliased: the anchor's copy and ten aliases are 1.1 MB, past the 1 MiB
  // default; a node count alone (12) would never see it.
  std::string text =
      "a: &a \"" + std::string(102400, 'x') + "\"\nb: [" + Repeat("*a, ", 20) + "]\n";
  LoadResult r = Load(text);
  EXPECT_FALSE(r.root);
  ASSERT_EQ(1u, r.errors.size());
  EXPECT_EQ("YAML_ALIAS_LIMIT", r.errors[0].code);
  EXPECT_EQ("aliases expand to more than 1048576 bytes of text (alias bomb?)", r.errors[0].message);
  EXPECT_EQ((SourcePos{2, 41}), r.errors[0].pos);  // the tenth alias
}

TEST(YamlLimits, NestedAnchorsPayForTheCopiesTheyKeep) {
  // Each anchor keeps a copy of everything inside it: six levels copy the 200 KB scalar six times,
  // without a single alias.
  std::string text =
      "v: &a0 [&a1 [&a2 [&a3 [&a4 [&a5 [\"" + std::string(200000, 'x') + "\"]]]]]]\n";
  LoadResult r = Load(text);
  EXPECT_FALSE(r.root);
  ASSERT_EQ(1u, r.errors.size());
  EXPECT_EQ("YAML_ALIAS_LIMIT", r.errors[0].code);
}

TEST(YamlLimits, OrdinaryAnchorsAndAliasesStayWellInsideTheBudgets) {
  std::string text = "base: &b {x: 1, y: [a, b, c], z: \"" + std::string(1000, 'z') + "\"}\n";
  for (int i = 0; i < 100; ++i) text += "c" + std::to_string(i) + ": *b\n";
  LoadResult r = Load(text);
  ASSERT_TRUE(r.root);
  EXPECT_TRUE(r.errors.empty());
  EXPECT_EQ(101u, r.root->entries.size());
}

}  // namespace
}  // namespace verity::yaml
