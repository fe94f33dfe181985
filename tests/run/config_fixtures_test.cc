// The `setup:` and `teardown:` keys of verity.yaml: lists of documents, inherited from `defaults:`
// and replaced (not merged) by an environment, with positioned type problems.
#include <gtest/gtest.h>

#include "run/config.h"

namespace verity::run {
namespace {

const char kPath[] = "conf/verity.yaml";

TEST(ConfigFixtures, SetupAndTeardownAreInheritedFromDefaultsAndAnEnvironmentReplacesThem) {
  Result<Config> config = ParseConfig(R"(defaults:
  setup: [fixtures/create_business.md, "POST /v1/login"]
  teardown: ["DELETE /v1/businesses/{uid}"]
environments:
  staging:
    base_url: https://staging.example.com
  local:
    base_url: http://127.0.0.1:8080
    setup: [fixtures/local_seed.md]
    teardown: ~
)",
                                      kPath);
  ASSERT_TRUE(config.ok()) << config.status().message();
  const Environment& staging = config->environments.at("staging");
  EXPECT_EQ(staging.setup,
            (std::vector<std::string>{"fixtures/create_business.md", "POST /v1/login"}));
  EXPECT_EQ(staging.teardown, std::vector<std::string>{"DELETE /v1/businesses/{uid}"});
  const Environment& local = config->environments.at("local");
  EXPECT_EQ(local.setup, std::vector<std::string>{"fixtures/local_seed.md"});
  EXPECT_TRUE(local.teardown.empty());
}

TEST(ConfigFixtures, ASetupThatIsNotAListOfNamesIsATypeProblemAtItsPosition) {
  Result<Config> config = ParseConfig(R"(environments:
  staging:
    base_url: https://staging.example.com
    setup: fixtures/create_business.md
    teardown: [fixtures/a.md, {path: b.md}]
)",
                                      kPath);
  ASSERT_FALSE(config.ok());
  std::string message = config.status().message();
  EXPECT_NE(message.find("conf/verity.yaml:4:12: environments.staging.setup"), std::string::npos)
      << message;
  EXPECT_NE(message.find("conf/verity.yaml:5:31: environments.staging.teardown[1]"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("[CONFIG_TYPE]"), std::string::npos) << message;
}

}  // namespace
}  // namespace verity::run
