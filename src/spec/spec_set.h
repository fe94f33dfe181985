// The set of spec files in play, and `$ref` resolution across them.
//
// Nothing is dereferenced eagerly: a SchemaRef is a (file, node, pointer) triple and `$ref`s are
// followed when a walker reaches them, so cyclic schemas (a tree node whose children are tree
// nodes) cost nothing at load time and never expand infinitely. Files reached by a relative `$ref`
// are loaded on first use; URLs can be mapped onto local folders (the vcita specs point at
// https://vcita.github.io/developers-hub/entities/…, published from a folder of the same repo).
//
// A `$ref` reads only inside its file's spec root: the folder given, or the folder of a file given
// alone, and the folders URLs are mapped onto. Whether a target is inside is decided on its real
// path (links followed), before it is opened; one outside is REF_OUTSIDE_ROOT, an unmapped URL
// REF_REMOTE, and neither is ever read or fetched. Every file loaded is checked whole, so those
// problems are known at load time (TakeLoadProblems) with the `$ref`'s file:line:col.
//
// Thread-safety: all methods may be called from several threads at once.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/file_system.h"
#include "base/json.h"
#include "base/source_pos.h"
#include "base/status.h"
#include "spec/spec_file.h"

namespace verity::spec {

/// A node inside a loaded file. `pointer` is the node's JSON Pointer in that file ("" = root), so
/// every diagnostic can say "payments.json#/definitions/Package/properties/price".
struct SchemaRef {
  const SpecFile* file = nullptr;
  const Json* node = nullptr;
  std::string pointer;

  explicit operator bool() const { return node != nullptr; }
  const Json* operator->() const { return node; }
  /// "file#/pointer" for messages.
  std::string Location() const;
  /// The child `key` of an object node, or an empty ref.
  SchemaRef Child(std::string_view key) const;
  /// The member `key` whose value is `value`, for a caller iterating the members (Child searches
  /// an object linearly, so looking up each member of a large one by name is quadratic).
  SchemaRef Member(std::string_view key, const Json& value) const;
  /// Item `index` of an array node, or an empty ref.
  SchemaRef Item(size_t index) const;
};

/// Appends a reference token to a JSON Pointer (base/json.h), named here for the spec layer's
/// users.
using verity::AppendPointerToken;
std::string PointerToken(std::string_view token);

/// Why a `$ref` is not followed, when it is for one of these reasons; a Resolve or Follow failure's
/// message then starts with the code and ": ".
inline constexpr const char* kRefOutsideRoot = "REF_OUTSIDE_ROOT";
inline constexpr const char* kRefRemote = "REF_REMOTE";
inline constexpr const char* kRefUnresolved = "REF_UNRESOLVED";  // any other reason

/// kRefOutsideRoot or kRefRemote for a Resolve/Follow failure of that kind, else kRefUnresolved.
const char* RefFailureCode(const Status& status);

/// A problem of a file found as it was loaded: a `$ref` that will not be followed
/// (REF_OUTSIDE_ROOT, REF_REMOTE) or a key written twice (SPEC_DUPLICATE_KEY).
struct LoadProblem {
  std::string code;
  std::string file;
  SourcePos pos;
  std::string message;

  /// "file:line:col" ("file" when the position is unknown).
  std::string Location() const;
};

struct SpecSetOptions {
  /// URL prefix → local folder. "https://vcita.github.io/developers-hub/" → "../devhub/". The
  /// folders are spec roots too: files in them may be reached from any spec.
  std::vector<std::pair<std::string, std::string>> url_mappings;
  /// Largest file read; larger ones are refused before reading (LIMIT_EXCEEDED).
  uint64_t max_file_bytes = 64ull << 20;
  /// `$ref` hops followed in a row before giving up (a ref that points at a ref …).
  int max_ref_hops = 64;
};

class SpecSet {
 public:
  explicit SpecSet(const FileSystem& fs, SpecSetOptions options = {});
  SpecSet(const SpecSet&) = delete;
  SpecSet& operator=(const SpecSet&) = delete;

