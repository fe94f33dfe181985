#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/file_system.h"
#include "doc/markdown.h"
#include "doc/parse_test_support.h"
#include "doc/parser.h"
#include "doc/steps.h"
#include "doc/templates.h"
#include "doc/to_json.h"
#include "kb/knowledge_base.h"
#include "support/paths.h"

namespace verity::doc {
namespace {

// ---------------------------------------------------------------------------------------------
// Step keys.

TEST(ParseStepKeys, UnknownKeyIsKeptAndSuggestsTheClosestKnownKey) {
  Document doc = ParseSteps(R"(  - id: get_client
    methd: POST
    method: GET
    path: "/clients"
    retries: 3
)");
  EXPECT_EQ((std::vector<std::string>{
                "steps.md:12:5: warning: unknown step key \"methd\"; did you mean \"method\"? "
                "[STEP_KEY_UNKNOWN]",
                "steps.md:15:5: warning: unknown step key \"retries\" (kept, not used) "
                "[STEP_KEY_UNKNOWN]",
            }),
            Formatted(doc));
  ASSERT_EQ(1u, doc.steps.size());
  EXPECT_EQ("GET", doc.steps[0].method);
  EXPECT_EQ(Json::parse(R"({"methd": "POST", "retries": 3})"), doc.steps[0].extra);
}

TEST(ParseStepKeys, OldUseFallbackSpellingSetsUseFallback) {
  Document doc = ParseSteps(R"(  - id: old_spelling
    method: GET
    path: "/a"
    useFallback: true
  - id: quoted
    method: GET
    path: "/b"
    useFallbackApi: "false"
  - id: both
    method: GET
    path: "/c"
    useFallbackApi: true
    useFallback: false
)");
  EXPECT_EQ((std::vector<std::string>{
                "steps.md:23:5: warning: both useFallbackApi and useFallback are set; the last "
                "one wins [STEP_FIELD_DUPLICATE]",
            }),
            Formatted(doc));
  ASSERT_EQ(3u, doc.steps.size());
  EXPECT_EQ(std::optional<bool>(true), doc.steps[0].use_fallback);
  EXPECT_EQ(std::optional<bool>(false), doc.steps[1].use_fallback);
  EXPECT_EQ(std::optional<bool>(false), doc.steps[2].use_fallback);
}

TEST(ParseStepKeys, SkipTrueIsAKnownKeyAndSkipReasonAloneDoesNotSkip) {
  Document doc = ParseSteps(R"(  - id: skipped
    method: GET
    path: "/a"
    skip: true
    skipReason: "not ready"
  - id: tolerated
    method: GET
    path: "/b"
    onFail: skip
    skipReason: "No scheduled appointments available to cancel"
)");
  EXPECT_EQ((std::vector<std::string>{}), Formatted(doc));
  ASSERT_EQ(2u, doc.steps.size());
  EXPECT_TRUE(doc.steps[0].skip);
  EXPECT_EQ(std::optional<std::string>("not ready"), doc.steps[0].skip_reason);
  EXPECT_FALSE(doc.steps[1].skip);
  EXPECT_EQ(std::optional<std::string>("No scheduled appointments available to cancel"),
            doc.steps[1].skip_reason);
  EXPECT_EQ(true, StepToJson(doc.steps[0], doc)["skip"]);
  EXPECT_FALSE(StepToJson(doc.steps[1], doc).contains("skip"));
}

TEST(ParseStepKeys, ReadsHeadersOnBehalfOfContentTypeFormAndFileFieldsAndSleep) {
  Document doc = ParseSteps(R"(  - id: upload_document
    description: "Upload a file for the client"
    method: POST
    path: "/platform/v1/clients/{{client_id}}/documents"
    token: directory
    headers:
      X-On-Behalf-Of: "{{business_id}}"
      Accept: application/json
    x_on_behalf_of: true
    content_type: multipart
    form_fields:
      title: "Contract"
      "{{custom_field_id}}": 42
    file_fields:
      - field_name: file
        file_path: files/contract.pdf
        filename: contract-{{client_id}}.pdf
      - field_name: avatar
        file_path: files/avatar.png
    sleep: 1500
    skipReason: "flaky upstream"
    onFail: continue
)");
  EXPECT_EQ(std::vector<std::string>{}, Formatted(doc));
  ASSERT_EQ(1u, doc.steps.size());
  const Step& s = doc.steps[0];
  EXPECT_EQ("Upload a file for the client", s.description);
  EXPECT_EQ(std::optional<std::string>("directory"), s.token);
  EXPECT_EQ(Json::parse(R"({"X-On-Behalf-Of": "{{business_id}}", "Accept": "application/json"})"),
            s.headers);
  EXPECT_EQ(std::optional<bool>(true), s.x_on_behalf_of);
  EXPECT_EQ(std::optional<std::string>("multipart"), s.content_type);
  EXPECT_EQ(Json::parse(R"({"title": "Contract", "{{custom_field_id}}": 42})"), s.form_fields);
  ASSERT_EQ(2u, s.file_fields.size());
  EXPECT_EQ("file", s.file_fields[0].field_name);
  EXPECT_EQ("files/contract.pdf", s.file_fields[0].file_path);
  EXPECT_EQ("contract-{{client_id}}.pdf", s.file_fields[0].filename);
  EXPECT_EQ((SourcePos{25, 9}), s.file_fields[0].pos);
  EXPECT_EQ("avatar", s.file_fields[1].field_name);
  EXPECT_EQ("files/avatar.png", s.file_fields[1].file_path);
  EXPECT_EQ("", s.file_fields[1].filename);
  EXPECT_EQ(std::optional<int64_t>(1500), s.sleep_ms);
  EXPECT_EQ(std::optional<std::string>("flaky upstream"), s.skip_reason);
  EXPECT_EQ("continue", s.on_fail_text);
  EXPECT_EQ(OnFail::kContinue, s.on_fail);
  EXPECT_EQ((std::vector<std::string>{
                "client_id [] @path 14:33",
                "business_id [] @headers/X-On-Behalf-Of 17:24",
                "custom_field_id [] @form_fields/{{custom_field_id}} (key) 23:8",
                "client_id [] @file_fields/0/filename 27:28",
            }),
            Refs(s));
}

TEST(ParseStepKeys, ExpectStatusAcceptsOneCodeAListOrQuotedCodes) {
  Document doc = ParseSteps(R"(  - id: one
    method: GET
    path: "/a"
    expect:
      status: 200
  - id: list
    method: GET
    path: "/b"
    expect:
      status: [201, 409]
  - id: quoted
    method: GET
    path: "/c"
    expect:
      status: ["204"]
    onFail: skip
)");
  EXPECT_EQ(std::vector<std::string>{}, Formatted(doc));
  ASSERT_EQ(3u, doc.steps.size());
  EXPECT_EQ((std::vector<int>{200}), doc.steps[0].expect_status);
  EXPECT_EQ((std::vector<int>{201, 409}), doc.steps[1].expect_status);
  EXPECT_EQ((std::vector<int>{204}), doc.steps[2].expect_status);
  EXPECT_EQ(OnFail::kSkip, doc.steps[2].on_fail);
}

TEST(ParseStepKeys, UnknownOnFailValueIsKeptAsWrittenAndNotUnderstood) {
  Document doc = ParseSteps(R"(  - id: one
    method: GET
    path: "/a"
    onFail: retry
)");
  EXPECT_EQ(std::vector<std::string>{}, Formatted(doc));
  ASSERT_EQ(1u, doc.steps.size());
  EXPECT_EQ("retry", doc.steps[0].on_fail_text);
  EXPECT_FALSE(doc.steps[0].on_fail);
}

TEST(ParseStepKeys, WrongShapesAreStepFieldTypeErrors) {
  Document doc = ParseSteps(R"(  - id: one
    method: [GET]
    path: "/a"
    params: "business_id=1"
    sleep: soon
    x_on_behalf_of: maybe
    extract:
      client_id: [a]
)");
  EXPECT_EQ((std::vector<std::string>{
                "steps.md:12:13: error: method must be a string, got list [STEP_FIELD_TYPE]",
                "steps.md:14:13: error: params must be a mapping of names to values, got string "
                "\"business_id=1\" [STEP_FIELD_TYPE]",
                "steps.md:15:12: error: sleep must be a non-negative number of milliseconds, got "
                "string \"soon\" [STEP_FIELD_TYPE]",
                "steps.md:16:21: error: x_on_behalf_of must be true or false, got string "
                "\"maybe\" [STEP_FIELD_TYPE]",
                "steps.md:18:18: error: extract.client_id must be a JSONPath string, got list "
                "[STEP_FIELD_TYPE]",
            }),
            Formatted(doc));
  ASSERT_EQ(1u, doc.steps.size());
  EXPECT_EQ("", doc.steps[0].method);
  EXPECT_EQ("/a", doc.steps[0].path);
}

TEST(ParseStepKeys, ExtractDefaultsAndCopiesAreNotErrors) {
  Document doc = ParseSteps(R"(  - id: one
    method: GET
    path: "/a"
    extract:
      rule_uid: "$.data.rules[0].uid || 'example_rule_uid'"
      staff_uid: "{{staff_id}}"
      count: {path: "$.data.count", default: 0}
)");
  EXPECT_EQ(std::vector<std::string>{}, Formatted(doc));
  ASSERT_EQ(1u, doc.steps.size());
  ASSERT_EQ(3u, doc.steps[0].extract.size());
  const Extract& rule = doc.steps[0].extract[0];
  EXPECT_EQ(rule.path, "$.data.rules[0].uid");
  EXPECT_EQ(rule.default_value, Json("example_rule_uid"));
  EXPECT_TRUE(rule.default_shorthand);
  EXPECT_EQ(doc.steps[0].extract[1].copy_of, "staff_id");
  const Extract& count = doc.steps[0].extract[2];
  EXPECT_EQ(count.path, "$.data.count");
  EXPECT_EQ(count.default_value, Json(0));
  EXPECT_FALSE(count.default_shorthand);
}

TEST(ParseStepKeys, TabsInsideABlockScalarAreKeptAsWritten) {
  Document doc = ParseSteps(
      "  - id: note\n"
      "    method: POST\n"
      "    path: \"/notes\"\n"
      "    body: |\n"
      "      first line\n"
      "      \tindented with a tab\n");
  EXPECT_EQ(std::vector<std::string>{}, Formatted(doc));
  ASSERT_EQ(1u, doc.steps.size());
  EXPECT_EQ(Json("first line\n\tindented with a tab\n"), *doc.steps[0].body);
  ASSERT_EQ(1u, doc.blocks.size());
  EXPECT_NE(std::string::npos, doc.blocks[0].text.find("      \tindented with a tab\n"));
}

// ---------------------------------------------------------------------------------------------
// Frontmatter variants.

TEST(ParseFrontmatter, StatusVariantsMapToCanonicalStatuses) {
  const std::vector<std::pair<std::string, std::optional<WorkflowStatus>>> cases = {
      {"verified", WorkflowStatus::kVerified},     {"success", WorkflowStatus::kVerified},
      {"pass", WorkflowStatus::kVerified},         {"Verified", WorkflowStatus::kVerified},
      {"skip", WorkflowStatus::kSkipped},          {"skipped", WorkflowStatus::kSkipped},
      {"pending", WorkflowStatus::kPending},       {"failed", WorkflowStatus::kFailed},
      {"deprecated", WorkflowStatus::kDeprecated}, {"bogus", std::nullopt},
  };
  for (const auto& [raw, status] : cases) {
    SCOPED_TRACE(raw);
    Document doc = ParseFrontmatterOnly("status: " + raw + "\n");
    EXPECT_EQ(std::vector<std::string>{}, Formatted(doc));
    EXPECT_EQ(raw, doc.frontmatter.raw_status);
    EXPECT_EQ(status, doc.frontmatter.status);
  }
}

TEST(ParseFrontmatter, SkipTrueAndSkipReasonAreReadWithFieldAliasWarnings) {
  Document doc = ParseFrontmatterOnly(
      "endpoint: \"GET /platform/v1/clients/{client_id}/payment/client_packages\"\n"
      "status: pending\n"
      "skip: true\n"
      "skip_reason: \"ENDPOINT NOT IMPLEMENTED\"\n");
  EXPECT_EQ((std::vector<std::string>{
                "fm.md:4:1: warning: skip: true is read as status: skipped; set status instead "
                "[FIELD_ALIAS]",
                "fm.md:5:1: warning: skip_reason is read as skipReason; rename it [FIELD_ALIAS]",
            }),
            Formatted(doc));
  EXPECT_EQ("pending", doc.frontmatter.raw_status);
  EXPECT_EQ(WorkflowStatus::kSkipped, doc.frontmatter.status);
  EXPECT_EQ(std::optional<std::string>("ENDPOINT NOT IMPLEMENTED"), doc.frontmatter.skip_reason);
}

TEST(ParseFrontmatter, SkipReasonWinsOverItsOldSpelling) {
  Document doc = ParseFrontmatterOnly(
      "skipReason: \"new\"\n"
      "skip_reason: \"old\"\n"
      "skip: false\n");
  EXPECT_EQ((std::vector<std::string>{
                "fm.md:3:1: warning: skip_reason is read as skipReason; rename it [FIELD_ALIAS]",
            }),
            Formatted(doc));
  EXPECT_EQ(std::optional<std::string>("new"), doc.frontmatter.skip_reason);
  EXPECT_FALSE(doc.frontmatter.status);
}

TEST(ParseFrontmatter, QuotedBooleansAndNumbersKeepTheirMeaning) {
  Document doc = ParseFrontmatterOnly(
      "useFallbackApi: \"true\"\n"
      "timesReused: \"3\"\n"
      "requiresTestData: false\n"
      "expectedOutcome: [422]\n"
      "expectedOutcomeReason: \"validation error is the documented result\"\n"
      "tags: payments\n"
      "knownIssues:\n"
      "  - path: /data/offerings/*/type\n"
      "  - /data/items/*/price\n");
  EXPECT_EQ(std::vector<std::string>{}, Formatted(doc));
  const Frontmatter& fm = doc.frontmatter;
  EXPECT_EQ(std::optional<bool>(true), fm.use_fallback_api);
  EXPECT_EQ(std::optional<int64_t>(3), fm.times_reused);
  EXPECT_EQ(std::optional<bool>(false), fm.requires_test_data);
  EXPECT_EQ((std::vector<int>{422}), fm.expected_outcome);
  EXPECT_EQ(std::optional<std::string>("validation error is the documented result"),
            fm.expected_outcome_reason);
  EXPECT_EQ((std::vector<std::string>{"payments"}), fm.tags);
  ASSERT_EQ(2u, fm.known_issues.size());
  EXPECT_EQ("/data/offerings/*/type", fm.known_issues[0].path);
  EXPECT_EQ(Json::parse(R"({"path": "/data/offerings/*/type"})"), fm.known_issues[0].detail);
  EXPECT_EQ("/data/items/*/price", fm.known_issues[1].path);
}

TEST(ParseFrontmatter, UnknownFieldSuggestsTheClosestKnownField) {
  Document doc = ParseFrontmatterOnly("domian: sales\nowner: someone\n");
  EXPECT_EQ((std::vector<std::string>{
                "fm.md:2:1: warning: unknown field \"domian\"; did you mean \"domain\"? "
                "[FIELD_UNKNOWN]",
            }),
            Formatted(doc));
  ASSERT_EQ(2u, doc.frontmatter.fields.size());
  EXPECT_EQ(Json("someone"), doc.frontmatter.Find("owner")->value);
  EXPECT_EQ("", doc.frontmatter.domain);
}

// ---------------------------------------------------------------------------------------------
// The real corpus.

TEST(ParseCorpus, EveryDocumentParsesWithoutErrorsAndEveryStepIsFound) {
  PosixFileSystem fs;
  Result<kb::KnowledgeBase> loaded =
      kb::LoadKnowledgeBase(fs, {verity::testing::SharedPath("corpus/vcita/workflows")});
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  ASSERT_EQ(285u, loaded->documents.size());
  size_t steps = 0, step_blocks = 0;
  std::vector<std::string> errors;
  for (const Document& doc : loaded->documents) {
    for (const Diagnostic& d : doc.diagnostics)
      if (d.is_error()) errors.push_back(FormatDiagnostic(d));
    EXPECT_TRUE(doc.has_frontmatter) << doc.file;
    EXPECT_FALSE(doc.frontmatter.endpoint.empty()) << doc.file;
    steps += doc.steps.size();
    for (const CodeBlock& b : doc.blocks) step_blocks += IsStepBlock(b) ? 1 : 0;
  }
  EXPECT_EQ(std::vector<std::string>{}, errors);
  // The counts a real YAML parser (PyYAML) finds in the same files.
  EXPECT_EQ(428u, step_blocks);
  EXPECT_EQ(503u, steps);
}

}  // namespace
}  // namespace verity::doc
