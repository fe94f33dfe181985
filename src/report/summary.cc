#include "report/summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "run/checks.h"

namespace verity::report {
namespace {

const run::StepResult* FindDeciding(const std::vector<run::StepResult>& steps,
                                    run::Outcome outcome) {
  for (const run::StepResult& step : steps) {
    if (step.outcome != outcome) continue;
    // A `use:` step fails because one of its steps did; that one says more.
    if (const run::StepResult* inner = FindDeciding(step.nested, outcome)) return inner;
    return &step;
  }
  return nullptr;
}

const run::StepResult* LastWithRequest(const std::vector<run::StepResult>& steps,
                                       bool test_request_only) {
  const run::StepResult* found = nullptr;
  for (const run::StepResult& step : steps) {
    if (step.request && (!test_request_only || step.section == "test_request")) found = &step;
  }
  return found;
}

bool SameIssue(const run::Issue& a, const run::Issue& b) {
  return a.code == b.code && a.severity == b.severity && a.message == b.message &&
         a.pointer == b.pointer && a.schema_location == b.schema_location;
}

// The steps' issues, in order. A `use:` step's inner steps are another document's: their warnings
// are that document's to report (once, however many documents use it), so only their errors,
// which explain why the `use:` step failed, are listed here.
void CollectIssues(const std::vector<run::StepResult>& steps, const run::StepResult* skip,
                   bool nested, std::vector<const run::Issue*>& out) {
  for (const run::StepResult& step : steps) {
    if (&step != skip) {
      for (const run::Issue& issue : step.issues) {
        if (!nested || issue.severity != "warning") out.push_back(&issue);
      }
    }
    CollectIssues(step.nested, skip, true, out);
  }
}

}  // namespace

std::string DomainOf(const run::DocumentResult& document) {
  return document.domain.empty() ? "unknown" : document.domain;
}

std::vector<DomainTotals> TotalsByDomain(const std::vector<run::DocumentResult>& documents) {
  std::map<std::string, run::Totals> by_domain;
  for (const run::DocumentResult& d : documents) by_domain[DomainOf(d)].Add(d.outcome);
  std::vector<DomainTotals> out;
  out.reserve(by_domain.size());
  for (auto& [domain, totals] : by_domain) out.push_back({domain, totals});
  return out;
}

std::vector<std::pair<std::string, size_t>> CountByReason(
    const std::vector<run::DocumentResult>& documents) {
  std::map<std::string, size_t> counts;
  for (const run::DocumentResult& d : documents) {
    if (d.outcome == run::Outcome::kPass && d.reason.empty()) continue;
    ++counts[d.reason.empty() ? run::OutcomeName(d.outcome) : d.reason];
  }
  std::vector<std::pair<std::string, size_t>> out(counts.begin(), counts.end());
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return out;
}

const run::StepResult* DecidingStep(const run::DocumentResult& document) {
  if (document.outcome == run::Outcome::kPass) return nullptr;
  return FindDeciding(document.steps, document.outcome);
}

const run::StepResult* KeyStep(const run::DocumentResult& document) {
  if (const run::StepResult* deciding = DecidingStep(document)) return deciding;
  if (const run::StepResult* test = LastWithRequest(document.steps, true)) return test;
  return LastWithRequest(document.steps, false);
}

std::vector<const run::Issue*> DocumentLevelIssues(const run::DocumentResult& document) {
  // A documentation issue found in a step's answer is also in that step's issues; each step issue
  // stands for one such copy.
  std::vector<const run::Issue*> unmatched;
  for (const run::StepResult& step : document.steps) {
    for (const run::Issue& issue : step.issues) unmatched.push_back(&issue);
  }
  std::vector<const run::Issue*> out;
  for (const run::Issue& issue : document.documentation_issues) {
    auto copy = std::find_if(unmatched.begin(), unmatched.end(),
                             [&](const run::Issue* s) { return s && SameIssue(*s, issue); });
    if (copy != unmatched.end()) {
      *copy = nullptr;
    } else {
      out.push_back(&issue);
    }
  }
  return out;
}

std::vector<const run::Issue*> DocumentIssues(const run::DocumentResult& document) {
  std::vector<const run::Issue*> out;
  const run::StepResult* deciding = DecidingStep(document);
  if (deciding) {
    for (const run::Issue& issue : deciding->issues) out.push_back(&issue);
  }
  CollectIssues(document.steps, deciding, false, out);
  for (const run::Issue* issue : DocumentLevelIssues(document)) out.push_back(issue);
  return out;
}

std::vector<const run::CheckResult*> FailedChecks(const run::StepResult& step) {
  std::vector<const run::CheckResult*> out;
  for (const run::CheckResult& check : step.checks) {
    if (!check.passed) out.push_back(&check);
  }
  return out;
}

std::string CheckLine(const run::CheckResult& check) {
  std::string out = run::CheckLabel(check);
  if (check.passed) {
    out += ": got " + check.actual;
  } else {
    if (!check.message.empty()) out += ": " + check.message;
    out += fmt::format("{}expected {}, got {}", check.message.empty() ? ": " : "; ",
                       check.expected.empty() ? "(nothing)" : check.expected,
                       check.actual.empty() ? "(nothing)" : check.actual);
  }
  if (check.line > 0) out += fmt::format(" (line {})", check.line);
  return out;
}

bool IsCheckIssueOf(const run::Issue& issue, const run::StepResult* step) {
  if (step == nullptr || issue.code != run::reason::kCheckFailed) return false;
  for (const run::Issue& own : step->issues) {
    if (&own == &issue) return true;
  }
  return false;
}

std::string PassedText(const run::Totals& totals) {
  if (totals.warned == 0) return fmt::format("{} passed", totals.passed);
  if (totals.passed == 0) return fmt::format("{} passed with warnings", totals.warned);
  return fmt::format("{} passed ({} with warnings)", totals.passed + totals.warned, totals.warned);
}

std::string RequestLine(const run::RequestRecord& request) {
  return request.method + " " + request.url;
}

bool RunPassed(const run::RunSummary& summary) { return run::ExitCodeFor(summary) == 0; }

}  // namespace verity::report
