// PosixFileSystem: reads, listing, folders and locks. Writes are in posix_write.cc.
#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <linux/openat2.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "base/file_system.h"
#include "base/posix_open.h"

namespace verity {

namespace fs = std::filesystem;

namespace posix {

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.release();
  }
  return *this;
}

UniqueFd::~UniqueFd() {
  if (fd_ >= 0) ::close(fd_);
}

namespace {

Status OpenError(int err, const std::string& shown) {
  if (err == ELOOP || err == ENOTDIR) {
    // realpath gave a path without links a moment ago: one appeared since.
    return Status::OutsideRoot(fmt::format(
        "{} changed while it was opened (a symbolic link appeared on its path); it is not used",
        shown));
  }
  if (err == ENOENT) return Status::NotFound(fmt::format("no such file: {}", shown));
  return Status::IoError(fmt::format("cannot open {}: {}", shown, std::strerror(err)));
}

// Linux < 5.6 (or a sandbox that hides openat2) answers ENOSYS; then each component is opened.
int OpenAt2(const std::string& path, int flags) {
  struct open_how how = {};
  how.flags = static_cast<uint64_t>(flags | O_CLOEXEC);
  how.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
  return static_cast<int>(::syscall(SYS_openat2, AT_FDCWD, path.c_str(), &how, sizeof how));
}

int OpenByComponents(const std::string& path, int flags) {
  bool absolute = path.starts_with('/');
  UniqueFd dir(::open(absolute ? "/" : ".", O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() < 0) return -1;
  std::string_view rest = std::string_view(path).substr(absolute ? 1 : 0);
  while (true) {
    size_t slash = rest.find('/');
    std::string part(rest.substr(0, slash));
    if (slash == std::string_view::npos) {
      if (part.empty()) return ::openat(dir.get(), ".", flags | O_CLOEXEC);
      return ::openat(dir.get(), part.c_str(), flags | O_NOFOLLOW | O_CLOEXEC);
    }
    rest.remove_prefix(slash + 1);
    if (part.empty()) continue;
    UniqueFd next(::openat(dir.get(), part.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (next.get() < 0) return -1;
    dir = std::move(next);
  }
}

}  // namespace

Result<UniqueFd> OpenWithoutLinks(const std::string& real_path, int flags, const std::string& shown,
                                  OpenMethod method) {
  int fd = -1;
  if (method == OpenMethod::kBest) {
    fd = OpenAt2(real_path, flags);
    if (fd < 0 && errno == ENOSYS) method = OpenMethod::kComponents;
  }
  if (method == OpenMethod::kComponents) fd = OpenByComponents(real_path, flags);
  if (fd < 0) return OpenError(errno, shown);
  return UniqueFd(fd);
}

}  // namespace posix

namespace {

Status Errno(std::string_view what, const std::string& path) {
  return Status::IoError(fmt::format("{} {}: {}", what, path, std::strerror(errno)));
}

Result<std::string> ReadAll(int fd, const std::string& path) {
  std::string data;
  struct stat st;
  if (::fstat(fd, &st) == 0 && st.st_size > 0) data.reserve(static_cast<size_t>(st.st_size));
  char buf[65536];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Errno("cannot read", path);
    }
    if (n == 0) return data;
    data.append(buf, static_cast<size_t>(n));
  }
}

// Removes the temporary files a writer that died left in the folder `dir` (locked by the caller):
// only regular files whose name has exactly our temporaries' form. Best effort: a folder we cannot
// change keeps them, and the write that follows reports that folder's error itself.
void RemoveStaleTemporaries(int dir) {
  int listing = ::openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (listing < 0) return;
  DIR* d = ::fdopendir(listing);
  if (d == nullptr) {
    ::close(listing);
    return;
  }
  std::vector<std::string> stale;
  while (const dirent* entry = ::readdir(d)) {
    if (!IsTemporaryName(entry->d_name)) continue;
    struct stat st;
    if (::fstatat(dir, entry->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode))
      stale.push_back(entry->d_name);
  }
  ::closedir(d);
  for (const std::string& name : stale) ::unlinkat(dir, name.c_str(), 0);
}

class DirectoryLock : public FileLock {
 public:
  explicit DirectoryLock(int fd) : fd_(fd) {}
  ~DirectoryLock() override { ::close(fd_); }  // closing releases the flock
 private:
  int fd_;
};

}  // namespace

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

Result<std::string> PosixFileSystem::RealPath(const std::string& path) const {
  char* resolved = ::realpath(path.c_str(), nullptr);
  if (resolved == nullptr) {
    if (errno == ENOENT || errno == ENOTDIR) {
      return Status::NotFound(fmt::format("no such file: {}", path));
    }
    return Errno("cannot resolve", path);
  }
  std::string out(resolved);
  std::free(resolved);
  return out;
}

Result<std::string> PosixFileSystem::ReadFileInside(const std::string& path,
                                                    const PathRoots& roots) const {
  posix::UniqueFd fd;
  if (roots.anywhere()) {
    fd = posix::UniqueFd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
      if (errno == ENOENT) return Status::NotFound(fmt::format("no such file: {}", path));
      return Errno("cannot open", path);
    }
    return ReadAll(fd.get(), path);
  }
  Result<std::string> real = ResolveInside(*this, path, roots);
  if (!real.ok()) return real.status();
  // O_NONBLOCK: a FIFO planted under a document's name must not hang the reader.
  Result<posix::UniqueFd> opened =
      posix::OpenWithoutLinks(*real, O_RDONLY | O_NONBLOCK | O_NOCTTY, path);
  if (!opened.ok()) return opened.status();
  struct stat st;
  if (::fstat(opened->get(), &st) != 0) return Errno("cannot stat", path);
  if (!S_ISREG(st.st_mode)) {
    return Status::IoError(fmt::format("{} is not a regular file; it is not read", path));
  }
  return ReadAll(opened->get(), path);
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
  RemoveStaleTemporaries(fd);
  return std::unique_ptr<FileLock>(new DirectoryLock(fd));
}

}  // namespace verity
