// `verity kb new --variant`, and `kb lint` and `coverage` over what it scaffolds: a variant is
// written beside its primary, lints clean, and shows in the coverage with its own state.
#include <gtest/gtest.h>

#include <sstream>

#include "cli/cli.h"
#include "support/memory_file_system.h"

namespace verity::cli {
namespace {

const char kKvSpec[] = R"({
  "openapi": "3.0.3",
  "info": {"title": "kv", "version": "3"},
  "paths": {"/v3/kv/put": {"post": {"responses": {"200": {"description": "stored"}}}}}
})";

class VariantsCliTest : public ::testing::Test {
 protected:
  VariantsCliTest() : clock_(1764000000000) { fs_.Add("specs/kv.json", kKvSpec); }

  int Run(std::vector<std::string> args) {
    out_.str(""), err_.str("");
    Context ctx{out_, err_, fs_, clock_};
    return cli::Run(args, ctx);
  }

  testing::MemoryFileSystem fs_;
  FakeClock clock_;
  std::ostringstream out_, err_;
};

TEST_F(VariantsCliTest, NewWithAVariantWritesTheFieldAndTheConventionalNameBesideThePrimary) {
  ASSERT_EQ(kExitOk, Run({"kb", "new", "POST /v3/kv/put", "--domain", "kv", "--kb", "kb"}));
  ASSERT_EQ(kExitOk, Run({"kb", "new", "POST /v3/kv/put", "--domain", "kv", "--kb", "kb",
                          "--variant", "missing-key"}));
  EXPECT_EQ("created kb/kv/post_v3_kv_put__missing-key.md\n", out_.str());
  std::string text = fs_.Get("kb/kv/post_v3_kv_put__missing-key.md");
  EXPECT_EQ(0u, text.find("---\nendpoint: \"POST /v3/kv/put\"\nvariant: missing-key\n")) << text;

  // The same variant twice is a duplicate; a bad name is refused before anything is written.
  EXPECT_EQ(kExitFindings, Run({"kb", "new", "POST /v3/kv/put", "--domain", "kv", "--kb", "kb",
                                "--variant", "missing-key"}));
  EXPECT_EQ(
      "verity: POST /v3/kv/put [missing-key] is already documented in "
      "kb/kv/post_v3_kv_put__missing-key.md\n",
      err_.str());
  EXPECT_NE(kExitOk, Run({"kb", "new", "POST /v3/kv/put", "--domain", "kv", "--kb", "kb",
                          "--variant", "Missing Key"}));
  EXPECT_NE(std::string::npos, err_.str().find("variant must be lower-case letters"));

  EXPECT_EQ(kExitOk, Run({"kb", "lint", "kb"}));
  EXPECT_EQ("2 documents checked: 0 errors, 0 warnings\n", out_.str());
}

TEST_F(VariantsCliTest, CoverageListsEachVariantWithItsStateAndShowsAFailedOneUnderFailed) {
  ASSERT_EQ(kExitOk, Run({"kb", "new", "POST /v3/kv/put", "--domain", "kv", "--kb", "kb"}));
  ASSERT_EQ(kExitOk, Run({"kb", "new", "POST /v3/kv/put", "--domain", "kv", "--kb", "kb",
                          "--variant", "missing-key"}));
  ASSERT_EQ(kExitOk, Run({"kb", "set", "kb/kv/post_v3_kv_put.md", "status=verified"}));
  ASSERT_EQ(kExitOk, Run({"kb", "set", "kb/kv/post_v3_kv_put__missing-key.md", "status=failed"}));
  ASSERT_EQ(kExitOk, Run({"coverage", "--specs", "specs", "--kb", "kb", "--state", "failed"}));
  std::string text = out_.str();
  EXPECT_EQ(0u, text.find("verified   POST    /v3/kv/put"));
  EXPECT_NE(std::string::npos,
            text.find("kb/kv/post_v3_kv_put.md, kb/kv/post_v3_kv_put__missing-key.md "
                      "[missing-key: failed]\n"))
      << text;
  EXPECT_NE(std::string::npos,
            text.find("1 variant recipe failed (shown in brackets beside the operation)"));
}

}  // namespace
}  // namespace verity::cli
