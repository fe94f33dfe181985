// Reading verity.yaml: the full example, built-in defaults, inheritance from `defaults:`, and every
// problem code with its exact position.
#include "run/config.h"

#include <gtest/gtest.h>

#include "support/memory_file_system.h"
#include "support/paths.h"

namespace verity::run {
namespace {

using testing::MemoryFileSystem;

const char kPath[] = "conf/verity.yaml";

const char kFullExample[] = R"(default_env: staging
environments:
  staging:
    base_url: https://api.staging.example.com/apigw/
    fallback_url: https://api.staging.example.com/api2
    bases:
      partners:
        url: https://partners.staging.example.com
        paths: ["/partners/*", "/v2/partners/*"]
        scheme: token
      reports:
        url: https://reports.staging.example.com
        paths: /reports/*
    spec_root: ../swagger
    knowledge_base: workflows
    params: {business_id: "abc", staff_uid: s-1, limits: {page: 25}}
    timeout: 10s
    deadline: 20m
    rate_limit: conservative
    max_retries: 5
    default_token: directory
    failures_before_failed: 3
    insecure: true
    max_response_bytes: 8MiB
    time_zone: "+02:00"
    tokens:
      staff: {env: VERITY_STAFF_TOKEN}
      directory: {file: secrets/directory.token}
      admin: {env: VERITY_ADMIN_TOKEN}
      partner: {env: PARTNER_TOKEN, scheme: token}
  production:
    base_url: https://api.example.com
)";

Config ParseOrDie(std::string_view text) {
  Result<Config> config = ParseConfig(text, kPath);
  EXPECT_TRUE(config.ok()) << config.status().message();
  return config.ok() ? std::move(config).value() : Config{};
}

// The problems of a config that must not parse, one per line.
std::string Problems(std::string_view text) {
  Result<Config> config = ParseConfig(text, kPath);
  EXPECT_FALSE(config.ok());
  return config.ok() ? "" : config.status().message();
}

TEST(ConfigParse, ReadsTheFullExample) {
  Config config = ParseOrDie(kFullExample);
  EXPECT_EQ(kPath, config.file);
  EXPECT_EQ("staging", config.default_env);
  EXPECT_EQ((std::vector<std::string>{"staging", "production"}), config.env_order);
  const Environment& env = config.environments.at("staging");
  EXPECT_EQ("staging", env.name);
  EXPECT_EQ(kPath, env.config_file);
  EXPECT_EQ("conf", env.config_dir);
  EXPECT_EQ("https://api.staging.example.com/apigw", env.base_url);  // trailing '/' dropped
  EXPECT_EQ("https://api.staging.example.com/api2", env.fallback_url);
  ASSERT_EQ(2u, env.bases.size());
  EXPECT_EQ("partners", env.bases[0].name);
  EXPECT_EQ("https://partners.staging.example.com", env.bases[0].url);
  EXPECT_EQ((std::vector<std::string>{"/partners/*", "/v2/partners/*"}), env.bases[0].path_globs);
  EXPECT_EQ(AuthScheme::kToken, env.bases[0].scheme);
  EXPECT_EQ((std::vector<std::string>{"/reports/*"}), env.bases[1].path_globs);
  EXPECT_FALSE(env.bases[1].scheme.has_value());
  EXPECT_EQ("conf/../swagger", env.spec_root);
  EXPECT_EQ("conf/workflows", env.knowledge_base);
  EXPECT_EQ(Json::parse(R"({"business_id": "abc", "staff_uid": "s-1", "limits": {"page": 25}})"),
            env.params);
  EXPECT_EQ(10000, env.timeout_ms);
  EXPECT_EQ(20 * 60 * 1000, env.deadline_ms);
  EXPECT_EQ("conservative", env.rate_limit.preset);
  EXPECT_EQ(1, env.rate_limit.max_in_flight);
  EXPECT_EQ(5, env.max_retries);
  EXPECT_EQ("directory", env.default_token);
  EXPECT_EQ(3, env.failures_before_failed);
  EXPECT_TRUE(env.insecure);
  EXPECT_EQ(8u << 20, env.max_response_bytes);
  EXPECT_EQ("+02:00", env.time_zone);
  ASSERT_EQ(4u, env.tokens.size());
  EXPECT_EQ("VERITY_STAFF_TOKEN", env.tokens.at("staff").env);
  EXPECT_EQ("staff", env.tokens.at("staff").type);
  EXPECT_FALSE(env.tokens.at("staff").scheme.has_value()) << "the spec's scheme decides";
  EXPECT_EQ("conf/secrets/directory.token", env.tokens.at("directory").file);
  EXPECT_EQ("", env.tokens.at("directory").env);
  EXPECT_FALSE(env.tokens.at("admin").scheme.has_value());
  EXPECT_EQ(AuthScheme::kToken, env.tokens.at("partner").scheme);
}

TEST(ConfigParse, AbsentKeysTakeTheBuiltInDefaults) {
  Config config = ParseOrDie(kFullExample);
  const Environment& env = config.environments.at("production");
  EXPECT_EQ("https://api.example.com", env.base_url);
  EXPECT_EQ("", env.fallback_url);
  EXPECT_TRUE(env.bases.empty());
  EXPECT_EQ("", env.spec_root);
  EXPECT_EQ("", env.knowledge_base);
  EXPECT_EQ(Json::object(), env.params);
  EXPECT_EQ(30000, env.timeout_ms);
  EXPECT_FALSE(env.deadline_ms.has_value());
  EXPECT_EQ("normal", env.rate_limit.preset);
  EXPECT_EQ(5, env.rate_limit.requests_per_second);
  EXPECT_EQ(3, env.max_retries);
  EXPECT_EQ("", env.default_token);
  EXPECT_EQ("", env.DefaultToken()) << "no conventions, no tokens: no default credential";
  EXPECT_FALSE(env.conventions.vcita);
  EXPECT_EQ(2, env.failures_before_failed);
  EXPECT_FALSE(env.insecure);
  EXPECT_EQ(64u << 20, env.max_response_bytes);
  EXPECT_EQ("UTC", env.time_zone);
  EXPECT_TRUE(env.tokens.empty());
}

TEST(ConfigParse, EnvironmentsInheritDefaultsAndMergeParamsAndTokensByKey) {
  Config config = ParseOrDie(R"(defaults:
  timeout: 5s
  insecure: true
  params: {business_id: shared, locale: en}
  tokens:
    staff: {env: SHARED_STAFF}
    admin: {env: SHARED_ADMIN}
environments:
  a:
    base_url: http://a.test
  b:
    base_url: http://b.test
    timeout: 1m
    params: {business_id: b-only}
    tokens:
      staff: {file: b.token}
      partner: {env: B_PARTNER}
)");
  const Environment& a = config.environments.at("a");
  EXPECT_EQ(5000, a.timeout_ms);
  EXPECT_TRUE(a.insecure);
  EXPECT_EQ(Json::parse(R"({"business_id": "shared", "locale": "en"})"), a.params);
  EXPECT_EQ("SHARED_STAFF", a.tokens.at("staff").env);

  const Environment& b = config.environments.at("b");
  EXPECT_EQ(60000, b.timeout_ms);
  EXPECT_TRUE(b.insecure);
  EXPECT_EQ(Json::parse(R"({"business_id": "b-only", "locale": "en"})"), b.params);
  ASSERT_EQ(3u, b.tokens.size());
  EXPECT_EQ("conf/b.token", b.tokens.at("staff").file);
  EXPECT_EQ("", b.tokens.at("staff").env);
  EXPECT_EQ("SHARED_ADMIN", b.tokens.at("admin").env);
  EXPECT_EQ("B_PARTNER", b.tokens.at("partner").env);
}

TEST(ConfigParse, ANullValueUndoesAnInheritedOne) {
  Config config = ParseOrDie(R"(defaults:
  deadline: 5m
  fallback_url: http://fallback.test
  tokens: {staff: {env: S}, admin: {env: A}}
environments:
  a:
    base_url: http://a.test
    deadline: ~
    fallback_url:
    tokens: {admin: ~}
)");
  const Environment& a = config.environments.at("a");
  EXPECT_FALSE(a.deadline_ms.has_value());
  EXPECT_EQ("", a.fallback_url);
  EXPECT_EQ(1u, a.tokens.size());
  EXPECT_TRUE(a.tokens.count("staff"));
}

TEST(ConfigParse, PathsStartFromTheConfigFilesFolder) {
  Result<Config> config = ParseConfig(
      "environments:\n  a:\n    base_url: http://a.test\n    knowledge_base: kb\n"
      "    spec_root: /abs/specs\n",
      "verity.yaml");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ("kb", config->environments.at("a").knowledge_base);
  EXPECT_EQ("/abs/specs", config->environments.at("a").spec_root);
  EXPECT_EQ(".", config->environments.at("a").config_dir);
}

TEST(ConfigParse, RateLimitsArePresetsTextOrMappings) {
  Config config = ParseOrDie(R"(environments:
  a:
    base_url: http://a.test
    rate_limit: rps=10,in_flight=4,gap=100ms
  b:
    base_url: http://b.test
    rate_limit: {preset: aggressive, min_gap: 1s, burst: 2}
  c:
    base_url: http://c.test
    rate_limit: {requests_per_second: 0.5, max_in_flight: 1}
)");
  const RateLimit& a = config.environments.at("a").rate_limit;
  EXPECT_EQ("custom", a.preset);
  EXPECT_EQ(10, a.requests_per_second);
  EXPECT_EQ(4, a.max_in_flight);
  EXPECT_EQ(100, a.min_gap_ms);
  const RateLimit& b = config.environments.at("b").rate_limit;
  EXPECT_EQ(20, b.requests_per_second);
  EXPECT_EQ(10, b.max_in_flight);
  EXPECT_EQ(1000, b.min_gap_ms);
  EXPECT_EQ(2, b.burst);
  const RateLimit& c = config.environments.at("c").rate_limit;
  EXPECT_EQ(0.5, c.requests_per_second);
  EXPECT_EQ(1, c.max_in_flight);
  EXPECT_EQ(0, c.min_gap_ms);  // the normal preset's gap would cap it at 5 a second
}

TEST(ConfigParse, ARateLimitMappingWithoutAGapKeepsNoPresetGap) {
  Config config = ParseOrDie(R"(environments:
  a:
    base_url: http://a.test
    rate_limit: rps=500,in_flight=8
  b:
    base_url: http://b.test
    rate_limit: {preset: normal, requests_per_second: 500}
  c:
    base_url: http://c.test
    rate_limit: {preset: conservative}
)");
  EXPECT_EQ(0, config.environments.at("a").rate_limit.min_gap_ms);
  EXPECT_EQ(500.0, config.environments.at("a").rate_limit.EffectiveRequestsPerSecond());
  EXPECT_EQ(0, config.environments.at("b").rate_limit.min_gap_ms);
  EXPECT_EQ(500.0, config.environments.at("b").rate_limit.EffectiveRequestsPerSecond());
  EXPECT_EQ(500, config.environments.at("c").rate_limit.min_gap_ms);
}

TEST(ConfigParse, TimeoutsAcceptMillisecondIntegers) {
  Config config = ParseOrDie(
      "environments:\n  a:\n    base_url: http://a.test\n    timeout: 250\n"
      "    max_response_bytes: 1000\n");
  EXPECT_EQ(250, config.environments.at("a").timeout_ms);
  EXPECT_EQ(1000u, config.environments.at("a").max_response_bytes);
}

// --- Problems, each with its position ---------------------------------------------------------

const char kHead[] = "environments:\n  a:\n    base_url: http://a.test\n";  // lines 1-3

TEST(ConfigProblems, BrokenYamlIsAParseError) {
  Result<Config> config = ParseConfig("environments:\n  a: [\n", kPath);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(StatusCode::kParseError, config.status().code());
  EXPECT_EQ(0u, config.status().message().find("conf/verity.yaml:3:1: "))
      << config.status().message();
  EXPECT_TRUE(config.status().message().ends_with("(YAML_SYNTAX) [CONFIG_PARSE_ERROR]"));
}

TEST(ConfigProblems, DuplicateKeysAreReportedWhereRepeated) {
  EXPECT_EQ(
      "conf/verity.yaml:4:5: duplicate key \"base_url\" (first defined at line 3) "
      "[CONFIG_DUPLICATE_KEY]",
      Problems(std::string(kHead) + "    base_url: http://b.test\n"));
}

TEST(ConfigProblems, UnknownKeysSuggestTheNearest) {
  Result<Config> config = ParseConfig(std::string(kHead) + "    timout: 5s\n", kPath);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(StatusCode::kInvalidArgument, config.status().code());
  EXPECT_EQ(
      "conf/verity.yaml:4:5: environments.a: unknown key \"timout\"; did you mean \"timeout\"? "
      "[CONFIG_UNKNOWN_KEY]",
      config.status().message());
  EXPECT_EQ(
      "conf/verity.yaml:1:1: the file: unknown key \"enviroments\"; did you mean "
      "\"environments\"? [CONFIG_UNKNOWN_KEY]\n"
      "conf/verity.yaml:1:1: no environments: add environments: with at least one, e.g. staging: "
      "{base_url: …} [CONFIG_NO_ENVIRONMENTS]",
      Problems("enviroments:\n  a:\n    base_url: http://a.test\n"));
}

TEST(ConfigProblems, AnEnvironmentSettingAtTheTopLevelSaysWhereItBelongs) {
  EXPECT_EQ(
      "conf/verity.yaml:4:1: \"timeout\" is an environment setting: put it under "
      "environments.NAME, or under defaults: to share it [CONFIG_UNKNOWN_KEY]",
      Problems(std::string(kHead) + "timeout: 5s\n"));
}

TEST(ConfigProblems, WrongTypesNameTheExpectation) {
  EXPECT_EQ(
      "conf/verity.yaml:4:15: environments.a.insecure: expected true or false, got string "
      "\"maybe\" [CONFIG_TYPE]\n"
      "conf/verity.yaml:5:18: environments.a.max_retries: expected an integer, got list "
      "[CONFIG_TYPE]\n"
      "conf/verity.yaml:6:13: environments.a.params: expected a mapping of names to values, got "
      "string \"x\" [CONFIG_TYPE]",
      Problems(std::string(kHead) + "    insecure: maybe\n    max_retries: [3]\n    params: x\n"));
  EXPECT_EQ(
      "conf/verity.yaml:2:6: environments.a: expected a mapping of settings, got string "
      "\"http://a.test\" [CONFIG_TYPE]",
      Problems("environments:\n  a: http://a.test\n"));
}

TEST(ConfigProblems, AnEnvironmentWithoutBaseUrlIsReportedAtItsName) {
  EXPECT_EQ(
      "conf/verity.yaml:2:3: environments.a: base_url is required (http:// or https://) "
      "[CONFIG_MISSING_BASE_URL]",
      Problems("environments:\n  a:\n    timeout: 5s\n"));
  EXPECT_EQ(
      "conf/verity.yaml:5:7: environments.a.bases.p: url is required [CONFIG_MISSING_BASE_URL]",
      Problems(std::string(kHead) + "    bases:\n      p: {paths: [\"/p/*\"]}\n"));
}

TEST(ConfigProblems, UrlsMustBeHttpWithAHostAndNoCredentials) {
  EXPECT_EQ(
      "conf/verity.yaml:3:15: environments.a.base_url: \"ftp://a.test\" must start with http:// "
      "or https:// [CONFIG_BAD_URL]\n"
      "conf/verity.yaml:4:19: environments.a.fallback_url: \"https:///x\" has no host "
      "[CONFIG_BAD_URL]",
      Problems("environments:\n  a:\n    base_url: ftp://a.test\n"
               "    fallback_url: https:///x\n"));
  std::string problems =
      Problems("environments:\n  a:\n    base_url: https://bob:hunter2@a.test\n");
  EXPECT_EQ(
      "conf/verity.yaml:3:15: environments.a.base_url: the URL carries credentials "
      "(user:password@); put them in tokens instead [CONFIG_BAD_URL]",
      problems);
  EXPECT_EQ(std::string::npos, problems.find("hunter2"));
}

TEST(ConfigProblems, DurationsAndSizesMustParseAndBePositive) {
  EXPECT_EQ(
      "conf/verity.yaml:4:14: environments.a.timeout: string \"30x\" is not a duration above 0 "
      "(\"250ms\", \"30s\", \"2m\", \"1h\" or an integer of milliseconds) [CONFIG_BAD_DURATION]\n"
      "conf/verity.yaml:5:15: environments.a.deadline: integer \"0\" is not a duration above 0 "
      "(\"250ms\", \"30s\", \"2m\", \"1h\" or an integer of milliseconds) [CONFIG_BAD_DURATION]\n"
      "conf/verity.yaml:6:25: environments.a.max_response_bytes: string \"64MB\" is not a size "
      "(bytes, or a number with KiB, MiB or GiB, e.g. 64MiB) above 0 [CONFIG_BAD_SIZE]",
      Problems(std::string(kHead) +
               "    timeout: 30x\n    deadline: 0\n    max_response_bytes: 64MB\n"));
}

TEST(ConfigProblems, NumbersOutOfRange) {
  EXPECT_EQ(
      "conf/verity.yaml:4:29: environments.a.failures_before_failed: 0 is not between 1 and 1000 "
      "[CONFIG_BAD_NUMBER]",
      Problems(std::string(kHead) + "    failures_before_failed: 0\n"));
}

TEST(ConfigProblems, RateLimitsMustBeAPresetOrValidValues) {
  std::string problems = Problems(std::string(kHead) +
                                  "    rate_limit: turbo\n"
                                  "  b:\n    base_url: http://b.test\n"
                                  "    rate_limit: {burst: 0, speed: 3}\n");
  EXPECT_EQ(
      "conf/verity.yaml:4:17: environments.a.rate_limit: rate limit \"turbo\": \"turbo\" is "
      "neither a preset (conservative, normal, aggressive, sequential, off) nor key=value "
      "[CONFIG_BAD_RATE_LIMIT]\n"
      "conf/verity.yaml:7:25: environments.b.rate_limit.burst: expected an integer from 1 to "
      "10000, got integer \"0\" [CONFIG_BAD_RATE_LIMIT]\n"
      "conf/verity.yaml:7:28: environments.b.rate_limit: unknown key \"speed\" (known: preset, "
      "requests_per_second, max_in_flight, min_gap, burst) [CONFIG_UNKNOWN_KEY]",
      problems);
}

TEST(ConfigProblems, ALiteralTokenIsRefusedWithoutRepeatingIt) {
  const char kSecret[] = "eyJhbGciOiJIUzI1NiJ9.literal-secret-4711";
  std::string problems = Problems(std::string(kHead) + "    tokens:\n      staff: \"" + kSecret +
                                  "\"\n      admin: {value: " + kSecret + "}\n");
  EXPECT_EQ(
      "conf/verity.yaml:5:14: environments.a.tokens.staff: a secret may not be written in the "
      "config file (the value is not repeated here); reference it with {env: VARIABLE}, "
      "{file: PATH} or {command: [PROGRAM, ARG…]} [CONFIG_LITERAL_TOKEN]\n"
      "conf/verity.yaml:6:22: environments.a.tokens.admin.value: a secret may not be written in "
      "the config file (the value is not repeated here); reference it with {env: VARIABLE}, "
      "{file: PATH} or {command: [PROGRAM, ARG…]} [CONFIG_LITERAL_TOKEN]",
      problems);
  EXPECT_EQ(std::string::npos, problems.find("literal-secret-4711"));
  EXPECT_EQ(std::string::npos, problems.find("eyJ"));
}

TEST(ConfigProblems, TokenReferencesNeedExactlyOneSourceAndAVariableName) {
  std::string problems = Problems(std::string(kHead) +
                                  "    tokens:\n"
                                  "      staff: {env: A, file: b}\n"
                                  "      admin: {scheme: admin}\n"
                                  "      partner: {env: eyJhbGciOi.secret-4711}\n");
  EXPECT_EQ(
      "conf/verity.yaml:5:14: environments.a.tokens.staff: env, file and command exclude each "
      "other [CONFIG_BAD_TOKEN]\n"
      "conf/verity.yaml:6:14: environments.a.tokens.admin: needs env:, file: or command: "
      "[CONFIG_BAD_TOKEN]\n"
      "conf/verity.yaml:7:22: environments.a.tokens.partner.env: expected an environment "
      "variable name (letters, digits, '_'); the value is not repeated in case it is the secret "
      "itself [CONFIG_BAD_TOKEN]",
      problems);
  EXPECT_EQ(std::string::npos, problems.find("secret-4711"));
}

TEST(ConfigProblems, SchemesAreBearerBasicNoneAdminOrToken) {
  EXPECT_EQ(
      "conf/verity.yaml:5:48: environments.a.tokens.staff.scheme: string \"ntlm\" is not an "
      "authorization scheme (bearer, basic, none, admin, token) [CONFIG_BAD_SCHEME]\n"
      "conf/verity.yaml:8:19: environments.a.bases.p.scheme: string \"digest\" is not an "
      "authorization scheme (bearer, basic, none, admin, token) [CONFIG_BAD_SCHEME]",
      Problems(std::string(kHead) +
               "    tokens:\n      staff: {env: VERITY_STAFF_TOKEN, scheme: ntlm}\n"
               "    bases:\n      p: {url: http://p.test, paths: [\"/p/*\"],\n"
               "          scheme: digest}\n"));
}

TEST(ConfigProblems, PathGlobsStartWithASlashOrAStar) {
  EXPECT_EQ(
      "conf/verity.yaml:5:39: environments.a.bases.p.paths: string \"partners/*\" is not a path "
      "glob (it starts with '/' or '*') [CONFIG_BAD_GLOB]\n"
      "conf/verity.yaml:6:7: environments.a.bases.q: paths is required: a base no path chooses "
      "is never used [CONFIG_BAD_GLOB]",
      Problems(std::string(kHead) +
               "    bases:\n      p: {url: http://p.test, paths: [partners/*]}\n"
               "      q: {url: http://q.test}\n"));
}

TEST(ConfigProblems, DefaultEnvMustNameAnEnvironment) {
  EXPECT_EQ(
      "conf/verity.yaml:1:14: default_env: no environment \"stagign\"; did you mean \"staging\"? "
      "[CONFIG_UNKNOWN_ENV]",
      Problems("default_env: stagign\nenvironments:\n  staging: {base_url: http://s.test}\n"
               "  production: {base_url: http://p.test}\n"));
}

TEST(ConfigProblems, DefaultTokenMustBeOneOfTheTokens) {
  EXPECT_EQ(
      "conf/verity.yaml:2:18: environments.a: default_token \"stafff\" is not one of the tokens "
      "[CONFIG_UNKNOWN_TOKEN]",
      Problems("defaults:\n  default_token: stafff\n"
               "environments:\n  a:\n    base_url: http://a.test\n"
               "    tokens: {staff: {env: S}}\n"));
}

TEST(ConfigProblems, AnEmptyFileOrNoEnvironments) {
  EXPECT_EQ(
      "conf/verity.yaml:1:1: the file is empty: it needs an environments: mapping "
      "[CONFIG_NO_ENVIRONMENTS]",
      Problems(""));
  EXPECT_EQ(
      "conf/verity.yaml:1:15: no environments: add environments: with at least one, e.g. "
      "staging: {base_url: …} [CONFIG_NO_ENVIRONMENTS]",
      Problems("environments: {}\n"));
}

TEST(ConfigProblems, EveryProblemIsReportedInFileOrder) {
  std::string problems = Problems(R"(environments:
  b:
    timeout: soon
  a:
    base_url: gopher://a
    max_retries: -1
defaults:
  insecure: 3
)");
  EXPECT_EQ(
      "conf/verity.yaml:2:3: environments.b: base_url is required (http:// or https://) "
      "[CONFIG_MISSING_BASE_URL]\n"
      "conf/verity.yaml:3:14: environments.b.timeout: string \"soon\" is not a duration above 0 "
      "(\"250ms\", \"30s\", \"2m\", \"1h\" or an integer of milliseconds) [CONFIG_BAD_DURATION]\n"
      "conf/verity.yaml:5:15: environments.a.base_url: \"gopher://a\" must start with http:// or "
      "https:// [CONFIG_BAD_URL]\n"
      "conf/verity.yaml:6:18: environments.a.max_retries: -1 is not between 0 and 100 "
      "[CONFIG_BAD_NUMBER]\n"
      "conf/verity.yaml:8:13: defaults.insecure: expected true or false, got integer \"3\" "
      "[CONFIG_TYPE]",
      problems);
}

// --- Choosing an environment and loading the file ---------------------------------------------

TEST(ConfigSelect, AnEmptyNameMeansDefaultEnvThenTheOnlyOne) {
  Config config = ParseOrDie(kFullExample);
  Result<Environment> env = SelectEnvironment(config, "");
  ASSERT_TRUE(env.ok());
  EXPECT_EQ("staging", env->name);
  env = SelectEnvironment(config, "production");
  ASSERT_TRUE(env.ok());
  EXPECT_EQ("production", env->name);

  Config single = ParseOrDie("environments:\n  only: {base_url: http://o.test}\n");
  ASSERT_TRUE(SelectEnvironment(single, "").ok());
  EXPECT_EQ("only", SelectEnvironment(single, "")->name);
}

TEST(ConfigSelect, SeveralEnvironmentsWithoutADefaultNeedAName) {
  Config config = ParseOrDie(
      "environments:\n  staging: {base_url: http://s.test}\n  prod: {base_url: http://p.test}\n");
  Result<Environment> env = SelectEnvironment(config, "");
  ASSERT_FALSE(env.ok());
  EXPECT_EQ(StatusCode::kInvalidArgument, env.status().code());
  EXPECT_EQ(
      "conf/verity.yaml: no default_env and several environments (staging, prod): choose one "
      "with --env",
      env.status().message());
  env = SelectEnvironment(config, "stagin");
  ASSERT_FALSE(env.ok());
  EXPECT_EQ(
      "conf/verity.yaml: no environment \"stagin\"; did you mean \"staging\"? (environments: "
      "staging, prod) [CONFIG_UNKNOWN_ENV]",
      env.status().message());
}

TEST(ConfigLoad, ReadsThroughTheFileSystem) {
  MemoryFileSystem fs;
  fs.Add("conf/verity.yaml", kFullExample);
  Result<Config> config = LoadConfig(fs, "conf/verity.yaml");
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(2u, config->environments.size());
}

TEST(ConfigLoad, AMissingFileIsNotFoundAndAHugeOneIsRefused) {
  MemoryFileSystem fs;
  Result<Config> config = LoadConfig(fs, "verity.yaml");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(StatusCode::kNotFound, config.status().code());
  EXPECT_EQ("verity.yaml: no such config file", config.status().message());
  fs.Add("big.yaml", std::string(2 << 20, '#'));
  config = LoadConfig(fs, "big.yaml");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(StatusCode::kLimitExceeded, config.status().code());
  EXPECT_TRUE(fs.reads().empty());
}

TEST(ConfigLoad, TheDocumentedExampleIsValid) {
  std::string doc = testing::ReadFileOrDie(testing::SourcePath("docs/config.md"));
  size_t begin = doc.find("```yaml\n");
  ASSERT_NE(std::string::npos, begin);
  begin += 8;
  std::string yaml = doc.substr(begin, doc.find("```", begin) - begin);
  Config config = ParseOrDie(yaml);
  Result<Environment> staging = SelectEnvironment(config, "");
  ASSERT_TRUE(staging.ok());
  EXPECT_EQ("staging", staging->name);
  EXPECT_EQ((std::vector<std::string>{"admin", "api_key", "directory", "partner", "staff"}), [&] {
    std::vector<std::string> types;
    for (const auto& [type, ref] : staging->tokens) types.push_back(type);
    return types;
  }());
  EXPECT_EQ(Json::parse(R"({"locale": "en", "business_id": "abc", "staff_uid": "s-123"})"),
            staging->params);
  const Environment& production = config.environments.at("production");
  EXPECT_EQ(1u, production.tokens.size());
  EXPECT_EQ("conservative", production.rate_limit.preset);
  EXPECT_EQ((std::vector<std::string>{"vault", "read", "-field=key", "secret/api"}),
            staging->tokens.at("api_key").command);
  EXPECT_EQ(5000, staging->tokens.at("api_key").command_timeout_ms);
  EXPECT_EQ("VERITY_LOGIN_PASSWORD", staging->secrets.at("login_password").env);
  EXPECT_TRUE(staging->conventions.vcita);
}

TEST(ConfigLoad, TheExampleConfigIsValid) {
  PosixFileSystem fs;
  Result<Config> config = LoadConfig(fs, testing::SourcePath("examples/verity.yaml"));
  ASSERT_TRUE(config.ok()) << config.status().message();
  Result<Environment> env = SelectEnvironment(*config, "");
  ASSERT_TRUE(env.ok()) << env.status().message();
  EXPECT_EQ("example", env->name);
  EXPECT_EQ("http://127.0.0.1:8080", env->base_url);
  EXPECT_EQ("http://127.0.0.1:8081", env->fallback_url);
  EXPECT_EQ(FileType::kDirectory, fs.Stat(env->knowledge_base)->type);
  EXPECT_EQ(FileType::kDirectory, fs.Stat(env->spec_root)->type);
  EXPECT_EQ("VERITY_EXAMPLE_STAFF_TOKEN", env->tokens.at("staff").env);
  EXPECT_EQ("VERITY_EXAMPLE_DIRECTORY_TOKEN", env->tokens.at("directory").env);
}

}  // namespace
}  // namespace verity::run
