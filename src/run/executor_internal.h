// The executor's internals, shared by executor.cc (the loop and documents) and executor_steps.cc
// (steps and requests). Not part of the module's interface.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "expr/builtins.h"
#include "expr/variables.h"
#include "http/mask.h"
#include "run/executor.h"
#include "run/rate_limit.h"
#include "run/request_builder.h"

namespace verity::run {

// One document being executed, or one document run through a `use:` step inside it.
struct Frame {
  const doc::Document* doc = nullptr;
  std::vector<const doc::Step*> main;  // prerequisites, then the test request
  std::vector<const doc::Step*> cleanup;
  size_t next = 0;
  bool in_cleanup = false;
  bool stopped = false;  // onFail: abort
  expr::Scope scope;
  Json exports = Json::object();  // what this frame extracted, for a `use:` caller
  std::vector<StepResult> results;
  std::vector<Issue> documentation_issues;
  // The first failure that counts.
  bool failed = false;
  StepResult failure;
  // Workflows (doc::FlowAction, executor_flow.cc): the tries of each retried step, the gotos
  // taken (bounded: a loop of gotos ends the workflow), and when a retry may send again.
  std::map<const doc::Step*, int> retries;
  size_t gotos = 0;
  int64_t resume_at_ms = 0;
  // For a frame run by a `use:` step: the caller's step, resumed when this frame ends.
  const doc::Step* caller_step = nullptr;
  StepResult caller_result;
  int64_t caller_started_ms = 0;
};

struct DocRun {
  size_t index = 0;
  const doc::Document* doc = nullptr;
  DocumentResult result;
  std::vector<std::unique_ptr<Frame>> frames;
  int64_t started_ms = 0;
  // The step in progress.
  const doc::Step* step = nullptr;
  // The action the step's answer chose (Judge, executor_flow.cc); unset: none was chosen yet.
  std::optional<const doc::FlowAction*> action;
  StepResult current;
  int64_t step_started_ms = 0;
  PreparedRequest prepared;
  std::string relative;  // path + query, for a resend to the fallback
  int attempt = 0;
  int64_t attempt_started_ms = 0;
  bool resent_to_fallback = false;
  // A document built from the spec that a heal runs again (run/heal.h): the tries so far, and
  // what this try changed. A try after the first is the same plan document: no DocumentStarted.
  std::vector<HealAttempt> heal_tries;
  std::string heal_change;
  std::vector<std::string> reused;  // files run through `use:`, for timesReused
  /// The shared request (doc::Step::shared) this run's step sends for every document; empty
  /// when none.
  std::string shared_key;
  bool deferred_cleanup = false;  // runs a shared cleanup at the end of the run: sends it now
  size_t unsent = 0;              // requests the transport answered NOT_SENT (a dry run)
  // A document run outside the plan (RunOutside): no plan index, no events or write-back of its
  // own; `outside_done` gets its result and what it extracted.
  bool outside = false;
  std::function<void(DocumentResult, Json)> outside_done;
  std::string tag;        // the transport's tag for its requests: the plan index or a label
  bool teardown = false;  // an unresolved variable means "nothing to tear down", not a failure
  // Credentials obtained at run time (executor_tokens.cc).
  std::string obtaining;      // a login recipe's run: the credential it obtains
  bool token_resent = false;  // the step was sent again after a 401 refused its token
  std::map<std::string, std::string> obtained_sent;  // type → the value the request carries
};

// A shared request (doc::Step::shared) of the run, a read or a create: the first document to
// send the request sends it, the ones that reach it meanwhile wait, and its 2xx answer stands for
// every later one.
struct SharedRead {
  std::optional<http::HttpOutcome> answer;  // none: in flight
  std::string from;                         // "kb/x.md, step \"list_clients\""
  std::vector<DocRun*> waiters;
  bool stale = false;  // a write to what it reads came while it was in flight
};

// A shared cleanup step (doc::Step::shared in a Cleanup section) that a document reached: run
// once at the end of the run, in the scope of the frame that reached it, so that it deletes what
// that frame's create made after every document that shared it has ended.
struct DeferredCleanup {
  const doc::Document* doc = nullptr;
  const doc::Step* step = nullptr;
  expr::Scope scope;
  std::string key;    // method, URL and body; empty when it could not be rendered yet
  std::string from;   // kb/x.md, step "delete_client"
  bool gone = false;  // a document of the run deleted it already
};

// One credential obtained at run time: its lifetime and the one fetch in flight for it.
struct TokenState {
  bool fetching = false;
  std::vector<DocRun*> waiters;          // parked until the fetch ends
  std::optional<int64_t> refresh_at_ms;  // ticker time at which it is replaced; none: never
  std::string refresh_token;
  std::string token_url;  // the token endpoint, once known (config, spec or discovery)
  size_t fetches = 0;
  /// Why it could not be obtained, when the server or the login answered so: not asked for again
  /// in this run (a wrong password tried by every document could lock the account).
  std::string failure;
  bool transient = false;  // the fetch ending now failed without an answer (network, timeout)
};

/// The inputs a workflow starts with: those given, and null for each input its `inputs` schema
/// declares that was not given (executor_flow.cc).
Json WorkflowInputs(const doc::Document& workflow, Json given);

struct Executor::Impl {
  Impl(RunSettings s, const kb::KnowledgeBase& k, spec::Catalog* c, ExecutorServices v,
       std::atomic<bool>& stop)
      : settings(std::move(s)),
        kb(k),
        catalog(c),
        svc(v),
        stop_requested(stop),
        limiter(settings.rate_limit) {
    for (const auto& [type, credential] : settings.tokens) {
      redactor.Add(credential.value);
      // Basic sends user:password encoded as one: its encoding is found through the password
      // (http/mask.h), and the joined text is masked as a whole too.
      if (!credential.username.empty())
        redactor.AddDerived(credential.username + ":" + credential.value);
    }
    for (const auto& [name, value] : settings.secrets) redactor.Add(value);
    // What a token request sends; the client id may show, as the user name of a login does.
    for (const auto& [type, credential] : settings.tokens) {
      if (!credential.obtain) continue;
      redactor.Add(credential.obtain->client_secret);
      redactor.Add(credential.obtain->password);
    }
    auto zone = expr::TimeZone::Parse(settings.time_zone);
    builtins = std::make_unique<expr::Builtins>(*svc.clock, *svc.random,
                                                zone.ok() ? *zone : expr::TimeZone::Utc());
    specs_loaded = catalog && !catalog->files().empty();
  }

