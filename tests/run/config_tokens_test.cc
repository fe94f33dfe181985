// The value forms of the run configuration (durations, sizes, globs, schemes) and tokens: resolving
// them from variables and files, and showing them without their values.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "run/config.h"
#include "run/settings.h"
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
  Conventions vcita{.vcita = true};
  EXPECT_EQ(AuthScheme::kAdmin, DefaultSchemeFor("admin", vcita));
  EXPECT_EQ(AuthScheme::kAdmin, DefaultSchemeFor("internal", vcita));
  EXPECT_EQ(AuthScheme::kBearer, DefaultSchemeFor("staff", vcita));
  EXPECT_EQ(AuthScheme::kBearer, DefaultSchemeFor("directory", vcita));
  EXPECT_EQ(AuthScheme::kBearer, DefaultSchemeFor("admin")) << "Admin is one API's convention";
  EXPECT_STREQ("token", AuthSchemeName(AuthScheme::kToken));
  EXPECT_EQ(AuthScheme::kAdmin, ParseAuthScheme("Admin"));
  EXPECT_EQ(AuthScheme::kBasic, ParseAuthScheme("basic"));
  EXPECT_EQ(AuthScheme::kNone, ParseAuthScheme("none"));
  EXPECT_FALSE(ParseAuthScheme("digest").has_value());
  EXPECT_EQ("Basic YWxpY2U6czNjcjN0", AuthorizationValue(AuthScheme::kBasic, "alice:s3cr3t"));
  EXPECT_EQ("raw-key", AuthorizationValue(AuthScheme::kNone, "raw-key"));
}

// --- Tokens -----------------------------------------------------------------------------------

const char kStaffSecret[] = "staff-secret-7f3c9a1b2d4e6f80";
const char kFileSecret[] = "directory-secret-55aa77bb99cc";

Environment Tokens() {
  Result<Config> config = ParseConfig(R"(environments:
  a:
    base_url: http://a.test
    conventions: [vcita]
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
  EXPECT_EQ((std::vector<std::string>{"environment",
                                      "config_file",
                                      "base_url",
                                      "fallback_url",
                                      "bases",
                                      "spec_root",
                                      "knowledge_base",
                                      "params",
                                      "timeout_ms",
                                      "deadline_ms",
                                      "rate_limit",
                                      "max_retries",
                                      "default_token",
                                      "conventions",
                                      "failures_before_failed",
                                      "insecure",
                                      "max_response_bytes",
                                      "time_zone",
                                      "array_format",
                                      "tokens",
                                      "secrets"}),
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
  env.tokens["open"].file = open_file;
  env.tokens["open"].type = "open";
  env.tokens["closed"].file = closed_file;
  env.tokens["closed"].type = "closed";
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

namespace verity::run {
namespace {

TEST(ConfigSources, ACommandsOutputAndTheSecretsSectionResolveAndDisplayOnlyMasked) {
  Result<Config> config = ParseConfig(R"(environments:
  a:
    base_url: http://a.test
    tokens:
      vault: {command: [sh, -c, "echo vault-$((6*7))-token-0123456789"], timeout: 2s}
      broken: {command: [sh, -c, "echo half-$((1+1))-secret; exit 1"]}
    secrets:
      password: {env: LOGIN_PASSWORD}
      absent: {env: NOT_SET_ANYWHERE}
)",
                                      "conf/verity.yaml");
  ASSERT_TRUE(config.ok()) << config.status().message();
  const Environment& env = config->environments.at("a");
  verity::testing::MemoryFileSystem fs;
  ResolvedTokens tokens = ResolveTokens(env, fs, [](const std::string& name) {
    return name == "LOGIN_PASSWORD" ? std::optional<std::string>("pass-0123456789") : std::nullopt;
  });
  EXPECT_EQ("vault-42-token-0123456789", tokens.values.at("vault"));
  ASSERT_EQ(1u, tokens.problems.size());
  EXPECT_EQ("command sh: exited with status 1", tokens.problems[0].message);
  EXPECT_EQ("pass-0123456789", tokens.secrets.at("password"));
  ASSERT_EQ(1u, tokens.secret_problems.size());
  EXPECT_EQ("NOT_SET_ANYWHERE is not set", tokens.secret_problems[0].message);

  std::string shown = EffectiveConfigJson(env, tokens).dump();
  EXPECT_EQ(std::string::npos, shown.find("vault-42-token"));
  EXPECT_EQ(std::string::npos, shown.find("pass-0123456789"));
  EXPECT_EQ(std::string::npos, shown.find("half-2-secret"));
  EXPECT_NE(std::string::npos, shown.find("\"status\":\"set (****6789)\"")) << shown;

  RunSettings settings = SettingsFromEnvironment(env, tokens);
  EXPECT_EQ("pass-0123456789", settings.secrets.at("password"));
  EXPECT_EQ("NOT_SET_ANYWHERE is not set", settings.secret_problems.at("absent"));
  EXPECT_EQ("", settings.default_token) << "two tokens, no conventions: no default";
}

TEST(ConfigSources, PlacementKeysAreCheckedAndALiteralPasswordIsRefused) {
  Result<Config> config = ParseConfig(R"(environments:
  a:
    base_url: http://a.test
    conventions: [vcita, acme]
    tokens:
      k: {env: K, in: body}
      b: {env: B, scheme: bearer, username: alice}
      p: {username: alice, password: hunter2-0123456789}
      t: {file: x, timeout: 1s}
)",
                                      "conf/verity.yaml");
  ASSERT_FALSE(config.ok());
  std::string problems = config.status().message();
  EXPECT_NE(std::string::npos, problems.find("string \"acme\" is not a known convention (vcita) "
                                             "[CONFIG_UNKNOWN_CONVENTION]"))
      << problems;
  EXPECT_NE(std::string::npos, problems.find("is not header, query or cookie [CONFIG_BAD_TOKEN]"));
  EXPECT_NE(std::string::npos, problems.find("username goes with scheme basic [CONFIG_BAD_TOKEN]"));
  EXPECT_NE(std::string::npos, problems.find("tokens.p.password: a secret may not be written"));
  EXPECT_NE(std::string::npos, problems.find("only a command has a timeout"));
  EXPECT_EQ(std::string::npos, problems.find("hunter2")) << problems;
}

}  // namespace
}  // namespace verity::run
