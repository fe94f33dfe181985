// Every operation of a set of spec files, with lookup by method and path.
//
// Paths are given as files or folders. A folder is walked recursively for *.json, *.yaml and
// *.yml (hidden entries skipped); each file that is not a description is reported, never fatal.
// An operation's domain comes from its file's path relative to the folder it was found under: the
// folder given, the spec root (AddWithin), or for a file given by itself its own folder. It is the
// first folder of that relative path, `legacy` folders left out ("swagger/sales/legacy/
// payments.json" → "sales" when "swagger" was given), else the file's stem
// ("mcp_swagger/sales.json" → "sales" whether "mcp_swagger" or the file itself was given, by any
// path).
#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/file_system.h"
#include "spec/operation.h"
#include "spec/path_template.h"
#include "spec/spec_set.h"

namespace verity::spec {

/// A file that could not be used, or a problem inside one.
struct CatalogProblem {
  std::string code;      // NOT_A_SPEC, SPEC_PARSE_ERROR, SPEC_READ_ERROR, SPEC_TOO_LARGE,
                         // SPEC_OUTSIDE_ROOT, plus the LoadProblem and OperationProblem codes
  std::string location;  // file, file:line:col or file#/pointer
  std::string message;
  bool is_error = true;  // false: the file loaded, something inside it is doubtful
};

struct Nearest {
  const Operation* operation = nullptr;
  size_t distance = 0;  // edit distance between the method+path shapes
};

class Catalog {
 public:
  explicit Catalog(const FileSystem& fs, SpecSetOptions options = {});

  /// Adds a file or a folder. Returns false only when `path` itself does not exist or cannot be
  /// listed (recorded as a problem too); bad files inside a folder are problems, not failures.
  /// The folder, or the folder of a file given alone, is the spec root: files of the folder that
  /// are links to somewhere outside it (SPEC_OUTSIDE_ROOT) and `$ref`s leading outside it
  /// (REF_OUTSIDE_ROOT) are reported and never read.
  bool Add(const std::string& path);
  /// Adds `path` only if it really (links followed) is inside the folder `root`, which is then its
  /// spec root; else a SPEC_OUTSIDE_ROOT problem and false. For paths built from what a file says
  /// (a document's `swagger` field joined to spec_root).
  bool AddWithin(const std::string& path, const std::string& root);
  /// Adds an already-read description (tests, stdin).
  bool AddText(const std::string& path, std::string_view text, const std::string& domain);

  SpecSet& specs() { return *specs_; }
  const std::vector<const SpecFile*>& files() const { return files_; }
  /// Addresses stay valid while the catalog lives (Add only appends).
  const std::deque<Operation>& operations() const { return operations_; }
  const std::vector<CatalogProblem>& problems() const { return problems_; }

  /// Operations matching a method and a concrete or templated path (query string ignored), the
  /// most specific first; several when specs overlap.
  std::vector<const Operation*> FindAll(std::string_view method, std::string_view path) const;
  const Operation* Find(std::string_view method, std::string_view path) const;
  /// "GET /v1/x/{id}" form.
  const Operation* FindEndpoint(std::string_view endpoint) const;

  /// Operations of one file matching, as Find does.
  const Operation* FindIn(const SpecFile& file, std::string_view method,
                          std::string_view path) const;

  /// The operation closest to a method and path that matches none (same method preferred).
  Nearest FindNearest(std::string_view method, std::string_view path,
                      const SpecFile* only_file = nullptr) const;

  /// The description loaded from `path` (normalized), or nullptr.
  const SpecFile* FileAt(const std::string& path) const;

 private:
  void AddFile(const std::string& path, const std::string& domain, const std::string& root);
  bool AddFolder(const std::string& path);
  /// Whether `path` really is inside `root`; records SPEC_OUTSIDE_ROOT when it is not.
  bool CheckInside(const std::string& path, const std::string& root);
  void ReportOutside(const std::string& path, const std::string& root);
  void ReadOperationsOf(const SpecFile& file, const std::string& domain);
  void TakeLoadProblems();
  void Index(size_t first_new);

  std::unique_ptr<SpecSet> specs_;
  const FileSystem& fs_;
  std::vector<const SpecFile*> files_;
  std::deque<Operation> operations_;
  std::vector<CatalogProblem> problems_;
  std::vector<PathTemplate> templates_;  // parallel to operations_
  // method → indices into operations_ (candidates for matching)
  std::unordered_map<std::string, std::vector<size_t>> by_method_;
};

/// Splits "GET /path" into method (upper case) and path; false when it is not of that form.
bool SplitEndpoint(std::string_view endpoint, std::string* method, std::string* path);

}  // namespace verity::spec
