#include "spec/catalog.h"

#include <algorithm>
#include <limits>
#include <thread>

#include "base/edit_distance.h"
#include "base/strings.h"

namespace verity::spec {
namespace {

bool HasSpecExtension(std::string_view path) {
  return EndsWith(path, ".json") || EndsWith(path, ".yaml") || EndsWith(path, ".yml");
}

std::string Stem(std::string_view path) {
  std::string_view base = BaseName(path);
  size_t dot = base.rfind('.');
  return std::string(dot == std::string_view::npos ? base : base.substr(0, dot));
}

// The one rule for a spec file's domain, from its path relative to the folder it was found under
// (the folder given, the spec root, or for a file given alone its own folder): the first folder
// of that path, `legacy` folders left out, else the file's stem. "sales/legacy/payments.json" →
// "sales", "legacy/payments.json" and "scheduling.json" → their stems. Relative to a root, so
// "mcp_swagger/x.json", "./x.json" and "/abs/mcp_swagger/x.json" read alone all give "x".
std::string DomainOf(std::string_view relative) {
  std::vector<std::string_view> parts = Split(relative, '/');
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    if (!parts[i].empty() && parts[i] != "." && parts[i] != "legacy") return std::string(parts[i]);
  }
  return Stem(relative);
}

// `path` relative to `root`, both compared in their normalized form; its base name when it is
// not under the root.
std::string RelativeTo(std::string_view path, std::string_view root) {
  std::string p = NormalizePath(path), r = NormalizePath(root);
  if (r == "." && !p.starts_with("../") && p != "..") return p;
  if (!PathInside(p, r) || p.size() <= r.size()) return std::string(BaseName(p));
  std::string_view rest = std::string_view(p).substr(r.size());
  while (!rest.empty() && rest[0] == '/') rest.remove_prefix(1);
  return std::string(rest);
}

// "payments.json: line 3, column 7: msg" → location "payments.json:3:7", message "msg".
void SplitPosition(const std::string& path, const std::string& message, CatalogProblem& problem) {
  problem.location = path;
  problem.message = message;
  std::string_view rest = message;
  if (StartsWith(rest, path + ": ")) rest.remove_prefix(path.size() + 2);
  problem.message = std::string(rest);
  unsigned line = 0, col = 0;
  int consumed = 0;
  std::string text(rest);
  if (sscanf(text.c_str(), "line %u, column %u: %n", &line, &col, &consumed) == 2 && consumed > 0) {
    problem.location = path + ":" + std::to_string(line) + ":" + std::to_string(col);
    problem.message = text.substr(static_cast<size_t>(consumed));
  }
}

}  // namespace

bool SplitEndpoint(std::string_view endpoint, std::string* method, std::string* path) {
  endpoint = Trim(endpoint);
  size_t space = endpoint.find(' ');
  if (space == std::string_view::npos || space == 0) return false;
  std::string_view rest = Trim(endpoint.substr(space + 1));
  if (rest.empty() || rest[0] != '/') return false;
  *method = ToUpper(endpoint.substr(0, space));
  *path = std::string(rest);
  return true;
}

Catalog::Catalog(const FileSystem& fs, SpecSetOptions options)
    : specs_(std::make_unique<SpecSet>(fs, std::move(options))), fs_(fs) {}

bool Catalog::Add(const std::string& path) {
  Result<FileInfo> info = fs_.Stat(path);
  if (!info.ok() || info->type == FileType::kNone) {
    problems_.push_back(
        {"SPEC_READ_ERROR", path, info.ok() ? "no such file or folder" : info.status().message()});
    return false;
  }
  size_t first_new = operations_.size();
  if (info->type == FileType::kDirectory) {
    if (!AddFolder(path)) return false;
  } else {
    AddFile(path, DomainOf(BaseName(path)), "");
  }
  TakeLoadProblems();
  Index(first_new);
  return true;
}

bool Catalog::AddWithin(const std::string& path, const std::string& root) {
  if (!CheckInside(path, root)) return false;
  Result<FileInfo> info = fs_.Stat(path);
  if (!info.ok() || info->type != FileType::kFile) return Add(path);  // reports what it is
  size_t first_new = operations_.size();
  AddFile(path, DomainOf(RelativeTo(path, root)), root);
  TakeLoadProblems();
  Index(first_new);
  return true;
}

bool Catalog::AddFolder(const std::string& path) {
  Result<std::vector<std::string>> listed = fs_.ListFiles(path);
  if (!listed.ok()) {
    problems_.push_back({"SPEC_READ_ERROR", path, listed.status().message()});
    return false;
  }
  std::vector<std::string> files;
  Result<std::string> real_root = fs_.RealPath(path);
  for (const std::string& file : *listed) {
    if (!HasSpecExtension(file)) continue;
    Result<std::string> real = fs_.RealPath(file);
    if (real.ok() && real_root.ok() && PathInside(*real, *real_root)) {
      files.push_back(file);
    } else {
      ReportOutside(file, real_root.ok() ? *real_root : path);
    }
  }
  specs_->Preload(files, std::max(1u, std::thread::hardware_concurrency()), path);
  for (const std::string& file : files) {
    std::string_view rel = std::string_view(file).substr(std::min(file.size(), path.size()));
    while (!rel.empty() && rel[0] == '/') rel.remove_prefix(1);
    AddFile(file, DomainOf(rel), path);
  }
  return true;
}

bool Catalog::CheckInside(const std::string& path, const std::string& root) {
  std::string real_root = WhereReally(fs_, root);
  if (PathInside(WhereReally(fs_, path), real_root)) return true;
  ReportOutside(path, real_root);
  return false;
}

