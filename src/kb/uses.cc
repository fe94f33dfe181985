#include "kb/uses.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "base/strings.h"

namespace verity::kb {

namespace {

// "/a/{x}/b" → "/a/{}/b": the slot structure without the names.
std::string Shape(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '{') {
      size_t close = path.find('}', i);
      if (close != std::string_view::npos) {
        out += "{}";
        i = close;
        continue;
      }
    }
    out += path[i];
  }
  return out;
}

bool SplitUse(std::string_view endpoint, std::string* method, std::string* path) {
  size_t space = endpoint.find(' ');
  if (space == std::string_view::npos) return false;
  method->assign(endpoint.substr(0, space));
  std::transform(method->begin(), method->end(), method->begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  std::string_view rest = endpoint.substr(space + 1);
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  path->assign(rest);
  return !method->empty() && !path->empty();
}

bool Runs(const doc::Step& s) {
  return s.section_kind == doc::SectionKind::kPrerequisites ||
         s.section_kind == doc::SectionKind::kTestRequest;
}

void CollectExports(const KnowledgeBase& kb, const doc::Document& d,
                    std::set<const doc::Document*>* visited, std::vector<std::string>* out) {
  if (!visited->insert(&d).second) return;
  for (const doc::Step& s : d.steps) {
    if (!Runs(s)) continue;
    if (s.use) {
      if (const doc::Document* used = ResolveUse(kb, *s.use))
        CollectExports(kb, *used, visited, out);
    }
    for (const doc::Extract& e : s.extract) {
      if (std::find(out->begin(), out->end(), e.name) == out->end()) out->push_back(e.name);
    }
  }
}

bool CycleFrom(const KnowledgeBase& kb, const doc::Document& target, const doc::Document& at,
               std::vector<const doc::Document*>* stack, std::set<const doc::Document*>* done,
               std::vector<std::string>* chain) {
  stack->push_back(&at);
  for (const doc::Step& s : at.steps) {
    if (!Runs(s) || !s.use) continue;
    const doc::Document* used = ResolveUse(kb, *s.use);
    if (!used) continue;
    if (used == &target) {
      for (const doc::Document* d : *stack) chain->push_back(d->frontmatter.endpoint);
      chain->push_back(target.frontmatter.endpoint);
      return true;
    }
    if (done->contains(used) || std::find(stack->begin(), stack->end(), used) != stack->end()) {
      continue;  // a cycle that does not pass through `target` is reported for its own members
    }
    if (CycleFrom(kb, target, *used, stack, done, chain)) return true;
  }
  stack->pop_back();
  done->insert(&at);
  return false;
}

std::string Files(const std::vector<const doc::Document*>& documents) {
  std::string out;
  for (const doc::Document* d : documents) {
    out += (out.empty() ? "" : ", ") + d->file;
    if (!d->frontmatter.variant.empty()) out += " [" + d->frontmatter.variant + "]";
  }
  return out;
}

void LintUse(const KnowledgeBase& kb, const doc::Document& d, const doc::Step& s,
             std::vector<doc::Diagnostic>* out) {
  UseCandidates candidates = FindUseCandidates(kb, *s.use);
  if (candidates.primaries.size() > 1) {
    out->push_back({doc::Severity::kWarning, "USE_AMBIGUOUS",
                    fmt::format("step \"{}\" uses \"{}\", and {} recipes without a variant "
                                "document it: {}; the run uses the first in path order, {}; give "
                                "the others a variant: field",
                                s.id, *s.use, candidates.primaries.size(),
                                Files(candidates.primaries), candidates.primaries.front()->file),
                    s.use_pos, d.file});
  } else if (candidates.primaries.empty() && !candidates.variants.empty()) {
    out->push_back({doc::Severity::kError, "USE_NOT_FOUND",
                    fmt::format("step \"{}\" uses \"{}\", which has only variant recipes ({}); "
                                "use: runs the recipe without a variant: write one",
                                s.id, *s.use, Files(candidates.variants)),
                    s.use_pos, d.file});
  } else if (candidates.primaries.empty()) {
    out->push_back({doc::Severity::kError, "USE_NOT_FOUND",
                    fmt::format("step \"{}\" uses \"{}\", which no document of the knowledge "
                                "base documents",
                                s.id, *s.use),
                    s.use_pos, d.file});
  }
}

}  // namespace

