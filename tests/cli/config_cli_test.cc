// `verity config check`, in-process: exit codes 0/1/2, the masked effective configuration, and no
// secret in any output.
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "base/clock.h"
#include "base/json.h"
#include "cli/cli.h"
#include "support/memory_file_system.h"

namespace verity::cli {
namespace {

const char kStaffSecret[] = "s3cr3t-staff-0a1b2c3d4e5f";
const char kDirectorySecret[] = "s3cr3t-directory-9z8y7x6w";

const char kConfig[] = R"(environments:
  staging:
    base_url: https://api.staging.test
    knowledge_base: kb
    params: {business_id: b-1}
    conventions: [vcita]
    tokens:
      staff: {env: VERITY_STAFF_TOKEN}
      directory: {file: secrets/directory.token}
)";

class ConfigCliTest : public ::testing::Test {
 protected:
  ConfigCliTest() : clock_(0) {
    fs_.Add("verity.yaml", kConfig);
    fs_.Add("kb/README.md", "# the knowledge base\n");
    fs_.Add("secrets/directory.token", std::string(kDirectorySecret) + "\n");
    env_["VERITY_STAFF_TOKEN"] = kStaffSecret;
  }

  int Run(std::vector<std::string> args) {
    out_.str(""), err_.str("");
    Context ctx{out_, err_, fs_, clock_};
    ctx.env = [this](const std::string& name) -> std::optional<std::string> {
      auto it = env_.find(name);
      if (it == env_.end()) return std::nullopt;
      return it->second;
    };
    int code = cli::Run(args, ctx);
    for (const char* secret : {kStaffSecret, kDirectorySecret, "s3cr3t"}) {
      EXPECT_EQ(std::string::npos, out_.str().find(secret)) << out_.str();
      EXPECT_EQ(std::string::npos, err_.str().find(secret)) << err_.str();
    }
    return code;
  }

