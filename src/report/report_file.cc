#include "report/report_file.h"

namespace verity::report {

Status WriteReportFile(FileSystem& fs, const std::string& path, std::string_view text) {
  std::string parent = ParentPath(path);
  if (parent != ".") {
    Status made = fs.CreateDirectories(parent);
    if (!made.ok()) return made;
  }
  return WriteFileLocked(fs, path, text);
}

}  // namespace verity::report
