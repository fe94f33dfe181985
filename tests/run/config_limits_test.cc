// What a hostile config file may make the reader hold: aliases and node counts stay bounded.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "run/config.h"

namespace verity::run {
namespace {

const char kPath[] = "conf/verity.yaml";
const char kHead[] = "environments:\n  a:\n    base_url: http://a.test\n";  // lines 1-3

std::string Problems(std::string_view text) {
  Result<Config> config = ParseConfig(text, kPath);
  EXPECT_FALSE(config.ok());
  return config.ok() ? "" : config.status().message();
}

std::string Repeat(std::string_view piece, size_t times) {
  std::string out;
  for (size_t i = 0; i < times; ++i) out += piece;
  return out;
}

TEST(ConfigProblems, ALongScalarAliasedManyTimesIsAnAliasLimitNotGigabytes) {
  // 100 KiB aliased 2 000 times would be 200 MB; the reader stops at 1 MiB of copied text.
  std::string text = std::string(kHead) + "    params:\n      a: &a \"" + std::string(102400, 'x') +
                     "\"\n      b: [" + Repeat("*a, ", 2000) + "]\n";
  Result<Config> config = ParseConfig(text, kPath);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(StatusCode::kParseError, config.status().code());
  EXPECT_EQ(0u, config.status().message().find("conf/verity.yaml:6:")) << config.status().message();
  EXPECT_TRUE(config.status().message().ends_with(
      "aliases expand to more than 1048576 bytes of text (alias bomb?) (YAML_ALIAS_LIMIT) "
      "[CONFIG_PARSE_ERROR]"))
      << config.status().message();
}

TEST(ConfigProblems, ABillionLaughsIsAnAliasLimit) {
  std::string text = std::string(kHead) + "    params:\n      a: &a [x, x, x, x, x, x, x, x, x]\n";
  std::string prev = "a";
  for (char c = 'b'; c <= 'j'; ++c) {
    text += "      " + std::string(1, c) + ": &" + std::string(1, c) + " [" +
            Repeat("*" + prev + ", ", 9) + "]\n";
    prev = std::string(1, c);
  }
  EXPECT_TRUE(Problems(text).ends_with("(YAML_ALIAS_LIMIT) [CONFIG_PARSE_ERROR]"));
}

TEST(ConfigProblems, TooManyYamlNodesIsOneProblemNotAHugeTree) {
  std::string problems =
      Problems(std::string(kHead) + "    params: {a: [" + Repeat("1,", 150000) + "]}\n");
  EXPECT_EQ(std::string::npos, problems.find('\n')) << problems.substr(0, 500);
  EXPECT_TRUE(problems.ends_with("more than 100000 nodes (YAML_NODE_LIMIT) [CONFIG_PARSE_ERROR]"))
      << problems;
}

}  // namespace
}  // namespace verity::run
