#include "kb/index.h"

#include <gtest/gtest.h>

#include "support/memory_file_system.h"
#include "support/paths.h"

namespace verity::kb {
namespace {

using testing::SourcePath;

TEST(Index, HasTheOriginalToolsFullShape) {
  PosixFileSystem fs;
  std::string root = SourcePath("examples/kb");
  Result<KnowledgeBase> kb = LoadKnowledgeBase(fs, {root});
  ASSERT_TRUE(kb.ok());
  Json index = BuildIndex(*kb, root);
  EXPECT_EQ("1.0", index["version"]);
  EXPECT_EQ("2026-11-20T07:35:00.000Z", index["lastUpdated"]);  // newest savedAt/verifiedAt
  const Json& seed = index["workflows"]["GET /business/payments/v1/client_packages/{uid}"];
  EXPECT_EQ("sales/get_business_payments_v1_client_packages_uid.md", seed["file"]);
  EXPECT_EQ("sales", seed["domain"]);
  EXPECT_EQ(Json::array({"client_packages", "packages"}), seed["tags"]);
  EXPECT_EQ("verified", seed["status"]);
  EXPECT_EQ("verified", seed["displayStatus"]);
  EXPECT_EQ(Json::array({200}), seed["expectedStatuses"]);
  EXPECT_EQ(true, seed["is2xxExpected"]);
  EXPECT_EQ(0, seed["timesReused"]);
  EXPECT_EQ("2026-01-26T22:11:55.113Z", seed["savedAt"]);
  EXPECT_EQ("2026-02-08T13:58:00.000Z", seed["verifiedAt"]);
  EXPECT_TRUE(seed["skipReason"].is_null());
  EXPECT_EQ(
      Json::array(
          {"GET /business/payments/v1/client_packages/{uid}", "GET /business/payments/v1/payments",
           "GET /business/payments/v1/payments/{payment_uid}", "GET /business/payments/v1/payouts",
           "GET /platform/v1/payment/packages", "GET /platform/v1/payment/packages/{package_id}",
           "POST /business/payments/v1/payments", "POST /business/payments/v1/refunds",
           "POST /platform/v1/payment/client_packages", "POST /platform/v1/payment/packages"}),
      index["byDomain"]["sales"]);
  EXPECT_EQ(Json::array({"GET /business/payments/v1/client_packages/{uid}",
                         "POST /platform/v1/payment/client_packages"}),
            index["byTag"]["client_packages"]);
}

TEST(Index, IsDeterministicAndSortedByKey) {
  PosixFileSystem fs;
  std::string root = SourcePath("examples/kb");
  Result<KnowledgeBase> a = LoadKnowledgeBase(fs, {root}, {{}, 1});
  Result<KnowledgeBase> b = LoadKnowledgeBase(fs, {root}, {{}, 4});
  ASSERT_TRUE(a.ok() && b.ok());
  std::string first = BuildIndex(*a, root).dump(2);
  EXPECT_EQ(first, BuildIndex(*b, root).dump(2));
  Json index = BuildIndex(*a, root);
  std::vector<std::string> keys;
  for (const auto& [k, v] : index["workflows"].items()) keys.push_back(k);
  EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));
}

TEST(Index, MapsStatusVariantsAndExpectedOutcomes) {
  testing::MemoryFileSystem fs;
  fs.Add("kb/s/a.md",
         "---\nendpoint: \"GET /a\"\ndomain: s\nstatus: skip\nskipReason: \"no data\"\n---\n");
  fs.Add("kb/s/b.md",
         "---\nendpoint: \"POST /b\"\ndomain: s\nstatus: success\nexpectedOutcome: 422\n---\n");
  fs.Add("kb/s/c.md", "---\nendpoint: \"GET /a\"\ndomain: s\nstatus: failed\n---\n");  // duplicate
  Result<KnowledgeBase> kb = LoadKnowledgeBase(fs, {"kb"});
  ASSERT_TRUE(kb.ok());
  Json index = BuildIndex(*kb, "kb");
  EXPECT_EQ(2u, index["workflows"].size());
  EXPECT_EQ("s/a.md", index["workflows"]["GET /a"]["file"]);  // the first file in path order wins
  EXPECT_EQ("skip", index["workflows"]["GET /a"]["status"]);
  EXPECT_EQ("skipped", index["workflows"]["GET /a"]["displayStatus"]);
  EXPECT_EQ("no data", index["workflows"]["GET /a"]["skipReason"]);
  EXPECT_EQ("verified", index["workflows"]["POST /b"]["displayStatus"]);
  EXPECT_EQ(Json::array({422}), index["workflows"]["POST /b"]["expectedStatuses"]);
  EXPECT_EQ(false, index["workflows"]["POST /b"]["is2xxExpected"]);
  EXPECT_TRUE(index["lastUpdated"].is_null());
}

}  // namespace
}  // namespace verity::kb
