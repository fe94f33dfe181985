#include "kb/knowledge_base.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "base/strings.h"

namespace verity::kb {

bool IsWorkflowFileName(std::string_view name) {
  if (!EndsWith(ToLower(name), ".md")) return false;
  return !IEquals(name, "README.md") && !IEquals(name, "TEMPLATE.md");
}

namespace {

doc::Document Unread(const std::string& path, std::string code, std::string message,
                     SourcePos pos = {}) {
  doc::Document d;
  d.file = path;
  d.diagnostics.push_back({doc::Severity::kError, std::move(code), std::move(message), pos, path});
  return d;
}

// At 1:1, so that editors and CI annotations point at the file (a link has no line of its own).
doc::Document OutsideRoot(const std::string& path, const Status& status) {
  return Unread(path, "PATH_OUTSIDE_ROOT", status.message(), SourcePos{1, 1});
}

}  // namespace

doc::Document LoadDocument(const FileSystem& fs, const std::string& path, const PathRoots& roots,
                           const doc::ParseOptions& options) {
  // Confinement first: the size of a file outside the roots is not looked at either.
  Result<std::string> real = ResolveInside(fs, path, roots);
  if (!real.ok() && real.status().code() == StatusCode::kOutsideRoot) {
    return OutsideRoot(path, real.status());
  }
  Result<FileInfo> info = fs.Stat(real.ok() ? *real : path);
  if (info.ok() && info->size > options.max_bytes) {
    return Unread(
        path, "DOCUMENT_TOO_LARGE",
        fmt::format("document is {} bytes; the limit is {} bytes", info->size, options.max_bytes));
  }
  Result<std::string> text = fs.ReadFileInside(path, roots);
  if (!text.ok()) {
    if (text.status().code() == StatusCode::kOutsideRoot) return OutsideRoot(path, text.status());
    return Unread(path, "READ_FAILED", text.status().message());
  }
  doc::Document d = doc::ParseDocument(*text, path, options);
  for (doc::Diagnostic& diag : d.diagnostics) diag.file = path;
  return d;
}

Result<KnowledgeBase> LoadKnowledgeBase(const FileSystem& fs, const std::vector<std::string>& paths,
                                        const LoadOptions& options) {
  KnowledgeBase kb;
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    Result<FileInfo> info = fs.Stat(path);
    if (!info.ok()) return info.status();
    if (info->type == FileType::kNone)
      return Status::NotFound(fmt::format("no such file or folder: {}", path));
    kb.roots.push_back(path);
    if (info->type != FileType::kDirectory) {
      files.push_back(path);
      continue;
    }
    Result<std::vector<std::string>> listed = fs.ListFiles(path);
    if (!listed.ok()) return listed.status();
    for (std::string& f : *listed)
      if (IsWorkflowFileName(BaseName(f))) files.push_back(std::move(f));
  }

  Result<PathRoots> confinement = PathRoots::Resolve(fs, kb.roots);
  if (!confinement.ok()) return confinement.status();
  kb.confinement = std::move(*confinement);

  kb.documents.resize(files.size());
  unsigned threads =
      options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = std::min<unsigned>(threads, static_cast<unsigned>(files.size()));
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < files.size();)
      kb.documents[i] = LoadDocument(fs, files[i], kb.confinement, options.parse);
  };
  {
    // Joined before `kb` is returned (moved): the workers write into it.
    std::vector<std::jthread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
  }
  return kb;
}

std::vector<const doc::Document*> KnowledgeBase::FindEndpoint(std::string_view endpoint) const {
  std::vector<const doc::Document*> out;
  for (const doc::Document& d : documents)
    if (d.frontmatter.endpoint == endpoint) out.push_back(&d);
  return out;
}

std::string RootOf(const KnowledgeBase& kb, const std::string& file) {
  for (const std::string& root : kb.roots)
    if (file == root || StartsWith(file, root.back() == '/' ? root : root + "/")) return root;
  return ParentPath(file);
}

}  // namespace verity::kb
