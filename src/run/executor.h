// The runner's engine: executes planned documents against the API through one Transport, on the
// calling thread, with many documents in flight at once. Every request of the run (steps, retries,
// fallback resends, `use:` documents, cleanup, login recipes) goes through the same path: render →
// rate limiter → transport → judge. Serial is the same code with concurrency 1.
//
// Per document: prerequisites, then every Test Request step, then Cleanup steps (always, even after
// a failure, so created data is removed). onFail abort stops the prerequisites/test request;
// skip tolerates the failure; continue records it and goes on. A `use:` step runs another document
// (its prerequisites and test request) and imports what it extracted.
//
// Credentials obtained at run time (an OAuth2 token, a login recipe's) are obtained once per
// credential when a step first needs them, through the same transport; an OAuth2 token request
// skips the rate limiter, as the token server is not the API (executor_tokens.cc).
//
// Everything the executor publishes (events, results) is already masked: token values are known
// to its SecretRedactor and never leave it.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/file_system.h"
#include "base/random.h"
#include "http/transport.h"
#include "kb/knowledge_base.h"
#include "run/events.h"
#include "run/heal.h"
#include "run/plan.h"
#include "run/result.h"
#include "run/settings.h"
#include "run/ticker.h"
#include "spec/catalog.h"

namespace verity::run {

struct ExecutorServices {
  http::Transport* transport = nullptr;
  Ticker* ticker = nullptr;
  const Clock* clock = nullptr;  // wall time: verifiedAt, Retry-After dates, date variables
  Random* random = nullptr;      // generators, retry jitter
  EventBus* events = nullptr;    // may be null
  FileSystem* fs = nullptr;      // knowledge-base write-back; null: none
  Healer* healer = nullptr;      // tries a failed document built from the spec again; may be null
};

class Executor {
 public:
  /// `kb` holds every document (`use:` may name one the plan does not select); `catalog` may be
  /// null when no spec is loaded. Both must outlive the executor.
  Executor(RunSettings settings, const kb::KnowledgeBase& kb, spec::Catalog* catalog,
           ExecutorServices services);
  ~Executor();

  RunResult Run(const Plan& plan);

  /// Asks a running Run() to stop: in-flight requests are cancelled, documents not started are
  /// skipped. Safe from another thread.
  void Stop() { stop_requested_ = true; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::atomic<bool> stop_requested_{false};
};

}  // namespace verity::run
