// A failed write-back (WRITE_BACK_FAILED) in every report: the console at once and in the summary
// and verdict, JSON, JUnit, Markdown and HTML, escaped for each like any other text.
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

constexpr char kError[] =
    "cannot create a temporary file for kb/crm/<b>x.md: Read-only file system";

// The sample run, its passing document's update not written.
run::RunResult RunWithAFailedWriteBack() {
  run::RunResult run = SampleRun();
  run::DocumentResult& pass = run.documents[0];
  EXPECT_EQ(pass.outcome, run::Outcome::kPass);
  pass.kb_updates.clear();
  pass.write_back_failures = {{"kb/crm/<b>x.md", kError}};
  run.summary.write_back_failed = 1;
  return run;
}

std::string Console(const run::RunResult& run, bool quiet) {
  std::ostringstream out;
  ConsoleOptions options;
  options.quiet = quiet;
  ConsoleReporter reporter(out, options);
  uint64_t sequence = 0;
  for (const run::RunEvent& event : EventsOf(run)) reporter.OnEvent(++sequence, event);
  return out.str();
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(WriteBackReport, TheConsoleSaysItAtOnceInTheSummaryAndInTheVerdict) {
  std::string out = Console(RunWithAFailedWriteBack(), false);
  std::string line = "  ✗ WRITE_BACK_FAILED kb/crm/<b>x.md: " + std::string(kError) + "\n";
  size_t first = out.find(line);
  ASSERT_NE(first, std::string::npos) << out;
  EXPECT_LT(first, out.find("\nSummary\n")) << "said when the document ends";
  EXPECT_TRUE(Has(out, "\nKnowledge base not updated (1)\n" + line)) << out;
  EXPECT_TRUE(Has(out, "knowledge base not updated for 1 document (WRITE_BACK_FAILED)")) << out;
  EXPECT_FALSE(Has(out, "✓ PASSED"));
}

TEST(WriteBackReport, QuietStillSaysIt) {
  std::string out = Console(RunWithAFailedWriteBack(), true);
  EXPECT_EQ(out, "  ✗ WRITE_BACK_FAILED kb/crm/<b>x.md: " + std::string(kError) +
                     "\n2/4 passed (50.0%); knowledge base not updated for 1 document\n");
}

TEST(WriteBackReport, AnOtherwisePassingRunIsNotPassed) {
  run::RunResult run = RunWithAFailedWriteBack();
  run.documents = {run.documents[0]};
  run.summary.totals = {};
  run.summary.totals.Add(run::Outcome::kPass);
  EXPECT_EQ(run::ExitCodeFor(run), 3);
  EXPECT_FALSE(Has(Console(run, false), "✓ PASSED"));
  EXPECT_TRUE(Has(HtmlReport(run), "<span class=\"verdict failed\">FAILED</span>"));
  EXPECT_EQ(RunReportJson(run)["summary"]["verdict"], "failed");
}

TEST(WriteBackReport, TheJsonReportListsItPerDocumentAndCountsIt) {
  Json report = RunReportJson(RunWithAFailedWriteBack());
  EXPECT_EQ(report["summary"]["writeBackFailed"], 1);
  EXPECT_EQ(report["summary"]["exitCode"], 3);
  const Json& errors = report["results"][0]["writeBackErrors"];
  ASSERT_EQ(errors.size(), 1u) << report["results"][0].dump(2);
  EXPECT_EQ(
      errors[0],
      (Json{{"file", "kb/crm/<b>x.md"}, {"reason", "WRITE_BACK_FAILED"}, {"message", kError}}));
  EXPECT_TRUE(report["results"][1]["writeBackErrors"].empty());
}

TEST(WriteBackReport, JunitPutsItInTheCasesSystemErrEscaped) {
  std::string xml = JunitReportXml(RunWithAFailedWriteBack());
  EXPECT_TRUE(Has(xml,
                  "<system-err>WRITE_BACK_FAILED kb/crm/&lt;b&gt;x.md: cannot create a temporary "
                  "file for kb/crm/&lt;b&gt;x.md: Read-only file system\n</system-err>"))
      << xml;
  EXPECT_FALSE(Has(xml, "<b>x.md"));
}

TEST(WriteBackReport, MarkdownListsItBeforeTheFailures) {
  std::string md = MarkdownReport(RunWithAFailedWriteBack());
  size_t section = md.find("### ❗ Knowledge base not updated (1)");
  ASSERT_NE(section, std::string::npos) << md;
  EXPECT_LT(section, md.find("### Failures and errors"));
  EXPECT_TRUE(Has(md, "— knowledge base not updated")) << md;
  EXPECT_TRUE(Has(md.substr(section), "WRITE_BACK_FAILED"));
  EXPECT_TRUE(Has(md.substr(section), "- `kb/crm/<b>x.md`: `WRITE_BACK_FAILED` cannot create"))
      << "the file name is code, never markup: " << md;
}

TEST(WriteBackReport, HtmlShowsItInTheHeaderAndTheDocumentsFactsEscaped) {
  std::string html = HtmlReport(RunWithAFailedWriteBack());
  EXPECT_TRUE(Has(html, "knowledge base not updated for 1 document (WRITE_BACK_FAILED)")) << html;
  EXPECT_TRUE(Has(html,
                  "<dt>Not updated</dt><dd><code>WRITE_BACK_FAILED</code> "
                  "<code>kb/crm/&lt;b&gt;x.md</code>: cannot create"))
      << html;
  EXPECT_FALSE(Has(html, "<b>x.md"));
}

}  // namespace
}  // namespace verity::report
