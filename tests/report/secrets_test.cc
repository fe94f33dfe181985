// The one property every output shares: a token never shows, even when the producer left it in a
// request record unmasked.
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

using testing::kSecret;

TEST(ReportSecrets, NoOutputShowsAnUnmaskedToken) {
  run::RunResult run = testing::SampleRun();
  ASSERT_EQ(std::string("Bearer ") + kSecret,
            run.documents[2].steps[1].request->headers[0].second);  // the fixture is unmasked

  EXPECT_EQ(std::string::npos, RunReportText(run).find(kSecret));
  EXPECT_EQ(std::string::npos, JunitReportXml(run).find(kSecret));
  EXPECT_EQ(std::string::npos, MarkdownReport(run).find(kSecret));
  EXPECT_EQ(std::string::npos, HtmlReport(run).find(kSecret));
  for (bool tty : {false, true}) {
    ConsoleOptions options;
    options.tty = tty;
    options.color = tty;
    options.verbose = true;
    std::ostringstream out;
    ConsoleReporter reporter(out, options);
    for (const run::RunEvent& event : testing::EventsOf(run)) reporter.OnEvent(0, event);
    EXPECT_EQ(std::string::npos, out.str().find(kSecret)) << (tty ? "tty" : "plain");
  }
}

}  // namespace
}  // namespace verity::report
