// Several recipes per endpoint: a primary recipe and its variants (frontmatter `variant:`), as a
// key-value API's knowledge base has them: the ordinary put, and negative cases beside it.
#include <gtest/gtest.h>

#include "doc/diagnostic.h"
#include "doc/naming.h"
#include "doc/parser.h"
#include "kb/lint.h"
#include "kb/spec_links.h"
#include "kb/uses.h"
#include "spec/catalog.h"
#include "support/memory_file_system.h"

namespace verity::kb {
namespace {

using testing::MemoryFileSystem;

std::string Recipe(const std::string& endpoint, const std::string& variant,
                   const std::string& domain = "kv", const std::string& status = "verified",
                   const std::string& steps = "") {
  std::string out = "---\nendpoint: \"" + endpoint + "\"\n";
  if (!variant.empty()) out += "variant: " + variant + "\n";
  out += "domain: " + domain + "\nstatus: " + status + "\n---\n\n# Put\n\n## Test Request\n\n";
  out += "```yaml\nsteps:\n";
  out += steps.empty() ? "  - id: put\n    method: POST\n    path: /v3/kv/put\n" : steps;
  out += "```\n";
  return out;
}

const char kUsePut[] = "  - id: seed\n    use: \"POST /v3/kv/put\"\n";

KnowledgeBase Load(MemoryFileSystem& fs, const std::map<std::string, std::string>& files) {
  for (const auto& [path, text] : files) fs.Add(path, text);
  Result<KnowledgeBase> kb = LoadKnowledgeBase(fs, {"kb"});
  EXPECT_TRUE(kb.ok());
  return std::move(*kb);
}

std::vector<std::string> LintLines(const std::map<std::string, std::string>& files) {
  MemoryFileSystem fs;
  KnowledgeBase kb = Load(fs, files);
  std::vector<std::string> lines;
  for (const doc::Diagnostic& d : Lint(kb)) lines.push_back(doc::FormatDiagnostic(d));
  return lines;
}

TEST(VariantNaming, TheVariantGoesAfterTwoUnderscoresBeforeTheExtension) {
  EXPECT_EQ("post_v3_kv_put.md", doc::ConventionalFileName("POST /v3/kv/put"));
  EXPECT_EQ("post_v3_kv_put__missing-key.md",
            doc::ConventionalFileName("POST /v3/kv/put", "missing-key"));
  EXPECT_EQ("get_a_b__x_1.md", doc::ConventionalFileName("GET /a/{b}", "x_1"));
  EXPECT_EQ("POST /v3/kv/put [missing-key]", doc::RecipeLabel("POST /v3/kv/put", "missing-key"));
  EXPECT_EQ("POST /v3/kv/put", doc::RecipeLabel("POST /v3/kv/put", ""));
}

TEST(VariantField, IsReadFromTheFrontmatter) {
  doc::Document d = doc::ParseDocument(Recipe("POST /v3/kv/put", "missing-key"), "x.md");
  EXPECT_EQ("missing-key", d.frontmatter.variant);
  EXPECT_TRUE(d.diagnostics.empty());
}

TEST(VariantField, ABadNameIsAnErrorAtTheValueWithAStableCode) {
  doc::Document d = doc::ParseDocument(Recipe("POST /v3/kv/put", "Missing Key"), "x.md");
  EXPECT_EQ("", d.frontmatter.variant);
  ASSERT_EQ(1u, d.diagnostics.size());
  const doc::Diagnostic& bad = d.diagnostics[0];
  EXPECT_EQ("VARIANT_INVALID", bad.code);
  EXPECT_TRUE(bad.is_error());
  EXPECT_EQ(3u, bad.pos.line);
  EXPECT_EQ(10u, bad.pos.col);
  EXPECT_EQ(
      "variant \"Missing Key\" must be lower-case letters, digits, '-' and '_' (it becomes part "
      "of the file name: METHOD_path__NAME.md)",
      bad.message);
}

TEST(VariantLint, AVariantNamedByTheConventionIsNeitherMisnamedNorADuplicate) {
  EXPECT_EQ(
      (std::vector<std::string>{}),
      LintLines({{"kb/kv/post_v3_kv_put.md", Recipe("POST /v3/kv/put", "")},
                 {"kb/kv/post_v3_kv_put__missing-key.md", Recipe("POST /v3/kv/put", "missing-key")},
                 {"kb/kv/post_v3_kv_put__bad-lease.md", Recipe("POST /v3/kv/put", "bad-lease")}}));
}

TEST(VariantLint, AMisnamedVariantIsToldItsConventionalName) {
  EXPECT_EQ((std::vector<std::string>{
                "kb/kv/put_without_key.md: warning: file name does not follow the convention; "
                "expected \"post_v3_kv_put__missing-key.md\" (the endpoint's file name, then __ "
                "and the variant) [FILENAME_CONVENTION]"}),
            LintLines({{"kb/kv/post_v3_kv_put.md", Recipe("POST /v3/kv/put", "")},
                       {"kb/kv/put_without_key.md", Recipe("POST /v3/kv/put", "missing-key")}}));
}

TEST(VariantLint, TwoRecipesWithTheSameVariantOrTwoPrimariesAreStillDuplicates) {
  std::vector<std::string> lines = LintLines(
      {{"kb/kv/post_v3_kv_put.md", Recipe("POST /v3/kv/put", "")},
       {"kb/kv2/post_v3_kv_put.md", Recipe("POST /v3/kv/put", "", "kv2")},
       {"kb/kv/post_v3_kv_put__missing-key.md", Recipe("POST /v3/kv/put", "missing-key")},
       {"kb/kv2/post_v3_kv_put__missing-key.md", Recipe("POST /v3/kv/put", "missing-key", "kv2")}});
  EXPECT_EQ((std::vector<std::string>{
                "kb/kv2/post_v3_kv_put.md:2:11: warning: endpoint \"POST /v3/kv/put\" is also "
                "documented in kb/kv/post_v3_kv_put.md [DUPLICATE_ENDPOINT]",
                "kb/kv2/post_v3_kv_put__missing-key.md:2:11: warning: endpoint \"POST /v3/kv/put\" "
                "with variant \"missing-key\" is also documented in "
                "kb/kv/post_v3_kv_put__missing-key.md [DUPLICATE_ENDPOINT]"}),
            lines);
}

// The variant's folder sorts before the primary's, so "the first file in path order" would be
// the negative case: use: must still find the primary.
TEST(VariantUse, UseResolvesToThePrimaryEvenWhenAVariantComesFirstInPathOrder) {
  MemoryFileSystem fs;
  KnowledgeBase kb = Load(fs, {{"kb/kv-negative/post_v3_kv_put__missing-key.md",
                                Recipe("POST /v3/kv/put", "missing-key", "kv-negative")},
                               {"kb/kv/post_v3_kv_put.md", Recipe("POST /v3/kv/put", "")}});
  ASSERT_EQ("kb/kv-negative/post_v3_kv_put__missing-key.md", kb.documents[0].file);
  const doc::Document* used = ResolveUse(kb, "POST /v3/kv/put");
  ASSERT_NE(nullptr, used);
  EXPECT_EQ("kb/kv/post_v3_kv_put.md", used->file);
}

TEST(VariantUse, AnEndpointWithOnlyVariantsIsNotFoundAndLintNamesTheVariants) {
  std::vector<std::string> lines =
      LintLines({{"kb/kv/post_v3_kv_put__missing-key.md", Recipe("POST /v3/kv/put", "missing-key")},
                 {"kb/kv/post_v3_kv_range.md",
                  Recipe("POST /v3/kv/range", "", "kv", "verified",
                         std::string(kUsePut) +
                             "  - id: range\n    method: POST\n    path: /v3/kv/range\n")}});
  MemoryFileSystem fs;
  EXPECT_EQ(nullptr, ResolveUse(Load(fs, {{"kb/kv/post_v3_kv_put__missing-key.md",
                                           Recipe("POST /v3/kv/put", "missing-key")}}),
                                "POST /v3/kv/put"));
  EXPECT_EQ((std::vector<std::string>{
                "kb/kv/post_v3_kv_range.md:14:10: error: step \"seed\" uses \"POST /v3/kv/put\", "
                "which has only variant recipes (kb/kv/post_v3_kv_put__missing-key.md "
                "[missing-key]); use: runs the recipe without a variant: write one "
                "[USE_NOT_FOUND]"}),
            lines);
}

TEST(VariantUse, TwoPrimariesAreAmbiguousAndTheRunTakesTheFirstInPathOrder) {
  std::map<std::string, std::string> files = {
      {"kb/kv/post_v3_kv_put.md", Recipe("POST /v3/kv/put", "")},
      {"kb/kv/z_put_again.md", Recipe("POST /v3/kv/put", "")},
      {"kb/kv/post_v3_kv_range.md",
       Recipe("POST /v3/kv/range", "", "kv", "verified",
              std::string(kUsePut) + "  - id: range\n    method: POST\n    path: /v3/kv/range\n")}};
  std::vector<std::string> lines = LintLines(files);
  EXPECT_NE(std::find(lines.begin(), lines.end(),
                      "kb/kv/post_v3_kv_range.md:14:10: warning: step \"seed\" uses \"POST "
                      "/v3/kv/put\", and 2 recipes without a variant document it: "
                      "kb/kv/post_v3_kv_put.md, kb/kv/z_put_again.md; the run uses the first in "
                      "path order, kb/kv/post_v3_kv_put.md; give the others a variant: field "
                      "[USE_AMBIGUOUS]"),
            lines.end())
      << ::testing::PrintToString(lines);
  MemoryFileSystem fs;
  KnowledgeBase kb = Load(fs, files);
  EXPECT_EQ("kb/kv/post_v3_kv_put.md", ResolveUse(kb, "POST /v3/kv/put")->file);
}

const char kKvSpec[] = R"({
  "openapi": "3.0.3",
  "info": {"title": "kv", "version": "3"},
  "paths": {
    "/v3/kv/put": {"post": {"responses": {"200": {"description": "stored"}}}},
    "/v3/kv/range": {"post": {"responses": {"200": {"description": "found"}}}},
    "/v3/kv/deleterange": {"post": {"responses": {"200": {"description": "deleted"}}}}
  }
})";

