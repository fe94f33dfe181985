// The dashboard's operations list with several recipes of one operation: one row per recipe, the
// primary first, each variant named and with its own state, and the operation's state (its
// primary's) on every row, so a failing negative case is never folded into a green row.
#include <gtest/gtest.h>

#include "serve/serve_fixture.h"

namespace verity::serve::testing {
namespace {

TEST_F(ServeTest, AnOperationWithVariantsIsOneRowPerRecipeWithThePrimaryFirst) {
  std::string variant = run::testing::SeedDocument();
  variant.insert(variant.find('\n') + 1, "variant: unknown-uid\n");
  size_t status = variant.find("status: pending");
  ASSERT_NE(std::string::npos, status);
  variant.replace(status, 15, "status: failed");
  // Sorts before the primary by file name; the rows must not follow the files' order.
  fs_.Add("kb/sales/a-unknown-uid.md", variant);
  Start("", /*with_spec=*/true);

  Json all = GetJson("/api/operations");
  std::vector<Json> rows;
  for (const Json& op : all["operations"])
    if (op["key"] == kSeedEndpoint) rows.push_back(op);
  ASSERT_EQ(2u, rows.size()) << all.dump(2);
  EXPECT_EQ(kSeedFile, rows[0]["document"]);
  EXPECT_TRUE(rows[0]["variant"].is_null());
  EXPECT_EQ("pending", rows[0]["kbStatus"]);
  EXPECT_EQ("kb/sales/a-unknown-uid.md", rows[1]["document"]);
  EXPECT_EQ("unknown-uid", rows[1]["variant"]);
  EXPECT_EQ("failed", rows[1]["kbStatus"]);
  // The operation's state is the primary's, on both rows.
  EXPECT_EQ("pending", rows[0]["operationState"]);
  EXPECT_EQ("pending", rows[1]["operationState"]);

  EXPECT_EQ(1, GetJson("/api/operations?q=unknown-uid")["matched"]);
  Json document = GetJson("/api/documents?file=kb/sales/a-unknown-uid.md");
  EXPECT_EQ("unknown-uid", document["variant"]);
}

}  // namespace
}  // namespace verity::serve::testing
