#include "base/path_roots.h"

#include <fmt/format.h>

#include "base/file_system.h"
#include "base/strings.h"

namespace verity {

namespace {

// `root` contains `path` when they are equal or `path` continues below it. MemoryFileSystem's
// real paths can be relative: there "." holds every path that does not climb out of it.
bool Below(std::string_view root, std::string_view path) {
  if (root == "/") return path.starts_with('/');
  if (root == ".") return !path.starts_with('/') && path != ".." && !path.starts_with("../");
  if (!path.starts_with(root)) return false;
  return path.size() == root.size() || path[root.size()] == '/';
}

}  // namespace

const PathRoots& PathRoots::Anywhere() {
  static const PathRoots* anywhere = [] {
    auto* roots = new PathRoots();
    roots->anywhere_ = true;
    return roots;
  }();
  return *anywhere;
}

PathRoots PathRoots::OfRealPaths(std::vector<std::string> real_paths) {
  PathRoots roots;
  roots.named_ = real_paths;
  roots.real_ = std::move(real_paths);
  return roots;
}

Result<PathRoots> PathRoots::Resolve(const FileSystem& fs, const std::vector<std::string>& paths) {
  PathRoots roots;
  for (const std::string& path : paths) {
    Result<FileInfo> info = fs.Stat(path);
    if (!info.ok()) return info.status();
    if (info->type == FileType::kNone) {
      return Status::NotFound(fmt::format("no such file or folder: {}", path));
    }
    std::string folder = info->type == FileType::kDirectory ? path : ParentPath(path);
    Result<std::string> real = fs.RealPath(folder);
    if (!real.ok()) return real.status();
    roots.real_.push_back(std::move(*real));
    roots.named_.push_back(folder);
  }
  return roots;
}

bool PathRoots::Contains(std::string_view real_path) const {
  if (anywhere_) return true;
  for (const std::string& root : real_)
    if (Below(root, real_path)) return true;
  return false;
}

std::string PathRoots::Describe() const {
  if (anywhere_) return "anywhere";
  if (named_.empty()) return "no folder";
  return Join(named_, ", ");
}

}  // namespace verity
