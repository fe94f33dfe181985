// verity.yaml's `validation:` section: the knobs, their inheritance from `defaults:`, the per-spec
// entries, what `config check` shows of them, and every problem with its position.
#include <gtest/gtest.h>

#include "run/config.h"
#include "run/settings.h"
#include "spec/catalog.h"
#include "support/memory_file_system.h"

namespace verity::run {
namespace {

const char kPath[] = "conf/verity.yaml";

Environment ParseEnv(std::string_view text, std::string_view name) {
  Result<Config> config = ParseConfig(text, kPath);
  EXPECT_TRUE(config.ok()) << config.status().message();
  if (!config.ok()) return {};
  Result<Environment> env = SelectEnvironment(*config, name);
  EXPECT_TRUE(env.ok()) << env.status().message();
  return env.ok() ? *env : Environment{};
}

std::string Problems(std::string_view text) {
  Result<Config> config = ParseConfig(text, kPath);
  EXPECT_FALSE(config.ok());
  return config.ok() ? "" : config.status().message();
}

TEST(ConfigValidation, WithoutTheSectionTheKnobsKeepTodaysBehaviour) {
  Environment env = ParseEnv("environments:\n  a:\n    base_url: http://a.test\n", "a");
  EXPECT_FALSE(env.validation.knobs.optional_nullable);
  EXPECT_EQ(env.validation.knobs.check_formats, spec::FindingLevel::kError);
  EXPECT_EQ(env.validation.knobs.undocumented_fields, spec::FindingLevel::kWarning);
  EXPECT_EQ(env.validation.knobs.undocumented_status, spec::FindingLevel::kWarning);
  EXPECT_TRUE(env.validation.specs.empty());
}

TEST(ConfigValidation, ReadsEveryKnobAndTheSpecEntriesInOrder) {
  Environment env = ParseEnv(R"(environments:
  staging:
    base_url: http://a.test
    validation:
      optional_nullable: true
      check_formats: warn
      undocumented_fields: ignore
      undocumented_status: error
      specs:
        - {spec: "legacy/*", check_formats: false}
        - spec: sales
          optional_nullable: false
          undocumented_fields: error
)",
                             "staging");
  const ValidationPolicy& v = env.validation;
  EXPECT_TRUE(v.knobs.optional_nullable);
  EXPECT_EQ(v.knobs.check_formats, spec::FindingLevel::kWarning);
  EXPECT_EQ(v.knobs.undocumented_fields, spec::FindingLevel::kIgnore);
  EXPECT_EQ(v.knobs.undocumented_status, spec::FindingLevel::kError);
  ASSERT_EQ(v.specs.size(), 2u);
  EXPECT_EQ(v.specs[0].spec, "legacy/*");
  EXPECT_EQ(v.specs[0].check_formats, spec::FindingLevel::kIgnore);
  EXPECT_FALSE(v.specs[0].optional_nullable.has_value());
  EXPECT_EQ(v.specs[1].spec, "sales");
  EXPECT_EQ(v.specs[1].optional_nullable, false);
  EXPECT_EQ(v.specs[1].undocumented_fields, spec::FindingLevel::kError);
}

TEST(ConfigValidation, AnEnvironmentSetsKnobsOverTheDefaultsOneByOneAndReplacesTheSpecList) {
  const char* text = R"(defaults:
  validation:
    optional_nullable: true
    check_formats: warn
    specs: [{spec: "legacy/*", check_formats: false}]
environments:
  a:
    base_url: http://a.test
    validation:
      check_formats: true
      specs: [{spec: "sales/*", undocumented_status: error}]
  b:
    base_url: http://b.test
    validation: ~
)";
  Environment a = ParseEnv(text, "a");
  EXPECT_TRUE(a.validation.knobs.optional_nullable);
  EXPECT_EQ(a.validation.knobs.check_formats, spec::FindingLevel::kError);
  ASSERT_EQ(a.validation.specs.size(), 1u);
  EXPECT_EQ(a.validation.specs[0].spec, "sales/*");
  Environment b = ParseEnv(text, "b");
  EXPECT_FALSE(b.validation.knobs.optional_nullable);
  EXPECT_TRUE(b.validation.specs.empty());
}

