// A run of every operation a selection picks that has no recipe, through requests built from the
// spec: the one way both `verity run --all-operations` and the dashboard assemble it, so that the
// same operations are called, left out and healed whichever face started the run.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/file_system.h"
#include "base/status.h"
#include "derive/heal.h"
#include "derive/recipe.h"
#include "kb/knowledge_base.h"
#include "run/plan.h"
#include "run/session.h"
#include "run/settings.h"
#include "spec/catalog.h"

namespace verity::derive {

/// Tries of one request built from the spec, the first included: by default, and at most.
inline constexpr int kDefaultHealTries = 4;
inline constexpr int kMaxHealTries = 16;

/// What the person running chooses beyond the run's own options.
struct SpecRunChoices {
  /// POST, PUT and PATCH are built and sent (DELETE needs the run's include_delete as well).
  bool allow_writes = false;
  /// Tries of one request, healed after each failure, the first included (1: no heals).
  int heal_tries = kDefaultHealTries;
};

struct SpecRun {
  /// Read from settings.spec_root: the run validates its answers with it, and the healer builds
  /// from it.
  std::shared_ptr<spec::Catalog> catalog;
  /// Documents built from the spec, added to the knowledge base.
  size_t built = 0;
  /// Operations left out (a document that ends SKIP was added for each), counted by reason
  /// (NO_PRODUCER, WRITE_NOT_ALLOWED, ACTION_NOT_NAMED).
  std::map<std::string, size_t> left_out;
  /// The recipes as built, in catalog order: where each value comes from (a dry run's plan).
  std::vector<DerivedRecipe> recipes;
  /// Tries the failed ones again: the run's RunOptions::healer; what a draft is written from.
  std::shared_ptr<SpecHealer> healer;
};

/// The endpoints `targets` name exactly ("POST /v1/orders/{id}/cancel"), not by a glob: the
/// actions among them are called.
std::vector<std::string> NamedEndpoints(const std::vector<std::string>& targets);

/// Adds to `kb` a document built from the spec for every operation of settings.spec_root that
/// `selection` picks and no document of `kb` names, and a document that says why for each one
/// left out; `options` gives include_delete and the template variables (`--var`). The credentials
/// a heal may try are those `settings` configures, its default token first. kInvalidArgument when
/// there is no spec root or it cannot be read.
Result<SpecRun> AddSpecDocuments(const FileSystem& fs, const run::RunSettings& settings,
                                 const run::RunOptions& options, const run::Selection& selection,
                                 const SpecRunChoices& choices, kb::KnowledgeBase* kb);

}  // namespace verity::derive
