// The validation knobs through a whole run, against a real spec of the corpus: the vcita
// conversations API (Swagger 2.0), whose Conversation says in prose that `follow_up_date` is null
// when no follow-up is set but does not mark it nullable, and declares it a date-time. Each knob
// both ways: today's behaviour by default, and what the knob makes of the same answer.
#include <gtest/gtest.h>

#include "base/file_system.h"
#include "run/executor.h"
#include "run/executor_fixture.h"
#include "spec/catalog.h"
#include "support/paths.h"

namespace verity::run::testing {
namespace {

constexpr const char* kSpecPath = "specs/communication/legacy/conversations.json";

std::string CorpusSpec() {
  PosixFileSystem disk;
  Result<std::string> text = disk.ReadFile(
      verity::testing::SharedPath("corpus/vcita/swagger/communication/legacy/conversations.json"));
  EXPECT_TRUE(text.ok()) << text.status().ToString();
  return text.ok() ? *text : "";
}

constexpr const char* kRecipe = R"(---
endpoint: "PUT /v2/conversations/{id}"
domain: communication
status: verified
tokens: [staff]
---

# Archive a conversation

## Test Request

```yaml
steps:
  - id: archive
    method: PUT
    path: /v2/conversations/89m2pnabgozdvd9f
    body:
      archived: true
```
)";

class ValidationKnobs : public ExecutorTest {
 protected:
  ValidationKnobs() : specs_(fs) {
    settings.spec_root = "specs";
    EXPECT_TRUE(specs_.AddText(kSpecPath, CorpusSpec(), "communication"));
    catalog = &specs_;
  }

  DocumentResult Answer(int status, const std::string& body) {
    AddDoc("communication/archive.md", kRecipe);
    transport.Script("PUT", "*", Reply(status, body));
    return Only(RunAll());
  }

  static const Issue* Find(const std::vector<Issue>& issues, const std::string& code) {
    for (const Issue& issue : issues) {
      if (issue.code == code) return &issue;
    }
    return nullptr;
  }

  // The document's documentation issues about the answer. The spec's prose names no token type,
  // so a MISSING_TOKEN_DOCUMENTATION may be among them; it is not what these tests are about.
  static std::vector<std::string> AnswerFindings(const DocumentResult& d) {
    std::vector<std::string> codes;
    for (const Issue& issue : d.documentation_issues) {
      if (issue.code != "MISSING_TOKEN_DOCUMENTATION") codes.push_back(issue.code);
    }
    return codes;
  }

