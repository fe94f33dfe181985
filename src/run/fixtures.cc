#include "run/fixtures.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "base/edit_distance.h"
#include "base/file_system.h"
#include "base/strings.h"
#include "kb/uses.h"

namespace verity::run {

namespace {

bool IsEndpoint(std::string_view name) {
  size_t space = name.find(' ');
  if (space == std::string_view::npos || space == 0) return false;
  for (char c : name.substr(0, space))
    if (c < 'A' || c > 'Z') return false;
  std::string_view rest = Trim(name.substr(space + 1));
  return !rest.empty() && rest.front() == '/';
}

// The document's path below the root it was found under ("fixtures/a.md").
std::string RelativePath(const kb::KnowledgeBase& kb, const doc::Document& d) {
  std::string file = NormalizePath(d.file);
  std::string root = NormalizePath(kb::RootOf(kb, d.file));
  if (file == root) return std::string(BaseName(file));
  if (root != "." && file.size() > root.size() && StartsWith(file, root + "/"))
    return file.substr(root.size() + 1);
  return file;
}

}  // namespace

const doc::Document* ResolveFixture(const kb::KnowledgeBase& kb, std::string_view name) {
  name = Trim(name);
  if (IsEndpoint(name)) return kb::ResolveUse(kb, name);
  std::string wanted = NormalizePath(name);
  for (const doc::Document& d : kb.documents) {
    if (RelativePath(kb, d) == wanted) return &d;
  }
  return nullptr;
}

Status CheckFixtures(const RunSettings& settings, const kb::KnowledgeBase& kb) {
  std::vector<std::string> paths;
  for (const doc::Document& d : kb.documents) paths.push_back(RelativePath(kb, d));
  std::vector<std::string_view> candidates(paths.begin(), paths.end());
  std::vector<std::string> lines;
  auto check = [&](const std::string& key, const std::vector<std::string>& names) {
    for (size_t i = 0; i < names.size(); ++i) {
      if (ResolveFixture(kb, names[i])) continue;
      std::string what = IsEndpoint(names[i])
                             ? "no document of the knowledge base documents that endpoint"
                             : "no document of the knowledge base has that path";
      std::string hint = IsEndpoint(names[i]) ? std::string() : ClosestMatch(names[i], candidates);
      // A list's entries by index; a login's one recipe by its key alone.
      std::string at = key.ends_with(".recipe") ? key : fmt::format("{}[{}]", key, i);
      lines.push_back(fmt::format("{}: {}: {}{} [FIXTURE_NOT_FOUND]", at, Quoted(names[i]), what,
                                  hint.empty() ? "" : fmt::format("; did you mean \"{}\"?", hint)));
    }
  };
  check("setup", settings.setup);
  check("teardown", settings.teardown);
  for (const auto& [type, credential] : settings.tokens) {
    if (credential.obtain && credential.obtain->login)
      check("tokens." + type + ".login.recipe", {credential.obtain->login->recipe});
  }
  if (lines.empty()) return Status::Ok();
  return Status::InvalidArgument(fmt::format(
      "environment {}: {}\n(a fixture or login recipe is named by its path below the knowledge "
      "base, or by its endpoint as in use:)",
      Quoted(settings.environment), Join(lines, "\n")));
}

Plan WithoutFixtures(const Plan& plan, const RunSettings& settings, const kb::KnowledgeBase& kb) {
  std::vector<const doc::Document*> fixtures;
  for (const auto* names : {&settings.setup, &settings.teardown}) {
    for (const std::string& name : *names)
      if (const doc::Document* d = ResolveFixture(kb, name)) fixtures.push_back(d);
  }
  // A login recipe runs when its token is needed, not once more as a document of the plan.
  for (const auto& [type, credential] : settings.tokens) {
    if (!credential.obtain || !credential.obtain->login) continue;
    if (const doc::Document* d = ResolveFixture(kb, credential.obtain->login->recipe))
      fixtures.push_back(d);
  }
  std::vector<PlannedDocument> kept;
  for (const PlannedDocument& p : plan.documents) {
    if (std::find(fixtures.begin(), fixtures.end(), p.document) == fixtures.end())
      kept.push_back(p);
  }
  if (kept.size() == plan.documents.size()) return plan;
  return OrderPlan(std::move(kept));
}

}  // namespace verity::run
