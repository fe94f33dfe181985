// Every report says which results ran a request built from the spec rather than a recipe, and a
// recipe's result reads as it always did.
#include <gtest/gtest.h>

#include <sstream>

#include "report/console.h"
#include "report/html_report.h"
#include "report/json_report.h"
#include "report/junit_report.h"
#include "report/markdown_report.h"
#include "report/report_fixture.h"

namespace verity::report {
namespace {

using testing::EventsOf;
using testing::SampleRun;

// The sample run with its first (PASS) and third (FAIL) results built from the spec.
run::RunResult RunWithSpecResults() {
  run::RunResult run = SampleRun();
  run.documents[0].source = "spec";
  run.documents[0].kb_updates.clear();
  run.documents[2].source = "spec";
  return run;
}

std::string Console(const run::RunResult& run) {
  std::ostringstream out;
  ConsoleReporter reporter(out, ConsoleOptions{});
  uint64_t sequence = 0;
  for (const run::RunEvent& event : EventsOf(run)) reporter.OnEvent(++sequence, event);
  return out.str();
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(SourceReport, JsonResultsSaySourceSpecOrRecipe) {
  Json results = RunReportJson(RunWithSpecResults())["results"];
  EXPECT_EQ("spec", results[0]["source"]);
  EXPECT_EQ("recipe", results[1]["source"]);
  EXPECT_EQ("spec", results[2]["source"]);
}

TEST(SourceReport, ConsoleLineOfADocumentFromTheSpecIsTaggedAndARecipesIsUnchanged) {
  std::string out = Console(RunWithSpecResults());
  EXPECT_TRUE(Has(out, "PASS  GET /platform/v1/clients  (from spec) (123 ms)\n")) << out;
  EXPECT_TRUE(Has(out, "FAIL  POST /platform/v1/clients  (from spec)  AUTH_FAILED: ")) << out;
  EXPECT_TRUE(Has(out, "\n  1) FAIL  POST /platform/v1/clients  (from spec)\n")) << out;
  EXPECT_TRUE(Has(out, "WARN  GET /platform/v1/clients/{uid}  UNDOCUMENTED_FIELD: ")) << out;
  EXPECT_FALSE(Has(Console(SampleRun()), "from spec"));
}

TEST(SourceReport, JunitNamesACaseFromTheSpecAndGivesItASourceProperty) {
  std::string xml = JunitReportXml(RunWithSpecResults());
  EXPECT_TRUE(Has(xml, "name=\"GET /platform/v1/clients (from spec)\"")) << xml;
  EXPECT_TRUE(Has(xml, "<property name=\"source\" value=\"spec\"/>")) << xml;
  EXPECT_TRUE(Has(xml, "name=\"GET /platform/v1/clients/{uid}\"")) << xml;
  std::string recipes = JunitReportXml(SampleRun());
  EXPECT_FALSE(Has(recipes, "from spec"));
  EXPECT_FALSE(Has(recipes, "name=\"source\"")) << "a recipe's case carries no new property";
}

TEST(SourceReport, MarkdownAndHtmlTagTheEndpointOfAResultFromTheSpec) {
  std::string markdown = MarkdownReport(RunWithSpecResults());
  EXPECT_TRUE(Has(markdown, "`POST /platform/v1/clients` *(from spec)*")) << markdown;
  EXPECT_FALSE(Has(MarkdownReport(SampleRun()), "from spec"));
  std::string html = HtmlReport(RunWithSpecResults());
  EXPECT_TRUE(Has(html, "POST /platform/v1/clients</code> <span class=\"source\">from spec</span>"))
      << html;
  EXPECT_FALSE(Has(HtmlReport(SampleRun()), ">from spec<"));
}

}  // namespace
}  // namespace verity::report
