// The dashboard's document view on a real disk: a document that is a symbolic link out of the
// knowledge base (to /proc/self/environ, to a file outside, through a linked folder) is never read.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "run/executor_fixture.h"
#include "serve/dashboard.h"
#include "serve/views.h"
#include "store/history.h"
#include "support/paths.h"

namespace verity::serve {
namespace {

namespace stdfs = std::filesystem;

constexpr char kCanary[] = "CANARYtok7f3e9a1b2c4d5e6f";

class DocumentConfinementTest : public ::testing::Test {
 protected:
  DocumentConfinementTest() {
    ::setenv("VERITY_CONFINEMENT_CANARY", kCanary, 1);
    dir_.Write("kb/sales/get-client-package.md", run::testing::SeedDocument());
    outside_.Write("outside.md", std::string("---\nendpoint: GET /x\n---\n") + kCanary);
  }
  ~DocumentConfinementTest() override { ::unsetenv("VERITY_CONFINEMENT_CANARY"); }

  std::string kb() const { return dir_.path() + "/kb"; }
  void Link(const std::string& target, const std::string& link) {
    stdfs::create_directories(stdfs::path(link).parent_path());
    stdfs::create_symlink(target, link);
  }
  std::unique_ptr<Dashboard> Open() {
    DashboardConfig config;
    config.kb_roots = {kb()};
    auto history = store::History::Open(":memory:");
    EXPECT_TRUE(history.ok());
    auto dashboard = Dashboard::Create(fs_, clock_, std::move(config), std::move(*history));
    EXPECT_TRUE(dashboard.ok()) << dashboard.status().ToString();
    return dashboard.ok() ? std::move(*dashboard) : nullptr;
  }
  void ExpectRefused(Dashboard& dashboard, const std::string& file) {
    Result<Json> answer = DocumentJson(dashboard, file);
    ASSERT_FALSE(answer.ok()) << answer->dump(2);
    EXPECT_EQ(answer.status().code(), StatusCode::kOutsideRoot) << answer.status().ToString();
    EXPECT_EQ(answer.status().message().find(kCanary), std::string::npos);
  }

  testing::TempDir dir_, outside_;
  PosixFileSystem fs_;
  SystemClock clock_;
};

TEST_F(DocumentConfinementTest, ALinkToTheProcessEnvironmentIsNotServed) {
  Link("/proc/self/environ", kb() + "/clients/env.md");
  std::unique_ptr<Dashboard> dashboard = Open();
  ASSERT_TRUE(dashboard);
  ExpectRefused(*dashboard, kb() + "/clients/env.md");
  Result<Json> seed = DocumentJson(*dashboard, kb() + "/sales/get-client-package.md");
  EXPECT_TRUE(seed.ok()) << seed.status().ToString();
}

TEST_F(DocumentConfinementTest, ALinkToAFileOutsideIsNotServed) {
  Link(outside_.path() + "/outside.md", kb() + "/clients/outside.md");
  std::unique_ptr<Dashboard> dashboard = Open();
  ASSERT_TRUE(dashboard);
  ExpectRefused(*dashboard, kb() + "/clients/outside.md");
}

TEST_F(DocumentConfinementTest, TheLoadedDocumentCarriesTheDiagnosticAndNoBytes) {
  Link("/proc/self/environ", kb() + "/clients/env.md");
  std::unique_ptr<Dashboard> dashboard = Open();
  ASSERT_TRUE(dashboard);
  const doc::Document* env = nullptr;
  for (const doc::Document& d : dashboard->snapshot().kb->documents)
    if (d.file == kb() + "/clients/env.md") env = &d;
  ASSERT_NE(env, nullptr);
  ASSERT_EQ(env->diagnostics.size(), 1u);
  EXPECT_EQ(env->diagnostics[0].code, "PATH_OUTSIDE_ROOT");
  EXPECT_EQ(env->diagnostics[0].pos, (SourcePos{1, 1}));
  EXPECT_TRUE(env->frontmatter.endpoint.empty());
}

}  // namespace
}  // namespace verity::serve
