// `verity kb new --from-spec`: the recipe a run would build from the spec for one endpoint,
// written offline at its conventional name, never over a file, on the bundled example's spec.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "cli/cli.h"
#include "doc/parser.h"
#include "support/paths.h"

namespace verity {
namespace {

using ::testing::HasSubstr;

class KbNewFromSpecTest : public ::testing::Test {
 protected:
  int Run(std::vector<std::string> args) {
    std::ostringstream out_text, err_text;
    cli::Context ctx{out_text, err_text, fs_, clock_};
    std::vector<std::string> all = {"kb", "new"};
    all.insert(all.end(), args.begin(), args.end());
    int code = cli::Run(all, ctx);
    out_ = out_text.str();
    err_ = err_text.str();
    return code;
  }

  std::string kb() const { return dir_.path() + "/kb"; }
  std::string specs() const { return testing::SourcePath("examples/specs"); }

  testing::TempDir dir_;
  PosixFileSystem fs_;
  SystemClock clock_;
  std::string out_, err_;
};

TEST_F(KbNewFromSpecTest, WritesTheRecipeARunWouldBuildWithItsProducerAndNeverOverwritesIt) {
  const std::string endpoint = "GET /platform/v1/clients/{client_id}";
  ASSERT_EQ(0, Run({endpoint, "--from-spec", specs(), "--kb", kb(), "--param", "business_id"}))
      << out_ << err_;
  EXPECT_THAT(out_, HasSubstr("status: pending"));
  EXPECT_THAT(out_, HasSubstr("client_id (path) <- producer: GET /platform/v1/clients"));
  std::string file;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(kb()))
    if (entry.is_regular_file()) file = entry.path().string();
  ASSERT_THAT(file, HasSubstr("get_platform_v1_clients_client_id.md"));
  std::string text = testing::ReadFileOrDie(file);
  doc::Document d = doc::ParseDocument(text, file);
  EXPECT_FALSE(d.has_errors()) << text;
  EXPECT_EQ(endpoint, d.frontmatter.endpoint);
  EXPECT_THAT(text, HasSubstr("## Prerequisites"));
  EXPECT_THAT(text, HasSubstr("status: pending"));

  EXPECT_NE(0, Run({endpoint, "--from-spec", specs(), "--kb", kb()}));
  EXPECT_EQ(text, testing::ReadFileOrDie(file)) << "never overwritten";
}

TEST_F(KbNewFromSpecTest, AnIdOnlyACreateGivesNeedsWritesAllowed) {
  const std::string endpoint = "GET /business/payments/v1/client_packages/{uid}";
  EXPECT_EQ(1, Run({endpoint, "--from-spec", specs(), "--kb", kb()}));
  EXPECT_THAT(err_, HasSubstr("NO_PRODUCER: no value for path parameter `uid`"));
  EXPECT_FALSE(std::filesystem::exists(kb()));

  ASSERT_EQ(0, Run({endpoint, "--from-spec", specs(), "--kb", kb(), "--allow-writes"}))
      << out_ << err_;
  EXPECT_THAT(out_, HasSubstr("uid (path) <- producer: POST /platform/v1/payment/client_packages"));
}

TEST_F(KbNewFromSpecTest, AnEndpointTheSpecDoesNotHaveIsAUsageError) {
  EXPECT_EQ(2, Run({"GET /nowhere", "--from-spec", specs(), "--kb", kb()}));
  EXPECT_THAT(err_, HasSubstr("GET /nowhere: no operation of the spec"));
  EXPECT_EQ(2, Run({"GET /nowhere", "--kb", kb()}));
  EXPECT_THAT(err_, HasSubstr("--domain is required"));
}

}  // namespace
}  // namespace verity
