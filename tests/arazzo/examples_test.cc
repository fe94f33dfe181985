// The official Arazzo examples (../shared/conformance/arazzo) lint without errors. Their known
// defects are pinned as the warnings they are, so a new false alarm or a lost finding shows.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "arazzo/lint.h"
#include "support/paths.h"

namespace verity::arazzo {
namespace {

std::vector<std::string> Findings(const std::string& name) {
  PosixFileSystem fs;
  std::vector<std::string> out;
  for (const Problem& p : LintFile(fs, testing::SharedPath("conformance/arazzo/" + name))) {
    EXPECT_FALSE(p.is_error()) << FormatProblem(p);
    out.push_back(fmt::format("{}:{}", p.pos.line, p.code));
  }
  return out;
}

using List = std::vector<std::string>;

TEST(ArazzoExamples, LintClean) {
  for (const char* name :
       {"pet-coupons.arazzo.yaml", "oauth.arazzo.yaml", "LoginAndRetrievePets.arazzo.yaml"})
    EXPECT_EQ(List{}, Findings(name)) << name;
}

TEST(ArazzoExamples, ASourceThatIsNotBesideTheExampleIsAWarning) {
  // animals.yaml is not published with the example.
  EXPECT_EQ(List{"6:ARAZZO_SOURCE_UNREADABLE"}, Findings("ExtendedParametersExample.arazzo.yaml"));
}

TEST(ArazzoExamples, AnOperationIdInTheWrongCaseIsAWarning) {
  // The description's operationId is "Par"; the workflow says "PAR".
  EXPECT_EQ(List{"102:ARAZZO_OPERATION_CASE"}, Findings("FAPI-PAR.arazzo.yaml"));
}

TEST(ArazzoExamples, OutputsTheBnplExampleNeverDefinesAreWarnings) {
  EXPECT_EQ((List{"231:ARAZZO_OUTPUT_UNDEFINED", "242:ARAZZO_OUTPUT_UNDEFINED",
                  "253:ARAZZO_OUTPUT_UNDEFINED", "260:ARAZZO_OUTPUT_UNDEFINED"}),
            Findings("bnpl-arazzo.yaml"));
}

}  // namespace
}  // namespace verity::arazzo
