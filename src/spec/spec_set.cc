#include "spec/spec_set.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <iterator>
#include <set>
#include <thread>
#include <utility>

#include "base/strings.h"

namespace verity::spec {
namespace {

std::string UnescapeToken(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
      out += token[i + 1] == '0' ? '~' : '/';
      ++i;
    } else {
      out += token[i];
    }
  }
  return out;
}

// RFC 3986: scheme ":" … (or a network-path reference, "//host/…"). A relative file reference
// cannot have a ':' before its first '/'.
bool IsUrl(std::string_view ref) {
  if (ref.starts_with("//")) return true;
  size_t colon = ref.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  if (!std::isalpha(static_cast<unsigned char>(ref[0]))) return false;
  for (char c : ref.substr(0, colon)) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') {
      return false;
    }
  }
  return true;
}

std::string WithCode(const char* code, std::string_view message) {
  return std::string(code) + ": " + std::string(message);
}

// The code a failure's message starts with, and the rest.
std::pair<const char*, std::string_view> SplitCode(std::string_view message) {
  for (const char* code : {kRefOutsideRoot, kRefRemote}) {
    std::string_view prefix(code);
    if (message.starts_with(prefix) && message.substr(prefix.size()).starts_with(": ")) {
      return {code, message.substr(prefix.size() + 2)};
    }
  }
  return {kRefUnresolved, message};
}

std::string PositionText(const std::string& file, SourcePos pos) {
  if (!pos.known()) return file;
  return file + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.col);
}

}  // namespace

const char* RefFailureCode(const Status& status) { return SplitCode(status.message()).first; }

std::string LoadProblem::Location() const { return PositionText(file, pos); }

std::string SchemaRef::Location() const {
  std::string out = file ? file->path : "?";
  out += '#';
  out += pointer;
  return out;
}

SchemaRef SchemaRef::Child(std::string_view key) const {
  if (!node || !node->is_object()) return {};
  const Json* found = nullptr;
  if (file) {
    found = file->FindMember(*node, key);
  } else if (auto it = node->find(key); it != node->end()) {
    found = &*it;
  }
  if (!found) return {};
  SchemaRef child{file, found, pointer};
  AppendPointerToken(child.pointer, key);
  return child;
}

SchemaRef SchemaRef::Member(std::string_view key, const Json& value) const {
  SchemaRef child{file, &value, pointer};
  AppendPointerToken(child.pointer, key);
  return child;
}

SchemaRef SchemaRef::Item(size_t index) const {
  if (!node || !node->is_array() || index >= node->size()) return {};
  SchemaRef child{file, &(*node)[index], pointer};
  child.pointer += '/';
  child.pointer += std::to_string(index);
  return child;
}

std::string PointerToken(std::string_view token) {
  std::string out;
  AppendPointerToken(out, token);
  return out.substr(1);
}

SpecSet::SpecSet(const FileSystem& fs, SpecSetOptions options)
    : fs_(fs), options_(std::move(options)) {
  for (const auto& [prefix, folder] : options_.url_mappings) {
    mapped_roots_.push_back(RealRoot(folder));
  }
}

std::string SpecSet::RealRoot(const std::string& folder) const {
  Result<std::string> real = fs_.RealPath(folder);
  return real.ok() ? *real : NormalizePath(folder);
}

SchemaRef SpecSet::At(const SpecFile& file, std::string_view pointer) {
  SchemaRef ref{&file, &file.root, ""};
  if (pointer.empty()) return ref;
  if (pointer[0] != '/') return {};
  size_t start = 1;
  while (true) {
    size_t slash = pointer.find('/', start);
    std::string token = UnescapeToken(pointer.substr(
        start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (ref.node->is_object()) {
      ref = ref.Child(token);
    } else if (ref.node->is_array()) {
      size_t index = 0;
      auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), index);
      if (ec != std::errc() || end != token.data() + token.size() || token.empty() ||
          (token.size() > 1 && token[0] == '0')) {
        return {};
      }
      ref = ref.Item(index);
    } else {
      return {};
    }
    if (!ref) return {};
    if (slash == std::string_view::npos) return ref;
    start = slash + 1;
  }
}

Result<const SpecFile*> SpecSet::Load(const std::string& path, const std::string& root) {
  FileRequest request{NormalizePath(path),
                      path,
                      path,
                      true,
                      SpecVersion::kOpenApi30,
                      RealRoot(root.empty() ? ParentPath(path) : root)};
  std::lock_guard lock(mu_);
  return LoadLocked(request);
}

Result<const SpecFile*> SpecSet::AddText(const std::string& path, std::string_view text) {
  Result<SpecFile> parsed = ParseSpecText(path, text);
  if (!parsed.ok()) return Status(parsed.status().code(), path + ": " + parsed.status().message());
  parsed->spec_root = RealRoot(ParentPath(path));
  Parsed checked{std::move(parsed), {}};
  Check(*checked.file, checked.problems);
  std::lock_guard lock(mu_);
  load_problems_.insert(load_problems_.end(), checked.problems.begin(), checked.problems.end());
  files_.push_back(std::move(checked.file).value());
  by_path_[NormalizePath(path)] = &files_.back();
  return &files_.back();
}