  RunResult Run(const Plan& plan);

  // Run-level fixtures and documents outside the plan (executor_fixtures.cc).
  // kCleanup: the shared cleanups the plan deferred (DeferredCleanup), one by one.
  enum class Phase { kSetup, kPlan, kCleanup, kTeardown, kDone };
  using OutsideDone = std::function<void(DocumentResult result, Json exports)>;
  /// Runs `d` outside the plan, through the same request path as the plan's documents, and hands
  /// its result and exports (unmasked, for templates) to `done`, maybe before returning. `tag`
  /// labels its requests.
  void RunOutside(const doc::Document& d, std::string tag, bool teardown, OutsideDone done,
                  std::string obtaining = "");
  /// Moves the run through its phases: setup documents one by one, then the plan, then teardown.
  void Drive();
  void StartFixture(bool setup, size_t index);
  /// `kind`: "setup", "cleanup" or "teardown".
  void RecordFixture(const std::string& kind, const std::string& name, DocumentResult r,
                     const Json& exports);
  void BeginCleanup();
  void BeginTeardown();
  /// What runs after the plan removes what the run made even when it was stopped or ran out of
  /// time: its own requests are bounded by their timeouts, and a new Stop() stops it.
  void ResumeAfterStop();

  // Scheduling.
  void StartReady();
  void StartDocument(size_t index);
  /// What a plan document and one outside the plan share: checks, then the first step.
  void BeginDocument(DocRun& run);
  void FinishDocument(DocRun& run, Frame& root);
  /// After a failed try of a document built from the spec: asks the healer, and either schedules
  /// the next try (true) or settles the result's reason and records the tries (false).
  bool HealOrSettle(DocRun& run, DocumentResult& r);
  void StartNextTry(size_t index, const doc::Document* next, std::vector<HealAttempt> tries,
                    std::string change);
  /// Records the outcome in the document and timesReused in those it used; failures go into
  /// `r.write_back_failures` and the summary's count.
  void WriteBack(const DocRun& run, DocumentResult& r);
  void BeginStopping(std::string_view why);
  void ScheduleTimer(int64_t at_ms, std::function<void()> fn);
  void FireDueTimers();

