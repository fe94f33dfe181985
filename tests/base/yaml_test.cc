#include "base/yaml.h"

#include <gtest/gtest.h>

#include "base/yaml_json.h"

namespace verity::yaml {
namespace {

TEST(YamlLoad, KeepsPositionsOfEveryNode) {
  LoadResult r = Load("a: 1\nb:\n  - x\n  - \"y\"\n");
  ASSERT_TRUE(r.root);
  ASSERT_TRUE(r.errors.empty());
  const Node* b = r.root->Find("b");
  ASSERT_TRUE(b && b->is_sequence());
  EXPECT_EQ((SourcePos{3, 5}), b->items[0].pos);
  EXPECT_EQ((SourcePos{4, 5}), b->items[1].pos);
  EXPECT_EQ(ScalarStyle::kDoubleQuoted, b->items[1].style);
}

TEST(YamlLoad, CoreSchemaKeepsQuotedValuesAndDatesAsStrings) {
  LoadResult r =
      Load("q: \"2026-01-05\"\nd: 2026-01-05\nu: 4m52ud\nn: 1\nf: 1.5\nt: true\nz: ~\ns: '1'\n");
  ASSERT_TRUE(r.root);
  Json j = ToJson(*r.root);
  EXPECT_EQ(Json("2026-01-05"), j["q"]);
  EXPECT_EQ(Json("2026-01-05"), j["d"]);
  EXPECT_EQ(Json("4m52ud"), j["u"]);
  EXPECT_EQ(Json(1), j["n"]);
  EXPECT_EQ(Json(1.5), j["f"]);
  EXPECT_EQ(Json(true), j["t"]);
  EXPECT_TRUE(j["z"].is_null());
  EXPECT_EQ(Json("1"), j["s"]);
}

TEST(YamlLoad, ReportsDuplicateKeysAndKeepsTheFirst) {
  LoadResult r = Load("method: GET\nmethod: POST\n");
  ASSERT_TRUE(r.root);
  ASSERT_EQ(1u, r.errors.size());
  EXPECT_EQ("YAML_DUPLICATE_KEY", r.errors[0].code);
  EXPECT_EQ("duplicate key \"method\" (first defined at line 1)", r.errors[0].message);
  EXPECT_EQ((SourcePos{2, 1}), r.errors[0].pos);
  EXPECT_EQ("GET", r.root->Find("method")->value);
}

TEST(YamlLoad, NamesTabIndentationInsteadOfLibyamlsGenericMessage) {
  LoadResult r = Load("steps:\n\t- id: x\n");
  ASSERT_EQ(1u, r.errors.size());
  EXPECT_EQ("YAML_TAB", r.errors[0].code);
  EXPECT_EQ((SourcePos{2, 1}), r.errors[0].pos);
}

TEST(YamlLoad, StopsAliasBombsWithinTheBudget) {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n";
  std::string prev = "a";
  for (char c = 'b'; c <= 'j'; ++c) {
    std::string name(1, c);
    bomb += name + ": &" + name + " [";
    for (int i = 0; i < 9; ++i) bomb += (i ? ", *" : "*") + prev;
    bomb += "]\n";
    prev = name;
  }
  LoadResult r = Load(bomb);
  EXPECT_FALSE(r.root);
  ASSERT_EQ(1u, r.errors.size());
  EXPECT_EQ("YAML_ALIAS_LIMIT", r.errors[0].code);
}

TEST(YamlLoad, ExpandsOrdinaryAliases) {
  LoadResult r = Load("base: &b {x: 1}\ncopy: *b\n");
  ASSERT_TRUE(r.root);
  EXPECT_EQ(Json(1), ToJson(*r.root)["copy"]["x"]);
}

TEST(YamlLoad, RefusesDeepNestingWithoutRecursion) {
  std::string deep = "v: " + std::string(10000, '[') + std::string(10000, ']') + "\n";
  LoadResult r = Load(deep);
  EXPECT_FALSE(r.root);
  ASSERT_EQ(1u, r.errors.size());
  EXPECT_EQ("YAML_TOO_DEEP", r.errors[0].code);
}

TEST(YamlLoad, SyntaxErrorsCarryLibyamlsPositionAndContext) {
  LoadResult r = Load("a: [1, 2\nb: 3\n");
  ASSERT_EQ(1u, r.errors.size());
  EXPECT_EQ("YAML_SYNTAX", r.errors[0].code);
  EXPECT_EQ("while parsing a flow sequence did not find expected ',' or ']'", r.errors[0].message);
}

}  // namespace
}  // namespace verity::yaml
