// The file-system seam. Everything that reads or writes user files goes through FileSystem, so the
// knowledge base can be tested against MemoryFileSystem (tests/support) and every write has one
// implementation of "atomic", "locked" and "confined".
//
// Confinement (docs/workflow-format.md, "Symbolic links"): a file that came from a document, a
// request or the dashboard is read or written only through the *Inside methods, which use it only
// when its real path (every symbolic link followed, every `..` taken) is inside one of the given
// PathRoots. Files the user names on the command line (a configuration, a report's path) use the
// plain methods, which accept any path.
//
// Thread-safety: implementations are safe to call from several threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/path_roots.h"
#include "base/status.h"

namespace verity {

enum class FileType { kNone, kFile, kDirectory, kOther };

struct FileInfo {
  FileType type = FileType::kNone;
  uint64_t size = 0;
};

/// Held while a directory's update lock is owned; releasing it (destruction) unlocks.
class FileLock {
 public:
  virtual ~FileLock() = default;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  /// A missing path is not an error: it reports FileType::kNone. Follows symbolic links.
  virtual Result<FileInfo> Stat(const std::string& path) const = 0;
  /// The path with every symbolic link followed and every `.` and `..` taken (realpath(3)).
  /// kNotFound when it, or the file a link names, does not exist.
  virtual Result<std::string> RealPath(const std::string& path) const = 0;
  /// Regular files below `dir`, recursively, as `dir`-prefixed paths in byte order. Entries whose
  /// name starts with '.' are skipped (version-control folders, temp files of our own writes).
  /// A symbolic link to a file is listed under its own name (reading it is confined: see
  /// ReadFileInside); a symbolic link to a folder is not descended into.
  virtual Result<std::vector<std::string>> ListFiles(const std::string& dir) const = 0;
  virtual Status CreateDirectories(const std::string& path) = 0;
  /// Blocks until the caller holds the exclusive update lock of `dir`. Writers that read, modify
  /// and write files in `dir` under this lock cannot lose each other's updates, across threads and
  /// processes. Every write of ours holds the lock of the folder it writes in, so a temporary file
  /// of our naming (TemporaryNameFor) found there now was left by a writer that died: taking the
  /// lock removes those.
  virtual Result<std::unique_ptr<FileLock>> LockDirectory(const std::string& dir) = 0;

  /// Reads `path` if its real path is inside `roots`; otherwise kOutsideRoot, and the file is not
  /// opened. The file read is the one checked: a link swapped in between is refused, not followed.
  virtual Result<std::string> ReadFileInside(const std::string& path,
                                             const PathRoots& roots) const = 0;
  /// Replaces or creates `path` so that a reader sees the old bytes or the new ones, never a mix,
  /// even if the process dies half-way: a temporary file beside it, then rename(2). Keeps the
  /// mode and the owner of an existing file, and refuses (kIoError, nothing written) when the
  /// owner cannot be kept. A symbolic link is written through: its target is replaced and the
  /// link stays. kOutsideRoot when the real path (the link's target) is outside `roots`.
  /// Call it holding LockDirectory(ParentPath(RealPath(path))), or use WriteFileLocked.
  virtual Status WriteFileAtomicInside(const std::string& path, std::string_view data,
                                       const PathRoots& roots) = 0;
  /// Like WriteFileAtomicInside, but fails with kAlreadyExists instead of replacing a file; a
  /// symbolic link at `path`, even a dangling one, counts as existing and is never followed.
  virtual Status CreateFileExclusiveInside(const std::string& path, std::string_view data,
                                           const PathRoots& roots) = 0;

  /// The unconfined forms, for files the user named on the command line.
  Result<std::string> ReadFile(const std::string& path) const {
    return ReadFileInside(path, PathRoots::Anywhere());
  }
  Status WriteFileAtomic(const std::string& path, std::string_view data) {
    return WriteFileAtomicInside(path, data, PathRoots::Anywhere());
  }
  Status CreateFileExclusive(const std::string& path, std::string_view data) {
    return CreateFileExclusiveInside(path, data, PathRoots::Anywhere());
  }
};

/// The real path `path` resolves to if it is inside `roots`: kOutsideRoot when it is not, kNotFound
/// when it does not exist. The one place the confinement rule is decided.
Result<std::string> ResolveInside(const FileSystem& fs, const std::string& path,
                                  const PathRoots& roots);

/// Where a write of `path` lands: its real path when it exists (a link's target), else its real
/// folder and its name. kOutsideRoot when that is outside `roots`, kNotFound without a folder.
Result<std::string> ResolveForWrite(const FileSystem& fs, const std::string& path,
                                    const PathRoots& roots);

/// Resolves `path` (inside `roots`), takes the update lock of the folder it really is in, and
/// writes it atomically: for writers that do not read the file first.
Status WriteFileLocked(FileSystem& fs, const std::string& path, std::string_view data,
                       const PathRoots& roots = PathRoots::Anywhere());

/// The real file system (POSIX). Locks are flock(2) on the directory itself, so no lock files are
/// left in the user's knowledge base.
class PosixFileSystem : public FileSystem {
 public:
  Result<FileInfo> Stat(const std::string& path) const override;
  Result<std::string> RealPath(const std::string& path) const override;
  Result<std::vector<std::string>> ListFiles(const std::string& dir) const override;
  Status CreateDirectories(const std::string& path) override;
  Result<std::unique_ptr<FileLock>> LockDirectory(const std::string& dir) override;
  Result<std::string> ReadFileInside(const std::string& path,
                                     const PathRoots& roots) const override;
  Status WriteFileAtomicInside(const std::string& path, std::string_view data,
                               const PathRoots& roots) override;
  Status CreateFileExclusiveInside(const std::string& path, std::string_view data,
                                   const PathRoots& roots) override;
};

/// The name of the temporary file a write of `name` uses in its folder: `.NAME.verity-XXXXXX`
/// with `suffix` (six letters or digits) for the X's.
std::string TemporaryNameFor(std::string_view name, std::string_view suffix);
/// Whether `entry` (a name in a folder, no '/') has exactly the form TemporaryNameFor gives.
bool IsTemporaryName(std::string_view entry);

/// Joins path parts with '/', without doubling separators.
std::string JoinPath(std::string_view a, std::string_view b);
/// The folder part of a path ("." when there is none).
std::string ParentPath(std::string_view path);
/// The last component of a path.
std::string_view BaseName(std::string_view path);
/// Lexically removes "." and ".." ("a/b/../c.json" → "a/c.json"; a relative path keeps its
/// leading ".."s; "." for nothing left).
std::string NormalizePath(std::string_view path);
/// Whether normalized `path` is `root` or below it, both in the same form (absolute or relative
/// to the same folder; "." holds every relative path that does not climb out with "..").
bool PathInside(std::string_view path, std::string_view root);
/// Where `path` really is, for deciding whether a file that may not exist is inside a folder: its
/// real path when it exists, else its folder's real path and its name, else `path` normalized. A
/// missing file is then reported as missing by whoever reads it, not as outside. Reads nothing.
std::string WhereReally(const FileSystem& fs, const std::string& path);

}  // namespace verity