  // Steps.
  void Advance(DocRun& run);
  bool BeginStep(DocRun& run, Frame& frame, const doc::Step& step);
  bool BeginUse(DocRun& run, Frame& frame, const doc::Step& step);
  /// Runs `used` in a frame of its own for the `use:` or `useWorkflow:` step `step`.
  bool EnterUsed(DocRun& run, Frame& frame, const doc::Step& step, const doc::Document& used);
  RequestContext ContextFor(const Frame& frame);
  /// Builds the step's request and queues it, or parks the run until a credential it needs is
  /// obtained. False when the step ended here (a failure), as BeginStep.
  bool PrepareAndSend(DocRun& run);

  // Credentials obtained at run time (executor_tokens.cc).
  /// Drops the values of obtained credentials that near their expiry, so the next request that
  /// needs one obtains it anew.
  void ExpireTokens();
  /// Parks `run` until credential `type` is obtained, starting the one fetch for it. False when
  /// it cannot wait (a login recipe that needs its own token): the step has failed then.
  bool AwaitToken(DocRun& run, const std::string& type);
  void StartTokenFetch(const std::string& type);
  void FetchOAuth2Token(const std::string& type, bool refresh);
  void FetchLoginToken(const std::string& type);
  /// The fetch of `type` ended: with a token (`error` empty), or not. Resumes every waiter.
  void TokenFetched(const std::string& type, std::string token, std::string refresh_token,
                    std::optional<int64_t> life_ms, std::string error);
  /// Whether the prepared request carries an obtained token that was replaced or neared its
  /// expiry since it was prepared.
  bool CarriesStaleToken(DocRun& run);
  /// Sends the step's request again after a wait (a retry's backoff): as it is, unless an
  /// obtained credential it carries was replaced or neared its expiry meanwhile; then it is
  /// prepared again with the current one.
  void Resend(DocRun& run);
  /// After a 401 that refused an obtained token: forgets that token (unless another fetch has
  /// replaced it already) and prepares the step again. True when it did.
  bool ResendWithNewToken(DocRun& run, const http::HttpOutcome& outcome);
  /// The token URL of an oauth2 credential: the configuration's, else its spec scheme's.
  std::string SpecTokenUrl(const std::string& type, std::string* discovery);
  void FinishFrame(DocRun& run);
  void CompleteStep(DocRun& run);

  // Workflows (executor_flow.cc).
  /// After Judge: the first action (onSuccess or onFailure, else the document's defaults) whose
  /// criteria hold for the answer, kept in run.action.
  void ChooseAction(DocRun& run, const http::HttpOutcome& outcome);
  /// Takes the chosen action for the completed step `r`. A goto or a retry that handles a
  /// failure makes `r` a SKIP that says so; a goto that cannot be taken makes it a failure.
  void TakeAction(DocRun& run, Frame& f, StepResult& r, bool failed);
  /// After a `useWorkflow:` step's workflow ended: the step's extracts written as runtime
  /// expressions (`$outputs.order_id`), read from what it handed back.
  void ExtractAfterUse(DocRun& run, Frame& parent, StepResult& r);
  /// What a workflow hands back when its frame ends: its `outputs`, rendered in its scope, under
  /// `outputs.` (a failure to render fails the frame).
  void CollectOutputs(Frame& frame);
  /// The variables a workflow frame starts with: `inputs`, and what the workflows of the run that
  /// ended handed back (`workflows.ID.outputs.NAME`).
  void SeedWorkflow(Frame& frame, bool root);
  void FailStep(DocRun& run, Outcome outcome, std::string_view reason, std::string message,
                std::string suggestion);

