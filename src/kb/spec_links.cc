#include "kb/spec_links.h"

#include <algorithm>
#include <unordered_map>

#include "base/strings.h"
#include "doc/status_vocabulary.h"

namespace verity::kb {
namespace {

SourcePos FieldPos(const doc::Frontmatter& fm, std::string_view key) {
  const doc::Field* field = fm.Find(key);
  return field ? field->value_pos : fm.pos;
}

bool PathEndsWith(std::string_view path, std::string_view tail) {
  if (tail.empty()) return false;
  while (StartsWith(tail, "./")) tail.remove_prefix(2);
  return path == tail || (EndsWith(path, tail) && path.size() > tail.size() &&
                          path[path.size() - tail.size() - 1] == '/');
}

int StateRank(std::string_view state) {
  int rank = 0;
  for (const char* s : kCoverageStates) {
    if (state == s) return rank;
    ++rank;
  }
  return rank;
}

CoverageTotals EmptyTotals() {
  CoverageTotals totals;
  for (const char* state : kCoverageStates) totals.by_state[state] = 0;
  return totals;
}

// Where an absolute `swagger` from someone's machine ("/Users/me/GitHub/hub/mcp_swagger/
// clients.json") may be under the spec root, best first. When a folder of the path has the spec
// root's own name, what follows it is the path relative to the root; else the path's tails, longest
// first, each keeping at least one folder: a base name alone would pick whichever file of the root
// happens to share it.
std::vector<std::string> RelativeCandidates(std::string_view spec_root,
                                            const std::string& swagger) {
  std::vector<std::string_view> parts;
  for (std::string_view part : Split(swagger, '/')) {
    if (!part.empty() && part != ".") parts.push_back(part);
  }
  auto rest_from = [&](size_t i) {
    std::string rest;
    for (size_t j = i; j < parts.size(); ++j)
      rest += (rest.empty() ? "" : "/") + std::string(parts[j]);
    return rest;
  };
  std::vector<std::string> out;
  std::string root_name(BaseName(NormalizePath(spec_root)));
  for (size_t i = parts.size() - 1; i-- > 0;) {
    if (parts[i] == root_name) {
      out.push_back(rest_from(i + 1));
      break;
    }
  }
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    std::string rest = rest_from(i);
    if (std::find(out.begin(), out.end(), rest) == out.end()) out.push_back(std::move(rest));
  }
  return out;
}

// The spec a document names, by its path relative to the spec root. A relative `swagger` is
// only ever that path; an absolute one is tried by RelativeCandidates, and `relative` says which
// worked. A name is a document's field: it is loaded only when its real path is inside the spec
// root (`swagger: ../../../etc/passwd` is never read).
const spec::SpecFile* ResolveSpec(const FileSystem& fs, const Result<PathRoots>& roots,
                                  spec::Catalog& catalog, std::string_view spec_root,
                                  const std::string& swagger, std::string* relative,
                                  std::string* why) {
  if (!roots.ok()) {
    *why = roots.status().message();
    return nullptr;
  }
  bool absolute = swagger[0] == '/';
  std::vector<std::string> candidates =
      absolute ? RelativeCandidates(spec_root, swagger) : std::vector<std::string>{swagger};
  for (const std::string& candidate : candidates) {
    std::string path = JoinPath(spec_root, candidate);
    const spec::SpecFile* file = catalog.FileAt(path);
    if (!file) {
      Result<std::string> real = ResolveInside(fs, path, *roots);
      if (!real.ok()) {
        if (!absolute) {
          bool missing = real.status().code() == StatusCode::kNotFound;
          *why = missing ? path + ": no such file" : real.status().message();
        }
        continue;
      }
      size_t problems_before = catalog.problems().size();
      catalog.Add(path);
      file = catalog.FileAt(path);
      // The file is there but unusable: say why, rather than try a shorter name that may be
      // another file.
      if (!file) {
        *why = path + (catalog.problems().size() > problems_before
                           ? ": " + catalog.problems()[problems_before].message
                           : ": not a spec");
        return nullptr;
      }
    }
    *relative = candidate;
    return file;
  }
  if (why->empty()) {
    *why = "no file under " + std::string(spec_root) + " ends with a folder and file of " + swagger;
  }
  return nullptr;
}

// The operation's state from its recipes: the primaries' best; with none, the variants' best, a
// verified variant counting as pending (a negative case passing says nothing of the operation).
void SettleState(CoveredOperation& entry) {
  std::string primary = "none", variant = "none";
  for (const doc::Document* d : entry.documents) {
    std::string state = CoverageStateOf(*d);
    bool is_variant = !d->frontmatter.variant.empty();
    if (is_variant && state == "failed") entry.failing_variants.push_back(d);
    if (is_variant && state == "verified") state = "pending";
    std::string& best = is_variant ? variant : primary;
    if (best == "none" || StateRank(state) < StateRank(best)) best = state;
  }
  entry.state = primary != "none" ? primary : variant;
}

}  // namespace

std::string CoverageStateOf(const doc::Document& d) {
  if (!d.frontmatter.status) return "pending";
  return doc::StatusName(*d.frontmatter.status);
}

