#include "run/plan.h"

#include <gtest/gtest.h>

#include <map>

#include "doc/parser.h"

namespace verity::run {
namespace {

kb::KnowledgeBase Kb(const std::vector<std::string>& endpoints) {
  kb::KnowledgeBase kb;
  kb.roots = {"kb"};
  int i = 0;
  for (const std::string& e : endpoints) {
    std::string text = "---\nendpoint: \"" + e + "\"\ndomain: d" + std::to_string(i % 3) +
                       "\nstatus: verified\n---\n\n# x\n";
    kb.documents.push_back(doc::ParseDocument(text, "kb/doc" + std::to_string(i++) + ".md"));
  }
  return kb;
}

std::vector<std::string> Endpoints(const Plan& plan) {
  std::vector<std::string> out;
  for (const PlannedDocument& d : plan.documents) out.push_back(d.document->frontmatter.endpoint);
  return out;
}

TEST(Plan, ShardsPartitionTheKnowledgeBaseExactlyOnce) {
  std::vector<std::string> endpoints;
  for (int i = 0; i < 200; ++i) endpoints.push_back("GET /r" + std::to_string(i) + "/{id}");
  kb::KnowledgeBase kb = Kb(endpoints);
  for (int n : {1, 2, 3, 7}) {
    std::map<std::string, int> seen;
    for (int k = 1; k <= n; ++k) {
      Selection s;
      ASSERT_TRUE(ParseShard(std::to_string(k) + "/" + std::to_string(n), &s).ok());
      auto plan = MakePlan(kb, s);
      ASSERT_TRUE(plan.ok());
      if (n > 1) {
        EXPECT_LT(plan->documents.size(), endpoints.size());
      }
      for (const std::string& e : Endpoints(*plan)) ++seen[e];
    }
    EXPECT_EQ(seen.size(), endpoints.size()) << n << " shards";
    for (const auto& [e, count] : seen) EXPECT_EQ(count, 1) << e;
  }
}

TEST(Plan, ShardTextMustBeKOfN) {
  Selection s;
  EXPECT_FALSE(ParseShard("0/3", &s).ok());
  EXPECT_FALSE(ParseShard("4/3", &s).ok());
  EXPECT_FALSE(ParseShard("2", &s).ok());
  EXPECT_FALSE(ParseShard("a/b", &s).ok());
  EXPECT_TRUE(ParseShard("3/3", &s).ok());
}

TEST(Plan, ProducersRunBeforeConsumersOfTheSameResource) {
  kb::KnowledgeBase kb =
      Kb({"DELETE /clients/{id}", "GET /clients/{client_id}", "PUT /clients/{id}", "GET /clients",
          "POST /clients", "GET /packages"});
  auto plan = MakePlan(kb, {});
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(Endpoints(*plan), (std::vector<std::string>{
                                  "POST /clients", "GET /clients", "GET /clients/{client_id}",
                                  "PUT /clients/{id}", "DELETE /clients/{id}", "GET /packages"}));
  // The read waits for the create and the list; the other resource waits for nothing.
  EXPECT_EQ(plan->waits_for[2], (std::vector<size_t>{0, 1}));
  EXPECT_TRUE(plan->waits_for[5].empty());
}

TEST(Plan, EndpointGlobsAndFiltersSelect) {
  kb::KnowledgeBase kb =
      Kb({"GET /business/payments/v1/a", "POST /business/payments/v1/b", "GET /platform/v1/c"});
  Selection s;
  s.targets = {"GET /business/payments/v1/*"};
  auto plan = MakePlan(kb, s);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(Endpoints(*plan), (std::vector<std::string>{"GET /business/payments/v1/a"}));
  Selection by_method;
  by_method.methods = {"post"};
  EXPECT_EQ(Endpoints(*MakePlan(kb, by_method)),
            (std::vector<std::string>{"POST /business/payments/v1/b"}));
}

TEST(Plan, ATargetThatMatchesNothingIsAnError) {
  kb::KnowledgeBase kb = Kb({"GET /a"});
  Selection s;
  s.targets = {"GET /nope/*"};
  auto plan = MakePlan(kb, s);
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.status().message().find("GET /nope/*"), std::string::npos);
}

}  // namespace
}  // namespace verity::run
