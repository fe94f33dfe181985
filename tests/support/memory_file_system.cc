#include "support/memory_file_system.h"

#include <algorithm>

namespace verity::testing {

namespace {

void AddParents(const std::string& path, std::set<std::string>* dirs) {
  std::string p = ParentPath(path);
  while (p != "." && p != "/" && !p.empty()) {
    dirs->insert(p);
    p = ParentPath(p);
  }
}

class MemoryLock : public FileLock {
 public:
  explicit MemoryLock(std::mutex* mu) : lock_(*mu) {}

 private:
  std::unique_lock<std::mutex> lock_;
};

}  // namespace

void MemoryFileSystem::Add(const std::string& path, std::string content) {
  std::lock_guard<std::mutex> g(mu_);
  files_[path] = std::move(content);
  AddParents(path, &dirs_);
}

std::string MemoryFileSystem::Get(const std::string& path) const {
  std::lock_guard<std::mutex> g(mu_);
  auto it = files_.find(path);
  return it == files_.end() ? std::string() : it->second;
}

std::vector<std::string> MemoryFileSystem::writes() const {
  std::lock_guard<std::mutex> g(mu_);
  return writes_;
}

std::vector<std::string> MemoryFileSystem::reads() const {
  std::lock_guard<std::mutex> g(mu_);
  return reads_;
}

Result<FileInfo> MemoryFileSystem::Stat(const std::string& path) const {
  std::lock_guard<std::mutex> g(mu_);
  if (auto it = files_.find(path); it != files_.end())
    return FileInfo{FileType::kFile, it->second.size()};
  if (dirs_.contains(path)) return FileInfo{FileType::kDirectory, 0};
  return FileInfo{};
}

Result<std::string> MemoryFileSystem::ReadFile(const std::string& path) const {
  std::lock_guard<std::mutex> g(mu_);
  reads_.push_back(path);
  auto it = files_.find(path);
  if (it == files_.end()) return Status::NotFound("no such file: " + path);
  return it->second;
}

Result<std::vector<std::string>> MemoryFileSystem::ListFiles(const std::string& dir) const {
  std::lock_guard<std::mutex> g(mu_);
  std::vector<std::string> out;
  std::string prefix = dir.back() == '/' ? dir : dir + "/";
  for (const auto& [path, content] : files_) {
    if (!path.starts_with(prefix)) continue;
    std::string rest = path.substr(prefix.size());
    bool hidden = rest.starts_with('.') || rest.find("/.") != std::string::npos;
    if (!hidden) out.push_back(path);
  }
  return out;  // std::map keeps byte order
}

Status MemoryFileSystem::WriteFileAtomic(const std::string& path, std::string_view data) {
  std::lock_guard<std::mutex> g(mu_);
  files_[path] = std::string(data);
  AddParents(path, &dirs_);
  writes_.push_back(path);
  return Status::Ok();
}

Status MemoryFileSystem::CreateFileExclusive(const std::string& path, std::string_view data) {
  std::lock_guard<std::mutex> g(mu_);
  if (files_.contains(path)) return Status::AlreadyExists(path + " already exists");
  files_[path] = std::string(data);
  AddParents(path, &dirs_);
  writes_.push_back(path);
  return Status::Ok();
}

Status MemoryFileSystem::CreateDirectories(const std::string& path) {
  std::lock_guard<std::mutex> g(mu_);
  dirs_.insert(path);
  AddParents(path, &dirs_);
  return Status::Ok();
}

Result<std::unique_ptr<FileLock>> MemoryFileSystem::LockDirectory(const std::string&) {
  return std::unique_ptr<FileLock>(new MemoryLock(&lock_mu_));
}

}  // namespace verity::testing