  // Shared requests and cleanups (executor_shared.cc).
  /// For a shared step's prepared request: true when another document's request answers it (the
  /// step has ended, judged on that answer) or will (the run waits for it); false when this run
  /// is to send it, for everyone.
  bool TakeShared(DocRun& run, bool* ended);
  /// The request of `run`'s shared read has its final outcome (none: it was not sent): kept
  /// for later documents when it is a 2xx answer, and handed to those waiting.
  void ShareOutcome(DocRun& run, const http::HttpOutcome* outcome);
  /// A write (2xx) to `url` changes what reads of it and of the collections above it answer; a
  /// DELETE of what a shared create made ends that create's sharing, and its cleanup.
  void ForgetSharedUnder(const std::string& method, const std::string& url);
  /// For a shared cleanup step that `run` reached: records it for the end of the run, once per
  /// request, and ends the step (SKIP CLEANUP_DEFERRED). False when it cannot be rendered (no id:
  /// nothing was created); the step then runs, and fails, as an unshared one.
  bool DeferCleanup(DocRun& run, Frame& frame);
  void StartDeferredCleanup(size_t index);

  // Requests.
  void Enqueue(DocRun& run);
  void Pump();
  void Submit(DocRun& run);
  void OnOutcome(DocRun& run, http::HttpOutcome outcome);
  void Judge(DocRun& run, const http::HttpOutcome& outcome);
  /// A request the transport did not send (the dry run's answer): the step keeps the masked
  /// request and is SKIP DRY_RUN.
  void RecordUnsent(DocRun& run);

  FindOperation OperationsFor(const doc::Document& d);
  // Taint: whatever holds a secret is one (docs/templates.md, "Derived secrets").
  expr::SecretCheck IsSecret();
  void AddDerivedSecrets(const std::vector<std::string>& derived);
  void TaintExtracted(const Json& value);
  Frame& NewFrame(DocRun& run, const doc::Document& d);

  RunSettings settings;
  const kb::KnowledgeBase& kb;
  spec::Catalog* catalog;
  ExecutorServices svc;
  std::atomic<bool>& stop_requested;
  http::SecretRedactor redactor;
  static constexpr size_t kMaxExtractedSecrets = 32;
  size_t extracted_secrets = 0;  // extracted values added to `redactor` so far
  std::unique_ptr<expr::Builtins> builtins;
  RateLimiter limiter;
  bool specs_loaded = false;

  const Plan* plan = nullptr;
  std::vector<std::unique_ptr<DocRun>> runs;
  std::vector<bool> started, finished;
  size_t active = 0;
  size_t finished_count = 0;
  bool starting = false, start_again = false;
  std::multimap<int64_t, std::function<void()>> timers;
  std::optional<int64_t> pump_timer_at;
  std::deque<DocRun*> send_queue;
  bool in_transport_run = false;
  bool stopping = false;
  std::string stop_reason;
  int64_t run_started_ms = 0;
  std::optional<int64_t> deadline_at;
  RunResult result;

  Phase phase = Phase::kSetup;
  size_t next_fixture = 0;  // the next setup (or teardown) document to start
  size_t outside_active = 0;
  std::vector<std::unique_ptr<DocRun>> outside_runs;  // alive until the run ends
  std::vector<const doc::Document*> fixture_documents;
  // Versions of documents a heal made (run/heal.h), alive until the run ends.
  std::vector<std::shared_ptr<const doc::Document>> healed_documents;
  bool plan_stopped = false;  // the plan was stopped; the teardown runs all the same
  bool stopped_before_start = false;
  bool plan_stuck = false;

  Json workflow_outputs = Json::object();    // by workflow id: what each that ended handed back
  std::map<std::string, TokenState> tokens;  // by credential type, obtained ones only
  std::map<std::string, SharedRead> shared_reads;  // by method, URL and headers
  std::vector<DeferredCleanup> deferred_cleanups;
  size_t next_cleanup = 0;
};

}  // namespace verity::run
