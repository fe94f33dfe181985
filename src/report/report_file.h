// Writing a report file: every writer goes through here so all of them replace the previous report
// atomically and create the folder a CI job names (`--report-junit reports/junit.xml`).
#pragma once

#include <string>
#include <string_view>

#include "base/file_system.h"

namespace verity::report {

Status WriteReportFile(FileSystem& fs, const std::string& path, std::string_view text);

}  // namespace verity::report
