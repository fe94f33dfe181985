// The machine-readable report of a run (`verity run --report-json FILE`). Its format is documented
// field by field in docs/report-format.md. Its summary, documentation issues and results keep the
// member names scripts written for earlier reports read, and add steps, attempts, extracted
// variables and issue pointers.
#pragma once

#include <string>
#include <vector>

#include "base/file_system.h"
#include "base/json.h"
#include "run/result.h"

namespace verity::report {

inline constexpr const char* kJsonReportFormat = "verity-run-report";
/// Additive changes keep the version; renaming or removing a field, or changing its type or
/// meaning, bumps it (docs/report-format.md, "Versioning").
inline constexpr int kJsonReportVersion = 1;

/// The report as a JSON value. Request and response headers are masked again on the way in, so an
/// `Authorization` value cannot leak even from a producer that forgot to.
Json RunReportJson(const run::RunResult& result);

/// One document's result object, as in the report's `results` array: the history keeps it and
/// the dashboard's events carry it.
Json DocumentReportJson(const run::DocumentResult& document);
/// One step's object, as in a result's `steps`.
Json StepReportJson(const run::StepResult& step);
/// A check read back from its object in a step's `checks` (the history keeps results as the
/// report writes them). A member that is missing or of another type reads as empty, 0 or false.
run::CheckResult CheckFromJson(const Json& check);
/// The checks of a step object; none when it has no `checks`.
std::vector<run::CheckResult> StepChecksFromJson(const Json& step);
/// The report's `summary` object.
Json SummaryReportJson(const run::RunSummary& summary);

/// The report's text: pretty-printed with a two-space indent and a final newline. Invalid UTF-8
/// in a captured body is replaced (U+FFFD) rather than failing the whole report.
std::string RunReportText(const run::RunResult& result);

/// Writes RunReportText() to `path` atomically (a reader sees the previous report or this one,
/// never half of it), creating its folder when missing.
Status WriteJsonReport(FileSystem& fs, const std::string& path, const run::RunResult& result);

}  // namespace verity::report
