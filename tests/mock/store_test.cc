// The store alone: ids of each kind, seeds, the CRUD round trip, parents, lenient collections,
// determinism by seed and concurrent writers.
#include "mock/store.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>

namespace verity::mock {
namespace {

CollectionSpec Clients(IdKind kind = IdKind::kString, bool strict = true) {
  CollectionSpec spec;
  spec.key = "/clients";
  spec.resource = Json{{"id", "seed"}, {"first_name", "Jane"}, {"address", {{"city", "Paris"}}}};
  spec.id_field = "id";
  spec.id_kind = kind;
  spec.id_length = 16;
  spec.strict = strict;
  spec.seed_items = 2;
  return spec;
}

TEST(MockStore, CreateGetListReplaceMergeDeleteThenNotFound) {
  Store store(7);
  size_t c = store.AddCollection(Clients());
  StoredItem made = store.Create(c, "", Json{{"first_name", "Ada"}, {"id", "mine"}});
  EXPECT_EQ(16u, made.id.size());
  EXPECT_EQ(made.id, made.value["id"]) << "the server assigns ids";
  EXPECT_EQ("Ada", made.value["first_name"]);
  EXPECT_EQ("Paris", made.value["address"]["city"]) << "generated fields stay";

  Result<StoredItem> got = store.Get(c, "", made.id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(made.value, got->value);

  std::vector<StoredItem> all = store.List(c, "");
  ASSERT_EQ(3u, all.size()) << "two seeds, then the created one";
  EXPECT_EQ(made.id, all.back().id);

  Result<StoredItem> merged =
      store.Merge(c, "", made.id, Json{{"address", {{"zip", "75001"}}}, {"id", "other"}});
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ("Ada", merged->value["first_name"]);
  EXPECT_EQ("Paris", merged->value["address"]["city"]);
  EXPECT_EQ("75001", merged->value["address"]["zip"]);
  EXPECT_EQ(made.id, merged->value["id"]);

  Result<StoredItem> replaced = store.Replace(c, "", made.id, Json{{"last_name", "Lovelace"}});
  ASSERT_TRUE(replaced.ok());
  EXPECT_EQ("Jane", replaced->value["first_name"]) << "PUT starts again from the generated one";
  EXPECT_EQ("Lovelace", replaced->value["last_name"]);
  EXPECT_FALSE(replaced->value["address"].contains("zip"));

  ASSERT_TRUE(store.Delete(c, "", made.id).ok());
  EXPECT_EQ(StatusCode::kNotFound, store.Get(c, "", made.id).status().code());
  EXPECT_EQ(StatusCode::kNotFound, store.Delete(c, "", made.id).status().code());
  EXPECT_EQ(StatusCode::kNotFound, store.Merge(c, "", "nope", Json::object()).status().code());
  EXPECT_EQ(2u, store.List(c, "").size());
}

TEST(MockStore, IntegerIdsCountUpAfterTheSeeds) {
  Store store;
  size_t c = store.AddCollection(Clients(IdKind::kInteger));
  std::vector<StoredItem> seeds = store.List(c, "");
  ASSERT_EQ(2u, seeds.size());
  EXPECT_EQ("1", seeds[0].id);
  EXPECT_EQ(1, seeds[0].value["id"]);
  StoredItem made = store.Create(c, "", Json::object());
  EXPECT_EQ("3", made.id);
  EXPECT_EQ(3, made.value["id"]);
}

TEST(MockStore, UuidsAreWellFormedAndFollowTheSeed) {
  auto ids = [](uint64_t seed) {
    Store store(seed);
    size_t c = store.AddCollection(Clients(IdKind::kUuid));
    std::vector<std::string> out;
    for (int i = 0; i < 3; ++i) out.push_back(store.Create(c, "", Json::object()).id);
    return out;
  };
  std::vector<std::string> a = ids(1);
  EXPECT_EQ(a, ids(1));
  EXPECT_NE(a, ids(2));
  for (const std::string& id : a) {
    ASSERT_EQ(36u, id.size()) << id;
    EXPECT_EQ('4', id[14]) << id;
    EXPECT_NE(std::string::npos, std::string("89ab").find(id[19])) << id;
  }
  EXPECT_EQ(3u, std::set<std::string>(a.begin(), a.end()).size());
}

TEST(MockStore, ParentsKeepTheirOwnResources) {
  Store store;
  size_t c = store.AddCollection(Clients());
  StoredItem a = store.Create(c, "client-a", Json{{"first_name", "A"}});
  EXPECT_TRUE(store.Get(c, "client-a", a.id).ok());
  EXPECT_EQ(StatusCode::kNotFound, store.Get(c, "client-b", a.id).status().code());
  EXPECT_EQ(3u, store.List(c, "client-a").size());
  EXPECT_EQ(2u, store.List(c, "client-b").size());
}

TEST(MockStore, LenientCollectionsMakeUpUnknownIdsButRememberDeletions) {
  Store store;
  size_t c = store.AddCollection(Clients(IdKind::kString, /*strict=*/false));
  Result<StoredItem> got = store.Get(c, "", "from-config");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ("from-config", got->value["id"]);
  EXPECT_EQ(3u, store.List(c, "").size()) << "made up once, then kept";
  ASSERT_TRUE(store.Delete(c, "", "from-config").ok());
  EXPECT_EQ(StatusCode::kNotFound, store.Get(c, "", "from-config").status().code());

  size_t numbers = store.AddCollection(Clients(IdKind::kInteger, false));
  EXPECT_EQ(StatusCode::kNotFound, store.Get(numbers, "", "abc").status().code())
      << "an integer collection has no resource 'abc'";
  EXPECT_TRUE(store.Get(numbers, "", "42").ok());
}

TEST(MockStore, DeepMergeKeepsNullsAndReplacesNonObjects) {
  Json target = {{"a", {{"b", 1}, {"c", 2}}}, {"list", {1, 2}}, {"n", 1}};
  DeepMerge(target, Json{{"a", {{"c", 3}}}, {"list", {9}}, {"n", nullptr}});
  EXPECT_EQ((Json{{"a", {{"b", 1}, {"c", 3}}}, {"list", {9}}, {"n", nullptr}}), target);
}

TEST(MockStore, ConcurrentCreatesGetDistinctIds) {
  Store store(3);
  size_t c = store.AddCollection(Clients(IdKind::kInteger));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) store.Create(c, "", Json{{"first_name", "x"}});
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::vector<StoredItem> all = store.List(c, "");
  ASSERT_EQ(802u, all.size());
  std::set<std::string> ids;
  for (const StoredItem& item : all) ids.insert(item.id);
  EXPECT_EQ(802u, ids.size());
}

}  // namespace
}  // namespace verity::mock
