// The folders a reader or writer is confined to. A path is inside when its real path (realpath(3):
// every symbolic link followed, every `.` and `..` taken) is one of the roots or below one; the
// roots are held resolved too, so a root that is itself a link (kb → /data/kb) stays allowed.
// FileSystem's *Inside methods take one (base/file_system.h); ResolveInside decides.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace verity {

class FileSystem;

class PathRoots {
 public:
  /// No root: nothing is inside.
  PathRoots() = default;
  /// Every path is inside: for files the user named on the command line.
  static const PathRoots& Anywhere();
  /// Roots that are already real paths (as RealPath gives them).
  static PathRoots OfRealPaths(std::vector<std::string> real_paths);
  /// Resolves each of `paths` with fs.RealPath. A folder is a root; a file (a document named on
  /// the command line) makes its folder the root. kNotFound for a path that does not exist.
  static Result<PathRoots> Resolve(const FileSystem& fs, const std::vector<std::string>& paths);

  bool anywhere() const { return anywhere_; }
  /// Whether `real_path` (already resolved) is a root or below one.
  bool Contains(std::string_view real_path) const;
  /// The roots as the user gave them, comma-separated, for messages ("kb, more/kb").
  std::string Describe() const;
  const std::vector<std::string>& real_paths() const { return real_; }

 private:
  bool anywhere_ = false;
  std::vector<std::string> real_;   // resolved
  std::vector<std::string> named_;  // as given, for messages
};

}  // namespace verity
