// A step's checks in every output: the JSON report carries each one whole, the console, JUnit,
// Markdown and HTML say of each failed check its path, operator, expected and seen values and its
// line, and `-v` shows the passing ones too.
#include <gtest/gtest.h>

#include <sstream>

#include "report/check_fixture.h"
#include "report/console.h"
#include "report/html_report.h"
#include "report/json_report.h"
#include "report/junit_report.h"
#include "report/markdown_report.h"
#include "report/report_fixture.h"
#include "support/xml_dom.h"

namespace verity::report {
namespace {

using testing::CheckedRun;
using testing::EventsOf;

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

size_t CountOf(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

std::string Console(const run::RunResult& run, bool verbose) {
  std::ostringstream out;
  ConsoleOptions options;
  options.verbose = verbose;
  ConsoleReporter reporter(out, options);
  uint64_t sequence = 0;
  for (const run::RunEvent& event : EventsOf(run)) reporter.OnEvent(++sequence, event);
  return out.str();
}

TEST(JsonReport, AFailedCheckCarriesPathOperatorExpectedActualAndLine) {
  Json step = RunReportJson(CheckedRun())["results"][0]["steps"][0];
  ASSERT_TRUE(step.contains("checks"));
  ASSERT_EQ(step["checks"].size(), 3u);
  const Json& failed = step["checks"][1];
  EXPECT_EQ(failed["subject"], "body");
  EXPECT_EQ(failed["target"], "$.data.client.name");
  EXPECT_EQ(failed["op"], "equals");
  EXPECT_EQ(failed["expected"], "\"Ada\"");
  EXPECT_EQ(failed["actual"], "\"Bob\"");
  EXPECT_EQ(failed["passed"], false);
  EXPECT_EQ(failed["message"], "the values differ");
  EXPECT_EQ(failed["line"], 14);
  EXPECT_EQ(failed["col"], 11);
  const Json& passed = step["checks"][0];
  EXPECT_EQ(passed["passed"], true);
  EXPECT_TRUE(passed["message"].is_null()) << "a passed check has nothing to explain";
}

TEST(JsonReport, AStepWithoutChecksHasNoChecksMember) {
  Json report = RunReportJson(testing::SampleRun());
  for (const Json& result : report["results"])
    for (const Json& step : result["steps"]) EXPECT_FALSE(step.contains("checks")) << step["id"];
}

TEST(JsonReport, ChecksOfAStepRunThroughUseAreInItsNestedSteps) {
  run::RunResult run = CheckedRun();
  run::StepResult outer;
  outer.id = "create_and_read";
  outer.section = "use";
  outer.outcome = run::Outcome::kFail;
  outer.nested.push_back(run.documents[0].steps[0]);
  run.documents[0].steps = {outer};
  Json step = RunReportJson(run)["results"][0]["steps"][0];
  EXPECT_FALSE(step.contains("checks"));
  ASSERT_EQ(step["steps"][0]["checks"].size(), 3u);
}

TEST(Console, AFailedCheckIsListedWithPathOperatorExpectedActualAndLine) {
  std::string out = Console(CheckedRun(), false);
  EXPECT_TRUE(Has(out,
                  "check:      body $.data.client.name equals \"Ada\": the values differ; "
                  "expected \"Ada\", got \"Bob\" (line 14)\n"))
      << out;
  EXPECT_TRUE(Has(out,
                  "check:      header X-Note matches \"^<b>ok</b>$\": the value does not match; "
                  "expected \"^<b>ok</b>$\", got \"<img src=x onerror=alert(1)> & more\" "
                  "(line 16)\n"))
      << out;
  EXPECT_FALSE(Has(out, "header Location")) << "a passing check is shown only with -v\n" << out;
  EXPECT_FALSE(Has(out, "issue:")) << "the checks' CHECK_FAILED issues would say it twice\n" << out;
}

TEST(Console, VerboseListsPassingChecksUnderTheirStepToo) {
  std::string out = Console(CheckedRun(), true);
  EXPECT_TRUE(Has(out, "    FAIL  read_back  GET http://127.0.0.1:1/platform/v1/clients/c42 → 200"))
      << out;
  EXPECT_TRUE(Has(out, "      ✓ header Location exists: got \"/clients/c42\" (line 12)\n")) << out;
  EXPECT_TRUE(Has(out,
                  "      ✗ body $.data.client.name equals \"Ada\": the values differ; expected "
                  "\"Ada\", got \"Bob\" (line 14)\n"))
      << out;
}

TEST(JunitReport, AFailureListsEachFailedCheckWithExpectedActualAndLine) {
  std::string xml = JunitReportXml(CheckedRun());
  verity::testing::ParseResult parsed = verity::testing::ParseXml(xml);
  ASSERT_TRUE(parsed.ok) << parsed.error;
  std::vector<const verity::testing::Element*> failures = parsed.document.All("failure");
  ASSERT_EQ(failures.size(), 1u);
  std::string text = failures[0]->AllText();
  EXPECT_TRUE(Has(text,
                  "check failed: body $.data.client.name equals \"Ada\": the values differ; "
                  "expected \"Ada\", got \"Bob\" (line 14)\n"))
      << text;
  EXPECT_TRUE(Has(text,
                  "check failed: header X-Note matches \"^<b>ok</b>$\": the value does not "
                  "match; expected \"^<b>ok</b>$\", got \"<img src=x onerror=alert(1)> & "
                  "more\" (line 16)\n"))
      << text;
  EXPECT_EQ(CountOf(text, "issue: CHECK_FAILED"), 0u) << text;
  EXPECT_FALSE(Has(text, "header Location")) << text;
}

TEST(MarkdownReport, AFailureBlockListsEachFailedCheckAsCode) {
  std::string md = MarkdownReport(CheckedRun());
  EXPECT_TRUE(Has(md,
                  "- **Failed checks:**\n"
                  "  - `body $.data.client.name equals \"Ada\"`: the values differ; expected "
                  "`\"Ada\"`, got `\"Bob\"` (line 14)\n"))
      << md;
  EXPECT_TRUE(Has(md, "`\"<img src=x onerror=alert(1)> & more\"`")) << md;
  EXPECT_FALSE(Has(md, "CHECK_FAILED`: check at line")) << md;
}

TEST(HtmlReport, AStepShowsEveryCheckWithItsMarkAndEscapesTheValues) {
  std::string html = HtmlReport(CheckedRun());
  verity::testing::ParseResult parsed = verity::testing::ParseXml(html);
  ASSERT_TRUE(parsed.ok) << parsed.error;
  EXPECT_TRUE(parsed.document.All("img").empty()) << "a value must not become markup";
  std::vector<const verity::testing::Element*> rows;
  for (const verity::testing::Element* tr : parsed.document.All("tr"))
    if (tr->Attribute("class").starts_with("check ")) rows.push_back(tr);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0]->Attribute("class"), "check pass");
  EXPECT_EQ(rows[0]->AllText(), "✓12header Location existstrue\"/clients/c42\"");
  EXPECT_EQ(rows[1]->Attribute("class"), "check fail");
  EXPECT_EQ(rows[1]->AllText(),
            "✗14body $.data.client.name equals \"Ada\"\"Ada\"\"Bob\"the values differ");
  EXPECT_TRUE(Has(rows[2]->AllText(), "\"<img src=x onerror=alert(1)> & more\""));
  EXPECT_TRUE(Has(html, "&lt;img src=x onerror=alert(1)&gt; &amp; more"));
}

}  // namespace
}  // namespace verity::report
