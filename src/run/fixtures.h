// Run-level fixtures: the `setup:` and `teardown:` documents of verity.yaml (docs/run.md, "Setup
// and teardown"). A fixture is an ordinary knowledge-base document, named either by its path below
// the knowledge base ("fixtures/create_business.md") or by its endpoint as a `use:` step names one
// ("POST /v1/businesses"). The executor runs them outside the plan (executor_fixtures.cc).
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "kb/knowledge_base.h"
#include "run/plan.h"
#include "run/settings.h"

namespace verity::run {

/// The document `name` denotes: an endpoint ("METHOD /path") resolves as `use:` does; anything
/// else is a path relative to one of the knowledge base's roots. nullptr when none.
const doc::Document* ResolveFixture(const kb::KnowledgeBase& kb, std::string_view name);

/// Every `setup:` and `teardown:` name of `settings`, and every login recipe of its tokens,
/// resolves; else InvalidArgument with one line
/// per name that does not, `… [FIXTURE_NOT_FOUND]`, with the nearest document path when there is
/// one.
Status CheckFixtures(const RunSettings& settings, const kb::KnowledgeBase& kb);

/// `plan` without the settings' fixture documents and login recipes: a run of the whole knowledge
/// base runs its fixtures once, as fixtures, its login recipes when their tokens are needed, and
/// counts none of them among its documents.
Plan WithoutFixtures(const Plan& plan, const RunSettings& settings, const kb::KnowledgeBase& kb);

}  // namespace verity::run