UseCandidates FindUseCandidates(const KnowledgeBase& kb, std::string_view endpoint) {
  UseCandidates out;
  std::string method, path;
  if (!SplitUse(endpoint, &method, &path)) return out;
  std::string exact = method + " " + path;
  std::string shape = Shape(path);
  std::vector<const doc::Document*> exact_primaries, shape_primaries;
  for (const doc::Document& d : kb.documents) {
    if (d.frontmatter.method != method || Shape(d.frontmatter.path) != shape) continue;
    if (!d.frontmatter.variant.empty()) {
      out.variants.push_back(&d);
      continue;
    }
    shape_primaries.push_back(&d);
    if (d.frontmatter.endpoint == exact) exact_primaries.push_back(&d);
  }
  // The endpoint as written wins over another spelling of its placeholders, so a knowledge base
  // that documents both "{uid}" and "{client_uid}" still resolves each one to itself.
  out.primaries = exact_primaries.empty() ? std::move(shape_primaries) : std::move(exact_primaries);
  return out;
}

const doc::Document* ResolveUse(const KnowledgeBase& kb, std::string_view endpoint) {
  UseCandidates candidates = FindUseCandidates(kb, endpoint);
  return candidates.primaries.empty() ? nullptr : candidates.primaries.front();
}

std::vector<std::string> ExportedVariables(const KnowledgeBase& kb, const doc::Document& d) {
  std::vector<std::string> out;
  std::set<const doc::Document*> visited;
  CollectExports(kb, d, &visited, &out);
  return out;
}

std::vector<std::string> FindUseCycle(const KnowledgeBase& kb, const doc::Document& d) {
  std::vector<const doc::Document*> stack;
  std::set<const doc::Document*> done;
  std::vector<std::string> chain;
  CycleFrom(kb, d, d, &stack, &done, &chain);
  return chain;
}

// A workflow's `useWorkflow:` steps name a workflow of the knowledge base; its gotos, steps of
// its own.
void LintWorkflowSteps(const KnowledgeBase& kb, const doc::Document& d,
                       std::vector<doc::Diagnostic>* out) {
  auto goto_targets = [&](const std::vector<doc::FlowAction>& actions) {
    for (const doc::FlowAction& a : actions) {
      if (a.type != doc::FlowAction::Type::kGoto || a.step_id.empty()) continue;
      bool found = std::any_of(d.steps.begin(), d.steps.end(),
                               [&](const doc::Step& s) { return s.id == a.step_id; });
      if (!found)
        out->push_back({doc::Severity::kError, "GOTO_UNRESOLVED",
                        fmt::format("action {}goes to step \"{}\", which this document does not "
                                    "have",
                                    a.name.empty() ? "" : Quoted(a.name) + " ", a.step_id),
                        a.pos, d.file});
    }
  };
  goto_targets(d.frontmatter.success_actions);
  goto_targets(d.frontmatter.failure_actions);
  for (const doc::Step& s : d.steps) {
    goto_targets(s.on_success);
    goto_targets(s.on_failure);
    if (!s.use_workflow) continue;
    bool found = std::any_of(kb.documents.begin(), kb.documents.end(), [&](const doc::Document& w) {
      return w.frontmatter.workflow == *s.use_workflow;
    });
    if (!found)
      out->push_back({doc::Severity::kError, "USE_NOT_FOUND",
                      fmt::format("step \"{}\" runs the workflow \"{}\", which no recipe of the "
                                  "knowledge base is (workflow: in its frontmatter)",
                                  s.id, *s.use_workflow),
                      s.use_pos, d.file});
  }
}

void LintUses(const KnowledgeBase& kb, std::vector<doc::Diagnostic>* out) {
  for (const doc::Document& d : kb.documents) {
    LintWorkflowSteps(kb, d, out);
    bool any = false;
    for (const doc::Step& s : d.steps) {
      if (!s.use) continue;
      any = true;
      LintUse(kb, d, s, out);
    }
    if (!any) continue;
    std::vector<std::string> chain = FindUseCycle(kb, d);
    if (!chain.empty()) {
      std::string text;
      for (const std::string& e : chain) text += (text.empty() ? "" : " → ") + e;
      const doc::Step* first = nullptr;
      for (const doc::Step& s : d.steps) {
        if (s.use) {
          first = &s;
          break;
        }
      }
      out->push_back({doc::Severity::kError, "USE_CYCLE",
                      fmt::format("use: steps form a cycle: {}", text),
                      first ? first->use_pos : SourcePos{}, d.file});
    }
  }
}

}  // namespace verity::kb