std::vector<LoadProblem> SpecSet::TakeLoadProblems() {
  std::lock_guard lock(mu_);
  return std::exchange(load_problems_, {});
}

SpecSet::Parsed SpecSet::ReadAndParse(const FileRequest& request) const {
  const std::string& path = request.read_path;
  Result<FileInfo> info = fs_.Stat(path);
  if (!info.ok()) return {info.status(), {}};
  if (info->type == FileType::kNone) return {Status::NotFound("no such file"), {}};
  if (info->type != FileType::kFile) return {Status::InvalidArgument("not a regular file"), {}};
  if (info->size > options_.max_file_bytes) {
    return {
        Status::LimitExceeded("the file has " + std::to_string(info->size) +
                              " bytes; the limit is " + std::to_string(options_.max_file_bytes)),
        {}};
  }
  // A referenced file was found inside its root; it is opened without following links, so a link
  // swapped in since then is refused rather than read. (A description the user named is read
  // wherever it is.)
  Result<std::string> text = !request.as_description && request.root.starts_with('/')
                                 ? fs_.ReadFileInside(path, PathRoots::OfRealPaths({request.root}))
                                 : fs_.ReadFile(path);
  if (!text.ok()) return {text.status(), {}};
  Parsed parsed{request.as_description
                    ? ParseSpecText(request.path, *text)
                    : ParseReferencedText(request.path, *text, request.inherited),
                {}};
  if (parsed.file.ok()) {
    parsed.file->spec_root = request.root;
    Check(*parsed.file, parsed.problems);
  }
  return parsed;
}

// Every `$ref` to another file is located now (nothing is read), so that refs which will never
// be followed are reported once, where they are written, whether or not anything follows them.
void SpecSet::Check(const SpecFile& file, std::vector<LoadProblem>& problems) const {
  for (const DuplicateKey& d : file.duplicate_keys) {
    problems.push_back({kSpecDuplicateKey, file.path, d.pos,
                        "duplicate key \"" + d.key + "\" (first defined at line " +
                            std::to_string(d.first.line) +
                            "); the first definition is used, this one is ignored"});
  }
  for (const ExternalRef& ref : file.external_refs) {
    Result<Target> target =
        Locate(file, std::string_view(ref.target).substr(0, ref.target.find('#')));
    if (target.ok()) continue;
    auto [code, why] = SplitCode(target.status().message());
    if (code == kRefUnresolved) continue;  // reported by whatever follows it
    problems.push_back({code, file.path, ref.pos, "$ref '" + ref.target + "' " + std::string(why)});
  }
}

Result<const SpecFile*> SpecSet::Cached(const std::string& path, bool as_description) const {
  if (auto it = by_path_.find(path); it != by_path_.end()) {
    if (as_description && !it->second->is_description) {
      return Status::InvalidArgument(path + ": " + kNotASpec +
                                     ": no 'swagger: \"2.0\"' or 'openapi: 3.x' field at the top");
    }
    return it->second;
  }
  if (auto it = failures_.find(path); it != failures_.end()) {
    // A file of the folder that parsed but is no description (a shared schemas file) can still
    // be the target of a `$ref`: it is then read again, as such.
    bool not_a_spec = it->second.code() == StatusCode::kInvalidArgument &&
                      it->second.message().find(kNotASpec) != std::string::npos;
    if (as_description || !not_a_spec) return it->second;
  }
  return Status::NotFound("");  // not seen yet
}

Result<const SpecFile*> SpecSet::Insert(const FileRequest& request, Parsed parsed) {
  if (!parsed.file.ok()) {
    Status named(parsed.file.status().code(),
                 request.given_path + ": " + parsed.file.status().message());
    failures_.emplace(request.path, named);
    return named;
  }
  load_problems_.insert(load_problems_.end(), std::make_move_iterator(parsed.problems.begin()),
                        std::make_move_iterator(parsed.problems.end()));
  files_.push_back(std::move(parsed.file).value());
  by_path_[request.path] = &files_.back();
  return &files_.back();
}

Result<const SpecFile*> SpecSet::LoadLocked(const FileRequest& request) {
  Result<const SpecFile*> cached = Cached(request.path, request.as_description);
  if (cached.ok() || !cached.status().message().empty()) return cached;
  return Insert(request, ReadAndParse(request));
}

void SpecSet::Preload(const std::vector<std::string>& paths, unsigned threads,
                      const std::string& root) {
  std::string real_root = root.empty() ? "" : RealRoot(root);
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < paths.size(); i = next++) {
      FileRequest request{NormalizePath(paths[i]),
                          paths[i],
                          paths[i],
                          true,
                          SpecVersion::kOpenApi30,
                          real_root.empty() ? RealRoot(ParentPath(paths[i])) : real_root};
      {
        std::lock_guard lock(mu_);
        if (by_path_.count(request.path) || failures_.count(request.path)) continue;
      }
      // Reading and parsing, the expensive part, happen outside the lock.
      Parsed parsed = ReadAndParse(request);
      std::lock_guard lock(mu_);
      if (by_path_.count(request.path) || failures_.count(request.path)) continue;
      (void)Insert(request, std::move(parsed));
    }
  };
  threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(paths.size())));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& thread : pool) thread.join();
}

