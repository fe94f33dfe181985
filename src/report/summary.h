// The views of a run every report shares, so the JSON file, the JUnit file, the Markdown comment
// and the console agree on which step failed, which issues come first and how domains are
// counted.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "run/result.h"

namespace verity::report {

/// The domain a document is counted under: its own, or "unknown" when it names none.
std::string DomainOf(const run::DocumentResult& document);

struct DomainTotals {
  std::string domain;
  run::Totals totals;
};
/// Per domain, sorted by name.
std::vector<DomainTotals> TotalsByDomain(const std::vector<run::DocumentResult>& documents);

/// Reasons of the documents that did not cleanly pass, most frequent first (ties by name).
std::vector<std::pair<std::string, size_t>> CountByReason(
    const std::vector<run::DocumentResult>& documents);

/// The step that gave the document its outcome: the first step (in order, looking into the steps
/// of `use:` documents) whose outcome is the document's. Null for a PASS and when no step explains
/// the outcome (a document skipped before it ran).
const run::StepResult* DecidingStep(const run::DocumentResult& document);

/// The step whose request and response represent the document: the deciding step, else the last
/// test-request step that sent something, else the last step that sent something.
const run::StepResult* KeyStep(const run::DocumentResult& document);

/// Every issue of the document once: the deciding step's first, then the other steps' in order,
/// then the documentation issues no step holds. Of the steps of a document run through `use:`,
/// only errors: its warnings are reported on that document, not on each one that uses it.
std::vector<const run::Issue*> DocumentIssues(const run::DocumentResult& document);

/// The documentation issues that are not a copy of a step's issue (a warning found in a step's
/// answer is in both lists): the ones a report that lists the steps' issues adds after them.
std::vector<const run::Issue*> DocumentLevelIssues(const run::DocumentResult& document);

/// The checks of `step` that failed, in the order written.
std::vector<const run::CheckResult*> FailedChecks(const run::StepResult& step);

/// A check in one line: its label, then for a failed check why, what was expected and what was
/// seen, for a passed one what was seen; then the line the check is written on:
/// `body $.name equals "Ada": the values differ; expected "Ada", got "Bob" (line 12)`.
/// The values are the run's, masked and cut already; each writer escapes the line for its format.
std::string CheckLine(const run::CheckResult& check);

/// Whether `issue` is one of `step`'s own CHECK_FAILED issues: the copy of a failed check that a
/// writer listing the step's checks leaves out, so a check is not said twice.
bool IsCheckIssueOf(const run::Issue& issue, const run::StepResult* step);

/// The documents that passed, as a summary line says it: "3 passed", "1 passed with warnings",
/// "4 passed (1 with warnings)". A WARN passed, so it is never counted apart from the passes.
std::string PassedText(const run::Totals& totals);

/// "POST https://api.example.com/x", the request as a one-line reference.
std::string RequestLine(const run::RequestRecord& request);

/// The run's verdict as the exit code sees it: true when `verity run` exits 0.
bool RunPassed(const run::RunSummary& summary);

}  // namespace verity::report