struct KvCoverage {
  MemoryFileSystem fs;
  spec::Catalog catalog{fs};
  KnowledgeBase kb;
  Coverage coverage;

  explicit KvCoverage(const std::map<std::string, std::string>& files) {
    catalog.AddText("specs/kv.json", kKvSpec, "kv");
    kb = Load(fs, files);
    coverage = ComputeCoverage(catalog, kb);
  }
  const CoveredOperation& Of(const std::string& path) const {
    for (const CoveredOperation& op : coverage.operations)
      if (op.operation->path == path) return op;
    throw std::out_of_range(path);
  }
};

TEST(VariantCoverage, AnOperationIsVerifiedOnlyByItsPrimaryAndAFailedVariantStaysVisible) {
  KvCoverage c({{"kb/kv/post_v3_kv_put.md", Recipe("POST /v3/kv/put", "", "kv", "failed")},
                {"kb/kv/post_v3_kv_put__missing-key.md",
                 Recipe("POST /v3/kv/put", "missing-key", "kv", "verified")},
                {"kb/kv/post_v3_kv_range.md", Recipe("POST /v3/kv/range", "", "kv", "verified")},
                {"kb/kv/post_v3_kv_range__no-such-key.md",
                 Recipe("POST /v3/kv/range", "no-such-key", "kv", "failed")},
                {"kb/kv/post_v3_kv_deleterange__missing-key.md",
                 Recipe("POST /v3/kv/deleterange", "missing-key", "kv", "verified")}});
  // A verified negative case does not make a failing put green.
  EXPECT_EQ("failed", c.Of("/v3/kv/put").state);
  EXPECT_TRUE(c.Of("/v3/kv/put").failing_variants.empty());
  // A verified range keeps its state, and its failed variant is listed beside it.
  EXPECT_EQ("verified", c.Of("/v3/kv/range").state);
  ASSERT_EQ(1u, c.Of("/v3/kv/range").failing_variants.size());
  EXPECT_EQ("kb/kv/post_v3_kv_range__no-such-key.md",
            c.Of("/v3/kv/range").failing_variants[0]->file);
  // Only a variant: covered, but not verified.
  EXPECT_EQ("pending", c.Of("/v3/kv/deleterange").state);
  EXPECT_EQ(1u, c.coverage.total.by_state.at("verified"));

  Json json = CoverageToJson(c.coverage);
  Json range;
  for (const Json& op : json["operations"])
    if (op["path"] == "/v3/kv/range") range = op;
  EXPECT_EQ(Json::parse(R"(["kb/kv/post_v3_kv_range.md"])"), range["primaries"]);
  EXPECT_EQ(Json::parse(R"([{"variant": "no-such-key", "document":
                              "kb/kv/post_v3_kv_range__no-such-key.md", "state": "failed"}])"),
            range["variants"]);
  EXPECT_EQ(1, range["failingVariants"]);
}

}  // namespace
}  // namespace verity::kb
