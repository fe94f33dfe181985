// The run as a JUnit XML file (`verity run --report-junit FILE`), in the schema Jenkins, GitLab
// and most CI systems read: one <testsuite> per domain, one <testcase> per document. FAIL is a
// <failure>, ERROR an <error>, SKIP <skipped>; a WARN passes and lists its warnings in
// <system-out>, so documentation drift is visible without failing the pipeline.
#pragma once

#include <string>

#include "base/file_system.h"
#include "run/result.h"

namespace verity::report {

/// The whole file, UTF-8, with an XML declaration. Server text is escaped and characters XML 1.0
/// cannot hold are dropped, so the file always parses.
std::string JunitReportXml(const run::RunResult& result);

/// Writes JunitReportXml() atomically, creating the folder when missing.
Status WriteJunitReport(FileSystem& fs, const std::string& path, const run::RunResult& result);

}  // namespace verity::report
