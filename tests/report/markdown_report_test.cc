#include "report/markdown_report.h"

#include <gtest/gtest.h>

#include "report/report_fixture.h"
#include "report/text.h"
#include "support/memory_file_system.h"

namespace verity::report {
namespace {

using testing::SampleRun;

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(MarkdownReport, OpensWithTheVerdictAndTheRunsSetting) {
  std::string md = MarkdownReport(SampleRun());
  EXPECT_EQ(0u, md.find("## 🟠 Verity: 2/4 passed (50.0%)\n"));
  EXPECT_TRUE(Has(md, "| Environment | Base URL | Started | Duration |"));
  EXPECT_TRUE(Has(md,
                  "| staging | `https://api.example.com` (fallback `https://fallback.example.com`) "
                  "| 2026-03-01T00:00:00.000Z | 3.2s |"));
}

TEST(MarkdownReport, HasTheSummaryAndPerDomainTables) {
  std::string md = MarkdownReport(SampleRun());
  EXPECT_TRUE(
      Has(md,
          "| Total | ✅ Passed | ⚠️ Warned | ❌ Failed | 💥 Errored | ⏭️ Skipped | "
          "Pass rate |\n|---:|---:|---:|---:|---:|---:|---|\n"
          "| 5 | 1 | 1 | 1 | 1 | 1 | 🟠 50.0% |"));
  EXPECT_TRUE(Has(md, "### By domain"));
  EXPECT_TRUE(Has(md, "| crm | 3 | 1 | 1 | 1 | 0 | 0 | 🟠 66.7% |"));
  EXPECT_TRUE(Has(md, "| sales | 2 | 0 | 0 | 0 | 1 | 1 | 🔴 0.0% |"));
}

TEST(MarkdownReport, DotsFollowThePassRate) {
  EXPECT_STREQ("🟢", PassRateDot(100.0));
  EXPECT_STREQ("🟢", PassRateDot(90.0));
  EXPECT_STREQ("🟡", PassRateDot(89.9));
  EXPECT_STREQ("🟡", PassRateDot(70.0));
  EXPECT_STREQ("🟠", PassRateDot(50.0));
  EXPECT_STREQ("🔴", PassRateDot(49.9));
  EXPECT_STREQ("⚪", PassRateDot(std::nullopt));
}

TEST(MarkdownReport, ListsFailuresThenWarningsThenFoldsPassesAndSkips) {
  std::string md = MarkdownReport(SampleRun());
  size_t failures = md.find("### Failures and errors (2)");
  size_t fail = md.find("#### ❌ FAIL `POST /platform/v1/clients`");
  size_t error = md.find("#### 💥 ERROR `GET /business/payments/v1/invoices/{uid}`");
  size_t warnings = md.find("### Warnings (1)");
  size_t warn = md.find("#### ⚠️ WARN `GET /platform/v1/clients/{uid}`");
  size_t details = md.find("<details>\n<summary>Passed (1) and skipped (1)</summary>");
  ASSERT_NE(std::string::npos, failures);
  ASSERT_NE(std::string::npos, fail);
  ASSERT_NE(std::string::npos, error);
  ASSERT_NE(std::string::npos, warnings);
  ASSERT_NE(std::string::npos, warn);
  ASSERT_NE(std::string::npos, details);
  EXPECT_LT(failures, fail);
  EXPECT_LT(fail, error);
  EXPECT_LT(error, warnings);
  EXPECT_LT(warnings, warn);
  EXPECT_LT(warn, details);
  EXPECT_TRUE(Has(md, "| ✅ PASS | `GET /platform/v1/clients` | crm | 123ms |  |"));
  EXPECT_TRUE(Has(md,
                  "| ⏭️ SKIP | `DELETE /business/payments/v1/invoices/{uid}` | sales | 0ms | "
                  "`DELETE_DISABLED`: Delete operations disabled by configuration |"));
  EXPECT_TRUE(Has(md, "</details>"));
}

TEST(MarkdownReport, FailureBlockShowsReasonSuggestionStepAndThreeIssues) {
  std::string md = MarkdownReport(SampleRun());
  EXPECT_TRUE(Has(md, "- **Reason:** `AUTH_FAILED`\n"));
  EXPECT_TRUE(Has(md,
                  "- **Suggestion:** Set useFallbackApi: true; the fallback URL accepts this "
                  "token\n"));
  EXPECT_TRUE(Has(md, "- **File:** `kb/crm/post_platform_v1_clients.md`\n"));
  EXPECT_TRUE(Has(md,
                  "- **Step:** `create_client` — "
                  "`POST https://fallback.example.com/platform/v1/clients` → 401\n"));
  EXPECT_TRUE(Has(md, "  - `/error` `AUTH_FAILED`: The token was rejected\n"));
  EXPECT_TRUE(Has(md, "  - `/data/uid` `MISSING_REQUIRED_FIELD`: uid is required\n"));
  EXPECT_FALSE(Has(md, "fourth issue"));
  EXPECT_TRUE(Has(md, "  - … and 1 more\n"));
}

TEST(MarkdownReport, EscapesServerTextSoItCannotInjectMarkup) {
  std::string md = MarkdownReport(SampleRun());
  EXPECT_FALSE(Has(md, "<img"));
  EXPECT_TRUE(Has(md,
                  "- **Message:** Token rejected \\| &lt;img src=x onerror=alert(1)&gt; "
                  "&amp; &quot;quotes&quot;  end\n"));
  EXPECT_EQ(std::string::npos, md.find('\x01'));
  EXPECT_EQ(std::string::npos, md.find('\x1b'));
}

TEST(MarkdownReport, EscapingHelpersNeutraliseLinksCodeAndTableBreaks) {
  EXPECT_EQ("\\[x\\](javascript:alert(1)) \\*b\\* a\\_b",
            MarkdownText("[x](javascript:alert(1)) *b* a_b"));
  EXPECT_EQ("one two", MarkdownText("one\ntwo"));
  EXPECT_EQ("``a`b``", MarkdownCode("a`b"));
  EXPECT_EQ("`` `a ``", MarkdownCode("`a"));
  EXPECT_EQ("`a|b`", MarkdownCode("a|b"));
  EXPECT_EQ("`a\\|b`", MarkdownCode("a|b", true));
}

TEST(MarkdownReport, CapsTheDetailedBlocks) {
  run::RunResult run = SampleRun();
  for (int i = 0; i < 3; ++i) run.documents.push_back(run.documents[2]);
  MarkdownOptions options;
  options.max_detailed = 2;
  std::string md = MarkdownReport(run, options);
  EXPECT_TRUE(Has(md, "### Failures and errors (5)"));
  EXPECT_TRUE(Has(md, "… and 3 more; the JSON report has them all."));
}

TEST(MarkdownReport, WritesTheFileAtomically) {
  verity::testing::MemoryFileSystem fs;
  ASSERT_TRUE(WriteMarkdownReport(fs, "summary.md", SampleRun()).ok());
  EXPECT_EQ(MarkdownReport(SampleRun()), fs.Get("summary.md"));
}

}  // namespace
}  // namespace verity::report
