// Two JSON run reports compared document by document (`verity report diff A.json B.json`,
// docs/report-format.md#comparing-two-reports): the same knowledge base run against two servers,
// say the real API and `verity mock` of its spec, agrees on a document when both runs ended it with
// the same outcome and reason. Reports are read into a small model first, so every field the diff
// uses is checked once, with the JSON Pointer of anything wrong.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/file_system.h"
#include "base/json.h"
#include "base/status.h"

namespace verity::report {

/// Stable codes of a report that cannot be compared, first word of the Status message after the
/// file's name.
inline constexpr const char* kReportUnreadable = "REPORT_UNREADABLE";
inline constexpr const char* kReportNotJson = "REPORT_NOT_JSON";
inline constexpr const char* kReportInvalid = "REPORT_INVALID";

/// One step of a document, those of `use:` documents flattened in after their `use:` step; the id
/// of a nested step is its path, `login/post`.
struct ReportStep {
  std::string id;
  std::string section;
  std::string status;  // PASS, SKIP, WARN, ERROR, FAIL
  std::string reason;  // empty when there is none
  std::string message;
  std::optional<int> http_status;  // the step's response status; absent when nothing answered
};

struct ReportDocument {
  std::string endpoint;
  std::string variant;  // empty for the endpoint's primary recipe
  std::string file;
  std::string status;
  std::string reason;
  std::string message;  // details.friendlyMessage
  std::optional<int> http_status;
  std::vector<ReportStep> steps;
};

/// What a diff needs of one report. `name` is how messages and the output call it (its path).
struct RunReportView {
  std::string name;
  std::string run_id;
  std::string base_url;
  std::vector<ReportDocument> documents;
};

/// Reads and checks `path`: kInvalidArgument with `PATH: CODE …` when it cannot be read, is not
/// JSON or is not a version-1 `verity-run-report` (then the message names the JSON Pointer of the
/// first member that is missing or of the wrong type).
Result<RunReportView> ReadRunReport(const FileSystem& fs, const std::string& path);
/// The same checks on a parsed report; `name` prefixes the messages.
Result<RunReportView> RunReportFromJson(const Json& report, const std::string& name);

/// The first step at which two runs of a document went differently: another id at the same place,
/// another outcome, reason or HTTP status. `a` or `b` is absent when that run has fewer steps.
struct StepDifference {
  std::optional<ReportStep> a, b;
};

struct DocumentPair {
  ReportDocument a, b;
  /// "file": the same path and variant in both reports; "endpoint": the same endpoint and variant
  /// (two copies of a knowledge base, or a file renamed).
  std::string paired_by;
  bool agree = false;
  std::optional<StepDifference> first_step;  // only for a pair that disagrees
};

struct ReportDiff {
  std::string a_name, b_name;
  std::string a_run_id, b_run_id;
  std::string a_base_url, b_base_url;
  std::vector<DocumentPair> pairs;  // in A's order
  std::vector<ReportDocument> only_in_a, only_in_b;
  size_t agreed = 0;

  size_t disagreed() const { return pairs.size() - agreed; }
  /// agreed / paired, one decimal; absent when nothing paired.
  std::optional<double> AgreementPercent() const;
};

/// Pairs documents by file and variant first, then those left by endpoint and variant when that
/// names one document on each side; the rest are listed as only in one report.
ReportDiff DiffReports(const RunReportView& a, const RunReportView& b);

/// `agreement: N of M documents (P %)`, or `(N/A)` when nothing paired.
std::string AgreementLine(const ReportDiff& diff);
/// For people: each disagreement with both outcomes and the first differing step, the documents
/// only one report has, and the agreement line last. Server text is cut to one safe line.
std::string ReportDiffText(const ReportDiff& diff);
/// For scripts: format `verity-report-diff`, version 1 (docs/report-format.md).
Json ReportDiffJson(const ReportDiff& diff);

}  // namespace verity::report
