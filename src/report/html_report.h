// The run as one self-contained HTML page (`verity run --report-html FILE`), for people who open
// a report from a CI artifact: the verdict and counts on top, the summaries by domain and by
// reason, every result in one table with failures first, and under each result, folded in
// <details>, its steps with their requests, responses, attempts and issues.
//
// The page needs nothing but itself: inline CSS, no script, no fetched asset, so it reads the same
// from a file:// URL, offline and with JavaScript off. Its Content-Security-Policy forbids
// scripts outright, a second line behind the escaping every piece of server text goes through.
// It is also well-formed XML (void elements closed, attribute values quoted), which lets the
// tests check its structure with a real parser.
#pragma once

#include <cstddef>
#include <string>

#include "base/file_system.h"
#include "run/result.h"

namespace verity::report {

struct HtmlOptions {
  /// Bytes of each request or response body shown, after JSON is re-indented; the rest is cut
  /// with a note. Bodies are capped where they are recorded already; this keeps a page with a
  /// thousand results one a browser opens without a struggle.
  size_t max_body_bytes = 16 * 1024;
};

std::string HtmlReport(const run::RunResult& result, const HtmlOptions& options = {});

/// Writes HtmlReport() atomically, creating the folder when missing.
Status WriteHtmlReport(FileSystem& fs, const std::string& path, const run::RunResult& result,
                       const HtmlOptions& options = {});

}  // namespace verity::report
