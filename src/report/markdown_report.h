// The run as Markdown for a pull-request comment or a CI job summary (`--report-md FILE`): what a
// reviewer needs first (verdict, pass rate, what broke and why) at the top, passes folded away.
// Every piece of server or document text is escaped, so a response body cannot inject HTML,
// links or table cells into the comment.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "base/file_system.h"
#include "run/result.h"

namespace verity::report {

struct MarkdownOptions {
  /// Detailed blocks for failures/errors and for warnings, each; the rest are counted. GitHub
  /// rejects comments over 65536 characters, and a hundred blocks is more than anyone reads.
  size_t max_detailed = 50;
  /// Rows of the folded pass/skip table.
  size_t max_listed = 500;
};

/// The colour of a pass rate: 🟢 from 90 %, 🟡 from 70 %, 🟠 from 50 %, else 🔴; ⚪ for
/// "N/A".
const char* PassRateDot(std::optional<double> percent);

std::string MarkdownReport(const run::RunResult& result, const MarkdownOptions& options = {});

/// Writes MarkdownReport() atomically, creating the folder when missing.
Status WriteMarkdownReport(FileSystem& fs, const std::string& path, const run::RunResult& result,
                           const MarkdownOptions& options = {});

}  // namespace verity::report
