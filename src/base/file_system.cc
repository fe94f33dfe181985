#include "base/file_system.h"

#include <fmt/format.h>

#include <vector>

namespace verity {

namespace {

constexpr std::string_view kTemporaryMark = ".verity-";
constexpr size_t kTemporarySuffix = 6;
// A name is at most 255 bytes (NAME_MAX); the temporary adds 15 to the file's name, so a long name
// is cut in its temporary's name rather than making every write of that file fail.
constexpr size_t kTemporaryNameKept = 200;

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

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

std::string WhereReally(const FileSystem& fs, const std::string& path) {
  Result<std::string> real = ResolveForWrite(fs, path, PathRoots::Anywhere());
  return real.ok() ? *real : NormalizePath(path);
}

std::string TemporaryNameFor(std::string_view name, std::string_view suffix) {
  return fmt::format(".{}{}{}", name.substr(0, kTemporaryNameKept), kTemporaryMark, suffix);
}

bool IsTemporaryName(std::string_view entry) {
  size_t least = 1 + 1 + kTemporaryMark.size() + kTemporarySuffix;  // ".N.verity-XXXXXX"
  if (entry.size() < least || entry.front() != '.') return false;
  if (entry.find('/') != std::string_view::npos) return false;
  std::string_view suffix = entry.substr(entry.size() - kTemporarySuffix);
  for (char c : suffix)
    if (!IsAsciiAlnum(c)) return false;
  std::string_view rest = entry.substr(0, entry.size() - kTemporarySuffix);
  return rest.ends_with(kTemporaryMark);
}

Result<std::string> ResolveInside(const FileSystem& fs, const std::string& path,
                                  const PathRoots& roots) {
  Result<std::string> real = fs.RealPath(path);
  if (!real.ok()) return real.status();
  if (!roots.Contains(*real)) {
    // The target is not named: it is outside what the reader may see, and may say too much.
    return Status::OutsideRoot(fmt::format(
        "{} leads outside {} (a symbolic link or '..' pointing out of it); it is not used", path,
        roots.Describe()));
  }
  return real;
}

Result<std::string> ResolveForWrite(const FileSystem& fs, const std::string& path,
                                    const PathRoots& roots) {
  Result<std::string> real = ResolveInside(fs, path, roots);
  if (real.ok() || real.status().code() != StatusCode::kNotFound) return real;
  // A new file: its folder must exist and be inside; the name is taken as given.
  std::string_view name = BaseName(path);
  if (name.empty() || name == "." || name == "..") {
    return Status::InvalidArgument(fmt::format("{} does not name a file", path));
  }
  Result<std::string> folder = ResolveInside(fs, ParentPath(path), roots);
  if (!folder.ok()) return folder.status();
  return JoinPath(*folder, name);
}

Status WriteFileLocked(FileSystem& fs, const std::string& path, std::string_view data,
                       const PathRoots& roots) {
  Result<std::string> real = ResolveForWrite(fs, path, roots);
  if (!real.ok()) return real.status();
  Result<std::unique_ptr<FileLock>> lock = fs.LockDirectory(ParentPath(*real));
  if (!lock.ok()) return lock.status();
  return fs.WriteFileAtomicInside(*real, data, roots);
}

}  // namespace verity
