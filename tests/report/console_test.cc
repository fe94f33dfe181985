#include "report/console.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <sstream>

#include "base/strings.h"
#include "report/report_fixture.h"

namespace verity::report {
namespace {

using testing::EventsOf;
using testing::SampleRun;

std::string Render(const run::RunResult& run, ConsoleOptions options) {
  std::ostringstream out;
  ConsoleReporter reporter(out, options);
  uint64_t sequence = 0;
  for (const run::RunEvent& event : EventsOf(run)) reporter.OnEvent(++sequence, event);
  return out.str();
}

ConsoleOptions Plain() { return ConsoleOptions{}; }
ConsoleOptions Tty(int width = 80) {
  ConsoleOptions options;
  options.tty = true;
  options.width = width;
  return options;
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(Console, PlainOutputHasOneLinePerDocumentAndNoEscapeCodes) {
  std::string out = Render(SampleRun(), Plain());
  EXPECT_EQ(0u, out.find("Running 5 documents against https://api.example.com (staging)\n"
                         "PASS  GET /platform/v1/clients (123 ms)\n"
                         "WARN  GET /platform/v1/clients/{uid}  UNDOCUMENTED_FIELD: The response "
                         "has a field the spec does not document\n"
                         "FAIL  POST /platform/v1/clients  AUTH_FAILED: Token rejected | "
                         "<img src=x onerror=alert(1)> & \"quotes\"  end\n"
                         "ERROR GET /business/payments/v1/invoices/{uid}  RESOURCE_NOT_FOUND: "
                         "Invoice not found[31m\n"
                         "SKIP  DELETE /business/payments/v1/invoices/{uid}  DELETE_DISABLED: "
                         "Delete operations disabled by configuration\n"))
      << out;
  EXPECT_EQ(std::string::npos, out.find('\x1b'));
  EXPECT_EQ(std::string::npos, out.find('\r'));
  EXPECT_EQ(std::string::npos, out.find('\x07'));
  EXPECT_EQ(std::string::npos, out.find('\x01'));
}

TEST(Console, TheHeaderSaysHowManyRequestsASecondTheRateLimitAllows) {
  run::RunResult run = SampleRun();
  run.summary.rate_limit = "at most 500 requests/s";
  EXPECT_EQ(0u, Render(run, Plain())
                    .find("Running 5 documents against https://api.example.com (staging), at "
                          "most 500 requests/s\n"));
}

TEST(Console, TtyRedrawsOneProgressLineAndPrintsFailuresAboveIt) {
  std::string out = Render(SampleRun(), Tty());
  EXPECT_TRUE(Has(out, "\r\x1b[K[..........] 0/5  ✓0 ⚠0 ✗0  0.0 req/s  ETA --:--")) << out;
  EXPECT_TRUE(Has(out,
                  "\r\x1b[K[##........] 1/5  ✓1 ⚠0 ✗0  1.0 req/s  ETA 0:04  "
                  "GET /platform/v1/clients"));
  // The failure clears the bar, takes its place and the bar comes back below it.
  EXPECT_TRUE(Has(out, "\r\x1b[KFAIL  POST /platform/v1/clients  AUTH_FAILED: Token rejected"));
  EXPECT_TRUE(Has(out, "end\n\r\x1b[K[######....] 3/5  ✓1 ⚠1 ✗1  1.0 req/s  ETA 0:02"));
  EXPECT_TRUE(Has(out, "\r\x1b[K[##########] 5/5  ✓1 ⚠1 ✗2  1.0 req/s  ETA 0:00"));
  EXPECT_FALSE(Has(out, "PASS  GET /platform/v1/clients (123 ms)"));  // only failures scroll
  EXPECT_TRUE(Has(out, "\r\x1b[K\nSummary\n"));
  EXPECT_TRUE(Has(out, "✗ FAILED: 1 failed, 1 errored; 2/4 passed (50.0%) in 3.2s\n"));
}

TEST(Console, ProgressLineNeverWrapsPastTheWidth) {
  for (int width : {20, 40, 60, 80, 120}) {
    std::string out = Render(SampleRun(), Tty(width));
    size_t at = 0;
    int lines = 0;
    while ((at = out.find("\x1b[K[", at)) != std::string::npos) {
      at += 3;
      size_t end = out.find_first_of("\r\n", at);
      std::string line = out.substr(at, end - at);
      EXPECT_LT(CodePointCount(line), static_cast<uint32_t>(width)) << width << ": " << line;
      ++lines;
    }
    EXPECT_EQ(6, lines) << width;
  }
}

TEST(Console, ColoursOutcomesOnlyWhenAsked) {
  ConsoleOptions options = Plain();
  options.color = true;
  std::string out = Render(SampleRun(), options);
  EXPECT_TRUE(Has(out, "\x1b[32mPASS \x1b[0m GET /platform/v1/clients"));
  EXPECT_TRUE(Has(out, "\x1b[33mWARN \x1b[0m GET"));
  EXPECT_TRUE(Has(out, "\x1b[31mFAIL \x1b[0m POST"));
  EXPECT_TRUE(Has(out, "\x1b[31mERROR\x1b[0m GET"));
  EXPECT_TRUE(Has(out, "\x1b[2mSKIP \x1b[0m DELETE"));
  EXPECT_TRUE(Has(out, "\x1b[31m✗ FAILED\x1b[0m"));

  std::string tty = Render(SampleRun(), Tty());
  EXPECT_FALSE(Has(tty, "\x1b[3"));  // a terminal without colour still gets only \r and clear
}

TEST(Console, OptionsFollowTheTerminalNoColorAndDumbTerminals) {
  ConsoleOptions terminal = ConsoleOptionsFor(true, nullptr, "xterm-256color", 132);
  EXPECT_TRUE(terminal.tty);
  EXPECT_TRUE(terminal.color);
  EXPECT_EQ(132, terminal.width);

  ConsoleOptions no_color = ConsoleOptionsFor(true, "1", "xterm");
  EXPECT_TRUE(no_color.tty);
  EXPECT_FALSE(no_color.color);
  EXPECT_TRUE(ConsoleOptionsFor(true, "", "xterm").color);  // set but empty: no effect

  ConsoleOptions dumb = ConsoleOptionsFor(true, nullptr, "dumb");
  EXPECT_FALSE(dumb.tty);
  EXPECT_FALSE(dumb.color);

  ConsoleOptions pipe = ConsoleOptionsFor(false, nullptr, "xterm");
  EXPECT_FALSE(pipe.tty);
  EXPECT_FALSE(pipe.color);
  EXPECT_EQ(80, ConsoleOptionsFor(false, nullptr, nullptr, 0).width);
}

TEST(Console, DetectsThatAPipeIsNotATerminal) {
  int fds[2];
  ASSERT_EQ(0, ::pipe(fds));
  ConsoleOptions options = DetectConsoleOptions(fds[1]);
  ::close(fds[0]);
  ::close(fds[1]);
  EXPECT_FALSE(options.tty);
  EXPECT_FALSE(options.color);
  EXPECT_EQ(80, options.width);
}

TEST(Console, QuietPrintsOnlyTheFinalLine) {
  ConsoleOptions options = Tty();
  options.quiet = true;
  options.color = true;
  EXPECT_EQ("2/4 passed (50.0%)\n", Render(SampleRun(), options));
}

TEST(Console, SummaryHasDomainsReasonsAndABlockPerFailure) {
  std::string out = Render(SampleRun(), Plain());
  EXPECT_TRUE(Has(out,
                  "\nSummary\n"
                  "  5 documents: 2 passed (1 with warnings), 1 failed, 1 errored, 1 skipped\n"
                  "  Pass rate: 50.0% (2/4 testable passed)\n"
                  "  Duration:  3.2s\n"))
      << out;
  EXPECT_TRUE(Has(out,
                  "\nBy domain\n"
                  "  crm           2/3   66.7%\n"
                  "  sales         0/1    0.0%\n"));
  EXPECT_TRUE(Has(out, "\nBy reason\n  AUTH_FAILED         1\n"));
  EXPECT_TRUE(Has(out, "  DELETE_DISABLED     1\n"));
  EXPECT_TRUE(Has(out,
                  "\nFailures (2)\n\n  1) FAIL  POST /platform/v1/clients\n"
                  "     file:       kb/crm/post_platform_v1_clients.md\n"
                  "     reason:     AUTH_FAILED\n"
                  "     message:    Token rejected | <img src=x onerror=alert(1)> & "
                  "\"quotes\"  end\n"
                  "     suggestion: Set useFallbackApi: true; the fallback URL accepts this "
                  "token\n"
                  "     step:       create_client  POST "
                  "https://fallback.example.com/platform/v1/clients → 401\n"
                  "     issue:      /error  AUTH_FAILED: The token was rejected\n"
                  "     issue:      /data  TYPE_MISMATCH: expected object\n"
                  "     issue:      /data/uid  MISSING_REQUIRED_FIELD: uid is required\n"
                  "                 … and 1 more issues\n"));
  EXPECT_TRUE(Has(out, "\n  2) ERROR GET /business/payments/v1/invoices/{uid}\n"));
  EXPECT_FALSE(Has(out, "Warnings ("));  // only verbose lists warnings
  EXPECT_TRUE(out.ends_with("\n✗ FAILED: 1 failed, 1 errored; 2/4 passed (50.0%) in 3.2s\n"));
}

TEST(Console, ARunWithOnlyAWarningSaysItPassedWithWarnings) {
  run::RunResult run = SampleRun();
  run.documents = {run.documents[1]};
  run.summary.totals = {};
  run.summary.totals.Add(run.documents[0].outcome);
  std::string out = Render(run, Plain());
  EXPECT_TRUE(Has(out,
                  "  1 document: 1 passed with warnings, 0 failed, 0 errored, 0 skipped\n"
                  "  Pass rate: 100.0% (1/1 testable passed)\n"))
      << out;
  EXPECT_FALSE(Has(out, "0 passed")) << out;
}

TEST(Console, VerdictPassesWithWarningsUnlessStrict) {
  run::RunResult run = SampleRun();
  run.documents = {run.documents[0], run.documents[1]};
  run.summary.totals = {};
  for (const run::DocumentResult& d : run.documents) run.summary.totals.Add(d.outcome);
  EXPECT_TRUE(
      Render(run, Plain()).ends_with("\n✓ PASSED with 1 warning: 2/2 passed (100.0%) in 3.2s\n"));
  run.summary.strict = true;
  EXPECT_TRUE(Render(run, Plain())
                  .ends_with("\n✗ FAILED: 1 warned (strict); 2/2 passed (100.0%) in 3.2s\n"));
}

TEST(Console, VerboseShowsStepsWarningsAndPasses) {
  ConsoleOptions options = Plain();
  options.verbose = true;
  std::string out = Render(SampleRun(), options);
  EXPECT_TRUE(Has(out,
                  "PASS  GET /platform/v1/clients (123 ms)\n"
                  "    PASS  list_clients  GET https://api.example.com/platform/v1/clients → "
                  "200 (120 ms)\n"));
  EXPECT_TRUE(Has(out,
                  "    FAIL  create_client  POST "
                  "https://fallback.example.com/platform/v1/clients → 401 (100 ms)  "
                  "AUTH_FAILED: 401 from the fallback\n"));
  EXPECT_TRUE(Has(out, "\nWarnings (1)\n"));
  EXPECT_TRUE(Has(out,
                  "     issue:      /data/nickname  UNDOCUMENTED_FIELD: nickname is not in "
                  "the schema\n"));
  EXPECT_TRUE(Has(out, "\nPassed (1)\n  PASS  GET /platform/v1/clients (123 ms)\n"));
}

TEST(Console, SameEventsPrintTheSameText) {
  EXPECT_EQ(Render(SampleRun(), Tty()), Render(SampleRun(), Tty()));
  EXPECT_EQ(Render(SampleRun(), Plain()), Render(SampleRun(), Plain()));
}

TEST(Console, ListsFailuresInPlanOrderWhenDocumentsFinishOutOfOrder) {
  std::vector<run::RunEvent> events = EventsOf(SampleRun());
  // Put the ERROR's DocumentFinished before the FAIL's.
  auto is_finished = [](const run::RunEvent& e, size_t index) {
    const auto* f = std::get_if<run::DocumentFinished>(&e);
    return f && f->index == index;
  };
  auto fail =
      std::find_if(events.begin(), events.end(), [&](auto& e) { return is_finished(e, 2); });
  auto error =
      std::find_if(events.begin(), events.end(), [&](auto& e) { return is_finished(e, 3); });
  std::iter_swap(fail, error);
  std::ostringstream out;
  ConsoleReporter reporter(out, Plain());
  for (const run::RunEvent& event : events) reporter.OnEvent(0, event);
  std::string text = out.str();
  EXPECT_LT(text.find("1) FAIL  POST"), text.find("2) ERROR GET"));
}

TEST(Console, AttachesToTheEventBus) {
  std::ostringstream out;
  ConsoleOptions options = Plain();
  options.quiet = true;
  ConsoleReporter reporter(out, options);
  run::EventBus bus;
  reporter.Attach(bus);
  for (const run::RunEvent& event : EventsOf(SampleRun())) bus.Publish(event);
  EXPECT_EQ("2/4 passed (50.0%)\n", out.str());
}

}  // namespace
}  // namespace verity::report

namespace verity::report {
namespace {

// A setup that failed: the plan's documents were skipped because of it.
run::FixtureFinished FailedSetup() {
  run::FixtureFinished event;
  event.fixture.kind = "setup";
  event.fixture.name = "fixtures/create_business.md";
  run::DocumentResult& r = event.fixture.result;
  r.endpoint = "POST /v1/businesses";
  r.outcome = run::Outcome::kFail;
  r.reason = "VALIDATION_ERROR";
  r.message = "name taken";
  run::StepResult step;
  step.id = "create";
  step.outcome = run::Outcome::kFail;
  step.reason = "VALIDATION_ERROR";
  r.steps.push_back(step);
  return event;
}

TEST(ConsoleFixtures, AFailedSetupIsShownAsSetupWithItsStepsEvenOnATerminal) {
  run::RunResult run = SampleRun();
  run.summary.setup_failure = "setup \"fixtures/create_business.md\" failed at step \"create\"";
  run.summary.fixtures_failed = 1;
  std::vector<run::RunEvent> events = EventsOf(run);
  events.insert(events.begin() + 1, FailedSetup());
  for (ConsoleOptions options : {Plain(), Tty()}) {
    std::ostringstream out;
    ConsoleReporter reporter(out, options);
    uint64_t sequence = 0;
    for (const run::RunEvent& event : events) reporter.OnEvent(++sequence, event);
    EXPECT_TRUE(Has(out.str(), "setup    FAIL  POST /v1/businesses  VALIDATION_ERROR: name taken"))
        << out.str();
    EXPECT_TRUE(Has(out.str(), "FAIL  create")) << out.str();
    EXPECT_TRUE(Has(out.str(), "✗ FAILED: ")) << out.str();
    EXPECT_TRUE(Has(out.str(), "failed at step \"create\"")) << out.str();
  }
}

TEST(ConsoleFixtures, APassingFixtureIsOneLineWhenPlainAndNothingOnATerminal) {
  run::FixtureFinished event = FailedSetup();
  event.fixture.kind = "teardown";
  event.fixture.result.outcome = run::Outcome::kPass;
  event.fixture.result.steps.clear();
  std::ostringstream plain, tty;
  ConsoleReporter(plain, Plain()).OnEvent(1, event);
  ConsoleReporter(tty, Tty()).OnEvent(1, event);
  EXPECT_EQ(plain.str(), "teardown PASS  POST /v1/businesses\n");
  EXPECT_EQ(tty.str(), "");
}

}  // namespace
}  // namespace verity::report
