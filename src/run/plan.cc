#include "run/plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "base/edit_distance.h"
#include "base/glob.h"
#include "base/strings.h"
#include "doc/naming.h"
#include "doc/status_vocabulary.h"

namespace verity::run {

namespace {

std::string Normal(std::string_view path) {
  std::string out = std::filesystem::path(path).lexically_normal().generic_string();
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

bool IsPlaceholder(std::string_view segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

bool MatchesTarget(const doc::Document& d, const std::string& target, bool glob) {
  if (glob) {
    size_t space = target.find(' ');
    std::string method = ToUpper(target.substr(0, space));
    std::string path = target.substr(space + 1);
    while (!path.empty() && path.front() == ' ') path.erase(0, 1);
    if (method != "*" && method != d.frontmatter.method) return false;
    // "POST /v3/kv/put [missing-key]", as the console names a result, picks that variant alone;
    // without brackets the glob takes every recipe of the endpoints it matches.
    if (size_t open = path.rfind(" ["); open != std::string::npos && path.ends_with(']')) {
      std::string variant = path.substr(open + 2, path.size() - open - 3);
      if (variant != d.frontmatter.variant) return false;
      path.erase(open);
    }
    return GlobMatches(path, d.frontmatter.path);
  }
  std::string file = Normal(d.file);
  return file == target ||
         (file.size() > target.size() && file.starts_with(target) &&
          (target == "." ? true : file[target.size()] == '/')) ||
         target == ".";
}

bool InList(const std::vector<std::string>& list, std::string_view value, bool upper) {
  if (list.empty()) return true;
  for (const std::string& item : list) {
    if ((upper ? ToUpper(item) : item) == value) return true;
  }
  return false;
}

std::string StatusOf(const doc::Document& d) {
  return d.frontmatter.status ? doc::StatusName(*d.frontmatter.status) : std::string("none");
}

/// Why the domain, method and status filters left no document: the first value no document has,
/// with the nearest one that exists, else the filters together. A filter that leaves nothing is
/// a typo far more often than a wish, and a run of zero documents must not pass.
Status NothingLeft(const kb::KnowledgeBase& kb, const Selection& selection) {
  struct Filter {
    const char* flag;
    const char* plural;
    const std::vector<std::string>& given;
    std::set<std::string> valid;
    bool upper;
  };
  std::vector<Filter> filters = {{"--domain", "domains", selection.domains, {}, false},
                                 {"--method", "methods", selection.methods, {}, true},
                                 {"--status", "statuses", selection.statuses, {}, false}};
  for (const doc::Document& d : kb.documents) {
    if (!d.frontmatter.domain.empty()) filters[0].valid.insert(d.frontmatter.domain);
    if (!d.frontmatter.method.empty()) filters[1].valid.insert(d.frontmatter.method);
  }
  for (doc::WorkflowStatus status :
       {doc::WorkflowStatus::kVerified, doc::WorkflowStatus::kPending, doc::WorkflowStatus::kFailed,
        doc::WorkflowStatus::kSkipped, doc::WorkflowStatus::kDeprecated})
    filters[2].valid.insert(doc::StatusName(status));
  filters[2].valid.insert("none");
  std::string together;
  for (const Filter& f : filters) {
    for (const std::string& value : f.given) {
      together += fmt::format("{}{} {}", together.empty() ? "" : " ", f.flag, value);
      if (f.valid.contains(f.upper ? ToUpper(value) : value)) continue;
      if (f.valid.empty()) {
        return Status::InvalidArgument(
            fmt::format("{} {} matches no document: no document of the knowledge base names any",
                        f.flag, value));
      }
      return Status::InvalidArgument(fmt::format(
          "{} {} matches no document of the knowledge base; the nearest is \"{}\" ({}: {})", f.flag,
          value, NearestMatch(value, std::vector<std::string_view>(f.valid.begin(), f.valid.end())),
          f.plural, Join(std::vector<std::string>(f.valid.begin(), f.valid.end()), ", ")));
    }
  }
  // A shard may rightly be empty (more machines than documents); only filters alone are a mistake.
  if (selection.shard_count > 1) return Status::Ok();
  return Status::InvalidArgument(
      fmt::format("{} together leave no document of the knowledge base to run", together));
}

}  // namespace

uint64_t StableHash(std::string_view text) {
  uint64_t hash = 1469598103934665603ull;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  // FNV-1a's low bits are weak (bit 0 is the parity of the input's bit 0s: "r1…doc1" and
  // "r2…doc2" land together), and shards take the hash modulo N; the splitmix64 finalizer
  // spreads every input bit over every output bit.
  hash ^= hash >> 30;
  hash *= 0xbf58476d1ce4e5b9ull;
  hash ^= hash >> 27;
  hash *= 0x94d049bb133111ebull;
  hash ^= hash >> 31;
  return hash;
}

Status ParseShard(std::string_view text, Selection* selection) {
  size_t slash = text.find('/');
  auto bad = [&] {
    return Status::InvalidArgument(
        fmt::format("--shard {}: expected K/N with 1 <= K <= N, e.g. 2/4", text));
  };
  if (slash == std::string_view::npos) return bad();
  try {
    size_t used = 0;
    int k = std::stoi(std::string(text.substr(0, slash)), &used);
    if (used != slash) return bad();
    std::string rest(text.substr(slash + 1));
    int n = std::stoi(rest, &used);
    if (used != rest.size() || n < 1 || k < 1 || k > n) return bad();
    selection->shard_index = k;
    selection->shard_count = n;
  } catch (const std::exception&) {
    return bad();
  }
  return Status::Ok();
}

bool IsEndpointGlob(std::string_view target) {
  size_t space = target.find(' ');
  if (space == std::string_view::npos) return false;
  std::string method = ToUpper(target.substr(0, space));
  return method == "*" || doc::IsHttpMethod(method);
}

PlannedDocument Classify(const doc::Document& document) {
  PlannedDocument p;
  p.document = &document;
  const std::string& method = document.frontmatter.method;
  std::string_view path = document.frontmatter.path;
  path = path.substr(0, path.find('?'));
  std::vector<std::string> segments;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (end > start) segments.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  bool has_id = !segments.empty() && IsPlaceholder(segments.back());
  if (has_id) segments.pop_back();
  for (const std::string& s : segments) p.resource += "/" + (IsPlaceholder(s) ? "{}" : s);
  if (p.resource.empty()) p.resource = "/";
  if (method == "POST") {
    p.phase = has_id ? CrudPhase::kAction : CrudPhase::kCreate;
  } else if (method == "GET" || method == "HEAD") {
    p.phase = has_id ? CrudPhase::kRead : CrudPhase::kList;
  } else if (method == "PUT" || method == "PATCH") {
    p.phase = CrudPhase::kUpdate;
  } else if (method == "DELETE") {
    p.phase = CrudPhase::kDelete;
  } else {
    p.phase = CrudPhase::kAction;
  }
  return p;
}

namespace {

// The domain, method, status and shard filters.
bool PassesFilters(const Selection& selection, const doc::Document& d) {
  if (!InList(selection.domains, d.frontmatter.domain, false)) return false;
  if (!InList(selection.methods, d.frontmatter.method, true)) return false;
  if (!selection.statuses.empty() && !InList(selection.statuses, StatusOf(d), false)) return false;
  if (selection.shard_count > 1) {
    std::string key =
        d.frontmatter.endpoint + "\n" + std::filesystem::path(d.file).filename().string();
    if (static_cast<int>(StableHash(key) % static_cast<uint64_t>(selection.shard_count)) + 1 !=
        selection.shard_index)
      return false;
  }
  return true;
}

}  // namespace

bool Selects(const Selection& selection, const doc::Document& d) {
  bool picked = selection.targets.empty();
  for (const std::string& t : selection.targets) {
    bool glob = IsEndpointGlob(t);
    if (MatchesTarget(d, glob ? t : Normal(t), glob)) picked = true;
  }
  return picked && PassesFilters(selection, d);
}

Result<Plan> MakePlan(const kb::KnowledgeBase& kb, const Selection& selection) {
  std::vector<std::string> targets;
  std::vector<bool> globs;
  for (const std::string& t : selection.targets) {
    bool glob = IsEndpointGlob(t);
    globs.push_back(glob);
    targets.push_back(glob ? t : Normal(t));
  }
  std::vector<bool> target_used(targets.size(), false);
  Plan plan;
  for (const doc::Document& d : kb.documents) {
    bool picked = targets.empty();
    for (size_t i = 0; i < targets.size(); ++i) {
      if (MatchesTarget(d, targets[i], globs[i])) {
        picked = true;
        target_used[i] = true;
      }
    }
    if (picked && PassesFilters(selection, d)) plan.documents.push_back(Classify(d));
  }
  for (size_t i = 0; i < targets.size(); ++i) {
    if (!target_used[i]) {
      return Status::NotFound(fmt::format("\"{}\" matches no document of the knowledge base{}",
                                          selection.targets[i],
                                          globs[i] ? "" : " (a file or folder under it)"));
    }
  }
  bool filtered =
      !selection.domains.empty() || !selection.methods.empty() || !selection.statuses.empty();
  if (plan.documents.empty() && filtered) {
    if (Status s = NothingLeft(kb, selection); !s.ok()) return s;
  }
  return OrderPlan(std::move(plan.documents));
}

Plan OrderPlan(std::vector<PlannedDocument> documents) {
  Plan plan;
  plan.documents = std::move(documents);
  std::stable_sort(plan.documents.begin(), plan.documents.end(),
                   [](const PlannedDocument& a, const PlannedDocument& b) {
                     if (a.resource != b.resource) return a.resource < b.resource;
                     return a.phase < b.phase;
                   });
  plan.waits_for.resize(plan.documents.size());
  for (size_t j = 0; j < plan.documents.size(); ++j) {
    for (size_t i = 0; i < j; ++i) {
      if (plan.documents[i].resource == plan.documents[j].resource &&
          plan.documents[i].phase < plan.documents[j].phase)
        plan.waits_for[j].push_back(i);
    }
  }
  return plan;
}

}  // namespace verity::run
