// Drafts: each request built from the spec that passed a run becomes a recipe file in the
// knowledge base (`verity run --all-operations --write-drafts`, `verity draft`; docs/run.md).
// A draft holds the text that ran last, heals included, so that it passes as written; and, where
// the run showed them, body checks of what the answer holds (derive/draft_checks.h).
//
// The checks were seen to hold once, but a draft promises to pass unchanged: the drafts with
// checks are run again, as the recipes they would be, through a run::Session of their own (no
// healer, no write-back, no history), and a draft keeps its checks only when that second run
// passes. When it does not, the draft is written without them (that text passed as written the
// first time) and says which checks were dropped and why. A file is never overwritten.
//
// The second run can be stopped (the dashboard's Stop during its drafts phase). A stopped run
// proved nothing about the drafts it did not finish, so those are not written at all: written
// without their checks, they would look like drafts whose checks had failed.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/file_system.h"
#include "derive/draft_checks.h"
#include "derive/heal.h"
#include "kb/knowledge_base.h"
#include "run/result.h"
#include "run/session.h"
#include "spec/catalog.h"

namespace verity::derive {

/// What the second run of the checked drafts needs: the first run's environment and choices (its
/// healer and write-back are ignored: the second run has neither) and how it sends.
struct ProvingRun {
  run::RunSettings settings;
  run::RunOptions options;
  std::shared_ptr<spec::Catalog> catalog;
  run::TransportFactory transports;  // empty: libcurl
  /// Told how to stop the second run once it starts, and null once it has ended: how a front
  /// end's Stop reaches it. Empty: nobody stops it.
  std::function<void(std::function<void()> stop)> stoppable;
};

/// One request built from the spec that passed, and what became of its draft.
struct Draft {
  std::string endpoint;
  std::string file;     // the file written; empty when none was
  std::string error;    // why none was written
  bool exists = false;  // none was written because the file (or a recipe of it) was there already
  std::vector<DraftCheck> checks;   // those the written draft carries
  std::vector<DraftCheck> dropped;  // derived, but not proven by the second run
  std::string dropped_why;          // how the second run ended for it
  /// None was written because the second run was stopped before it proved the checks.
  bool stopped = false;
};

struct DraftsWritten {
  std::vector<Draft> drafts;  // in the first run's order
  size_t written = 0;
  size_t proved = 0;     // checked drafts the second run ran (0: it did not run)
  bool stopped = false;  // the second run was stopped
  /// False when a draft could not be written for another reason than its file being there or
  /// the second run being stopped.
  bool ok = true;
};

/// Writes the drafts of the requests built from the spec that passed (or passed with warnings)
/// in `first`, into `kb`'s first root; `healer` holds the text each ran last. `kb` is the first
/// run's knowledge base: its recipes stay available to the second run (setup and teardown
/// fixtures), its documents built from the spec do not run again.
DraftsWritten WriteDrafts(const run::RunResult& first, const SpecHealer& healer,
                          const kb::KnowledgeBase& kb, const ProvingRun& proving, FileSystem& fs,
                          const Clock& clock);

}  // namespace verity::derive
