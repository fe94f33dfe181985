// expect's checks as the parser reads them: every form, and every mistake at its file position.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "doc/model.h"
#include "doc/parse_test_support.h"

namespace verity::doc {
namespace {

// "subject target op operand @line:col" for each check.
std::vector<std::string> Checks(const Step& step) {
  std::vector<std::string> out;
  for (const Check& c : step.checks)
    out.push_back(std::string(CheckSubjectName(c.subject)) + " " + c.target + " " + c.op + " " +
                  c.operand.dump() + (c.templated ? " (templated)" : "") + " @" +
                  std::to_string(c.pos.line) + ":" + std::to_string(c.pos.col));
  return out;
}

TEST(ParseExpect, TheListFormGivesOneCheckPerOperatorInTheOrderWritten) {
  Document doc = ParseSteps(R"(  - id: one
    method: GET
    path: "/a"
    expect:
      status: 200
      body:
        - path: "$.data.client.name"
          equals: "{{client_name}}"
        - {path: "$.data.items", count: {gt: 0}, type: array}
        - path: $.data.deleted_at
          absent: true
)");
  EXPECT_EQ(std::vector<std::string>{}, Formatted(doc));
  ASSERT_EQ(1u, doc.steps.size());
  EXPECT_EQ(
      (std::vector<std::string>{
          R"(body $.data.client.name equals "{{client_name}}" (templated) @18:11)",
          R"(body $.data.items count {"gt":0} @19:34)", R"(body $.data.items type "array" @19:50)",
          R"(body $.data.deleted_at absent true @21:11)"}),
      Checks(doc.steps[0]));
  EXPECT_EQ((std::vector<int>{200}), doc.steps[0].expect_status);
  // The operand's placeholder is a reference like any other, so lint can check its source.
  ASSERT_EQ(1u, doc.steps[0].refs.size());
  EXPECT_EQ("client_name", doc.steps[0].refs[0].name);
  EXPECT_EQ("expect/body/0/equals", doc.steps[0].refs[0].where);
}

TEST(ParseExpect, TheShortFormMeansEqualsAndKeepsTheValuesType) {
  Document doc = ParseSteps(R"(  - id: one
    method: GET
    path: "/a"
    expect:
      body:
        "$.data.client.name": Ada
        "$.data.client.age": 36
        "$.data.client.id": "{{client_id}}"
)");
  EXPECT_EQ(std::vector<std::string>{}, Formatted(doc));
  EXPECT_EQ((std::vector<std::string>{
                R"(body $.data.client.name equals "Ada" @16:9)",
                R"(body $.data.client.age equals 36 @17:9)",
                R"(body $.data.client.id equals "{{client_id}}" (templated) @18:9)"}),
            Checks(doc.steps[0]));
}

TEST(ParseExpect, AShortFormValueThatLooksLikeOperatorsIsAnObjectToEqualAndLintSaysSo) {
  Document doc = ParseSteps(R"(  - id: one
    method: GET
    path: "/a"
    expect:
      body:
        "$.data.items": {count: 3}
        "$.data.schema": {type: string, format: date}
)");
  EXPECT_EQ((std::vector<std::string>{
                "steps.md:16:25: warning: \"$.data.items\" must equal this object; to use its "
                "keys as operators, write the check as a list item: - {path: \"$.data.items\", "
                "…} [CHECK_SHORT_FORM_OPERATOR]"}),
            Formatted(doc));
  EXPECT_EQ(2u, doc.steps[0].checks.size());
}

TEST(ParseExpect, HeadersTakeAValueOrOperatorsAndDurationAndContentTypeTheirBounds) {
  Document doc = ParseSteps(R"(  - id: one
    method: POST
    path: "/a"
    expect:
      headers:
        Content-Language: en
        Location: {matches: "/clients/{{new_id}}$"}
        X-Request-Id: {exists: true}
      duration_ms: 500
      content_type: application/json
)");
  EXPECT_EQ(std::vector<std::string>{}, Formatted(doc));
  EXPECT_EQ((std::vector<std::string>{
                R"(header Content-Language equals "en" @16:9)",
                R"(header Location matches "/clients/{{new_id}}$" (templated) @17:20)",
                R"(header X-Request-Id exists true @18:24)", R"(duration  le 500 @19:7)",
                R"(content_type  equals "application/json" @20:7)"}),
            Checks(doc.steps[0]));
}

TEST(ParseExpect, AHeaderValueWrittenAsANumberOrABooleanIsTheTextItWasWrittenAs) {
  Document doc = ParseSteps(R"(  - id: one
    method: GET
    path: "/a"
    expect:
      headers:
        X-Total-Count: 3
        X-Ratio: 1.50
        X-Cached: {in: [true, 0]}
        ETag: {exists: true}
)");
  EXPECT_EQ(std::vector<std::string>{}, Formatted(doc));
  EXPECT_EQ((std::vector<std::string>{
                R"(header X-Total-Count equals "3" @16:9)", R"(header X-Ratio equals "1.50" @17:9)",
                R"(header X-Cached in ["true","0"] @18:20)", R"(header ETag exists true @19:16)"}),
            Checks(doc.steps[0]));
}

TEST(ParseExpect, EveryMistakeIsAnErrorAtItsPositionAndTheCheckIsLeftOut) {
  Document doc = ParseSteps(R"(  - id: one
    method: GET
    path: "/a"
    expect:
      body:
        - path: "$.data[?@.x=="
          equals: 1
        - path: "$.a"
          equal: 1
        - path: "$.a"
          matches: 3
        - path: "$.a"
          count: {between: 3}
        - path: "$.a"
        - equals: 1
        - "$.a"
      headers:
        Location: {count: 1}
      duration_ms: fast
      content_type: json
      statuses: 200
)");
  EXPECT_EQ(
      (std::vector<std::string>{
          // The column of the query's end: where the value to compare is missing.
          "steps.md:16:31: error: \"$.data[?@.x==\" is not a valid JSONPath: expected a value "
          "to compare after '==', found the end of the query [CHECK_PATH_INVALID]",
          "steps.md:19:11: error: unknown operator \"equal\"; did you mean \"equals\"? "
          "[CHECK_OPERATOR_UNKNOWN]",
          "steps.md:21:20: error: matches takes a regular expression string, got a number "
          "[CHECK_VALUE_TYPE]",
          "steps.md:23:18: error: count: \"between\" is not a comparison (eq, lt, le, gt, ge) "
          "[CHECK_VALUE_TYPE]",
          "steps.md:24:11: error: the check of \"$.a\" has no operator (equals, not_equals, "
          "exists, absent, contains, not_contains, matches, in, type, count, length, lt, le, gt, "
          "ge, is_empty, not_empty) [CHECK_SHAPE]",
          "steps.md:25:11: error: a check needs path: a JSONPath such as \"$.data.id\" "
          "[CHECK_SHAPE]",
          "steps.md:26:11: error: a check must be a mapping with path and an operator, got "
          "string \"$.a\" [CHECK_SHAPE]",
          "steps.md:28:20: error: count does not apply to a header; a header takes equals, "
          "not_equals, contains, not_contains, matches, in, exists, absent "
          "[CHECK_OPERATOR_UNKNOWN]",
          "steps.md:29:20: error: expect.duration_ms must be a positive number of milliseconds, "
          "got string \"fast\" [CHECK_VALUE_TYPE]",
          "steps.md:30:21: error: expect.content_type must be a media type such as "
          "application/json, got string \"json\" [CHECK_VALUE_TYPE]",
          "steps.md:31:7: warning: unknown expect key \"statuses\" (kept, not checked); did you "
          "mean \"status\"? [EXPECT_KEY_UNKNOWN]"}),
      Formatted(doc));
  EXPECT_TRUE(doc.steps[0].checks.empty()) << Checks(doc.steps[0]).size();
}

}  // namespace
}  // namespace verity::doc
