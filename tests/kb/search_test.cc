#include "kb/search.h"

#include <gtest/gtest.h>

#include "support/memory_file_system.h"
#include "support/paths.h"

namespace verity::kb {
namespace {

using testing::ReadFileOrDie;
using testing::SharedPath;
using testing::SourcePath;

KnowledgeBase Load(const std::string& path) {
  PosixFileSystem fs;
  Result<KnowledgeBase> kb = LoadKnowledgeBase(fs, {path});
  EXPECT_TRUE(kb.ok()) << kb.status().ToString();
  return std::move(kb).value();
}

TEST(Search, PutsTheSeedFirstForClientPackageFallbackInTheCorpus) {
  KnowledgeBase kb = Load(SharedPath("corpus/vcita/workflows"));
  SearchIndex index(kb);
  std::vector<SearchHit> hits = index.Search("client package fallback", 5);
  ASSERT_FALSE(hits.empty());
  const doc::Document& first = kb.documents[hits[0].document];
  EXPECT_EQ("GET /business/payments/v1/client_packages/{uid}", first.frontmatter.endpoint);
  EXPECT_EQ(ReadFileOrDie(SharedPath("seed/000_11cb7a21dc1c2995.txt")), ReadFileOrDie(first.file));
  EXPECT_EQ((std::vector<std::string>{"client", "fallback", "package"}), hits[0].matched);
}

TEST(Search, PutsTheSeedFirstInTheExampleKnowledgeBase) {
  KnowledgeBase kb = Load(SourcePath("examples/kb"));
  SearchIndex index(kb);
  std::vector<SearchHit> hits = index.Search("client package fallback", 10);
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(ReadFileOrDie(SharedPath("seed/000_11cb7a21dc1c2995.txt")),
            ReadFileOrDie(kb.documents[hits[0].document].file));
}

TEST(Search, RanksBestFirstAndHonoursTheLimit) {
  KnowledgeBase kb = Load(SharedPath("corpus/vcita/workflows"));
  SearchIndex index(kb);
  std::vector<SearchHit> hits = index.Search("create booking", 3);
  ASSERT_EQ(3u, hits.size());
  EXPECT_GE(hits[0].score, hits[1].score);
  EXPECT_GE(hits[1].score, hits[2].score);
  EXPECT_EQ("POST /business/scheduling/v1/bookings",
            kb.documents[hits[0].document].frontmatter.endpoint);
}

TEST(Search, AppliesFiltersAfterRanking) {
  KnowledgeBase kb = Load(SharedPath("corpus/vcita/workflows"));
  SearchIndex index(kb);
  DocumentFilter only_clients;
  only_clients.domains = {"clients"};
  std::vector<SearchHit> hits = index.Search("client package", 50, only_clients);
  ASSERT_FALSE(hits.empty());
  for (const SearchHit& h : hits) EXPECT_EQ("clients", kb.documents[h.document].frontmatter.domain);
}

TEST(Search, FindsNothingForUnknownWordsOrAnEmptyQuery) {
  KnowledgeBase kb = Load(SourcePath("examples/kb"));
  SearchIndex index(kb);
  EXPECT_TRUE(index.Search("zyzzyva", 10).empty());
  EXPECT_TRUE(index.Search("", 10).empty());
  EXPECT_TRUE(index.Search("the and of", 10).empty());
}

TEST(Search, FindsDocumentsByTheirFrontmatterFacts) {
  KnowledgeBase kb = Load(SourcePath("examples/kb"));
  SearchIndex index(kb);
  std::vector<SearchHit> hits = index.Search("skipped", 10);
  ASSERT_EQ(1u, hits.size());
  EXPECT_EQ("GET /business/payments/v1/payouts",
            kb.documents[hits[0].document].frontmatter.endpoint);
}

TEST(Search, IsDeterministicForEqualScores) {
  testing::MemoryFileSystem fs;
  std::string body = "---\nendpoint: \"GET /x\"\ndomain: d\nstatus: pending\n---\n# Same words\n";
  fs.Add("kb/d/b.md", body);
  fs.Add("kb/d/a.md", body);
  Result<KnowledgeBase> kb = LoadKnowledgeBase(fs, {"kb"});
  ASSERT_TRUE(kb.ok());
  SearchIndex index(*kb);
  std::vector<SearchHit> hits = index.Search("same words", 10);
  ASSERT_EQ(2u, hits.size());
  EXPECT_EQ("kb/d/a.md", kb->documents[hits[0].document].file);
  EXPECT_EQ("kb/d/b.md", kb->documents[hits[1].document].file);
}

TEST(Tokenize, SplitsIdentifiersDropsStopWordsAndPlurals) {
  EXPECT_EQ((std::vector<std::string>{"get", "client", "package", "uid"}),
            Tokenize("GET the client_packages/{uid}"));
  EXPECT_EQ((std::vector<std::string>{"statu", "address"}), Tokenize("status address"));
}

}  // namespace
}  // namespace verity::kb
