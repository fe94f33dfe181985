// `verity arazzo lint`: the problems of an Arazzo document beyond its structure. Steps are checked
// against the OpenAPI descriptions their document names (local files, relative to it; URLs are
// not fetched, so steps on them go unchecked), workflows against the document and the Arazzo
// sources it names, and every runtime expression and criterion is parsed.
#pragma once

#include <string>
#include <vector>

#include "arazzo/model.h"
#include "base/file_system.h"

namespace verity::arazzo {

/// Reads, loads and checks the document at `path`; its problems in document order. A file that
/// cannot be read is one ARAZZO_READ problem.
std::vector<Problem> LintFile(const FileSystem& fs, const std::string& path);

/// Checks a loaded document; source descriptions are read through `fs` relative to its path.
std::vector<Problem> Lint(const FileSystem& fs, const Document& doc);

}  // namespace verity::arazzo