void Catalog::ReportOutside(const std::string& path, const std::string& root) {
  problems_.push_back(
      {"SPEC_OUTSIDE_ROOT", path,
       "leads outside the spec root " + root + " (a link, or '..'); it is not read"});
}

bool Catalog::AddText(const std::string& path, std::string_view text, const std::string& domain) {
  Result<const SpecFile*> file = specs_->AddText(path, text);
  if (!file.ok()) {
    CatalogProblem problem{"SPEC_PARSE_ERROR", path, ""};
    SplitPosition(path, file.status().message(), problem);
    if (StartsWith(problem.message, kNotASpec)) problem.code = kNotASpec;
    problems_.push_back(std::move(problem));
    return false;
  }
  size_t first_new = operations_.size();
  files_.push_back(*file);
  ReadOperationsOf(**file, domain);
  TakeLoadProblems();
  Index(first_new);
  return true;
}

void Catalog::AddFile(const std::string& path, const std::string& domain, const std::string& root) {
  Result<const SpecFile*> file = specs_->Load(path, root);
  if (!file.ok()) {
    CatalogProblem problem;
    SplitPosition(path, file.status().message(), problem);
    switch (file.status().code()) {
      case StatusCode::kLimitExceeded:
        problem.code = "SPEC_TOO_LARGE";
        break;
      case StatusCode::kParseError:
        problem.code = "SPEC_PARSE_ERROR";
        break;
      case StatusCode::kInvalidArgument:
        problem.code = StartsWith(problem.message, kNotASpec) ? kNotASpec : "SPEC_PARSE_ERROR";
        if (problem.code == kNotASpec) {
          problem.message =
              std::string(Trim(problem.message.substr(std::string(kNotASpec).size() + 1)));
        }
        break;
      default:
        problem.code = "SPEC_READ_ERROR";
        break;
    }
    problems_.push_back(std::move(problem));
    return;
  }
  if (std::find(files_.begin(), files_.end(), *file) != files_.end()) return;  // given twice
  files_.push_back(*file);
  ReadOperationsOf(**file, domain);
}

void Catalog::ReadOperationsOf(const SpecFile& file, const std::string& domain) {
  std::vector<OperationProblem> found;
  for (Operation& op : ReadOperations(*specs_, file, domain, &found)) {
    operations_.push_back(std::move(op));
  }
  for (OperationProblem& p : found) {
    problems_.push_back({std::move(p.code), std::move(p.location), std::move(p.message), false});
  }
}

// Problems of the files loaded so far: their own (duplicate keys, refs that lead outside), found
// as each was read, so a file reached through a `$ref` reports them too.
void Catalog::TakeLoadProblems() {
  for (LoadProblem& p : specs_->TakeLoadProblems()) {
    problems_.push_back({std::move(p.code), p.Location(), std::move(p.message), false});
  }
}

void Catalog::Index(size_t first_new) {
  for (size_t i = first_new; i < operations_.size(); ++i) {
    templates_.push_back(PathTemplate::Parse(operations_[i].path));
    by_method_[operations_[i].method].push_back(i);
  }
}

std::vector<const Operation*> Catalog::FindAll(std::string_view method,
                                               std::string_view path) const {
  std::vector<std::pair<int, size_t>> scored;
  auto it = by_method_.find(ToUpper(method));
  if (it == by_method_.end()) return {};
  PathTemplate wanted = PathTemplate::Parse(path);
  for (size_t index : it->second) {
    int score = MatchScore(templates_[index], wanted);
    if (score >= 0) scored.emplace_back(score, index);
  }
  if (scored.empty()) {
    for (size_t index : it->second) {
      int score = TailMatchScore(templates_[index], wanted);
      if (score >= 0) scored.emplace_back(score, index);
    }
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<const Operation*> out;
  for (const auto& [score, index] : scored) out.push_back(&operations_[index]);
  return out;
}

const Operation* Catalog::Find(std::string_view method, std::string_view path) const {
  std::vector<const Operation*> all = FindAll(method, path);
  return all.empty() ? nullptr : all.front();
}

const Operation* Catalog::FindEndpoint(std::string_view endpoint) const {
  std::string method, path;
  if (!SplitEndpoint(endpoint, &method, &path)) return nullptr;
  return Find(method, path);
}

const Operation* Catalog::FindIn(const SpecFile& file, std::string_view method,
                                 std::string_view path) const {
  for (const Operation* op : FindAll(method, path)) {
    if (op->file == &file) return op;
  }
  return nullptr;
}

Nearest Catalog::FindNearest(std::string_view method, std::string_view path,
                             const SpecFile* only_file) const {
  Nearest best;
  best.distance = std::numeric_limits<size_t>::max();
  std::string wanted_method = ToUpper(method);
  std::string wanted = PathTemplate::Parse(path).Shape();
  for (size_t i = 0; i < operations_.size(); ++i) {
    const Operation& op = operations_[i];
    if (only_file && op.file != only_file) continue;
    size_t distance = EditDistance(wanted, templates_[i].Shape());
    if (op.method != wanted_method) distance += 3;
    if (distance < best.distance) best = {&op, distance};
  }
  if (!best.operation) best.distance = 0;
  return best;
}

const SpecFile* Catalog::FileAt(const std::string& path) const {
  for (const SpecFile* file : files_) {
    if (file->path == path) return file;
  }
  return nullptr;
}

}  // namespace verity::spec
