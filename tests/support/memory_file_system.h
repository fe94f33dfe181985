// An in-memory FileSystem for tests (ninja's VirtualFileSystem, LevelDB's memenv): no disk, no
// sleeps, and every write is recorded so tests can assert what was (not) written. It models
// symbolic links (AddLink) and failing writes (FailWritesUnder: a full disk, a read-only folder).
#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "base/file_system.h"

namespace verity::testing {

class MemoryFileSystem : public FileSystem {
 public:
  /// Adds a file (and, implicitly, its folders).
  void Add(const std::string& path, std::string content);
  /// A symbolic link at `path` to `target` (absolute, or relative to the link's folder).
  void AddLink(const std::string& path, const std::string& target);
  /// Writes whose real path is `prefix` or below it fail as PosixFileSystem's would with the
  /// operating system's `os_error` ("Read-only file system", "No space left on device").
  void FailWritesUnder(const std::string& prefix, std::string os_error);
  std::string Get(const std::string& path) const;
  /// Real paths written through WriteFileAtomicInside/CreateFileExclusiveInside, in order.
  std::vector<std::string> writes() const;
  /// Paths passed to ReadFileInside, in order (so tests can assert a file was never read).
  std::vector<std::string> reads() const;

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

 private:
  /// `path` with links followed and `.`/`..` taken; relative paths stay relative. mu_ held.
  Result<std::string> Resolve(const std::string& path) const;
  bool Exists(const std::string& resolved) const;                                  // mu_ held
  Status InjectedFailure(const std::string& path, const std::string& real) const;  // mu_ held

  mutable std::mutex mu_;
  std::map<std::string, std::string> files_;
  std::map<std::string, std::string> links_;
  std::set<std::string> dirs_;
  std::vector<std::pair<std::string, std::string>> failures_;
  std::vector<std::string> writes_;
  mutable std::vector<std::string> reads_;
  std::mutex lock_mu_;  // held by a directory lock: one writer at a time, as flock gives
};

}  // namespace verity::testing
