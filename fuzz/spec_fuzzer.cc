// Feeds arbitrary bytes to the OpenAPI loader as a small tree of in-memory files, then does what
// the commands and the mock do with it: list the operations, follow every `$ref` of every file
// reached, generate each JSON response's sample (the mock's settings) and validate it, and check
// a response and a request body against their operations.
//
// The input is split on "\n%%\n" into up to three files: specs/main.yaml (the description; JSON
// or YAML by its first character), specs/sub/a.yaml, and hub/c.json, which `$ref`s reach as
// https://example.com/hub/… (a mapped URL). Beside them, outside every root, lies secret.json.
// A crash, a sanitizer report, a leak, a hang, secret.json being read, or its canary in any
// message, note or sample fails the run.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/file_system.h"
#include "base/json.h"
#include "spec/catalog.h"
#include "spec/response_check.h"
#include "spec/sample.h"
#include "spec/validate.h"

namespace {

using verity::FileInfo;
using verity::FileLock;
using verity::FileType;
using verity::Json;
using verity::Result;
using verity::Status;
namespace spec = verity::spec;

constexpr std::string_view kCanary = "CANARYfuzz5e4d3c2b";
constexpr std::string_view kSecretPath = "secret.json";
constexpr const char* kFiles[] = {"specs/main.yaml", "specs/sub/a.yaml", "hub/c.json"};

// Read-only files in memory (the tests' MemoryFileSystem is test code; this is all a loader
// needs). Paths are compared as given, folders implied by the files.
class FuzzFileSystem : public verity::FileSystem {
 public:
  void Add(std::string path, std::string content) { files_[std::move(path)] = std::move(content); }
  bool secret_read() const { return secret_read_; }

  Result<FileInfo> Stat(const std::string& path) const override {
    if (auto it = files_.find(path); it != files_.end()) {
      return FileInfo{FileType::kFile, it->second.size()};
    }
    for (const auto& [name, content] : files_) {
      if (name.size() > path.size() && name.starts_with(path) && name[path.size()] == '/') {
        return FileInfo{FileType::kDirectory, 0};
      }
    }
    return FileInfo{};
  }
  // No links: a path is real once "." and ".." are taken out.
  Result<std::string> RealPath(const std::string& path) const override {
    std::string real = verity::NormalizePath(path);
    Result<FileInfo> info = Stat(real);
    if (!info.ok() || info->type == FileType::kNone)
      return Status::NotFound("no such file: " + path);
    return real;
  }
  Result<std::string> ReadFileInside(const std::string& path,
                                     const verity::PathRoots& roots) const override {
    std::string real = verity::NormalizePath(path);
    if (!roots.Contains(real)) return Status::OutsideRoot(path + " is outside the roots");
    if (real == kSecretPath) secret_read_ = true;
    auto it = files_.find(real);
    if (it == files_.end()) return Status::NotFound("no such file: " + path);
    return it->second;
  }
  Result<std::vector<std::string>> ListFiles(const std::string& dir) const override {
    std::vector<std::string> out;
    for (const auto& [name, content] : files_) {
      if (name.starts_with(dir + "/")) out.push_back(name);
    }
    return out;
  }
  Status WriteFileAtomicInside(const std::string&, std::string_view,
                               const verity::PathRoots&) override {
    return Refuse();
  }
  Status CreateFileExclusiveInside(const std::string&, std::string_view,
                                   const verity::PathRoots&) override {
    return Refuse();
  }
  Status CreateDirectories(const std::string&) override { return Refuse(); }
  Result<std::unique_ptr<FileLock>> LockDirectory(const std::string&) override { return Refuse(); }

