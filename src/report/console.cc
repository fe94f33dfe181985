#include "report/console.h"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "base/strings.h"
#include "doc/naming.h"
#include "report/summary.h"
#include "report/text.h"

namespace verity::report {
namespace {

constexpr const char* kGreen = "32";
constexpr const char* kYellow = "33";
constexpr const char* kRed = "31";
constexpr const char* kDim = "2";
constexpr const char* kBold = "1";
constexpr const char* kClearLine = "\r\x1b[K";
constexpr size_t kMaxIssues = 3;

bool IsSet(const char* value) { return value != nullptr && value[0] != '\0'; }

const char* OutcomeColor(run::Outcome outcome) {
  switch (outcome) {
    case run::Outcome::kPass:
      return kGreen;
    case run::Outcome::kWarn:
      return kYellow;
    case run::Outcome::kError:
    case run::Outcome::kFail:
      return kRed;
    case run::Outcome::kSkip:
      return kDim;
  }
  return kDim;
}

// "0:09", "12:40", "1:02:03".
std::string Clock(double ms) {
  int64_t seconds = RoundMs(ms) / 1000;
  if (seconds >= 3600) {
    return fmt::format("{}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60);
  }
  return fmt::format("{}:{:02}", seconds / 60, seconds % 60);
}

std::string Endpoint(const run::DocumentResult& d) {
  return OneLine(
      doc::RecipeLabel(d.endpoint.empty() ? d.method + " " + d.path : d.endpoint, d.variant));
}

std::string ReasonAndMessage(const std::string& reason, const std::string& message) {
  if (reason.empty()) return OneLine(message);
  if (message.empty()) return OneLine(reason);
  return OneLine(reason) + ": " + OneLine(message);
}

std::string StepStatus(const run::StepResult& step) {
  if (step.response) return std::to_string(step.response->status);
  for (auto it = step.attempts.rbegin(); it != step.attempts.rend(); ++it) {
    if (it->status != 0) return std::to_string(it->status);
    if (!it->error_code.empty()) return OneLine(it->error_code);
  }
  return "no response";
}

// Passed and testable as the pass rate counts them: a WARN passed, a SKIP was not tested.
std::string PassedOfTestable(const run::Totals& t) {
  return fmt::format("{}/{}", t.passed + t.warned, t.total - t.skipped);
}

}  // namespace

ConsoleOptions ConsoleOptionsFor(bool is_tty, const char* no_color, const char* term, int width) {
  ConsoleOptions options;
  bool dumb = term != nullptr && std::strcmp(term, "dumb") == 0;
  options.tty = is_tty && !dumb;
  options.color = options.tty && !IsSet(no_color);
  options.width = width > 0 ? width : 80;
  return options;
}

ConsoleOptions DetectConsoleOptions(int fd) {
  bool is_tty = ::isatty(fd) == 1;
  int width = 80;
  winsize size{};
  if (is_tty && ::ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) width = size.ws_col;
  return ConsoleOptionsFor(is_tty, std::getenv("NO_COLOR"), std::getenv("TERM"), width);
}

ConsoleReporter::ConsoleReporter(std::ostream& out, ConsoleOptions options)
    : out_(out), options_(options) {}

void ConsoleReporter::Attach(run::EventBus& bus) {
  bus.Subscribe(
      [this](uint64_t sequence, const run::RunEvent& event) { OnEvent(sequence, event); });
}

void ConsoleReporter::OnEvent(uint64_t, const run::RunEvent& event) {
  if (const auto* started = std::get_if<run::RunStarted>(&event)) {
    OnRunStarted(*started);
  } else if (const auto* finished = std::get_if<run::DocumentFinished>(&event)) {
    OnDocumentFinished(*finished);
  } else if (const auto* fixture = std::get_if<run::FixtureFinished>(&event)) {
    OnFixtureFinished(*fixture);
  } else if (const auto* done = std::get_if<run::RunFinished>(&event)) {
    OnRunFinished(*done);
  }
  // DocumentStarted and StepFinished change nothing on screen: documents run concurrently, so a
  // "now running" line would flicker between them.
}

std::string ConsoleReporter::Paint(std::string_view text, const char* code) const {
  if (!options_.color) return std::string(text);
  return fmt::format("\x1b[{}m{}\x1b[0m", code, text);
}

std::string ConsoleReporter::PaintOutcome(run::Outcome outcome, std::string_view text) const {
  return Paint(text, OutcomeColor(outcome));
}

void ConsoleReporter::OnRunStarted(const run::RunStarted& event) {
  started_ = event.summary;
  planned_ = event.summary.totals.total;
  if (options_.quiet) return;
  std::string line = fmt::format("Running {} document{}", planned_, planned_ == 1 ? "" : "s");
  if (!started_.base_url.empty()) line += " against " + OneLine(started_.base_url);
  if (!started_.environment.empty()) line += " (" + OneLine(started_.environment) + ")";
  if (started_.dry_run) line += ", dry run";
  if (!started_.rate_limit.empty()) line += ", " + started_.rate_limit;
  out_ << line << "\n";
  if (options_.tty) DrawProgress();
}

// A result of a request built from the spec says so: no recipe was run, and none was updated.
std::string ConsoleReporter::SourceTag(const run::DocumentResult& d) const {
  return d.source == "spec" ? "  " + Paint("(from spec)", kDim) : "";
}

std::string ConsoleReporter::DocumentLine(const run::DocumentResult& d) const {
  std::string line = PaintOutcome(d.outcome, fmt::format("{:<5}", run::OutcomeName(d.outcome)));
  line += " " + Endpoint(d) + SourceTag(d);
  // A request built from the spec that passed only after a heal says which change made it pass:
  // that is what its draft holds.
  bool healed = !d.heal_attempts.empty() &&
                (d.outcome == run::Outcome::kPass || d.outcome == run::Outcome::kWarn);
  if (healed) {
    line += "  " + Paint(fmt::format("(healed on try {}: {})", d.heal_attempts.size(),
                                     OneLine(d.heal_attempts.back().change)),
                         kDim);
  }
  if (d.outcome == run::Outcome::kPass) {
    line += fmt::format(" ({} ms)", RoundMs(d.duration_ms));
  } else {
    std::string why = ReasonAndMessage(d.reason, d.message);
    if (!why.empty()) line += "  " + why;
  }
  return line;
}

void ConsoleReporter::PrintSteps(const std::vector<run::StepResult>& steps, int depth) {
  std::string indent(static_cast<size_t>(4 + 2 * depth), ' ');
  for (const run::StepResult& step : steps) {
    std::string line =
        indent + PaintOutcome(step.outcome, fmt::format("{:<5}", run::OutcomeName(step.outcome))) +
        " " + OneLine(step.id);
    if (step.request) line += "  " + OneLine(RequestLine(*step.request)) + " → " + StepStatus(step);
    line += fmt::format(" ({} ms)", RoundMs(step.duration_ms));
    std::string why = ReasonAndMessage(step.reason, step.message);
    if (!why.empty() && step.outcome != run::Outcome::kPass) line += "  " + why;
    out_ << line << "\n";
    PrintChecks(step, indent + "      ");
    PrintSteps(step.nested, depth + 1);
  }
}

// A failed check is always listed under its step; a passing one only when verbose, where it says
// what the answer held.
void ConsoleReporter::PrintChecks(const run::StepResult& step, const std::string& indent) {
  for (const run::CheckResult& check : step.checks) {
    if (check.passed && !options_.verbose) continue;
    out_ << indent << (check.passed ? Paint("✓", kGreen) : Paint("✗", kRed)) << " "
         << OneLine(CheckLine(check)) << "\n";
  }
}

void ConsoleReporter::PrintWriteBackFailures(const run::DocumentResult& d) {
  for (const run::WriteBackFailure& f : d.write_back_failures) {
    out_ << "  " << Paint("✗ " + std::string(run::reason::kWriteBackFailed), kRed) << " "
         << OneLine(f.file) << ": " << OneLine(f.error) << "\n";
  }
}

// A fixture is not a plan document: its line says which it is, and it is not in the progress
// count. A failed one is shown even on a terminal, with its steps: the whole run hangs on it.
void ConsoleReporter::OnFixtureFinished(const run::FixtureFinished& event) {
  const run::DocumentResult& r = event.fixture.result;
  bool failed = r.outcome == run::Outcome::kFail || r.outcome == run::Outcome::kError;
  if (options_.quiet && !failed) return;
  if (options_.tty && !failed && !options_.verbose) return;
  ClearProgress();
  std::string what = r.endpoint.empty() ? OneLine(event.fixture.name) : Endpoint(r);
  out_ << fmt::format("{:<8} ", event.fixture.kind)
       << PaintOutcome(r.outcome, fmt::format("{:<5}", run::OutcomeName(r.outcome))) << " " << what;
  std::string why = ReasonAndMessage(r.reason, r.message);
  if (r.outcome != run::Outcome::kPass && !why.empty()) out_ << "  " << why;
  out_ << "\n";
  if (failed || options_.verbose) PrintSteps(r.steps, 0);
  if (options_.tty && !options_.quiet) DrawProgress();
}

void ConsoleReporter::OnDocumentFinished(const run::DocumentFinished& event) {
  so_far_ = event.totals;
  planned_ = std::max(event.planned, so_far_.total);
  elapsed_ms_ = event.elapsed_ms;
  last_endpoint_ = Endpoint(event.result);
  Finished kept{event.index, event.result};
  // The summary prints blocks only for what went wrong; a passing document's steps (and their
  // response bodies) need not stay in memory for the whole run.
  bool broken = event.result.outcome == run::Outcome::kFail ||
                event.result.outcome == run::Outcome::kError ||
                event.result.outcome == run::Outcome::kWarn;
  if (!broken) kept.result.steps.clear();
  finished_.push_back(std::move(kept));

  // A knowledge base left unchanged is said at once, even when quiet: the run's result is lost.
  bool lost = !event.result.write_back_failures.empty();
  if (options_.quiet && !lost) return;
  bool failed =
      event.result.outcome == run::Outcome::kFail || event.result.outcome == run::Outcome::kError;
  bool show = !options_.quiet && (!options_.tty || failed || options_.verbose);
  if (show || lost) ClearProgress();
  if (show) {
    out_ << DocumentLine(event.result) << "\n";
    if (options_.verbose) PrintSteps(event.result.steps, 0);
  }
  if (lost) PrintWriteBackFailures(event.result);
  if (options_.quiet) return;
  if (options_.tty) DrawProgress();
}

std::string ConsoleReporter::ProgressLine() const {
  size_t done = so_far_.total;
  size_t bar_width = options_.width >= 100 ? 20 : 10;
  size_t filled = planned_ == 0 ? 0 : std::min(bar_width, done * bar_width / planned_);
  double rate = elapsed_ms_ > 0 ? static_cast<double>(done) * 1000.0 / elapsed_ms_ : 0.0;
  std::string eta = "--:--";
  if (done >= planned_) {
    eta = "0:00";
  } else if (done > 0 && elapsed_ms_ > 0) {
    eta = Clock(elapsed_ms_ / static_cast<double>(done) * static_cast<double>(planned_ - done));
  }
  // Built twice over: `plain` measures what the terminal shows, `line` carries the colours.
  std::string plain =
      fmt::format("[{}{}] {}/{}  ✓{} ⚠{} ✗{}  {:.1f} req/s  ETA {}", std::string(filled, '#'),
                  std::string(bar_width - filled, '.'), done, planned_, so_far_.passed,
                  so_far_.warned, so_far_.failed + so_far_.errored, rate, eta);
  std::string line =
      fmt::format("[{}{}] {}/{}  {} {} {}  {:.1f} req/s  ETA {}", std::string(filled, '#'),
                  std::string(bar_width - filled, '.'), done, planned_,
                  Paint(fmt::format("✓{}", so_far_.passed), kGreen),
                  Paint(fmt::format("⚠{}", so_far_.warned), kYellow),
                  Paint(fmt::format("✗{}", so_far_.failed + so_far_.errored), kRed), rate, eta);
  // The line must never wrap: a wrapped line cannot be taken back with \r.
  size_t room = options_.width > 1 ? static_cast<size_t>(options_.width) - 1 : 0;
  size_t used = CodePointCount(plain);
  if (used > room) return Abbreviate(plain, room > 0 ? room - 1 : 0);
  if (!last_endpoint_.empty() && room >= used + 8) {
    line += "  " + Abbreviate(last_endpoint_, room - used - 3);
  }
  return line;
}

void ConsoleReporter::ClearProgress() {
  if (!progress_shown_) return;
  out_ << kClearLine;
  progress_shown_ = false;
}

void ConsoleReporter::DrawProgress() {
  out_ << kClearLine << ProgressLine();
  out_.flush();
  progress_shown_ = true;
}

void ConsoleReporter::OnRunFinished(const run::RunFinished& event) {
  ClearProgress();
  const run::Totals& t = event.summary.totals;
  if (options_.quiet) {
    out_ << PassedOfTestable(t) << " passed (" << FormatPassRate(t.PassRate()) << ")";
    if (event.summary.write_back_failed > 0) {
      out_ << "; knowledge base not updated for " << event.summary.write_back_failed << " document"
           << (event.summary.write_back_failed == 1 ? "" : "s");
    }
    out_ << "\n";
    out_.flush();
    return;
  }
  // Documents finish in any order when they run concurrently; the summary lists them in plan order.
  std::stable_sort(finished_.begin(), finished_.end(),
                   [](const Finished& a, const Finished& b) { return a.index < b.index; });
  std::vector<run::DocumentResult> documents;
  documents.reserve(finished_.size());
  for (Finished& f : finished_) documents.push_back(std::move(f.result));
  finished_.clear();
  PrintSummary(event.summary, documents);
  out_.flush();
}

void ConsoleReporter::PrintSummary(const run::RunSummary& summary,
                                   const std::vector<run::DocumentResult>& documents) {
  const run::Totals& t = summary.totals;
  out_ << "\n" << Paint("Summary", kBold) << "\n";
  out_ << fmt::format("  {} document{}: {}, {} failed, {} errored, {} skipped\n", t.total,
                      t.total == 1 ? "" : "s", PassedText(t), t.failed, t.errored, t.skipped);
  out_ << fmt::format("  Pass rate: {} ({} testable passed)\n", FormatPassRate(t.PassRate()),
                      PassedOfTestable(t));
  out_ << "  Duration:  " << FormatDuration(summary.duration_ms) << "\n";

  std::vector<DomainTotals> domains = TotalsByDomain(documents);
  if (!domains.empty()) {
    size_t name_width = 6;
    for (const DomainTotals& dt : domains) {
      name_width = std::max(name_width, static_cast<size_t>(CodePointCount(OneLine(dt.domain))));
    }
    name_width = std::min<size_t>(name_width, 40);
    out_ << "\n" << Paint("By domain", kBold) << "\n";
    for (const DomainTotals& dt : domains) {
      std::string name = Abbreviate(OneLine(dt.domain), name_width);
      std::string pad(name_width - std::min<size_t>(name_width, CodePointCount(name)), ' ');
      std::optional<double> rate = dt.totals.PassRate();
      const char* color = !rate ? kDim : *rate >= 90 ? kGreen : *rate >= 70 ? kYellow : kRed;
      out_ << "  " << name << pad << "  " << fmt::format("{:>9}", PassedOfTestable(dt.totals))
           << "  " << Paint(fmt::format("{:>6}", FormatPassRate(rate)), color) << "\n";
    }
  }

  std::vector<std::pair<std::string, size_t>> reasons = CountByReason(documents);
  if (!reasons.empty()) {
    size_t reason_width = 0;
    for (const auto& [reason, count] : reasons) {
      reason_width = std::max(reason_width, static_cast<size_t>(CodePointCount(OneLine(reason))));
    }
    out_ << "\n" << Paint("By reason", kBold) << "\n";
    for (const auto& [reason, count] : reasons) {
      out_ << fmt::format("  {:<{}}  {}\n", OneLine(reason), reason_width, count);
    }
  }

  std::vector<const run::DocumentResult*> broken, warned, passed;
  for (const run::DocumentResult& d : documents) {
    if (d.outcome == run::Outcome::kFail || d.outcome == run::Outcome::kError) broken.push_back(&d);
    if (d.outcome == run::Outcome::kWarn) warned.push_back(&d);
    if (d.outcome == run::Outcome::kPass) passed.push_back(&d);
  }
  if (!broken.empty()) {
    out_ << "\n" << Paint(fmt::format("Failures ({})", broken.size()), kBold) << "\n";
    for (size_t i = 0; i < broken.size(); ++i) PrintBlock(i + 1, *broken[i]);
  }
  if (options_.verbose && !warned.empty()) {
    out_ << "\n" << Paint(fmt::format("Warnings ({})", warned.size()), kBold) << "\n";
    for (size_t i = 0; i < warned.size(); ++i) PrintBlock(i + 1, *warned[i]);
  }
  if (options_.verbose && !passed.empty()) {
    out_ << "\n" << Paint(fmt::format("Passed ({})", passed.size()), kBold) << "\n";
    for (const run::DocumentResult* d : passed) out_ << "  " << DocumentLine(*d) << "\n";
  }
  if (summary.write_back_failed > 0) {
    out_ << "\n"
         << Paint(fmt::format("Knowledge base not updated ({})", summary.write_back_failed), kBold)
         << "\n";
    for (const run::DocumentResult& d : documents) PrintWriteBackFailures(d);
  }
  out_ << "\n" << VerdictLine(summary) << "\n";
}

void ConsoleReporter::PrintBlock(size_t number, const run::DocumentResult& d) {
  out_ << "\n  " << number << ") "
       << PaintOutcome(d.outcome, fmt::format("{:<5}", run::OutcomeName(d.outcome))) << " "
       << Endpoint(d) << SourceTag(d) << "\n";
  auto field = [this](const char* name, const std::string& value) {
    if (!value.empty()) out_ << fmt::format("     {:<12}{}\n", name, value);
  };
  field("file:", OneLine(d.file));
  field("reason:", OneLine(d.reason));
  field("message:", OneLine(d.message));
  field("suggestion:", OneLine(d.suggestion));
  const run::StepResult* deciding = DecidingStep(d);
  if (deciding) {
    std::string text = OneLine(deciding->id);
    if (deciding->request) text += "  " + OneLine(RequestLine(*deciding->request));
    text += " → " + StepStatus(*deciding);
    field("step:", text);
    // Every failed check: each says something the others do not, and together they are the fix.
    for (const run::CheckResult* check : FailedChecks(*deciding))
      field("check:", OneLine(CheckLine(*check)));
  }
  std::vector<const run::Issue*> issues;
  for (const run::Issue* issue : DocumentIssues(d)) {
    if (!IsCheckIssueOf(*issue, deciding)) issues.push_back(issue);
  }
  for (size_t i = 0; i < issues.size() && i < kMaxIssues; ++i) {
    const run::Issue& issue = *issues[i];
    std::string text = issue.pointer.empty() ? "" : OneLine(issue.pointer) + "  ";
    text += ReasonAndMessage(issue.code, issue.message);
    field("issue:", text);
  }
  if (issues.size() > kMaxIssues) {
    field("", fmt::format("… and {} more issues", issues.size() - kMaxIssues));
  }
}

std::string ConsoleReporter::VerdictLine(const run::RunSummary& summary) const {
  const run::Totals& t = summary.totals;
  std::string tail = fmt::format("{} passed ({}) in {}", PassedOfTestable(t),
                                 FormatPassRate(t.PassRate()), FormatDuration(summary.duration_ms));
  if (RunPassed(summary)) {
    std::string head =
        t.warned > 0 ? fmt::format("✓ PASSED with {} warning{}", t.warned, t.warned == 1 ? "" : "s")
                     : "✓ PASSED";
    return Paint(head, kGreen) + ": " + tail;
  }
  std::vector<std::string> why;
  if (t.failed > 0) why.push_back(fmt::format("{} failed", t.failed));
  if (t.errored > 0) why.push_back(fmt::format("{} errored", t.errored));
  if (summary.strict && t.warned > 0) why.push_back(fmt::format("{} warned (strict)", t.warned));
  if (!summary.setup_failure.empty()) why.push_back(OneLine(summary.setup_failure));
  if (summary.fixtures_failed > 0 && summary.setup_failure.empty())
    why.push_back(fmt::format("{} teardown document{} failed", summary.fixtures_failed,
                              summary.fixtures_failed == 1 ? "" : "s"));
  if (summary.stopped) why.push_back("stopped before the end");
  if (summary.write_back_failed > 0) {
    why.push_back(fmt::format("knowledge base not updated for {} document{} ({})",
                              summary.write_back_failed, summary.write_back_failed == 1 ? "" : "s",
                              run::reason::kWriteBackFailed));
  }
  return Paint("✗ FAILED", kRed) + ": " + Join(why, ", ") + "; " + tail;
}

}  // namespace verity::report
