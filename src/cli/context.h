// What every command handler gets: output streams and the I/O seams. Tests build one around
// string streams, MemoryFileSystem and FakeClock; main() builds one around the real things.
#pragma once

#include <functional>
#include <istream>
#include <optional>
#include <ostream>
#include <string>

#include "base/clock.h"
#include "base/file_system.h"
#include "base/status.h"

namespace verity::cli {

/// Exit codes, fixed so that scripts and CI can rely on them.
enum ExitCode : int {
  kExitOk = 0,
  kExitFindings = 1,  // lint errors, a document with errors, a refused write
  kExitUsage = 2,     // bad command line or invalid argument values
  kExitIo = 3,        // a file could not be read or written
};

struct Context {
  std::ostream& out;
  std::ostream& err;
  FileSystem& fs;
  const Clock& clock;
  int exit_code = kExitOk;
  std::istream* in = nullptr;  // standard input, for commands that read it; absent in most tests
  /// Environment variables, where tokens come from. Empty: the process's own (getenv); tests set
  /// it so that they neither read nor change the real environment.
  std::function<std::optional<std::string>(const std::string&)> env = {};
  /// Whether `verity run` records into the history beside its configuration unless told where.
  /// The history is SQLite on the real disk, outside `fs`: main() turns this on; tests that use a
  /// MemoryFileSystem leave it off and name a real file with --history when they want one.
  bool history_by_default = false;
};

/// Where the run history lives: `flag` (--history) when given, else `.verity/history.db` in the
/// configuration's folder when `ctx.history_by_default`, else nowhere ("").
std::string HistoryPath(const Context& ctx, const std::string& flag, const std::string& config);

/// Maps a failed Status to an exit code and prints it as "verity: message".
int ReportFailure(Context& ctx, const Status& status);

}  // namespace verity::cli
