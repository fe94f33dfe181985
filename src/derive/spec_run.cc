#include "derive/spec_run.h"

#include <fmt/format.h>

#include "derive/operations.h"

namespace verity::derive {

std::vector<std::string> NamedEndpoints(const std::vector<std::string>& targets) {
  std::vector<std::string> out;
  for (const std::string& t : targets) {
    if (!run::IsEndpointGlob(t) || t.find('*') != std::string::npos) continue;
    std::string method, path;
    if (spec::SplitEndpoint(t, &method, &path)) out.push_back(method + " " + path);
  }
  return out;
}

Result<SpecRun> AddSpecDocuments(const FileSystem& fs, const run::RunSettings& settings,
                                 const run::RunOptions& options, const run::Selection& selection,
                                 const SpecRunChoices& choices, kb::KnowledgeBase* kb) {
  if (settings.spec_root.empty()) {
    return Status::InvalidArgument(
        "requests are built from the spec, and there is none: set spec_root in the environment");
  }
  SpecRun out;
  out.catalog = std::make_shared<spec::Catalog>(fs);
  if (!out.catalog->Add(settings.spec_root))
    return Status::InvalidArgument(fmt::format("cannot read the spec at {}", settings.spec_root));
  OperationScope scope;
  scope.allow_writes = choices.allow_writes;
  scope.include_delete = options.include_delete;
  scope.named = NamedEndpoints(selection.targets);
  scope.wanted = [&selection](const doc::Document& d) { return run::Selects(selection, d); };
  scope.file_exists = [&fs](const std::string& path) {
    Result<FileInfo> info = fs.Stat(path);  // a missing path is kNone, not an error
    return !info.ok() || info->type != FileType::kNone;
  };
  for (const auto& [name, value] : settings.params.items()) scope.derive.params.insert(name);
  for (const auto& [name, value] : options.variables.items()) scope.derive.params.insert(name);
  scope.derive.producers = settings.producers;
  SpecDocuments derived = DeriveMissing(*kb, *out.catalog, scope);
  out.built = derived.documents.size();
  for (const LeftOut& l : derived.left_out) ++out.left_out[l.reason];
  for (doc::Document& d : derived.documents) kb->documents.push_back(std::move(d));
  for (LeftOut& l : derived.left_out) kb->documents.push_back(std::move(l.document));

  HealSettings heal;
  for (const auto& [name, credential] : settings.tokens) {
    if (credential.value.empty() && !credential.obtain) continue;
    // The default token is what the environment says most operations take: it is tried first.
    auto at = name == settings.default_token ? heal.credentials.begin() : heal.credentials.end();
    heal.credentials.insert(at, name);
  }
  heal.has_fallback = !settings.fallback_url.empty();
  heal.max_tries = choices.heal_tries;
  DeriveOptions derive = scope.derive;
  derive.allow_writes = scope.allow_writes;
  out.healer = std::make_shared<SpecHealer>(out.catalog, std::move(derive), derived.recipes,
                                            std::move(heal));
  out.recipes = std::move(derived.recipes);
  return out;
}

}  // namespace verity::derive
