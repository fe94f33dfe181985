#include "run/classify.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "base/strings.h"
#include "run/outcome.h"
#include "support/paths.h"

namespace verity::run {
namespace {

Classification Classify(int status, std::string_view body, bool documented) {
  StatusContext c;
  c.status = status;
  c.body = body;
  c.documented = documented;
  c.token_type = "staff";
  c.expected = "2xx";
  return ClassifyStatus(c);
}

TEST(ClassifyStatus, TheMocksNoOperationAnswerIsAMissingEndpointNotMissingData) {
  const char* body =
      R"({"errors":[{"code":"NO_OPERATION","message":"no operation GET /resources/x in the loaded specs"}]})";
  for (bool documented : {false, true}) {
    Classification k = Classify(404, body, documented);
    EXPECT_EQ(k.reason, "ENDPOINT_NOT_FOUND") << documented;
    EXPECT_EQ(k.outcome, Outcome::kFail);
    EXPECT_EQ(k.message,
              "404: the endpoint does not exist at this base URL: no operation GET /resources/x "
              "in the loaded specs");
    EXPECT_NE(k.suggestion.find("the mock serves only the operations"), std::string::npos);
  }
}

TEST(ClassifyStatus, AnEmptyNotFoundTheOperationDocumentsIsTheApiSpeaking) {
  Classification k = Classify(404, "", true);
  EXPECT_EQ(k.reason, "RESOURCE_NOT_FOUND");
  EXPECT_EQ(k.outcome, Outcome::kError);
}

TEST(ClassifyStatus, AnEmptyNotFoundTheOperationDoesNotDocumentIsAMissingEndpoint) {
  Classification k = Classify(404, "", false);
  EXPECT_EQ(k.reason, "ENDPOINT_NOT_FOUND");
  EXPECT_EQ(k.outcome, Outcome::kFail);
}

TEST(ClassifyStatus, ARoutingLayersNotFoundIsAMissingEndpointEvenWhenDocumented) {
  Classification k = Classify(404, "Cannot GET /things/7", true);
  EXPECT_EQ(k.reason, "ENDPOINT_NOT_FOUND");
  EXPECT_EQ(k.outcome, Outcome::kFail);
}

TEST(ClassifyStatus, AnApisOwnNotFoundIsMissingData) {
  EXPECT_EQ(Classify(404, R"({"message":"client not found"})", true).outcome, Outcome::kError);
  EXPECT_EQ(Classify(404, R"({"message":"client not found"})", false).outcome, Outcome::kFail);
  EXPECT_EQ(Classify(404, R"({"message":"client not found"})", false).reason, "RESOURCE_NOT_FOUND");
}

TEST(ClassifyStatus, ASuccessWhereANegativeRecipeExpectsARefusalFailsAsTheTableSays) {
  StatusContext c;
  c.status = 200;
  c.body = "{}";
  c.documented = true;
  c.expected = "400";
  Classification k = ClassifyStatus(c);
  EXPECT_EQ(k.reason, "UNEXPECTED_STATUS");
  EXPECT_EQ(k.outcome, Outcome::kFail);
  EXPECT_EQ(k.outcome, OutcomeFor(k.reason, true));
}

TEST(ReasonTable, IssueSeveritiesFollowTheOutcomes) {
  EXPECT_EQ(IssueSeverity("UNDOCUMENTED_STATUS", "error"), "warning");
  EXPECT_EQ(IssueSeverity("UNDOCUMENTED_FIELD", "error"), "warning");
  EXPECT_EQ(IssueSeverity("TYPE_MISMATCH", "warning"), "error");
  EXPECT_EQ(IssueSeverity("ENUM_MISMATCH", "warning"), "error");
  EXPECT_EQ(IssueSeverity("SOMETHING_NEW", "warning"), "warning");
}

// docs/run.md shows the table the code follows; they must not drift apart.
TEST(ReasonTable, TheRunDocumentationListsEveryReasonWithItsOutcome) {
  std::string text = verity::testing::ReadFileOrDie(verity::testing::SourcePath("docs/run.md"));
  size_t start = text.find("| Reason | Outcome | Why |");
  ASSERT_NE(start, std::string::npos);
  std::map<std::string, ReasonOutcome> documented;
  size_t pos = text.find('\n', start);
  pos = text.find('\n', pos + 1) + 1;  // past the |---| row
  while (pos < text.size() && text[pos] == '|') {
    size_t eol = text.find('\n', pos);
    std::string row = text.substr(pos, eol - pos);
    std::vector<std::string_view> cells = Split(row, '|');
    ASSERT_GE(cells.size(), 4u) << row;
    std::string outcome(Trim(cells[2]));
    ReasonOutcome parsed = ReasonOutcome::kFail;
    if (outcome == "PASS") {
      parsed = ReasonOutcome::kPass;
    } else if (outcome == "WARN") {
      parsed = ReasonOutcome::kWarn;
    } else if (outcome == "FAIL") {
      parsed = ReasonOutcome::kFail;
    } else if (outcome == "SKIP") {
      parsed = ReasonOutcome::kSkip;
    } else if (outcome.starts_with("ERROR when")) {
      parsed = ReasonOutcome::kErrorWhenDocumented;
    } else if (outcome == "the failed step's") {
      parsed = ReasonOutcome::kOfTheFailedStep;
    } else {
      FAIL() << "unknown outcome in docs/run.md: " << row;
    }
    for (std::string_view item : Split(cells[1], ',')) {
      std::string reason(Trim(item));
      ASSERT_TRUE(reason.size() > 2 && reason.front() == '`' && reason.back() == '`') << row;
      EXPECT_TRUE(documented.emplace(reason.substr(1, reason.size() - 2), parsed).second) << row;
    }
    pos = eol + 1;
  }
  for (const ReasonRule& rule : ReasonRules()) {
    auto it = documented.find(std::string(rule.reason));
    ASSERT_NE(it, documented.end()) << rule.reason << " is not in docs/run.md";
    EXPECT_EQ(static_cast<int>(it->second), static_cast<int>(rule.outcome)) << rule.reason;
    documented.erase(it);
  }
  for (const auto& [reason, outcome] : documented)
    ADD_FAILURE() << reason << " is in docs/run.md but not in ReasonRules()";
}

}  // namespace
}  // namespace verity::run