 private:
  static Status Refuse() {
    abort();  // the loader never writes
  }
  std::map<std::string, std::string> files_;
  mutable bool secret_read_ = false;
};

void CheckText(std::string_view text) {
  if (text.find(kCanary) != std::string_view::npos) abort();
}

// Every object with a string `$ref` in a file, resolved and followed; files reached join the walk.
void FollowEveryRef(spec::SpecSet& specs, const spec::SpecFile& first) {
  std::vector<const spec::SpecFile*> files = {&first};
  std::set<const spec::SpecFile*> seen = {&first};
  size_t budget = 20'000;  // nodes visited in all
  for (size_t f = 0; f < files.size(); ++f) {
    std::vector<spec::SchemaRef> stack = {spec::SpecSet::At(*files[f], "")};
    while (!stack.empty() && budget > 0) {
      --budget;
      spec::SchemaRef ref = stack.back();
      stack.pop_back();
      if (ref->is_object()) {
        auto it = ref->find("$ref");
        if (it != ref->end() && it->is_string()) {
          Result<spec::SchemaRef> target = specs.Resolve(ref, it->get<std::string>());
          if (!target.ok()) CheckText(target.status().message());
          if (target.ok() && seen.insert(target->file).second) files.push_back(target->file);
          Result<spec::SchemaRef> followed = specs.Follow(ref);
          if (!followed.ok()) CheckText(followed.status().message());
        }
        for (const auto& [key, value] : ref->items()) stack.push_back(ref.Member(key, value));
      } else if (ref->is_array()) {
        for (size_t i = 0; i < ref->size(); ++i) stack.push_back(ref.Item(i));
      }
    }
  }
}

void Exercise(spec::Catalog& catalog, const spec::Operation& op) {
  spec::SpecSet& specs = catalog.specs();
  for (const spec::Response& response : op.responses) {
    const spec::MediaSchema* media = response.JsonMedia();
    if (!media || !media->schema) continue;
    std::vector<std::string> notes;
    spec::SampleOptions options;  // as the mock samples a response
    options.all_properties = true;
    options.max_nodes = 200'000;
    options.notes = &notes;
    Result<Json> sample = spec::SampleValue(specs, media->schema, options);
    for (const std::string& note : notes) CheckText(note);
    if (!sample.ok()) {
      CheckText(sample.status().message());
      continue;
    }
    CheckText(sample->dump(-1, ' ', false, Json::error_handler_t::replace));
    spec::SchemaValidator validator(specs);
    for (const spec::SchemaIssue& issue : validator.Validate(media->schema, *sample).issues) {
      CheckText(issue.message);
    }
    int status = std::atoi(response.status.c_str());
    spec::ResponseCheck check = spec::CheckResponse(specs, op, status ? status : 200, &*sample);
    for (const spec::SchemaIssue& issue : check.issues) CheckText(issue.message);
  }
  Json body = Json::object({{"id", 1}, {"name", "x"}, {"items", Json::array({1, "two", nullptr})}});
  for (const spec::MediaSchema& media : op.request_bodies) {
    if (!media.schema) continue;
    spec::ValidationOptions request;
    request.direction = spec::Direction::kRequest;
    spec::SchemaValidator validator(specs, request);
    for (const spec::SchemaIssue& issue : validator.Validate(media.schema, body).issues) {
      CheckText(issue.message);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  // The canary is what only the file outside may hold. libFuzzer learns it from CheckText's
  // comparisons and writes it into inputs; such an input proves nothing, so it is not run.
  if (input.find(kCanary) != std::string_view::npos) return 0;
  FuzzFileSystem fs;
  fs.Add(std::string(kSecretPath),
         R"({"type": "string", "enum": [")" + std::string(kCanary) + R"("], "Ok": {}})");
  for (const char* name : kFiles) {
    size_t cut = input.find("\n%%\n");
    fs.Add(name, std::string(input.substr(0, cut)));
    if (cut == std::string_view::npos) break;
    input.remove_prefix(cut + 4);
  }
  spec::SpecSetOptions options;
  options.url_mappings = {{"https://example.com/hub/", "hub"}};
  spec::Catalog catalog(fs, options);
  (void)catalog.Add("specs/main.yaml");
  for (const spec::CatalogProblem& problem : catalog.problems()) {
    CheckText(problem.location);
    CheckText(problem.message);
  }
  for (const spec::SpecFile* file : catalog.files()) FollowEveryRef(catalog.specs(), *file);
  size_t exercised = 0;
  for (const spec::Operation& op : catalog.operations()) {
    if (++exercised > 16) break;  // enough to reach every kind of schema; bounds the time
    (void)catalog.FindEndpoint(op.Key());
    Exercise(catalog, op);
  }
  if (fs.secret_read()) abort();
  return 0;
}