  spec::Catalog specs_;
};

constexpr const char* kNullFollowUp =
    R"({"uid":"89m2pnabgozdvd9f","archived":true,"follow_up":false,"follow_up_date":null})";
constexpr const char* kRubyDate =
    R"({"uid":"89m2pnabgozdvd9f","archived":true,"follow_up_date":"2026-05-06 13:31:21 +0300"})";
constexpr const char* kExtraField =
    R"({"uid":"89m2pnabgozdvd9f","archived":true,"inbox_position":3})";

TEST_F(ValidationKnobs, ANullOptionalFieldTheSpecDoesNotMarkNullableFailsByDefault) {
  DocumentResult d = Answer(200, kNullFollowUp);
  EXPECT_EQ(d.outcome, Outcome::kFail);
  EXPECT_EQ(d.reason, "TYPE_MISMATCH");
  ASSERT_FALSE(d.steps[0].issues.empty());
  EXPECT_EQ(d.steps[0].issues[0].pointer, "/follow_up_date");
}

TEST_F(ValidationKnobs, OptionalNullableMakesANullOptionalFieldAWarningThatStaysVisible) {
  settings.validation.knobs.optional_nullable = true;
  DocumentResult d = Answer(200, kNullFollowUp);
  EXPECT_EQ(d.outcome, Outcome::kWarn) << d.message;
  EXPECT_EQ(d.reason, "TYPE_MISMATCH");
  EXPECT_NE(d.message.find("optional_nullable is true"), std::string::npos) << d.message;
  const Issue* issue = Find(d.steps[0].issues, "TYPE_MISMATCH");
  ASSERT_NE(issue, nullptr);
  EXPECT_EQ(issue->severity, "warning");
  EXPECT_EQ(issue->pointer, "/follow_up_date");
  EXPECT_EQ(AnswerFindings(d), std::vector<std::string>{"TYPE_MISMATCH"});
}

TEST_F(ValidationKnobs, OptionalNullableStillFailsANullOfTheWrongKindElsewhere) {
  // The knob is about null only: a string where the spec says boolean still fails.
  settings.validation.knobs.optional_nullable = true;
  DocumentResult d = Answer(200, R"({"follow_up_date":null,"archived":"yes"})");
  EXPECT_EQ(d.outcome, Outcome::kFail);
  EXPECT_EQ(d.reason, "TYPE_MISMATCH");
  EXPECT_NE(d.message.find("/archived"), std::string::npos) << d.message;
}

TEST_F(ValidationKnobs, ADateThatIsNotRfc3339FailsByDefault) {
  DocumentResult d = Answer(200, kRubyDate);
  EXPECT_EQ(d.outcome, Outcome::kFail);
  EXPECT_EQ(d.reason, "SCHEMA_MISMATCH");
  ASSERT_NE(Find(d.steps[0].issues, "FORMAT_MISMATCH"), nullptr);
}

TEST_F(ValidationKnobs, CheckFormatsWarnMakesAFormatMismatchAWarningNamingTheKnob) {
  settings.validation.knobs.check_formats = spec::FindingLevel::kWarning;
  DocumentResult d = Answer(200, kRubyDate);
  EXPECT_EQ(d.outcome, Outcome::kWarn) << d.message;
  EXPECT_EQ(d.reason, "FORMAT_MISMATCH");
  EXPECT_NE(d.message.find("check_formats is warn"), std::string::npos) << d.message;
  const Issue* issue = Find(d.steps[0].issues, "FORMAT_MISMATCH");
  ASSERT_NE(issue, nullptr);
  EXPECT_EQ(issue->severity, "warning");
}

TEST_F(ValidationKnobs, CheckFormatsFalseDoesNotCheckFormats) {
  settings.validation.knobs.check_formats = spec::FindingLevel::kIgnore;
  DocumentResult d = Answer(200, kRubyDate);
  EXPECT_NE(d.outcome, Outcome::kFail) << d.message;
  EXPECT_TRUE(AnswerFindings(d).empty());
  EXPECT_TRUE(d.steps[0].issues.empty());
}

TEST_F(ValidationKnobs, AnUndocumentedFieldIsAWarningByDefault) {
  DocumentResult d = Answer(200, kExtraField);
  EXPECT_EQ(d.outcome, Outcome::kWarn);
  EXPECT_EQ(d.reason, "UNDOCUMENTED_FIELD");
}

TEST_F(ValidationKnobs, UndocumentedFieldsErrorFailsTheRecipe) {
  settings.validation.knobs.undocumented_fields = spec::FindingLevel::kError;
  DocumentResult d = Answer(200, kExtraField);
  EXPECT_EQ(d.outcome, Outcome::kFail);
  EXPECT_EQ(d.reason, "SCHEMA_MISMATCH");
  EXPECT_NE(d.message.find("undocumented_fields is error"), std::string::npos) << d.message;
  const Issue* issue = Find(d.steps[0].issues, "UNDOCUMENTED_FIELD");
  ASSERT_NE(issue, nullptr);
  EXPECT_EQ(issue->severity, "error");
  EXPECT_EQ(issue->pointer, "/inbox_position");
}

TEST_F(ValidationKnobs, UndocumentedFieldsIgnoreReportsNothing) {
  settings.validation.knobs.undocumented_fields = spec::FindingLevel::kIgnore;
  DocumentResult d = Answer(200, kExtraField);
  EXPECT_NE(d.outcome, Outcome::kFail) << d.message;
  EXPECT_TRUE(AnswerFindings(d).empty());
  EXPECT_TRUE(d.steps[0].issues.empty());
}

TEST_F(ValidationKnobs, AnUndocumentedStatusIsAWarningByDefault) {
  DocumentResult d = Answer(202, "{}");
  EXPECT_EQ(d.outcome, Outcome::kWarn);
  EXPECT_EQ(d.reason, "UNDOCUMENTED_STATUS");
}

TEST_F(ValidationKnobs, UndocumentedStatusErrorFailsTheRecipeNamingTheKnob) {
  settings.validation.knobs.undocumented_status = spec::FindingLevel::kError;
  DocumentResult d = Answer(202, "{}");
  EXPECT_EQ(d.outcome, Outcome::kFail);
  EXPECT_EQ(d.reason, "SCHEMA_MISMATCH");
  EXPECT_NE(d.message.find("status 202 is not documented"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("undocumented_status is error"), std::string::npos) << d.message;
}

TEST_F(ValidationKnobs, ASpecEntryChangesTheKnobsForTheSpecsItsGlobMatches) {
  SpecValidationRule& rule = settings.validation.specs.emplace_back();
  rule.spec = "communication/legacy/*";
  rule.optional_nullable = true;
  DocumentResult d = Answer(200, kNullFollowUp);
  EXPECT_EQ(d.outcome, Outcome::kWarn) << d.message;
}

TEST_F(ValidationKnobs, ASpecEntryMatchesBySpecDomainToo) {
  settings.validation.knobs.check_formats = spec::FindingLevel::kWarning;
  SpecValidationRule& rule = settings.validation.specs.emplace_back();
  rule.spec = "communication";
  rule.check_formats = spec::FindingLevel::kError;
  DocumentResult d = Answer(200, kRubyDate);
  EXPECT_EQ(d.outcome, Outcome::kFail) << d.message;
}

TEST_F(ValidationKnobs, ASpecEntryForOtherSpecsLeavesTheEnvironmentsKnobs) {
  SpecValidationRule& rule = settings.validation.specs.emplace_back();
  rule.spec = "sales/*";
  rule.optional_nullable = true;
  DocumentResult d = Answer(200, kNullFollowUp);
  EXPECT_EQ(d.outcome, Outcome::kFail);
}

}  // namespace
}  // namespace verity::run::testing
