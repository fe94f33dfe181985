// The real specs: every file of the vcita corpus and the OpenAPI conformance examples loads or is
// reported as not a spec, and the seed's endpoint resolves through Swagger 2.0's basePath.
#include <gtest/gtest.h>

#include <set>

#include "base/file_system.h"
#include "base/strings.h"
#include "spec/catalog.h"
#include "spec/catalog_test_support.h"
#include "support/paths.h"

namespace verity::spec {
namespace {

using testing::Structural;

using verity::testing::SharedPath;

TEST(CatalogCorpus, EveryVcitaAndConformanceFileLoadsOrIsReportedAsNotASpec) {
  PosixFileSystem fs;
  for (const char* folder :
       {"corpus/vcita/swagger", "corpus/vcita/mcp_swagger", "conformance/openapi"}) {
    Catalog catalog(fs);
    ASSERT_TRUE(catalog.Add(SharedPath(folder))) << folder;
    EXPECT_FALSE(catalog.files().empty()) << folder;
    for (const CatalogProblem& problem : Structural(catalog)) {
      if (!problem.is_error) continue;
      EXPECT_EQ(kNotASpec, problem.code) << problem.location << ": " << problem.message;
    }
  }
}

TEST(CatalogCorpus, HiddenFilesLoadOneByOneWithoutCrashing) {
  // Folder walks skip dot-entries; given directly they still load or are refused cleanly.
  PosixFileSystem fs;
  Catalog catalog(fs);
  EXPECT_TRUE(catalog.Add(SharedPath("corpus/vcita/mcp_swagger/.bundled/apps.json")));
  EXPECT_TRUE(catalog.Add(SharedPath("corpus/vcita/mcp_swagger/.update-state.json")));
  ASSERT_EQ(1u, Structural(catalog).size());
  EXPECT_EQ(kNotASpec, Structural(catalog)[0].code);
  EXPECT_EQ(1u, catalog.files().size());
}

TEST(CatalogCorpus, TheSeedEndpointResolvesUnderTheSwaggerBasePath) {
  PosixFileSystem fs;
  Catalog catalog(fs);
  ASSERT_TRUE(catalog.Add(SharedPath("corpus/vcita/swagger")));
  const Operation* op = catalog.FindEndpoint("GET /business/payments/v1/client_packages/{uid}");
  ASSERT_NE(nullptr, op);
  EXPECT_EQ("/v1/client_packages/{uid}", op->path_key);
  EXPECT_EQ("/business/payments", op->base_path);
  EXPECT_EQ("sales", op->domain);
  EXPECT_TRUE(EndsWith(op->file->path, "swagger/sales/legacy/payments.json")) << op->file->path;
  EXPECT_EQ(SpecVersion::kSwagger2, op->file->version);
  // Whatever the document calls the placeholder, and for a concrete path too.
  EXPECT_EQ(op, catalog.FindEndpoint("GET /business/payments/v1/client_packages/{package_uid}"));
  EXPECT_EQ(op, catalog.Find("GET", "/business/payments/v1/client_packages/abc123?x=1"));
}

TEST(CatalogCorpus, OpenApi3ServerPathsPrefixTheOperations) {
  PosixFileSystem fs;
  Catalog catalog(fs);
  ASSERT_TRUE(catalog.Add(SharedPath("corpus/vcita/swagger/sales/invoice.json")));
  ASSERT_FALSE(catalog.operations().empty());
  for (const Operation& op : catalog.operations()) {
    EXPECT_EQ("", op.base_path) << "servers[0].url has no path part";
    EXPECT_TRUE(StartsWith(op.path, "/v3/payments/invoices")) << op.path;
  }
}

TEST(CatalogCorpus, MostCorpusOperationsDocumentTheirTokens) {
  PosixFileSystem fs;
  Catalog catalog(fs);
  ASSERT_TRUE(catalog.Add(SharedPath("corpus/vcita/swagger")));
  size_t documented = 0;
  for (const Operation& op : catalog.operations()) documented += op.tokens.found ? 1 : 0;
  // Measured: the descriptions of nearly all operations say "Available for **… tokens**".
  EXPECT_GT(documented * 10, catalog.operations().size() * 9);
}

TEST(CatalogCorpus, TheExampleSpecsLoadCleanlyInEveryVersion) {
  PosixFileSystem fs;
  Catalog catalog(fs);
  ASSERT_TRUE(catalog.Add(verity::testing::SourcePath("examples/specs/swagger")));
  EXPECT_TRUE(Structural(catalog).empty());
  std::set<SpecVersion> versions;
  for (const SpecFile* file : catalog.files()) versions.insert(file->version);
  EXPECT_EQ(3u, versions.size());
  EXPECT_NE(nullptr, catalog.FindEndpoint("GET /business/payments/v1/client_packages/{uid}"));
  EXPECT_NE(nullptr, catalog.FindEndpoint("POST /platform/v1/clients"));
}

}  // namespace
}  // namespace verity::spec
