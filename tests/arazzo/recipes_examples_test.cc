// The official Arazzo examples that ship their OpenAPI descriptions convert to recipes without a
// problem, every recipe is a document the knowledge-base parser reads without an error, and
// `kb lint` finds no error in it but those of the keys it is being taught.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <set>

#include "arazzo/recipes.h"
#include "doc/parser.h"
#include "kb/lint.h"
#include "support/paths.h"

namespace verity::arazzo {
namespace {

std::vector<WorkflowRecipe> Convert(const std::string& name) {
  PosixFileSystem fs;
  std::string path = testing::SharedPath("conformance/arazzo/" + name);
  Result<std::string> text = fs.ReadFile(path);
  if (!text.ok()) {
    ADD_FAILURE() << path << ": " << text.status().message();
    return {};
  }
  LoadResult loaded = LoadDocument(path, *text);
  EXPECT_TRUE(loaded.document.has_value()) << path;
  if (!loaded.document) return {};
  return ConvertDocument(fs, *loaded.document).workflows;
}

using List = std::vector<std::string>;

// Converts the example, checks that every recipe parses without an error, and gives the
// conversion's warnings as "line:CODE" (it has no errors: each is a test failure).
List RecipeWarnings(const std::string& name, size_t workflows) {
  std::vector<WorkflowRecipe> recipes = Convert(name);
  EXPECT_EQ(workflows, recipes.size()) << name;
  List warnings;
  for (const WorkflowRecipe& r : recipes) {
    for (const Problem& p : r.problems) {
      EXPECT_FALSE(p.is_error()) << FormatProblem(p);
      warnings.push_back(fmt::format("{}:{}", p.pos.line, p.code));
    }
    if (r.text.empty()) continue;
    doc::Document d = doc::ParseDocument(r.text, r.file);
    for (const doc::Diagnostic& diagnostic : d.diagnostics)
      EXPECT_FALSE(diagnostic.is_error())
          << name << " " << doc::FormatDiagnostic(diagnostic) << "\n"
          << r.text;
    EXPECT_EQ(1u, d.sections.size()) << r.text;
    std::vector<doc::Diagnostic> lint;
    kb::LintDocument(d, "", {}, &lint);
    for (const doc::Diagnostic& diagnostic : lint)
      EXPECT_FALSE(diagnostic.is_error())
          << name << " " << doc::FormatDiagnostic(diagnostic) << "\n"
          << r.text;
  }
  return warnings;
}

TEST(ArazzoRecipeExamples, PetCouponsConvertsAndParses) {
  // The example passes `pet_id` to GET /pet/{petId}/coupons: it fills {petId}, with a warning.
  EXPECT_EQ(List{"40:ARAZZO_RECIPE_PARAMETER"}, RecipeWarnings("pet-coupons.arazzo.yaml", 3));
}

TEST(ArazzoRecipeExamples, OauthConvertsAndParses) {
  EXPECT_EQ(List{}, RecipeWarnings("oauth.arazzo.yaml", 3));
}

TEST(ArazzoRecipeExamples, FapiParConvertsAndParses) {
  EXPECT_EQ(List{}, RecipeWarnings("FAPI-PAR.arazzo.yaml", 1));
}

TEST(ArazzoRecipeExamples, BnplConvertsAndParsesFromTheCopyBesideIt) {
  EXPECT_EQ(List{}, RecipeWarnings("bnpl-arazzo.yaml", 1));
}

}  // namespace
}  // namespace verity::arazzo
