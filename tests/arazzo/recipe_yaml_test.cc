// The YAML a workflow recipe is written in reads back as exactly the JSON it was written from,
// whatever the strings hold.
#include "arazzo/recipe_yaml.h"

#include <gtest/gtest.h>

#include "base/yaml.h"
#include "base/yaml_json.h"

namespace verity::arazzo {
namespace {

Json ReadBack(const std::string& text) {
  yaml::LoadResult r = yaml::Load(text);
  EXPECT_TRUE(r.errors.empty()) << text;
  return r.root ? yaml::ToJson(*r.root) : Json();
}

TEST(RecipeYaml, StringsThatLookLikeOtherValuesOrSyntaxReadBackAsTheSameStrings) {
  Json strings = Json::array();
  for (const char* s : {"true",
                        "False",
                        "null",
                        "~",
                        "y",
                        "No",
                        "on",
                        "1",
                        "1.5",
                        "-3",
                        ".inf",
                        "0x1F",
                        "",
                        " lead",
                        "a: b",
                        "# c",
                        "x #y",
                        "- item",
                        "@at",
                        "`tick",
                        "{{inputs.x}}",
                        "[1]",
                        "{a: 1}",
                        "line\nbreak",
                        "tab\there",
                        "quote\"s",
                        "back\\slash",
                        "\x7f",
                        "\xc2\x85",
                        "\xc2\x9f",
                        "caf\xc3\xa9",
                        "*alias",
                        "&anchor",
                        "!tag",
                        "%percent",
                        "|",
                        ">",
                        "?",
                        "GET",
                        "/pets/{id}"})
    strings.push_back(s);
  Json value = {{"list", strings}, {"map", Json::object()}};
  for (const Json& s : strings) value["map"][s.get<std::string>() + "k"] = s;
  EXPECT_EQ(value, ReadBack(YamlBlock(value, 0)));
}

TEST(RecipeYaml, NestedListsAndMappingsKeepTheirShape) {
  Json value = Json::parse(R"({"steps": [{"id": "a", "expect": {"status": [200, 201]},
      "with": {}, "items": [[1, [2]], [], {"k": [{"x": null}]}], "n": 1.5, "b": false}]})");
  std::string text = YamlBlock(value, 0);
  EXPECT_EQ(value, ReadBack(text)) << text;
  EXPECT_NE(std::string::npos, text.find("status: [200, 201]\n")) << text;
}

}  // namespace
}  // namespace verity::arazzo
