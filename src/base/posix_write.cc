// PosixFileSystem's writes: a temporary file beside the real target (a link's target, never the
// link), owner and mode copied from the file it replaces, flushed, renamed over it, and the folder
// flushed. Every step goes through a descriptor of the folder opened without links, so a folder
// swapped for a link after the check cannot move the write elsewhere.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <optional>

#include "base/file_system.h"
#include "base/posix_open.h"

namespace verity {

namespace {

using posix::UniqueFd;

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

std::string RandomSuffix() {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  static std::atomic<uint64_t> counter{0};
  uint64_t bits = 0;
  if (::getrandom(&bits, sizeof bits, GRND_NONBLOCK) != static_cast<ssize_t>(sizeof bits)) {
    // No entropy yet (early boot): unique enough, since O_EXCL turns a clash into a retry.
    bits = (static_cast<uint64_t>(::getpid()) << 32) ^ static_cast<uint64_t>(::time(nullptr)) ^
           (counter.fetch_add(1) * 0x9E3779B97F4A7C15ull);
  }
  std::string out;
  for (int i = 0; i < 6; ++i, bits /= 62) out += kAlphabet[bits % 62];
  return out;
}

/// What the new file must be: the replaced file's owner and mode, or a fresh file's.
struct Ownership {
  std::optional<struct stat> replaced;  // absent: a new file (owner: us; mode: 0666 & ~umask)
};

Status KeepOwnerAndMode(int fd, const Ownership& want, const std::string& path) {
  if (!want.replaced) return Status::Ok();
  const struct stat& old = *want.replaced;
  struct stat now;
  if (::fstat(fd, &now) != 0) return Errno("cannot stat a temporary file for", path);
  if ((now.st_uid != old.st_uid || now.st_gid != old.st_gid) &&
      ::fchown(fd, old.st_uid, old.st_gid) != 0) {
    // Replacing the file would hand it to us: that loses who owns it, so nothing is written.
    return Status::IoError(fmt::format(
        "cannot keep the owner of {} (uid {}, gid {}): {}; it is left unchanged (run as its owner, "
        "or change its owner first)",
        path, old.st_uid, old.st_gid, std::strerror(errno)));
  }
  // After fchown, which clears the set-user-ID and set-group-ID bits.
  if (::fchmod(fd, old.st_mode & 07777) != 0) return Errno("cannot set the mode of", path);
  return Status::Ok();
}

// Writes `data` to a fresh temporary file in `dir` named after `name` and flushes it. Returns the
// temporary's name (in `dir`).
Result<std::string> WriteTemporary(int dir, std::string_view name, std::string_view data,
                                   const Ownership& want, const std::string& path) {
  // 0600 until the mode is set: the replaced file may be private. A new file takes the umask.
  mode_t create_mode = want.replaced ? 0600 : 0666;
  std::string tmp;
  UniqueFd fd;
  for (int attempt = 0; fd.get() < 0; ++attempt) {
    tmp = TemporaryNameFor(name, RandomSuffix());
    fd = UniqueFd(::openat(dir, tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                           create_mode));
    if (fd.get() < 0 && (errno != EEXIST || attempt == 100)) {
      return Errno("cannot create a temporary file for", path);
    }
  }
  Status st = WriteAll(fd.get(), data, path);
  if (st.ok()) st = KeepOwnerAndMode(fd.get(), want, path);
  if (st.ok() && ::fsync(fd.get()) != 0) st = Errno("cannot flush", path);
  if (::close(fd.release()) != 0 && st.ok()) st = Errno("cannot close", path);
  if (!st.ok()) {
    ::unlinkat(dir, tmp.c_str(), 0);
    return st;
  }
  return tmp;
}

// The folder of `real` (a real path), opened without following links.
Result<UniqueFd> OpenFolderOf(const std::string& real, const std::string& path) {
  return posix::OpenWithoutLinks(ParentPath(real), O_RDONLY | O_DIRECTORY, path);
}

void SyncFolder(int dir) {
  ::fsync(dir);  // best effort: the rename itself is already atomic
}

}  // namespace

Status PosixFileSystem::WriteFileAtomicInside(const std::string& path, std::string_view data,
                                              const PathRoots& roots) {
  Result<std::string> real = ResolveForWrite(*this, path, roots);
  if (!real.ok()) return real.status();
  Result<UniqueFd> dir = OpenFolderOf(*real, path);
  if (!dir.ok()) return dir.status();
  std::string name(BaseName(*real));
  Ownership want;
  struct stat st;
  if (::fstatat(dir->get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
    if (S_ISLNK(st.st_mode)) {
      // Resolution stopped at the link itself: its target does not exist (or it changed since).
      return Status::IoError(fmt::format(
          "{} is a symbolic link to a file that does not exist; it is not replaced by a file",
          path));
    }
    if (!S_ISREG(st.st_mode)) {
      return Status::IoError(fmt::format("{} is not a regular file; it is not written", path));
    }
    want.replaced = st;
  } else if (errno != ENOENT) {
    return Errno("cannot stat", path);
  }
  Result<std::string> tmp = WriteTemporary(dir->get(), name, data, want, path);
  if (!tmp.ok()) return tmp.status();
  if (::renameat(dir->get(), tmp->c_str(), dir->get(), name.c_str()) != 0) {
    Status s = Errno("cannot replace", path);
    ::unlinkat(dir->get(), tmp->c_str(), 0);
    return s;
  }
  SyncFolder(dir->get());
  return Status::Ok();
}

Status PosixFileSystem::CreateFileExclusiveInside(const std::string& path, std::string_view data,
                                                  const PathRoots& roots) {
  std::string name(BaseName(path));
  if (name.empty() || name == "." || name == "..") {
    return Status::InvalidArgument(fmt::format("{} does not name a file", path));
  }
  Result<std::string> folder = ResolveInside(*this, ParentPath(path), roots);
  if (!folder.ok()) return folder.status();
  std::string real = JoinPath(*folder, name);
  Result<UniqueFd> dir = OpenFolderOf(real, path);
  if (!dir.ok()) return dir.status();
  Result<std::string> tmp = WriteTemporary(dir->get(), name, data, Ownership{}, path);
  if (!tmp.ok()) return tmp.status();
  // linkat(2) refuses to replace an existing name, a link included (it never follows one), which
  // makes "create unless it exists" atomic.
  int rc = ::linkat(dir->get(), tmp->c_str(), dir->get(), name.c_str(), 0);
  int err = errno;
  ::unlinkat(dir->get(), tmp->c_str(), 0);
  if (rc != 0) {
    if (err == EEXIST) return Status::AlreadyExists(fmt::format("{} already exists", path));
    errno = err;
    return Errno("cannot create", path);
  }
  SyncFolder(dir->get());
  return Status::Ok();
}

}  // namespace verity