Result<SpecSet::Target> SpecSet::Locate(const SpecFile& from, std::string_view file_part) const {
  std::string path;
  if (IsUrl(file_part)) {
    for (const auto& [prefix, folder] : options_.url_mappings) {
      if (file_part.substr(0, prefix.size()) == prefix) {
        path = NormalizePath(JoinPath(folder, PercentDecode(file_part.substr(prefix.size()))));
        break;
      }
    }
    if (path.empty()) {
      return Status::NotFound(WithCode(
          kRefRemote,
          "is a URL that no --ref-map URL=DIR maps onto a local folder; remote references are "
          "never fetched"));
    }
  } else {
    std::string decoded = PercentDecode(file_part);
    path = NormalizePath(
        !decoded.empty() && decoded[0] == '/' ? decoded : JoinPath(ParentPath(from.path), decoded));
  }
  std::string real = WhereReally(fs_, path);
  if (PathInside(real, from.spec_root)) return Target{path, real, from.spec_root};
  for (const std::string& root : mapped_roots_) {
    if (PathInside(real, root)) return Target{path, real, root};
  }
  return Status::NotFound(WithCode(
      kRefOutsideRoot, "leads outside the spec root " + from.spec_root + "; it is not read"));
}

Status SpecSet::Explain(const SchemaRef& from, std::string_view ref, const Status& why) const {
  auto [code, rest] = SplitCode(why.message());
  std::string where = from.Location();
  if (from.file) {
    SourcePos pos = from.file->ExternalRefPos(from.pointer);
    if (pos.known()) where = PositionText(from.file->path, pos);
  }
  std::string message = where + ": $ref '" + std::string(ref) + "' " + std::string(rest);
  return Status(why.code(), code == kRefUnresolved ? message : WithCode(code, message));
}

Result<SchemaRef> SpecSet::Resolve(const SchemaRef& from, std::string_view ref) {
  Result<SchemaRef> result = [&] {
    std::lock_guard lock(mu_);
    auto key = std::make_pair(from.file, std::string(ref));
    if (auto it = resolved_.find(key); it != resolved_.end()) return it->second;
    Result<SchemaRef> resolved = ResolveLocked(from, ref);
    resolved_.emplace(std::move(key), resolved);
    return resolved;
  }();
  if (result.ok()) return result;
  return Explain(from, ref, result.status());
}

Result<SchemaRef> SpecSet::ResolveLocked(const SchemaRef& from, std::string_view ref) {
  if (!from.file) return Status::NotFound("has no file to resolve against");
  size_t hash = ref.find('#');
  std::string_view file_part = ref.substr(0, hash);
  // A `$ref` is a URI reference, so its fragment may be percent-encoded ("#/paths/~1a%7Bid%7D").
  std::string fragment = hash == std::string_view::npos ? "" : PercentDecode(ref.substr(hash + 1));
  const SpecFile* target = from.file;
  if (!file_part.empty()) {
    Result<Target> located = Locate(*from.file, file_part);
    if (!located.ok()) return located.status();
    FileRequest request{located->path, located->path,      located->real,
                        false,         from.file->version, located->root};
    Result<const SpecFile*> loaded = LoadLocked(request);
    if (!loaded.ok()) return Status::NotFound("cannot be loaded: " + loaded.status().message());
    target = *loaded;
  }
  if (!fragment.empty() && fragment[0] != '/') {
    return Status::NotFound(
        "uses a plain-name fragment, which is not supported (use a JSON Pointer)");
  }
  SchemaRef node = At(*target, fragment);
  if (!node)
    return Status::NotFound("points at nothing (no " + target->path + "#" + fragment + ")");
  return node;
}

Result<SchemaRef> SpecSet::Follow(SchemaRef ref) {
  std::set<const Json*> seen;
  for (int hops = 0;; ++hops) {
    if (!ref.node || !ref.node->is_object()) return ref;
    auto it = ref.node->find("$ref");
    if (it == ref.node->end() || !it->is_string()) return ref;
    if (hops >= options_.max_ref_hops) {
      return Status::LimitExceeded(ref.Location() + ": more than " +
                                   std::to_string(options_.max_ref_hops) + " $ref hops in a row");
    }
    if (!seen.insert(ref.node).second) {
      return Status::InvalidArgument(ref.Location() +
                                     ": $ref cycle (the chain of refs returns "
                                     "here without reaching a schema)");
    }
    Result<SchemaRef> next = Resolve(ref, it->get_ref<const std::string&>());
    if (!next.ok()) return next.status();
    ref = std::move(next).value();
  }
}

}  // namespace verity::spec