  /// Loads a description file (cached by path). Fails for unreadable, unparsable, too large and
  /// NOT_A_SPEC files; the message names the file. Its `$ref`s stay inside `root` (a folder), or
  /// inside the file's own folder when `root` is empty.
  Result<const SpecFile*> Load(const std::string& path, const std::string& root = "");

  /// Loads many descriptions on `threads` threads (parsing is the cost of loading); later Load
  /// calls for them are cache hits, failures included.
  void Preload(const std::vector<std::string>& paths, unsigned threads,
               const std::string& root = "");

  /// Adds a description parsed elsewhere (tests, stdin). Fails when the text is not a spec. Its
  /// spec root is the folder of `path`.
  Result<const SpecFile*> AddText(const std::string& path, std::string_view text);

  /// The problems found in the files loaded since the last call, in load order.
  std::vector<LoadProblem> TakeLoadProblems();

  /// Resolves the `$ref` text found in `from`'s file: "#/components/schemas/X",
  /// "common.yaml#/Error", "../entities/client.json", a mapped URL. Errors name the referring
  /// location (file:line:col of the `$ref` when it names another file, else file#/pointer) and
  /// the target ("payments.json#/paths/~1x/get: $ref '#/definitions/Nope' points at nothing").
  Result<SchemaRef> Resolve(const SchemaRef& from, std::string_view ref);

  /// If `ref`'s node is an object with a string `$ref`, follows it (repeatedly) and returns the
  /// final node; otherwise returns `ref`. Cycles of pure refs ("A: $ref B", "B: $ref A") and chains
  /// longer than max_ref_hops are errors.
  Result<SchemaRef> Follow(SchemaRef ref);

  /// The node at JSON Pointer `pointer` ("" or "/a/b") in `file`, or an empty ref.
  static SchemaRef At(const SpecFile& file, std::string_view pointer);

  const SpecSetOptions& options() const { return options_; }

 private:
  // Where a `$ref`'s file part leads: `path` names it in messages and the cache, `real` is read,
  // `root` becomes the loaded file's spec root.
  struct Target {
    std::string path;
    std::string real;
    std::string root;
  };
  // A file read and parsed, with the problems found in it.
  struct Parsed {
    Result<SpecFile> file;
    std::vector<LoadProblem> problems;
  };
  struct FileRequest {
    std::string path;  // normalized
    std::string given_path;
    std::string read_path;
    bool as_description = true;
    SpecVersion inherited = SpecVersion::kOpenApi30;
    std::string root;  // real
  };

  std::string RealRoot(const std::string& folder) const;
  Parsed ReadAndParse(const FileRequest& request) const;
  void Check(const SpecFile& file, std::vector<LoadProblem>& problems) const;
  /// The cached file or failure; NotFound with an empty message when the path is new.
  Result<const SpecFile*> Cached(const std::string& path, bool as_description) const;
  Result<const SpecFile*> Insert(const FileRequest& request, Parsed parsed);
  Result<const SpecFile*> LoadLocked(const FileRequest& request);
  Result<SchemaRef> ResolveLocked(const SchemaRef& from, std::string_view ref);
  Result<Target> Locate(const SpecFile& from, std::string_view file_part) const;
  Status Explain(const SchemaRef& from, std::string_view ref, const Status& why) const;

  const FileSystem& fs_;
  SpecSetOptions options_;
  std::vector<std::string> mapped_roots_;  // real paths of the url_mappings' folders
  std::mutex mu_;
  std::vector<LoadProblem> load_problems_;
  // deque: SpecFile addresses stay valid as files are added.
  std::deque<SpecFile> files_;
  std::unordered_map<std::string, const SpecFile*> by_path_;
  std::unordered_map<std::string, Status> failures_;  // paths that failed, so we fail fast again
  std::map<std::pair<const SpecFile*, std::string>, Result<SchemaRef>> resolved_;
};

}  // namespace verity::spec
