#include "report/summary.h"

#include <algorithm>
#include <map>

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

void CollectIssues(const std::vector<run::StepResult>& steps, const run::StepResult* skip,
                   std::vector<const run::Issue*>& out) {
  for (const run::StepResult& step : steps) {
    if (&step != skip) {
      for (const run::Issue& issue : step.issues) out.push_back(&issue);
    }
    CollectIssues(step.nested, skip, out);
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

std::vector<const run::Issue*> DocumentIssues(const run::DocumentResult& document) {
  std::vector<const run::Issue*> out;
  const run::StepResult* deciding = DecidingStep(document);
  if (deciding) {
    for (const run::Issue& issue : deciding->issues) out.push_back(&issue);
  }
  CollectIssues(document.steps, deciding, out);
  for (const run::Issue& issue : document.documentation_issues) out.push_back(&issue);
  return out;
}

std::string RequestLine(const run::RequestRecord& request) {
  return request.method + " " + request.url;
}

bool RunPassed(const run::RunSummary& summary) { return run::ExitCodeFor(summary) == 0; }

}  // namespace verity::report
