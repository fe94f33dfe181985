#include "kb/update.h"

#include <fmt/format.h>

#include "base/strings.h"
#include "doc/naming.h"
#include "kb/knowledge_base.h"

namespace verity::kb {

Result<bool> EditDocumentText(FileSystem& fs, const std::string& path, const PathRoots& roots,
                              const TextEdit& edit) {
  Result<std::string> real = ResolveInside(fs, path, roots);
  if (!real.ok()) return real.status();
  Result<std::unique_ptr<FileLock>> lock = fs.LockDirectory(ParentPath(*real));
  if (!lock.ok()) return lock.status();
  // By the path as given, so that messages name the document as the user knows it; both resolve
  // it again (to the same real path) and check it again.
  Result<std::string> text = fs.ReadFileInside(path, roots);
  if (!text.ok()) return text.status();
  Result<std::string> updated = edit(*text);
  if (!updated.ok()) return updated.status();
  if (*updated == *text) return false;
  Status written = fs.WriteFileAtomicInside(path, *updated, roots);
  if (!written.ok()) return written;
  return true;
}

Result<bool> UpdateDocumentWith(FileSystem& fs, const std::string& path, const PathRoots& roots,
                                const UpdateFunction& fn) {
  return EditDocumentText(fs, path, roots, [&](const std::string& text) -> Result<std::string> {
    Result<std::vector<doc::FieldUpdate>> updates = fn(text);
    if (!updates.ok()) return updates.status();
    return doc::ApplyFieldUpdates(text, *updates);
  });
}

Result<bool> UpdateDocumentFields(FileSystem& fs, const std::string& path, const PathRoots& roots,
                                  const std::vector<doc::FieldUpdate>& updates) {
  return UpdateDocumentWith(
      fs, path, roots,
      [&](const std::string&) -> Result<std::vector<doc::FieldUpdate>> { return updates; });
}

Result<std::string> CreateDocument(FileSystem& fs, const std::string& kb_root,
                                   doc::ScaffoldOptions options, const Clock& clock) {
  std::string_view e = Trim(options.endpoint);
  size_t space = e.find(' ');
  std::string method = ToUpper(e.substr(0, space));
  std::string path = space == std::string_view::npos ? "" : std::string(Trim(e.substr(space)));
  if (!doc::IsHttpMethod(method) || !path.starts_with('/') ||
      path.find_first_of(" \t") != std::string::npos)
    return Status::InvalidArgument(
        fmt::format("endpoint must be \"METHOD /path\", got {}", Quoted(options.endpoint)));
  if (options.domain.empty() || options.domain.find('/') != std::string::npos ||
      options.domain.starts_with('.'))
    return Status::InvalidArgument("domain must be a plain folder name such as sales");
  if (!options.variant.empty() && !doc::IsVariantName(options.variant))
    return Status::InvalidArgument(
        fmt::format("variant must be lower-case letters, digits, '-' and '_', got {}",
                    Quoted(options.variant)));
  options.endpoint = method + " " + path;
  options.now_ms = clock.NowMillis();
  return CreateDocumentText(fs, kb_root, options.domain, options.endpoint, options.variant,
                            doc::ScaffoldDocument(options));
}

Result<std::string> CreateDocumentText(FileSystem& fs, const std::string& kb_root,
                                       const std::string& domain, const std::string& endpoint,
                                       const std::string& variant, const std::string& text) {
  Result<FileInfo> root_info = fs.Stat(kb_root);
  if (!root_info.ok()) return root_info.status();
  if (root_info->type == FileType::kDirectory) {
    Result<KnowledgeBase> kb = LoadKnowledgeBase(fs, {kb_root});
    if (!kb.ok()) return kb.status();
    for (const doc::Document* existing : kb->FindEndpoint(endpoint)) {
      if (existing->frontmatter.variant != variant) continue;
      return Status::AlreadyExists(fmt::format(
          "{} is already documented in {}", doc::RecipeLabel(endpoint, variant), existing->file));
    }
  }
  std::string folder = JoinPath(kb_root, domain);
  Status made = fs.CreateDirectories(folder);
  if (!made.ok()) return made;
  std::string file = JoinPath(folder, doc::ConventionalFileName(endpoint, variant));
  Result<PathRoots> roots = PathRoots::Resolve(fs, {kb_root});
  if (!roots.ok()) return roots.status();
  Result<std::string> real_folder = ResolveInside(fs, folder, *roots);
  if (!real_folder.ok()) return real_folder.status();
  // Under the lock like every write, so the temporary file is never taken for a dead writer's.
  Result<std::unique_ptr<FileLock>> lock = fs.LockDirectory(*real_folder);
  if (!lock.ok()) return lock.status();
  Status created = fs.CreateFileExclusiveInside(file, text, *roots);
  if (!created.ok()) return created;
  return file;
}

}  // namespace verity::kb