TEST(ConfigValidation, BadValuesAreReportedWhereTheyAreWithTheirCode) {
  std::string problems = Problems(R"(environments:
  a:
    base_url: http://a.test
    validation:
      optional_nullable: yes please
      check_formats: loose
      undocumented_fields: warning-ish
      undocumented_status: ignore
      specs:
        - {check_formats: false}
        - {spec: "x/*"}
        - {spec: "y/*", check_format: warn}
)");
  EXPECT_NE(problems.find("conf/verity.yaml:5:26: environments.a.validation.optional_nullable: "
                          "expected true or false, got string \"yes please\" "
                          "[CONFIG_BAD_VALIDATION]"),
            std::string::npos)
      << problems;
  EXPECT_NE(problems.find("conf/verity.yaml:6:22: environments.a.validation.check_formats: "
                          "expected true (format mismatches are errors), warn or false (not "
                          "checked), got string \"loose\" [CONFIG_BAD_VALIDATION]"),
            std::string::npos)
      << problems;
  EXPECT_NE(problems.find("conf/verity.yaml:7:28: environments.a.validation.undocumented_fields: "
                          "expected warn, error or ignore"),
            std::string::npos)
      << problems;
  // A status the operation does not document cannot be ignored: its body went unchecked.
  EXPECT_NE(problems.find("conf/verity.yaml:8:28: environments.a.validation.undocumented_status: "
                          "expected warn or error, got string \"ignore\""),
            std::string::npos)
      << problems;
  EXPECT_NE(problems.find("conf/verity.yaml:10:11: environments.a.validation.specs[0]: spec is "
                          "required"),
            std::string::npos)
      << problems;
  EXPECT_NE(problems.find("conf/verity.yaml:11:11: environments.a.validation.specs[1]: the entry "
                          "sets no knob"),
            std::string::npos)
      << problems;
  EXPECT_NE(problems.find("conf/verity.yaml:12:25:"), std::string::npos) << problems;
  EXPECT_NE(problems.find("check_formats"), std::string::npos) << problems;
  EXPECT_NE(problems.find("[CONFIG_UNKNOWN_KEY]"), std::string::npos) << problems;
}

TEST(ConfigValidation, AnUnknownKnobNamesTheNearestOne) {
  std::string problems = Problems(R"(environments:
  a:
    base_url: http://a.test
    validation:
      optional_nulable: true
)");
  EXPECT_NE(problems.find("conf/verity.yaml:5:7:"), std::string::npos) << problems;
  EXPECT_NE(problems.find("optional_nullable"), std::string::npos) << problems;
  EXPECT_NE(problems.find("[CONFIG_UNKNOWN_KEY]"), std::string::npos) << problems;
}

TEST(ConfigValidation, TheEffectiveConfigShowsTheKnobsAndTheSpecEntries) {
  Environment env = ParseEnv(R"(environments:
  a:
    base_url: http://a.test
    validation:
      check_formats: warn
      specs: [{spec: "legacy/*", check_formats: false, undocumented_status: error}]
)",
                             "a");
  Json j = EffectiveConfigJson(env, ResolvedTokens{});
  EXPECT_EQ(j["validation"].dump(),
            R"({"optional_nullable":false,"check_formats":"warn","undocumented_fields":"warn",)"
            R"("undocumented_status":"warn","specs":[{"spec":"legacy/*","check_formats":false,)"
            R"("undocumented_status":"error"}]})");
}

TEST(ConfigValidation, TheRunSettingsCarryTheEnvironmentsPolicy) {
  Environment env = ParseEnv(R"(environments:
  a:
    base_url: http://a.test
    validation: {optional_nullable: true, specs: [{spec: "x", check_formats: false}]}
)",
                             "a");
  RunSettings s = SettingsFromEnvironment(env, ResolvedTokens{});
  EXPECT_TRUE(s.validation.knobs.optional_nullable);
  ASSERT_EQ(s.validation.specs.size(), 1u);
}

TEST(ValidationPolicyFor, TheFirstMatchingEntryWinsByPathUnderTheSpecRootOrByDomain) {
  testing::MemoryFileSystem fs;
  spec::Catalog catalog(fs);
  const char* spec =
      "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n"
      "  /a:\n    get:\n      responses: {'200': {description: ok}}\n";
  ASSERT_TRUE(catalog.AddText("/srv/specs/sales/legacy/coupons.yaml", spec, "sales"));
  const spec::Operation& op = catalog.operations().at(0);
  ValidationPolicy policy;
  policy.knobs.check_formats = spec::FindingLevel::kWarning;
  policy.specs.resize(3);
  policy.specs[0].spec = "clients/*";
  policy.specs[0].optional_nullable = true;
  policy.specs[1].spec = "sales/legacy/*";
  policy.specs[1].undocumented_status = spec::FindingLevel::kError;
  policy.specs[2].spec = "sales";
  policy.specs[2].optional_nullable = true;
  spec::ValidationKnobs knobs = policy.For(&op, "/srv/specs/");
  EXPECT_EQ(knobs.undocumented_status, spec::FindingLevel::kError);
  EXPECT_FALSE(knobs.optional_nullable);                         // the first match decides alone
  EXPECT_EQ(knobs.check_formats, spec::FindingLevel::kWarning);  // the environment's
  // Outside the spec root the path is matched as loaded, so only the domain entry applies.
  knobs = policy.For(&op, "/elsewhere");
  EXPECT_TRUE(knobs.optional_nullable);
  EXPECT_EQ(policy.For(nullptr, "/srv/specs"), policy.knobs);
}

}  // namespace
}  // namespace verity::run