void LintAgainstSpecs(const FileSystem& fs, const KnowledgeBase& kb, spec::Catalog& catalog,
                      std::string_view spec_root, std::vector<doc::Diagnostic>* out) {
  Result<PathRoots> roots = PathRoots::Resolve(fs, {std::string(spec_root)});
  for (const doc::Document& d : kb.documents) {
    const doc::Frontmatter& fm = d.frontmatter;
    if (!d.frontmatter_parsed || !fm.swagger || fm.swagger->empty() || fm.method.empty()) continue;
    std::string tail, why;
    const spec::SpecFile* file =
        ResolveSpec(fs, roots, catalog, spec_root, *fm.swagger, &tail, &why);
    if (!file) {
      out->push_back({doc::Severity::kWarning, "SPEC_NOT_FOUND",
                      "the spec named by 'swagger' cannot be used: " + why, FieldPos(fm, "swagger"),
                      d.file});
      continue;
    }
    if (tail != *fm.swagger) {
      out->push_back({doc::Severity::kWarning, "SPEC_PATH_NOT_RELATIVE",
                      "'swagger' is an absolute path; relative to the spec root it is " + tail +
                          ": write that",
                      FieldPos(fm, "swagger"), d.file});
    }
    if (catalog.FindIn(*file, fm.method, fm.path)) continue;
    std::string message = fm.method + " " + fm.path + " is not an operation of " + tail;
    const spec::Operation* elsewhere = catalog.Find(fm.method, fm.path);
    if (elsewhere) {
      message += "; it is in " + elsewhere->file->path;
    } else {
      spec::Nearest nearest = catalog.FindNearest(fm.method, fm.path, file);
      if (nearest.operation) message += "; nearest: " + nearest.operation->Key();
    }
    out->push_back({doc::Severity::kWarning, "ENDPOINT_NOT_IN_SPEC", std::move(message),
                    FieldPos(fm, "endpoint"), d.file});
  }
}

Coverage ComputeCoverage(const spec::Catalog& catalog, const KnowledgeBase& kb) {
  Coverage coverage;
  std::unordered_map<const spec::Operation*, size_t> index;
  for (const spec::Operation& op : catalog.operations()) {
    index[&op] = coverage.operations.size();
    coverage.operations.push_back({&op, {}, "none", {}});
  }
  for (const doc::Document& d : kb.documents) {
    const doc::Frontmatter& fm = d.frontmatter;
    if (fm.method.empty() || fm.path.empty()) continue;
    std::vector<const spec::Operation*> matches = catalog.FindAll(fm.method, fm.path);
    if (fm.swagger) {
      bool any_named = std::any_of(matches.begin(), matches.end(), [&](const auto* op) {
        return PathEndsWith(op->file->path, *fm.swagger);
      });
      if (any_named) {
        std::erase_if(matches,
                      [&](const auto* op) { return !PathEndsWith(op->file->path, *fm.swagger); });
      }
    }
    if (matches.empty()) {
      coverage.unmatched.push_back({&d, catalog.FindNearest(fm.method, fm.path)});
      continue;
    }
    // Only the most specific matches: "/clients/me" should not also cover "/clients/{id}".
    const spec::Operation* best = matches.front();
    for (const spec::Operation* op : matches) {
      if (op->path != best->path && spec::PathTemplate::Parse(op->path).Shape() !=
                                        spec::PathTemplate::Parse(best->path).Shape()) {
        continue;
      }
      coverage.operations[index[op]].documents.push_back(&d);
    }
  }
  for (CoveredOperation& entry : coverage.operations) SettleState(entry);
  coverage.total = EmptyTotals();
  for (const CoveredOperation& entry : coverage.operations) {
    auto [it, inserted] = coverage.by_domain.try_emplace(entry.operation->domain, EmptyTotals());
    for (CoverageTotals* totals : {&it->second, &coverage.total}) {
      totals->operations++;
      totals->by_state[entry.state]++;
    }
  }
  return coverage;
}

Json CoverageToJson(const Coverage& coverage) {
  auto totals_json = [](const CoverageTotals& totals) {
    Json out = Json::object();
    out["operations"] = totals.operations;
    out["covered"] = totals.covered();
    for (const char* state : kCoverageStates) out[state] = totals.by_state.at(state);
    return out;
  };
  Json out = Json::object();
  out["total"] = totals_json(coverage.total);
  Json domains = Json::object();
  for (const auto& [domain, totals] : coverage.by_domain) {
    AppendMember(domains, domain, totals_json(totals));
  }
  out["byDomain"] = std::move(domains);
  Json operations = Json::array();
  for (const CoveredOperation& entry : coverage.operations) {
    Json item = Json::object();
    item["method"] = entry.operation->method;
    item["path"] = entry.operation->path;
    item["domain"] = entry.operation->domain;
    item["spec"] = entry.operation->file->path;
    item["state"] = entry.state;
    Json docs = Json::array();
    Json primaries = Json::array();
    Json variants = Json::array();
    for (const doc::Document* d : entry.documents) {
      docs.push_back(d->file);
      if (d->frontmatter.variant.empty()) {
        primaries.push_back(d->file);
        continue;
      }
      variants.push_back(Json{{"variant", d->frontmatter.variant},
                              {"document", d->file},
                              {"state", CoverageStateOf(*d)}});
    }
    item["documents"] = std::move(docs);
    item["primaries"] = std::move(primaries);
    item["variants"] = std::move(variants);
    item["failingVariants"] = entry.failing_variants.size();
    operations.push_back(std::move(item));
  }
  out["operations"] = std::move(operations);
  Json unmatched = Json::array();
  for (const UnmatchedDocument& entry : coverage.unmatched) {
    Json item = Json::object();
    item["document"] = entry.document->file;
    item["endpoint"] = entry.document->frontmatter.method + " " + entry.document->frontmatter.path;
    item["nearest"] = entry.nearest.operation ? Json(entry.nearest.operation->Key()) : Json();
    item["nearestSpec"] =
        entry.nearest.operation ? Json(entry.nearest.operation->file->path) : Json();
    unmatched.push_back(std::move(item));
  }
  out["unmatched"] = std::move(unmatched);
  return out;
}

}  // namespace verity::kb
