#include "spec/spec_set.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <set>
#include <thread>
#include <utility>

namespace verity::spec {
namespace {

// Lexically removes "." and ".." so that "a/b/../c.json" and "a/c.json" are one cache entry.
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

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A `$ref` is a URI reference, so its fragment may be percent-encoded ("#/paths/~1a%7Bid%7D").
std::string PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
        HexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

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

}  // namespace

std::string SchemaRef::Location() const {
  std::string out = file ? file->path : "?";
  out += '#';
  out += pointer;
  return out;
}

SchemaRef SchemaRef::Child(std::string_view key) const {
  if (!node || !node->is_object()) return {};
  auto it = node->find(key);
  if (it == node->end()) return {};
  SchemaRef child{file, &*it, pointer};
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

void AppendPointerToken(std::string& pointer, std::string_view token) {
  pointer += '/';
  for (char c : token) {
    if (c == '~') {
      pointer += "~0";
    } else if (c == '/') {
      pointer += "~1";
    } else {
      pointer += c;
    }
  }
}

std::string PointerToken(std::string_view token) {
  std::string out;
  AppendPointerToken(out, token);
  return out.substr(1);
}

SpecSet::SpecSet(const FileSystem& fs, SpecSetOptions options)
    : fs_(fs), options_(std::move(options)) {}

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

Result<const SpecFile*> SpecSet::Load(const std::string& path) {
  std::lock_guard lock(mu_);
  return LoadLocked(path, /*as_description=*/true, SpecVersion::kOpenApi30);
}

Result<const SpecFile*> SpecSet::AddText(const std::string& path, std::string_view text) {
  Result<SpecFile> parsed = ParseSpecText(path, text);
  if (!parsed.ok()) return Status(parsed.status().code(), path + ": " + parsed.status().message());
  std::lock_guard lock(mu_);
  files_.push_back(std::move(parsed).value());
  by_path_[NormalizePath(path)] = &files_.back();
  return &files_.back();
}

Result<SpecFile> SpecSet::ReadAndParse(const std::string& path, bool as_description,
                                       SpecVersion inherited) const {
  Result<FileInfo> info = fs_.Stat(path);
  if (!info.ok()) return info.status();
  if (info->type == FileType::kNone) return Status::NotFound("no such file");
  if (info->type != FileType::kFile) return Status::InvalidArgument("not a regular file");
  if (info->size > options_.max_file_bytes) {
    return Status::LimitExceeded("the file has " + std::to_string(info->size) +
                                 " bytes; the limit is " + std::to_string(options_.max_file_bytes));
  }
  Result<std::string> text = fs_.ReadFile(path);
  if (!text.ok()) return text.status();
  return as_description ? ParseSpecText(path, *text) : ParseReferencedText(path, *text, inherited);
}

Result<const SpecFile*> SpecSet::Cached(const std::string& path, bool as_description) const {
  if (auto it = by_path_.find(path); it != by_path_.end()) {
    if (as_description && !it->second->is_description) {
      return Status::InvalidArgument(path + ": " + kNotASpec +
                                     ": no 'swagger: \"2.0\"' or 'openapi: 3.x' field at the top");
    }
    return it->second;
  }
  if (auto it = failures_.find(path); it != failures_.end()) return it->second;
  return Status::NotFound("");  // not seen yet
}

Result<const SpecFile*> SpecSet::Insert(const std::string& path, const std::string& given_path,
                                        Result<SpecFile> parsed) {
  if (!parsed.ok()) {
    Status named(parsed.status().code(), given_path + ": " + parsed.status().message());
    failures_.emplace(path, named);
    return named;
  }
  files_.push_back(std::move(parsed).value());
  by_path_[path] = &files_.back();
  return &files_.back();
}

Result<const SpecFile*> SpecSet::LoadLocked(const std::string& given_path, bool as_description,
                                            SpecVersion inherited) {
  std::string path = NormalizePath(given_path);
  Result<const SpecFile*> cached = Cached(path, as_description);
  if (cached.ok() || !cached.status().message().empty()) return cached;
  return Insert(path, given_path, ReadAndParse(path, as_description, inherited));
}

void SpecSet::Preload(const std::vector<std::string>& paths, unsigned threads) {
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < paths.size(); i = next++) {
      std::string path = NormalizePath(paths[i]);
      {
        std::lock_guard lock(mu_);
        if (by_path_.count(path) || failures_.count(path)) continue;
      }
      // Reading and parsing, the expensive part, happen outside the lock.
      Result<SpecFile> parsed =
          ReadAndParse(path, /*as_description=*/true, SpecVersion::kOpenApi30);
      std::lock_guard lock(mu_);
      if (by_path_.count(path) || failures_.count(path)) continue;
      (void)Insert(path, paths[i], std::move(parsed));
    }
  };
  threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(paths.size())));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& thread : pool) thread.join();
}

Result<std::string> SpecSet::TargetPath(const SpecFile& from, std::string_view file_part) const {
  if (file_part.find("://") != std::string_view::npos) {
    for (const auto& [prefix, folder] : options_.url_mappings) {
      if (file_part.substr(0, prefix.size()) == prefix) {
        return NormalizePath(JoinPath(folder, PercentDecode(file_part.substr(prefix.size()))));
      }
    }
    return Status::NotFound("the URL is not mapped to a local folder (--ref-map URL=DIR)");
  }
  std::string decoded = PercentDecode(file_part);
  if (!decoded.empty() && decoded[0] == '/') return NormalizePath(decoded);
  return NormalizePath(JoinPath(ParentPath(from.path), decoded));
}

Result<SchemaRef> SpecSet::Resolve(const SchemaRef& from, std::string_view ref) {
  std::lock_guard lock(mu_);
  auto key = std::make_pair(from.file, std::string(ref));
  if (auto it = resolved_.find(key); it != resolved_.end()) return it->second;
  Result<SchemaRef> result = ResolveLocked(from, ref);
  resolved_.emplace(std::move(key), result);
  return result;
}

Result<SchemaRef> SpecSet::ResolveLocked(const SchemaRef& from, std::string_view ref) {
  auto fail = [&](const std::string& why) -> Status {
    return Status::NotFound(from.Location() + ": $ref '" + std::string(ref) + "' " + why);
  };
  if (!from.file) return fail("has no file to resolve against");
  size_t hash = ref.find('#');
  std::string_view file_part = ref.substr(0, hash);
  std::string fragment = hash == std::string_view::npos ? "" : PercentDecode(ref.substr(hash + 1));
  const SpecFile* target = from.file;
  if (!file_part.empty()) {
    Result<std::string> path = TargetPath(*from.file, file_part);
    if (!path.ok()) return fail(path.status().message());
    Result<const SpecFile*> loaded =
        LoadLocked(*path, /*as_description=*/false, from.file->version);
    if (!loaded.ok()) return fail("cannot be loaded: " + loaded.status().message());
    target = *loaded;
  }
  if (!fragment.empty() && fragment[0] != '/') {
    return fail("uses a plain-name fragment, which is not supported (use a JSON Pointer)");
  }
  SchemaRef node = At(*target, fragment);
  if (!node) return fail("points at nothing (no " + target->path + "#" + fragment + ")");
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
