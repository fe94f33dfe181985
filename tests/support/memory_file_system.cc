#include "support/memory_file_system.h"

#include <algorithm>
#include <deque>

#include "base/strings.h"

namespace verity::testing {

namespace {

void AddParents(const std::string& path, std::set<std::string>* dirs) {
  std::string p = ParentPath(path);
  while (p != "." && p != "/" && !p.empty()) {
    dirs->insert(p);
    p = ParentPath(p);
  }
}

std::deque<std::string> Components(const std::string& path) {
  std::deque<std::string> out;
  for (std::string_view part : Split(path, '/'))
    if (!part.empty() && part != ".") out.emplace_back(part);
  return out;
}

std::string Render(bool absolute, const std::vector<std::string>& parts) {
  std::string out = absolute ? "/" : "";
  for (const std::string& p : parts) out = out.empty() || out == "/" ? out + p : out + "/" + p;
  return out.empty() ? "." : out;
}

bool Under(const std::string& prefix, const std::string& path) {
  return path == prefix || path.starts_with(prefix.back() == '/' ? prefix : prefix + "/");
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

void MemoryFileSystem::AddLink(const std::string& path, const std::string& target) {
  std::lock_guard<std::mutex> g(mu_);
  links_[path] = target;
  AddParents(path, &dirs_);
}

void MemoryFileSystem::FailWritesUnder(const std::string& prefix, std::string os_error) {
  std::lock_guard<std::mutex> g(mu_);
  failures_.emplace_back(prefix, std::move(os_error));
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

Result<std::string> MemoryFileSystem::Resolve(const std::string& path) const {
  bool absolute = path.starts_with('/');
  std::deque<std::string> pending = Components(path);
  std::vector<std::string> done;
  int hops = 0;
  while (!pending.empty()) {
    std::string part = std::move(pending.front());
    pending.pop_front();
    if (part == "..") {
      if (!done.empty() && done.back() != "..") {
        done.pop_back();
      } else if (!absolute) {
        done.push_back("..");
      }
      continue;
    }
    done.push_back(part);
    auto link = links_.find(Render(absolute, done));
    if (link == links_.end()) continue;
    if (++hops > 40) return Status::IoError("too many levels of symbolic links: " + path);
    done.pop_back();
    if (link->second.starts_with('/')) {
      absolute = true;
      done.clear();
    }
    std::deque<std::string> target = Components(link->second);
    pending.insert(pending.begin(), target.begin(), target.end());
  }
  return Render(absolute, done);
}

bool MemoryFileSystem::Exists(const std::string& resolved) const {
  return resolved == "." || resolved == "/" || files_.contains(resolved) ||
         dirs_.contains(resolved);
}

Status MemoryFileSystem::InjectedFailure(const std::string& path, const std::string& real) const {
  for (const auto& [prefix, os_error] : failures_) {
    if (Under(prefix, real)) {
      return Status::IoError("cannot create a temporary file for " + path + ": " + os_error);
    }
  }
  return Status::Ok();
}

Result<FileInfo> MemoryFileSystem::Stat(const std::string& path) const {
  std::lock_guard<std::mutex> g(mu_);
  Result<std::string> real = Resolve(path);
  if (!real.ok()) return real.status();
  if (auto it = files_.find(*real); it != files_.end())
    return FileInfo{FileType::kFile, it->second.size()};
  if (Exists(*real)) return FileInfo{FileType::kDirectory, 0};
  return FileInfo{};
}

Result<std::string> MemoryFileSystem::RealPath(const std::string& path) const {
  std::lock_guard<std::mutex> g(mu_);
  Result<std::string> real = Resolve(path);
  if (!real.ok()) return real.status();
  if (!Exists(*real)) return Status::NotFound("no such file: " + path);
  return real;
}

Result<std::vector<std::string>> MemoryFileSystem::ListFiles(const std::string& dir) const {
  std::lock_guard<std::mutex> g(mu_);
  std::vector<std::string> out;
  std::string prefix = dir.back() == '/' ? dir : dir + "/";
  auto visible = [&](const std::string& path) {
    if (!path.starts_with(prefix)) return false;
    std::string rest = path.substr(prefix.size());
    return !rest.starts_with('.') && rest.find("/.") == std::string::npos;
  };
  for (const auto& [path, content] : files_)
    if (visible(path)) out.push_back(path);
  // A link to a file is listed under its own name; a link to a folder is not descended into.
  for (const auto& [path, target] : links_) {
    Result<std::string> real = Resolve(path);
    if (visible(path) && real.ok() && files_.contains(*real)) out.push_back(path);
  }
  std::sort(out.begin(), out.end());
  return out;
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

Result<std::string> MemoryFileSystem::ReadFileInside(const std::string& path,
                                                     const PathRoots& roots) const {
  {
    std::lock_guard<std::mutex> g(mu_);
    reads_.push_back(path);
  }
  Result<std::string> real = ResolveInside(*this, path, roots);
  if (!real.ok()) return real.status();
  std::lock_guard<std::mutex> g(mu_);
  auto it = files_.find(*real);
  if (it == files_.end()) return Status::NotFound("no such file: " + path);
  return it->second;
}

Status MemoryFileSystem::WriteFileAtomicInside(const std::string& path, std::string_view data,
                                               const PathRoots& roots) {
  Result<std::string> real = ResolveForWrite(*this, path, roots);
  if (!real.ok()) return real.status();
  std::lock_guard<std::mutex> g(mu_);
  if (links_.contains(*real)) {
    return Status::IoError(path + " is a symbolic link to a file that does not exist");
  }
  if (Status failed = InjectedFailure(path, *real); !failed.ok()) return failed;
  files_[*real] = std::string(data);
  AddParents(*real, &dirs_);
  writes_.push_back(*real);
  return Status::Ok();
}

Status MemoryFileSystem::CreateFileExclusiveInside(const std::string& path, std::string_view data,
                                                   const PathRoots& roots) {
  Result<std::string> folder = ResolveInside(*this, ParentPath(path), roots);
  if (!folder.ok()) return folder.status();
  std::string real = JoinPath(*folder, BaseName(path));
  std::lock_guard<std::mutex> g(mu_);
  if (files_.contains(real) || links_.contains(real)) {
    return Status::AlreadyExists(path + " already exists");
  }
  if (Status failed = InjectedFailure(path, real); !failed.ok()) return failed;
  files_[real] = std::string(data);
  AddParents(real, &dirs_);
  writes_.push_back(real);
  return Status::Ok();
}

}  // namespace verity::testing
