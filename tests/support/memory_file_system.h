// An in-memory FileSystem for tests (ninja's VirtualFileSystem, LevelDB's memenv): no disk, no
// sleeps, and every write is recorded so tests can assert what was (not) written.
#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "base/file_system.h"

namespace verity::testing {

class MemoryFileSystem : public FileSystem {
 public:
  /// Adds a file (and, implicitly, its folders).
  void Add(const std::string& path, std::string content);
  std::string Get(const std::string& path) const;
  /// Paths written through WriteFileAtomic/CreateFileExclusive, in order.
  std::vector<std::string> writes() const;
  /// Paths passed to ReadFile, in order (so tests can assert a file was never read).
  std::vector<std::string> reads() const;

  Result<FileInfo> Stat(const std::string& path) const override;
  Result<std::string> ReadFile(const std::string& path) const override;
  Result<std::vector<std::string>> ListFiles(const std::string& dir) const override;
  Status WriteFileAtomic(const std::string& path, std::string_view data) override;
  Status CreateFileExclusive(const std::string& path, std::string_view data) override;
  Status CreateDirectories(const std::string& path) override;
  Result<std::unique_ptr<FileLock>> LockDirectory(const std::string& dir) override;

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::string> files_;
  std::set<std::string> dirs_;
  std::vector<std::string> writes_;
  mutable std::vector<std::string> reads_;
  std::mutex lock_mu_;  // held by a directory lock: one writer at a time, as flock gives
};

}  // namespace verity::testing
