// The renderer tells which outputs filters made of secret inputs: the run masks those as secrets
// too. The check is the caller's (here: "holds TOKEN"), so expr knows nothing of tokens.
#include <gtest/gtest.h>

#include "expr/render.h"

namespace verity::expr {
namespace {

using Strings = std::vector<std::string>;

bool HoldsToken(std::string_view text) { return text.find("TOKEN") != std::string_view::npos; }

class DerivedSecrets : public ::testing::Test {
 protected:
  DerivedSecrets() {
    scope.Set(Layer::kExtracted, "t", "xTOKENy");
    scope.Set(Layer::kExtracted, "answer", Json{{"id", "c1"}, {"error", "bad TOKEN"}});
    scope.Set(Layer::kExtracted, "list", Json::array({"aTOKEN", "b"}));
    scope.Set(Layer::kConfig, "plain", "hello");
  }
  Scope scope;
};

TEST_F(DerivedSecrets, FiltersOfASecretInputAreListedWhateverTheyMakeOfIt) {
  Renderer r(scope, "s", HoldsToken);
  EXPECT_EQ("XTOKENY|TOK|eFRPS0VOeQ==|xTOKENy",
            r.String("{{t | upper}}|{{t | slice: 1:4}}|{{t | base64}}|{{t | default: 0}}", "x"));
  EXPECT_EQ((Strings{"XTOKENY", "TOK", "eFRPS0VOeQ==", "xTOKENy"}), r.derived_secrets());
}

TEST_F(DerivedSecrets, APlaceholderWithoutFiltersOrWithoutASecretAddsNothing) {
  Renderer r(scope, "s", HoldsToken);
  r.String("{{t}} {{plain | upper}} {{answer.id | upper}} {{missing | default: x}}", "x");
  EXPECT_TRUE(r.derived_secrets().empty()) << r.derived_secrets()[0];
}

TEST_F(DerivedSecrets, WholeValuesArraysAndPathsAreCoveredEachOnce) {
  Renderer r(scope, "s", HoldsToken);
  Json body = r.Value(Json{{"a", "{{answer | json}}"},
                           {"b", "{{list | slice: 0:1}}"},
                           {"c", "{{t | slice: 0:3}}"},
                           {"d", "{{t | slice: 0:3}}"}},
                      "body");
  EXPECT_EQ(Json::array({"aTOKEN"}), body["b"]);
  r.Path("/x/{{t | lower}}/{{answer.error | slice: 4:9}}");
  EXPECT_EQ((Strings{R"({"id":"c1","error":"bad TOKEN"})", "aTOKEN", "xTO", "xtokeny", "TOKEN"}),
            r.derived_secrets());
}

TEST_F(DerivedSecrets, WithoutACheckNothingIsListed) {
  Renderer r(scope, "s");
  r.String("{{t | upper}}", "x");
  EXPECT_TRUE(r.derived_secrets().empty());
}

}  // namespace
}  // namespace verity::expr
