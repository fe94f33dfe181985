// A key written twice in a spec (two identical paths, two definitions of one schema) is reported
// with both places and a stable code, in YAML and in JSON alike, and the first definition is the
// one used, as in documents.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "spec/catalog.h"
#include "support/memory_file_system.h"

namespace verity::spec {
namespace {

using ::testing::HasSubstr;
using verity::testing::MemoryFileSystem;

std::vector<CatalogProblem> Duplicates(const Catalog& catalog) {
  std::vector<CatalogProblem> out;
  for (const CatalogProblem& p : catalog.problems()) {
    if (p.code == kSpecDuplicateKey) out.push_back(p);
  }
  return out;
}

TEST(SpecDuplicateKeys, RepeatedPathInYamlIsReportedAndTheFirstDefinitionWins) {
  MemoryFileSystem fs;
  fs.Add("api.yaml", R"(openapi: 3.0.3
paths:
  /clients:
    get:
      summary: first
      responses: {'200': {description: ok}}
  /clients:
    get:
      summary: second
      responses: {'200': {description: ok}}
)");
  Catalog catalog(fs);
  ASSERT_TRUE(catalog.Add("api.yaml"));
  std::vector<CatalogProblem> duplicates = Duplicates(catalog);
  ASSERT_EQ(1u, duplicates.size());
  EXPECT_EQ("api.yaml:7:3", duplicates[0].location);
  EXPECT_THAT(duplicates[0].message, HasSubstr("\"/clients\""));
  EXPECT_THAT(duplicates[0].message, HasSubstr("first defined at line 3"));
  EXPECT_FALSE(duplicates[0].is_error);
  ASSERT_EQ(1u, catalog.operations().size());
  EXPECT_EQ("first", catalog.operations()[0].summary);
}

TEST(SpecDuplicateKeys, RepeatedPathInJsonIsReportedAndTheFirstDefinitionWins) {
  MemoryFileSystem fs;
  fs.Add("api.json", R"({
  "openapi": "3.0.3",
  "paths": {
    "/clients": {"get": {"summary": "first", "responses": {"200": {"description": "ok"}}}},
    "/clients": {"get": {"summary": "second", "responses": {"200": {"description": "ok"}}}}
  }
})");
  Catalog catalog(fs);
  ASSERT_TRUE(catalog.Add("api.json"));
  std::vector<CatalogProblem> duplicates = Duplicates(catalog);
  ASSERT_EQ(1u, duplicates.size());
  EXPECT_EQ("api.json:5:5", duplicates[0].location);
  EXPECT_THAT(duplicates[0].message, HasSubstr("first defined at line 4"));
  ASSERT_EQ(1u, catalog.operations().size());
  EXPECT_EQ("first", catalog.operations()[0].summary);
}

TEST(SpecDuplicateKeys, RepeatsInsideAFileReachedByRefAreReportedToo) {
  MemoryFileSystem fs;
  fs.Add("specs/api.yaml", R"(openapi: 3.0.3
paths:
  /x:
    get:
      responses: {'200': {$ref: 'common.yaml#/Ok'}}
)");
  fs.Add("specs/common.yaml", "Ok: {description: one}\nOk: {description: two}\n");
  Catalog catalog(fs);
  ASSERT_TRUE(catalog.Add("specs/api.yaml"));
  std::vector<CatalogProblem> duplicates = Duplicates(catalog);
  ASSERT_EQ(1u, duplicates.size());
  EXPECT_EQ("specs/common.yaml:2:1", duplicates[0].location);
  EXPECT_EQ("one", catalog.operations()[0].FindResponse(200)->description);
}

}  // namespace
}  // namespace verity::spec