  testing::MemoryFileSystem fs_;
  FakeClock clock_;
  std::map<std::string, std::string> env_;
  std::ostringstream out_, err_;
};

TEST_F(ConfigCliTest, AValidConfigWithEveryTokenPrintsTheMaskedSettingsAndExitsZero) {
  EXPECT_EQ(kExitOk, Run({"config", "check"}));
  EXPECT_EQ(
      "environment: staging\n"
      "config_file: verity.yaml\n"
      "base_url: https://api.staging.test\n"
      "fallback_url: (not set)\n"
      "bases: (none)\n"
      "spec_root: (not set)\n"
      "knowledge_base: kb\n"
      "params.business_id: b-1\n"
      "timeout_ms: 30000\n"
      "deadline_ms: (not set)\n"
      "rate_limit.preset: normal\n"
      "rate_limit.requests_per_second: 5.0\n"
      "rate_limit.max_in_flight: 3\n"
      "rate_limit.min_gap_ms: 200\n"
      "rate_limit.burst: 1\n"
      "rate_limit.effective_requests_per_second: 5.0\n"
      "max_retries: 3\n"
      "default_token: staff\n"
      "conventions: vcita\n"
      "failures_before_failed: 2\n"
      "insecure: false\n"
      "max_response_bytes: 67108864\n"
      "time_zone: UTC\narray_format: brackets\n"
      "tokens.directory.file: secrets/directory.token\n"
      "tokens.directory.scheme: bearer\n"
      "tokens.directory.status: set (****7x6w)\n"
      "tokens.staff.env: VERITY_STAFF_TOKEN\n"
      "tokens.staff.scheme: bearer\n"
      "tokens.staff.status: set (****4e5f)\n"
      "secrets: (none)\n",
      out_.str());
  EXPECT_EQ("", err_.str());
}

TEST_F(ConfigCliTest, AMissingTokenExitsOneAndSaysWhichVariable) {
  env_.clear();
  EXPECT_EQ(kExitFindings, Run({"config", "check"}));
  EXPECT_NE(std::string::npos,
            out_.str().find("tokens.staff.status: missing: VERITY_STAFF_TOKEN is not set\n"));
  EXPECT_EQ("verity: token staff: VERITY_STAFF_TOKEN is not set\n", err_.str());
}

TEST_F(ConfigCliTest, JsonHasTheSettingsProblemsAndWarnings) {
  fs_.Add("other.yaml", R"(default_env: b
environments:
  a: {base_url: http://a.test}
  b:
    base_url: http://b.test
    spec_root: specs
    conventions: vcita
    tokens: {staff: {env: VERITY_STAFF_TOKEN}, admin: {env: VERITY_ADMIN_TOKEN}}
)");
  EXPECT_EQ(kExitFindings, Run({"config", "check", "--config", "other.yaml", "--json"}));
  Json j = Json::parse(out_.str());
  EXPECT_EQ("b", j["environment"]);
  EXPECT_EQ("set (****4e5f)", j["tokens"]["staff"]["status"]);
  EXPECT_EQ("admin", j["tokens"]["admin"]["scheme"]);
  EXPECT_EQ(Json::parse(R"([{"token": "admin", "message": "VERITY_ADMIN_TOKEN is not set"}])"),
            j["problems"]);
  EXPECT_EQ(Json::parse(R"([{"about": "spec_root", "message": "specs: no such file or folder"}])"),
            j["warnings"]);
  EXPECT_EQ("", err_.str());

  EXPECT_EQ(kExitOk, Run({"config", "check", "--config", "other.yaml", "--env", "a", "--json"}));
  EXPECT_EQ("a", Json::parse(out_.str())["environment"]);
}

TEST_F(ConfigCliTest, AMissingFolderIsAWarningOnly) {
  fs_.Add("verity.yaml", std::string(kConfig) + "    spec_root: ../specs\n");
  EXPECT_EQ(kExitOk, Run({"config", "check"}));
  EXPECT_EQ("verity: warning: spec_root: ../specs: no such file or folder\n", err_.str());
}

TEST_F(ConfigCliTest, ATokenShorterThanEightCharactersIsAWarningNamingItButNeverItsValue) {
  env_["VERITY_STAFF_TOKEN"] = "Qz7";
  fs_.Add("secrets/directory.token", "Qz7Qz7Qz\n");  // eight: masked anywhere, no warning
  EXPECT_EQ(kExitOk, Run({"config", "check"}));
  EXPECT_EQ(
      "verity: warning: token staff: the value is shorter than 8 characters, too short to mask "
      "safely: outputs mask it only where it stands as a whole value (a quoted string, a query, "
      "path or header value, a Bearer credential), never inside other text; use a value of 8 "
      "characters or more, even for a dummy token [SHORT_SECRET]\n",
      err_.str());
  EXPECT_EQ(std::string::npos, out_.str().find("Qz7"));

  EXPECT_EQ(kExitOk, Run({"config", "check", "--json"}));
  Json warnings = Json::parse(out_.str())["warnings"];
  ASSERT_EQ(1u, warnings.size()) << warnings.dump();
  EXPECT_EQ("token staff", warnings[0]["about"]);
  EXPECT_EQ("SHORT_SECRET", warnings[0]["code"]);
  EXPECT_EQ(std::string::npos, out_.str().find("Qz7")) << out_.str();
}

TEST_F(ConfigCliTest, ACustomRateLimitPrintsTheRequestsPerSecondItAllows) {
  fs_.Add("verity.yaml", std::string(kConfig) + "    rate_limit: rps=500,in_flight=8\n");
  EXPECT_EQ(kExitOk, Run({"config", "check"}));
  EXPECT_NE(std::string::npos, out_.str().find("rate_limit.min_gap_ms: 0\n")) << out_.str();
  EXPECT_NE(std::string::npos, out_.str().find("rate_limit.effective_requests_per_second: 500.0\n"))
      << out_.str();
}

TEST_F(ConfigCliTest, ASpecRootThatNamesOneSpecFileIsAcceptedAsTheRunAcceptsIt) {
  fs_.Add("verity.yaml", std::string(kConfig) + "    spec_root: specs/payments.json\n");
  fs_.Add("specs/payments.json", R"({"swagger": "2.0", "paths": {}})");
  EXPECT_EQ(kExitOk, Run({"config", "check"}));
  EXPECT_EQ("", err_.str());
  EXPECT_NE(std::string::npos, out_.str().find("spec_root: specs/payments.json\n")) << out_.str();
}

TEST_F(ConfigCliTest, ConfigProblemsArePrintedWithPositionsAndExitTwo) {
  fs_.Add("verity.yaml", R"(environments:
  staging:
    timeout: soon
    tokens: {staff: s3cr3t-literal-token}
)");
  EXPECT_EQ(kExitUsage, Run({"config", "check"}));
  EXPECT_EQ("", out_.str());
  EXPECT_EQ(
      "verity.yaml:2:3: environments.staging: base_url is required (http:// or https://) "
      "[CONFIG_MISSING_BASE_URL]\n"
      "verity.yaml:3:14: environments.staging.timeout: string \"soon\" is not a duration above 0 "
      "(\"250ms\", \"30s\", \"2m\", \"1h\" or an integer of milliseconds) [CONFIG_BAD_DURATION]\n"
      "verity.yaml:4:21: environments.staging.tokens.staff: a secret may not be written in the "
      "config file (the value is not repeated here); reference it with {env: VARIABLE}, "
      "{file: PATH} or {command: [PROGRAM, ARG…]} [CONFIG_LITERAL_TOKEN]\n",
      err_.str());
}

TEST_F(ConfigCliTest, AMissingFileOrAnUnknownEnvironmentExitsTwo) {
  EXPECT_EQ(kExitUsage, Run({"config", "check", "--config", "nope.yaml"}));
  EXPECT_EQ("nope.yaml: no such config file\n", err_.str());
  EXPECT_EQ(kExitUsage, Run({"config", "check", "--env", "stagign"}));
  EXPECT_EQ(
      "verity.yaml: no environment \"stagign\"; did you mean \"staging\"? (environments: "
      "staging) [CONFIG_UNKNOWN_ENV]\n",
      err_.str());
  EXPECT_EQ("", out_.str());
}

}  // namespace
}  // namespace verity::cli
