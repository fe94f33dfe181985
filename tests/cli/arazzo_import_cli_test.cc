// `verity arazzo import FILE --kb DIR`: one recipe per workflow, never over an existing file.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/cli.h"
#include "support/paths.h"

namespace verity {
namespace {

using ::testing::HasSubstr;

class ArazzoImportTest : public ::testing::Test {
 protected:
  int Run(std::vector<std::string> args) {
    std::ostringstream out_text, err_text;
    cli::Context ctx{out_text, err_text, fs_, clock_};
    std::vector<std::string> all = {"arazzo", "import"};
    all.insert(all.end(), args.begin(), args.end());
    int code = cli::Run(all, ctx);
    out_ = out_text.str();
    err_ = err_text.str();
    return code;
  }

  std::string Example(const std::string& name) const {
    return testing::SharedPath("conformance/arazzo/" + name);
  }

  testing::TempDir dir_;
  PosixFileSystem fs_;
  SystemClock clock_;
  std::string out_, err_;
};

TEST_F(ArazzoImportTest, WritesOneRecipePerWorkflowAndNeverOverwritesOne) {
  std::string kb = dir_.path() + "/kb";
  ASSERT_EQ(0, Run({Example("pet-coupons.arazzo.yaml"), "--kb", kb})) << out_ << err_;
  EXPECT_THAT(out_, HasSubstr("wrote " + kb + "/apply-coupon.md (workflow apply-coupon)"));
  EXPECT_THAT(out_,
              HasSubstr("3 recipes written, 0 skipped (existing), 0 workflows not converted"));
  std::string file = kb + "/place-order.md";
  std::string text = testing::ReadFileOrDie(file);
  EXPECT_THAT(text, HasSubstr("endpoint: \"POST /store/order\"\n"));
  std::string relative = std::filesystem::relative(Example("pet-coupons.arazzo.yaml"), kb).string();
  EXPECT_THAT(text, HasSubstr(relative + "#/workflows/2"));

  std::ofstream(file, std::ios::trunc) << "mine\n";
  EXPECT_EQ(1, Run({Example("pet-coupons.arazzo.yaml"), "--kb", kb}));
  EXPECT_THAT(out_, HasSubstr("skipped " + file));
  EXPECT_THAT(out_, HasSubstr("0 recipes written, 3 skipped (existing)"));
  EXPECT_EQ("mine\n", testing::ReadFileOrDie(file)) << "never overwritten";
}

TEST_F(ArazzoImportTest, AWorkflowThatCannotConvertIsReportedAndTheOthersAreWritten) {
  std::string api = dir_.Write("api.yaml", R"(openapi: 3.0.3
info: {title: a, version: "1"}
paths:
  /things:
    get:
      operationId: list
      responses: {"200": {description: ok}}
)");
  std::string flow = dir_.Write("flow.arazzo.yaml", R"(arazzo: 1.0.1
info: {title: t, version: "1"}
sourceDescriptions: [{name: api, url: api.yaml}]
workflows:
  - workflowId: good
    steps: [{stepId: s, operationId: list}]
  - workflowId: bad
    steps: [{stepId: s, operationId: nope}]
)");
  (void)api;
  std::string kb = dir_.path() + "/kb";
  EXPECT_EQ(1, Run({flow, "--kb", kb}));
  EXPECT_THAT(out_, HasSubstr("flow.arazzo.yaml:8:38: error: step \"s\": no operation has "
                              "operationId \"nope\" [ARAZZO_RECIPE_OPERATION]"));
  EXPECT_THAT(out_, HasSubstr("not converted: workflow bad"));
  EXPECT_THAT(out_, HasSubstr("1 recipe written, 0 skipped (existing), 1 workflow not converted"));
  EXPECT_TRUE(std::filesystem::exists(kb + "/good.md"));
  EXPECT_FALSE(std::filesystem::exists(kb + "/bad.md"));
}

}  // namespace
}  // namespace verity
