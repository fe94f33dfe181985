// Recipes built from the real vcita specs: every one the deriver builds parses and lints clean,
// and every operation it cannot build says which value it could not find.
#include <gtest/gtest.h>

#include <map>

#include "base/file_system.h"
#include "base/strings.h"
#include "derive/recipe.h"
#include "doc/parser.h"
#include "kb/knowledge_base.h"
#include "kb/lint.h"
#include "spec/catalog.h"
#include "support/paths.h"

namespace verity::derive {
namespace {

using verity::testing::SharedPath;

TEST(DeriveCorpus, EveryVcitaOperationGetsARecipeThatLintsCleanOrANamedMissingValue) {
  PosixFileSystem fs;
  spec::Catalog catalog(fs);
  ASSERT_TRUE(catalog.Add(SharedPath("corpus/vcita/swagger")));
  DeriveOptions options;
  options.params = {"business_id"};
  kb::KnowledgeBase kb;
  kb.roots = {"kb"};
  size_t derived = 0, with_producer = 0, no_producer = 0;
  std::map<std::string, std::string> refused;
  for (const spec::Operation& op : catalog.operations()) {
    Result<DerivedRecipe> recipe = DeriveRecipe(op, catalog, options);
    if (!recipe.ok()) {
      ++no_producer;
      EXPECT_TRUE(StartsWith(recipe.status().message(), "NO_PRODUCER: ")) << op.Key();
      refused[op.Key()] = recipe.status().message();
      continue;
    }
    ++derived;
    if (!recipe->producers.empty()) ++with_producer;
    doc::Document d = doc::ParseDocument(recipe->text, "kb/" + recipe->file);
    for (const doc::Diagnostic& diag : d.diagnostics)
      ADD_FAILURE() << op.Key() << ": " << diag.pos.line << ":" << diag.pos.col << ": "
                    << diag.message << "\n"
                    << recipe->text;
    EXPECT_EQ(op.Key(), d.frontmatter.endpoint) << recipe->text;
    kb.documents.push_back(std::move(d));
  }
  for (const doc::Diagnostic& diag : kb::Lint(kb))
    if (diag.is_error()) ADD_FAILURE() << diag.file << ":" << diag.pos.line << ": " << diag.message;
  size_t shown = 0;
  for (const auto& [key, why] : refused)
    if (shown++ < 15) std::cout << "  " << why << "\n";
  std::cout << "derived " << derived << " (" << with_producer << " with a producer), refused "
            << no_producer << " of " << catalog.operations().size() << "\n";
  EXPECT_GT(derived, catalog.operations().size() * 8 / 10);
}

}  // namespace
}  // namespace verity::derive
