// The file-system seam. Everything that reads or writes user files goes through FileSystem, so the
// knowledge base can be tested against MemoryFileSystem (tests/support) and every write has one
// implementation of "atomic" and "locked".
//
// Thread-safety: implementations are safe to call from several threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

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

  /// A missing path is not an error: it reports FileType::kNone.
  virtual Result<FileInfo> Stat(const std::string& path) const = 0;
  virtual Result<std::string> ReadFile(const std::string& path) const = 0;
  /// Regular files below `dir`, recursively, as `dir`-prefixed paths in byte order. Entries whose
  /// name starts with '.' are skipped (version-control folders, temp files of our own writes).
  virtual Result<std::vector<std::string>> ListFiles(const std::string& dir) const = 0;
  /// Replaces or creates `path` so that a reader sees the old bytes or the new ones, never a mix,
  /// even if the process dies half-way. Keeps the permission bits of an existing file.
  virtual Status WriteFileAtomic(const std::string& path, std::string_view data) = 0;
  /// Like WriteFileAtomic, but fails with kAlreadyExists instead of replacing a file.
  virtual Status CreateFileExclusive(const std::string& path, std::string_view data) = 0;
  virtual Status CreateDirectories(const std::string& path) = 0;
  /// Blocks until the caller holds the exclusive update lock of `dir`. Writers that read, modify
  /// and write files in `dir` under this lock cannot lose each other's updates, across threads and
  /// processes.
  virtual Result<std::unique_ptr<FileLock>> LockDirectory(const std::string& dir) = 0;
  /// `path` with every symbolic link followed and "." and ".." removed, so that whether a file is
  /// inside a folder can be decided on what it really is. A missing tail is kept as written
  /// (normalized): the answer is where the file would be. Reads nothing. This default, for file
  /// systems without links, is NormalizePath.
  virtual Result<std::string> RealPath(const std::string& path) const;
};

/// The real file system (POSIX). Locks are flock(2) on the directory itself, so no lock files are
/// left in the user's knowledge base.
class PosixFileSystem : public FileSystem {
 public:
  Result<FileInfo> Stat(const std::string& path) const override;
  Result<std::string> ReadFile(const std::string& path) const override;
  Result<std::vector<std::string>> ListFiles(const std::string& dir) const override;
  Status WriteFileAtomic(const std::string& path, std::string_view data) override;
  Status CreateFileExclusive(const std::string& path, std::string_view data) override;
  Status CreateDirectories(const std::string& path) override;
  Result<std::unique_ptr<FileLock>> LockDirectory(const std::string& dir) override;
  /// Absolute, as realpath(3) gives it (std::filesystem::weakly_canonical).
  Result<std::string> RealPath(const std::string& path) const override;
};

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

}  // namespace verity
