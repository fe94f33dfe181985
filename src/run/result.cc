#include "run/result.h"

namespace verity::run {

const StepResult* FailedStep(const std::vector<StepResult>& steps) {
  for (const StepResult& s : steps) {
    if (s.outcome != Outcome::kFail && s.outcome != Outcome::kError) continue;
    if (const StepResult* inner = FailedStep(s.nested)) return inner;
    return &s;
  }
  return nullptr;
}

void Totals::Add(Outcome outcome) {
  ++total;
  switch (outcome) {
    case Outcome::kPass:
      ++passed;
      break;
    case Outcome::kWarn:
      ++warned;
      break;
    case Outcome::kError:
      ++errored;
      break;
    case Outcome::kFail:
      ++failed;
      break;
    case Outcome::kSkip:
      ++skipped;
      break;
  }
}

std::optional<double> Totals::PassRate() const {
  // WARN counts as passed: the request worked, only its documentation lags behind.
  size_t testable = total - skipped;
  if (testable == 0) return std::nullopt;
  return 100.0 * static_cast<double>(passed + warned) / static_cast<double>(testable);
}

int ExitCodeFor(const RunSummary& summary) {
  const Totals& t = summary.totals;
  if (summary.write_back_failed > 0) return 3;  // cli::kExitIo
  if (t.failed > 0 || t.errored > 0) return 1;
  if (summary.fixtures_failed > 0 || !summary.setup_failure.empty()) return 1;
  if (summary.strict && t.warned > 0) return 1;
  if (summary.stopped) return 1;
  return 0;
}

int ExitCodeFor(const RunResult& result) { return ExitCodeFor(result.summary); }

}  // namespace verity::run
