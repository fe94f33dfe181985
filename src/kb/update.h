// Writes to the knowledge base: field updates and new documents. Every write is atomic (temporary
// file + rename in the same folder) and read-modify-write cycles run under the folder's lock, so
// concurrent writers (two CI jobs, the dashboard and a CLI run) never lose an update. Every path
// is confined to `roots` (kOutsideRoot otherwise): a document that is a symbolic link is read and
// written through only when its target is inside, and the lock taken is that of the target's
// folder, where the write happens.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/file_system.h"
#include "base/status.h"
#include "doc/scaffold.h"
#include "doc/writeback.h"

namespace verity::kb {

/// Computes updates from the document's current text, under the folder lock, and applies them:
/// the way to read-modify-write (incrementing timesReused) without losing concurrent updates.
using UpdateFunction =
    std::function<Result<std::vector<doc::FieldUpdate>>(const std::string& text)>;
Result<bool> UpdateDocumentWith(FileSystem& fs, const std::string& path, const PathRoots& roots,
                                const UpdateFunction& fn);

/// Like UpdateDocumentWith, for edits that are not field updates: `edit` turns the current text
/// into the new one under the folder lock; the file is rewritten atomically only if it changed.
using TextEdit = std::function<Result<std::string>(const std::string& text)>;
Result<bool> EditDocumentText(FileSystem& fs, const std::string& path, const PathRoots& roots,
                              const TextEdit& edit);

/// Applies `updates` to the document at `path`. Returns true when the file's bytes changed; an
/// update to the value a field already has leaves the file untouched (not even rewritten).
Result<bool> UpdateDocumentFields(FileSystem& fs, const std::string& path, const PathRoots& roots,
                                  const std::vector<doc::FieldUpdate>& updates);

/// Creates `<kb_root>/<domain>/<conventional name>` for a new endpoint and returns its path.
/// Refuses (kAlreadyExists) to overwrite a file, or to document an endpoint that the knowledge
/// base already documents in another file, or to write outside `kb_root` (a domain folder that is
/// a symbolic link out of it: kOutsideRoot).
Result<std::string> CreateDocument(FileSystem& fs, const std::string& kb_root,
                                   doc::ScaffoldOptions options, const Clock& clock);

/// Creates `<kb_root>/<domain>/<conventional name of endpoint and variant>` holding `text` (a
/// draft built from the spec), with the same refusals as CreateDocument; returns its path.
Result<std::string> CreateDocumentText(FileSystem& fs, const std::string& kb_root,
                                       const std::string& domain, const std::string& endpoint,
                                       const std::string& variant, const std::string& text);

}  // namespace verity::kb
