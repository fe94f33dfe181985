// Whole runs (executor_fixture.h) of the step forms real knowledge bases write: extract defaults
// and copies, blank headers, query arrays as the environment's array_format says; and the
// array_format key of the configuration.
#include <gtest/gtest.h>

#include "base/strings.h"
#include "run/config.h"
#include "run/executor_fixture.h"

namespace verity::run::testing {
namespace {

std::string Doc(const std::string& steps) {
  return "---\nendpoint: \"GET /test\"\ndomain: test\nstatus: verified\ntokens: [staff]\n---\n\n"
         "# Doc\n\n## Test Request\n\n```yaml\nsteps:\n" +
         steps + "```\n";
}

TEST_F(ExecutorTest, ExtractDefaultsAndCopiesOfRealKnowledgeBasesRun) {
  settings.params["staff_id"] = "s-42";
  AddDoc("a.md", Doc(R"(  - id: rules
    method: GET
    path: /rules
    extract:
      rule_uid: "$.data.rules[0].uid || 'example_rule_uid'"
      staff_uid: "{{staff_id}}"
  - id: test
    method: GET
    path: /rules/{{rule_uid}}/staff/{{staff_uid}}
)"));
  transport.Script("GET", "*", Reply(200, R"({"data":{"rules":[]}})"));
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(d.outcome, Outcome::kPass) << d.reason << ": " << d.message;
  ASSERT_EQ(transport.requests().size(), 2u);
  EXPECT_EQ(transport.requests()[1].url,
            std::string(kPrimary) + "/rules/example_rule_uid/staff/s-42");
}

TEST_F(ExecutorTest, ABlankAuthorizationIsNeitherRecordedNorReportedAsATokenUsed) {
  AddDoc("a.md", Doc(R"(  - id: test
    method: GET
    path: /test
    headers:
      Authorization: " "
    expect:
      status: 401
)"));
  transport.Script("GET", "*", Reply(401));
  DocumentResult d = Only(RunAll());
  ASSERT_EQ(transport.requests().size(), 1u);
  for (const auto& [name, value] : transport.requests()[0].headers)
    EXPECT_NE(verity::ToLower(name), "authorization");
  ASSERT_EQ(d.steps.size(), 1u);
  ASSERT_TRUE(d.steps[0].request);
  for (const auto& [name, value] : d.steps[0].request->headers)
    EXPECT_NE(verity::ToLower(name), "authorization") << value;
  EXPECT_EQ(d.steps[0].token_type, "");
}

TEST_F(ExecutorTest, AnUnexpected401WithoutATokenSaysNoTokenWasSent) {
  AddDoc("a.md", Doc(R"(  - id: test
    method: GET
    path: /test
    headers:
      Authorization: ""
)"));
  transport.Script("GET", "*", Reply(401));
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(d.reason, "AUTH_FAILED");
  EXPECT_NE(d.message.find("401 without a credential"), std::string::npos) << d.message;
}

TEST_F(ExecutorTest, ARawSpaceInAStepsQueryStringIsSentEncoded) {
  AddDoc("a.md", Doc(R"(  - id: test
    method: GET
    path: /test?q=two words&name="x"
)"));
  transport.Script("GET", "*", Reply(200));
  Only(RunAll());
  ASSERT_EQ(transport.requests().size(), 1u);
  EXPECT_EQ(transport.requests()[0].url,
            std::string(kPrimary) + "/test?q=two%20words&name=%22x%22");
}

TEST_F(ExecutorTest, TheEnvironmentsArrayFormatShapesAnUndescribedQueryArray) {
  settings.array_format = ArrayFormat::kRepeat;
  AddDoc("a.md", Doc(R"(  - id: test
    method: GET
    path: /test
    params:
      status: [open, closed]
)"));
  transport.Script("GET", "*", Reply(200));
  Only(RunAll());
  ASSERT_EQ(transport.requests().size(), 1u);
  EXPECT_EQ(transport.requests()[0].url, std::string(kPrimary) + "/test?status=open&status=closed");
}

TEST(ConfigArrayFormat, IsReadPerEnvironmentAndDefaultsToBrackets) {
  Result<Config> config = ParseConfig(
      "environments:\n  a:\n    base_url: http://a.test\n    array_format: repeat\n"
      "  b:\n    base_url: http://b.test\n",
      "verity.yaml");
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->environments.at("a").array_format, ArrayFormat::kRepeat);
  EXPECT_EQ(config->environments.at("b").array_format, ArrayFormat::kBrackets);
}

TEST(ConfigArrayFormat, AnUnknownFormatNamesTheChoices) {
  Result<Config> config =
      ParseConfig("environments:\n  a:\n    base_url: http://a.test\n    array_format: indices\n",
                  "verity.yaml");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("verity.yaml:4:19"), std::string::npos)
      << config.status().message();
  EXPECT_NE(config.status().message().find("brackets, repeat or comma"), std::string::npos);
  EXPECT_NE(config.status().message().find("CONFIG_BAD_ARRAY_FORMAT"), std::string::npos);
}

}  // namespace
}  // namespace verity::run::testing
