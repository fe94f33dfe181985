// `producers:` in verity.yaml: by parameter name, where a request built from the spec takes a
// value; a bad entry is reported with its line and column.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "run/config.h"

namespace verity::run {
namespace {

using ::testing::HasSubstr;

constexpr char kPath[] = "conf/verity.yaml";

TEST(ConfigParse, ProducersNameWhereAParameterComesFrom) {
  Result<Config> config = ParseConfig(R"(environments:
  a:
    base_url: http://a.test
    producers:
      client_uid:
        endpoint: "get /platform/v1/businesses/{business_id}/clients"
        extract: "$.data.clients[0].uid"
        query: {per_page: 1}
)",
                                      kPath);
  ASSERT_TRUE(config.ok()) << config.status().message();
  const auto& producers = config->environments.at("a").producers;
  ASSERT_EQ(1u, producers.size());
  const ConfiguredProducer& p = producers.at("client_uid");
  EXPECT_EQ("GET /platform/v1/businesses/{business_id}/clients", p.endpoint);
  EXPECT_EQ("$.data.clients[0].uid", p.extract);
  EXPECT_EQ(Json::parse(R"({"per_page": 1})"), p.query);
}

TEST(ConfigProblems, AProducerNeedsAnEndpointAndAValidJsonPath) {
  Result<Config> config = ParseConfig(R"(environments:
  a:
    base_url: http://a.test
    producers:
      a: {endpoint: "/no/method", extract: "$.x"}
      b: {endpoint: "GET /b", extract: "$.x[?"}
      c: {extract: "$.x"}
)",
                                      kPath);
  ASSERT_FALSE(config.ok());
  std::string problems = config.status().message();
  EXPECT_THAT(problems, HasSubstr("conf/verity.yaml:5:21: environments.a.producers.a.endpoint: "
                                  "string \"/no/method\" is not "
                                  "an endpoint"));
  EXPECT_THAT(problems, HasSubstr("conf/verity.yaml:6:40: environments.a.producers.b.extract: "
                                  "column 6: "));
  EXPECT_THAT(problems, HasSubstr("environments.a.producers.c: endpoint is required"));
  EXPECT_THAT(problems, HasSubstr("[CONFIG_BAD_PRODUCER]"));
}

}  // namespace
}  // namespace verity::run
