#include "base/file_system.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

namespace verity {

namespace fs = std::filesystem;

namespace {

Status Errno(std::string_view what, const std::string& path) {
  return Status::IoError(fmt::format("{} {}: {}", what, path, std::strerror(errno)));
}

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Errno("cannot write", path);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

// Writes `data` to a fresh temporary file beside `path` (same folder, so rename is atomic) and
// flushes it to disk. Returns the temporary's name.
Result<std::string> WriteTemporarySibling(const std::string& path, std::string_view data,
                                          mode_t mode) {
  std::string tmpl = JoinPath(ParentPath(path), fmt::format(".{}.XXXXXX", BaseName(path)));
  int fd = ::mkostemp(tmpl.data(), O_CLOEXEC);
  if (fd < 0) return Errno("cannot create a temporary file for", path);
  Status st = WriteAll(fd, data, path);
  if (st.ok() && ::fchmod(fd, mode) != 0) st = Errno("cannot set permissions of", path);
  if (st.ok() && ::fsync(fd) != 0) st = Errno("cannot flush", path);
  if (::close(fd) != 0 && st.ok()) st = Errno("cannot close", path);
  if (!st.ok()) {
    ::unlink(tmpl.c_str());
    return st;
  }
  return tmpl;
}

void SyncDirectory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);  // best effort: the rename itself is already atomic
  ::close(fd);
}

mode_t DefaultFileMode() {
  mode_t mask = ::umask(0);
  ::umask(mask);
  return 0666 & ~mask;
}

class DirectoryLock : public FileLock {
 public:
  explicit DirectoryLock(int fd) : fd_(fd) {}
  ~DirectoryLock() override { ::close(fd_); }  // closing releases the flock
 private:
  int fd_;
};

}  // namespace

std::string JoinPath(std::string_view a, std::string_view b) {
  if (a.empty() || a == ".") return std::string(b);
  if (b.empty()) return std::string(a);
  std::string out(a);
  if (out.back() != '/') out += '/';
  out += b.front() == '/' ? b.substr(1) : b;
  return out;
}

std::string ParentPath(std::string_view path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string_view::npos) return ".";
  if (slash == 0) return "/";
  return std::string(path.substr(0, slash));
}

std::string_view BaseName(std::string_view path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string NormalizePath(std::string_view path) {
  bool absolute = !path.empty() && path[0] == '/';
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view part = path.substr(start, slash - start);
    if (part.empty() || part == ".") {
    } else if (part == ".." && !parts.empty() && parts.back() != "..") {
      parts.pop_back();
    } else if (part == ".." && absolute) {
    } else {
      parts.push_back(part);
    }
    start = slash + 1;
  }
  std::string out = absolute ? "/" : "";
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += '/';
    out += parts[i];
  }
  return out.empty() ? "." : out;
}

bool PathInside(std::string_view path, std::string_view root) {
  if (root == ".")
    return !path.empty() && path[0] != '/' && path != ".." && !path.starts_with("../");
  if (root == "/") return !path.empty() && path[0] == '/';
  if (!path.starts_with(root)) return false;
  return path.size() == root.size() || path[root.size()] == '/';
}

Result<std::string> FileSystem::RealPath(const std::string& path) const {
  return NormalizePath(path);
}

Result<std::string> PosixFileSystem::RealPath(const std::string& path) const {
  std::error_code ec;
  fs::path real = fs::weakly_canonical(path.empty() ? "." : path, ec);
  if (ec) return Status::IoError(fmt::format("cannot resolve {}: {}", path, ec.message()));
  return NormalizePath(real.generic_string());
}

Result<FileInfo> PosixFileSystem::Stat(const std::string& path) const {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return FileInfo{};
    return Errno("cannot stat", path);
  }
  FileInfo info;
  info.size = static_cast<uint64_t>(st.st_size);
  info.type = S_ISREG(st.st_mode)   ? FileType::kFile
              : S_ISDIR(st.st_mode) ? FileType::kDirectory
                                    : FileType::kOther;
  return info;
}

Result<std::string> PosixFileSystem::ReadFile(const std::string& path) const {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::NotFound(fmt::format("no such file: {}", path));
    return Errno("cannot open", path);
  }
  std::string data;
  struct stat st;
  if (::fstat(fd, &st) == 0 && st.st_size > 0) data.reserve(static_cast<size_t>(st.st_size));
  char buf[65536];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      Status s = Errno("cannot read", path);
      ::close(fd);
      return s;
    }
    if (n == 0) break;
    data.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return data;
}

Result<std::vector<std::string>> PosixFileSystem::ListFiles(const std::string& dir) const {
  std::vector<std::string> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec);
  if (ec) return Status::IoError(fmt::format("cannot list {}: {}", dir, ec.message()));
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) return Status::IoError(fmt::format("cannot list {}: {}", dir, ec.message()));
    std::string name = it->path().filename().string();
    if (!name.empty() && name[0] == '.') {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(ec)) {
      // Lexical, not fs::relative: the iterator's paths already start with `dir`, and resolving
      // them cost 11 system calls a file and turned a symlinked document into its target's path.
      std::string rel = it->path().lexically_relative(dir).generic_string();
      files.push_back(JoinPath(dir, rel));
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

Status PosixFileSystem::WriteFileAtomic(const std::string& path, std::string_view data) {
  struct stat st;
  mode_t mode = ::stat(path.c_str(), &st) == 0 ? (st.st_mode & 07777) : DefaultFileMode();
  Result<std::string> tmp = WriteTemporarySibling(path, data, mode);
  if (!tmp.ok()) return tmp.status();
  if (::rename(tmp->c_str(), path.c_str()) != 0) {
    Status s = Errno("cannot replace", path);
    ::unlink(tmp->c_str());
    return s;
  }
  SyncDirectory(ParentPath(path));
  return Status::Ok();
}

Status PosixFileSystem::CreateFileExclusive(const std::string& path, std::string_view data) {
  Result<std::string> tmp = WriteTemporarySibling(path, data, DefaultFileMode());
  if (!tmp.ok()) return tmp.status();
  // link(2) refuses to replace an existing name, which makes "create unless it exists" atomic.
  int rc = ::link(tmp->c_str(), path.c_str());
  int err = errno;
  ::unlink(tmp->c_str());
  if (rc != 0) {
    if (err == EEXIST) return Status::AlreadyExists(fmt::format("{} already exists", path));
    errno = err;
    return Errno("cannot create", path);
  }
  SyncDirectory(ParentPath(path));
  return Status::Ok();
}

Status PosixFileSystem::CreateDirectories(const std::string& path) {
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec) return Status::IoError(fmt::format("cannot create {}: {}", path, ec.message()));
  return Status::Ok();
}

Result<std::unique_ptr<FileLock>> PosixFileSystem::LockDirectory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Errno("cannot open folder", dir);
  while (::flock(fd, LOCK_EX) != 0) {
    if (errno == EINTR) continue;
    Status s = Errno("cannot lock", dir);
    ::close(fd);
    return s;
  }
  return std::unique_ptr<FileLock>(new DirectoryLock(fd));
}

}  // namespace verity
