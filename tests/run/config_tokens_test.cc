// The value forms of the run configuration (durations, sizes, globs, schemes) and tokens: resolving
// them from variables and files, and showing them without their values.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "run/config.h"
#include "support/memory_file_system.h"
#include "support/paths.h"

namespace verity::run {
namespace {

using testing::MemoryFileSystem;

TEST(ConfigValues, DurationsTakeUnitsOrMilliseconds) {
  EXPECT_EQ(250, ParseDurationMs("250ms"));
  EXPECT_EQ(30000, ParseDurationMs("30s"));
  EXPECT_EQ(1500, ParseDurationMs("1.5s"));
  EXPECT_EQ(120000, ParseDurationMs("2m"));
  EXPECT_EQ(3600000, ParseDurationMs("1h"));
  EXPECT_EQ(750, ParseDurationMs("750"));
  EXPECT_EQ(0, ParseDurationMs("0"));
  EXPECT_EQ(5000, ParseDurationMs(" 5 s "));
  for (const char* bad : {"", "s", "-5s", "1.5", "5 sec", "5d", "1e3ms", "1..2s", "99999999999h"})
    EXPECT_FALSE(ParseDurationMs(bad).has_value()) << bad;
}

TEST(ConfigValues, SizesTakeBytesOrBinaryUnits) {
  EXPECT_EQ(64u << 20, ParseByteSize("64MiB"));
  EXPECT_EQ(512u << 10, ParseByteSize("512 KiB"));
  EXPECT_EQ(1u << 30, ParseByteSize("1GiB"));
  EXPECT_EQ(1536u, ParseByteSize("1.5KiB"));
  EXPECT_EQ(1000u, ParseByteSize("1000"));
  EXPECT_EQ(1000u, ParseByteSize("1000B"));
  for (const char* bad : {"", "64MB", "64mib", "1.5", "-1", "MiB", "64 MiB extra"})
    EXPECT_FALSE(ParseByteSize(bad).has_value()) << bad;
}

TEST(ConfigValues, AuthorizationValuesPerScheme) {
  EXPECT_EQ("Bearer abc", AuthorizationValue(AuthScheme::kBearer, "abc"));
  EXPECT_EQ("Admin abc", AuthorizationValue(AuthScheme::kAdmin, "abc"));
  EXPECT_EQ("Token token=\"abc\"", AuthorizationValue(AuthScheme::kToken, "abc"));
  EXPECT_EQ(AuthScheme::kAdmin, DefaultSchemeFor("admin"));
  EXPECT_EQ(AuthScheme::kAdmin, DefaultSchemeFor("internal"));
  EXPECT_EQ(AuthScheme::kBearer, DefaultSchemeFor("staff"));
  EXPECT_EQ(AuthScheme::kBearer, DefaultSchemeFor("directory"));
  EXPECT_STREQ("token", AuthSchemeName(AuthScheme::kToken));
  EXPECT_EQ(AuthScheme::kAdmin, ParseAuthScheme("Admin"));
  EXPECT_FALSE(ParseAuthScheme("basic").has_value());
}

// --- Tokens -----------------------------------------------------------------------------------

const char kStaffSecret[] = "staff-secret-7f3c9a1b2d4e6f80";
const char kFileSecret[] = "directory-secret-55aa77bb99cc";

Environment Tokens() {
  Result<Config> config = ParseConfig(R"(environments:
  a:
    base_url: http://a.test
    tokens:
      staff: {env: STAFF_TOKEN}
      admin: {env: ADMIN_TOKEN}
      blank: {env: BLANK_TOKEN}
      directory: {file: secrets/directory.token}
      gone: {file: secrets/gone.token}
      twolines: {file: secrets/two.token}
)",
                                      "conf/verity.yaml");
  EXPECT_TRUE(config.ok()) << config.status().message();
  return config->environments.at("a");
}

EnvLookup FakeEnv(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

class ConfigTokensTest : public ::testing::Test {
 protected:
  ConfigTokensTest() {
    fs_.Add("conf/secrets/directory.token", std::string("\n  ") + kFileSecret + "\n");
    fs_.Add("conf/secrets/two.token", "first\nsecond\n");
    tokens_ = ResolveTokens(Tokens(), fs_,
                            FakeEnv({{"STAFF_TOKEN", kStaffSecret}, {"BLANK_TOKEN", " \n"}}));
  }
  MemoryFileSystem fs_;
  ResolvedTokens tokens_;
};

TEST_F(ConfigTokensTest, VariablesAndFilesResolveTrimmed) {
  EXPECT_EQ(kStaffSecret, tokens_.Get("staff"));
  EXPECT_EQ(kFileSecret, tokens_.Get("directory"));
  EXPECT_EQ(2u, tokens_.values.size());
  EXPECT_FALSE(tokens_.Get("admin").has_value());
}

TEST_F(ConfigTokensTest, UnusableTokensAreProblemsThatNameTheSource) {
  std::map<std::string, std::string> problems;
  for (const TokenProblem& p : tokens_.problems) problems[p.type] = p.message;
  EXPECT_EQ((std::map<std::string, std::string>{
                {"admin", "ADMIN_TOKEN is not set"},
                {"blank", "BLANK_TOKEN is empty"},
                {"gone", "conf/secrets/gone.token: no such file"},
                {"twolines", "conf/secrets/two.token holds more than one line"}}),
            problems);
  EXPECT_TRUE(tokens_.warnings.empty());  // an in-memory file has no permissions to check
}

TEST_F(ConfigTokensTest, TheEffectiveConfigShowsTokensMaskedAndNeverTheirValues) {
  Json j = EffectiveConfigJson(Tokens(), tokens_);
  std::string text = j.dump();
  EXPECT_EQ(std::string::npos, text.find(kStaffSecret));
  EXPECT_EQ(std::string::npos, text.find(kFileSecret));
  EXPECT_EQ(
      Json::parse(R"j({"env": "STAFF_TOKEN", "scheme": "bearer", "status": "set (****6f80)"})j")
          .dump(),
      j["tokens"]["staff"].dump());
  EXPECT_EQ("set (****99cc)", j["tokens"]["directory"]["status"]);
  EXPECT_EQ("conf/secrets/directory.token", j["tokens"]["directory"]["file"]);
  EXPECT_EQ("admin", j["tokens"]["admin"]["scheme"]);
  EXPECT_EQ("missing: ADMIN_TOKEN is not set", j["tokens"]["admin"]["status"]);
}

TEST_F(ConfigTokensTest, TheEffectiveConfigHasEverySetting) {
  Json j = EffectiveConfigJson(Tokens(), tokens_);
  std::vector<std::string> keys;
  for (const auto& [key, value] : j.items()) keys.push_back(key);
  EXPECT_EQ((std::vector<std::string>{"environment",    "config_file",
                                      "base_url",       "fallback_url",
                                      "bases",          "spec_root",
                                      "knowledge_base", "params",
                                      "timeout_ms",     "deadline_ms",
                                      "rate_limit",     "max_retries",
                                      "default_token",  "failures_before_failed",
                                      "insecure",       "max_response_bytes",
                                      "time_zone",      "array_format",
                                      "tokens",         "validation"}),
            keys);
  EXPECT_EQ("a", j["environment"]);
  EXPECT_EQ(nullptr, j["fallback_url"]);
  EXPECT_EQ(30000, j["timeout_ms"]);
  EXPECT_EQ("normal", j["rate_limit"]["preset"]);
}

TEST(ConfigTokens, AShortSecretIsMaskedWhole) {
  Environment env = Tokens();
  ResolvedTokens tokens = ResolveTokens(env, MemoryFileSystem(), FakeEnv({{"STAFF_TOKEN", "abc"}}));
  EXPECT_EQ("set (****)", EffectiveConfigJson(env, tokens)["tokens"]["staff"]["status"]);
}

TEST(ConfigTokens, AGroupReadableTokenFileIsWarnedAbout) {
  testing::TempDir dir;
  std::string open_file = dir.Write("open.token", "open-secret\n");
  std::string closed_file = dir.Write("closed.token", "closed-secret\n");
  ASSERT_EQ(0, ::chmod(open_file.c_str(), 0644));
  ASSERT_EQ(0, ::chmod(closed_file.c_str(), 0600));
  Environment env;
  env.tokens["open"] = {"open", "", open_file, AuthScheme::kBearer};
  env.tokens["closed"] = {"closed", "", closed_file, AuthScheme::kBearer};
  PosixFileSystem fs;
  ResolvedTokens tokens = ResolveTokens(env, fs, FakeEnv({}));
  EXPECT_EQ("open-secret", tokens.Get("open"));
  EXPECT_EQ("closed-secret", tokens.Get("closed"));
  ASSERT_EQ(1u, tokens.warnings.size());
  EXPECT_EQ("open", tokens.warnings[0].type);
  EXPECT_EQ(open_file + " can be read by group or others (mode 0644): chmod 600 it",
            tokens.warnings[0].message);
  EXPECT_EQ(tokens.warnings[0].message,
            EffectiveConfigJson(env, tokens)["tokens"]["open"]["warning"]);
}

}  // namespace
}  // namespace verity::run
