// A knowledge base: every workflow document under one or more paths, parsed. Loading never stops
// at a bad document; each document carries its own diagnostics. Files are parsed in parallel and
// kept in path order, so results do not depend on the number of threads.
#pragma once

#include <string>
#include <vector>

#include "base/file_system.h"
#include "base/status.h"
#include "doc/model.h"
#include "doc/parser.h"

namespace verity::kb {

struct LoadOptions {
  doc::ParseOptions parse;
  unsigned threads = 0;  // 0: one per core
};

struct KnowledgeBase {
  std::vector<std::string> roots;        // the folders (or files) it was loaded from
  std::vector<doc::Document> documents;  // in path order
  /// What its documents may be read and written through: the root folders (a file's folder for a
  /// file), resolved. A document whose real path is outside is not read (PATH_OUTSIDE_ROOT).
  PathRoots confinement;

  /// Documents whose frontmatter names this endpoint ("GET /a/{b}"), in path order.
  std::vector<const doc::Document*> FindEndpoint(std::string_view endpoint) const;
};

/// True for files a folder scan picks up: `*.md` except README.md and TEMPLATE.md.
bool IsWorkflowFileName(std::string_view name);

/// Loads every document under `paths` (a file is taken as is; a folder is scanned recursively).
/// Fails only when a path does not exist or a folder cannot be listed. A document that leads
/// outside every path (a symbolic link to /etc/passwd) is not read: it is listed with a
/// PATH_OUTSIDE_ROOT diagnostic at file:1:1, and the others load as usual.
Result<KnowledgeBase> LoadKnowledgeBase(const FileSystem& fs, const std::vector<std::string>& paths,
                                        const LoadOptions& options = {});

/// Reads and parses one file (size-checked before reading), confined to `roots`.
doc::Document LoadDocument(const FileSystem& fs, const std::string& path, const PathRoots& roots,
                           const doc::ParseOptions& options = {});

/// The folder a document's path is relative to: the root it was found under.
std::string RootOf(const KnowledgeBase& kb, const std::string& file);

}  // namespace verity::kb
