#include "run/executor.h"

#include <fmt/format.h>

#include <algorithm>

#include "doc/diagnostic.h"
#include "run/executor_internal.h"
#include "run/fixtures.h"
#include "run/kb_writeback.h"

namespace verity::run {

Executor::Executor(RunSettings settings, const kb::KnowledgeBase& kb, spec::Catalog* catalog,
                   ExecutorServices services)
    : impl_(std::make_unique<Impl>(std::move(settings), kb, catalog, services, stop_requested_)) {}

Executor::~Executor() = default;

RunResult Executor::Run(const Plan& plan) { return impl_->Run(plan); }

// ---- the loop -------------------------------------------------------------------------------

RunResult Executor::Impl::Run(const Plan& p) {
  plan = &p;
  size_t n = p.documents.size();
  runs.clear();
  runs.resize(n);
  started.assign(n, false);
  finished.assign(n, false);
  result = RunResult{};
  result.documents.resize(n);
  RunSummary& summary = result.summary;
  summary.environment = settings.environment;
  summary.base_url = settings.base_url;
  summary.fallback_url = settings.fallback_url;
  summary.rate_limit = settings.rate_limit.EffectiveText();
  summary.dry_run = settings.dry_run;
  summary.strict = settings.strict;
  summary.started_at_ms = svc.clock->NowMillis();
  summary.run_id = fmt::format("{}-{:04x}", summary.started_at_ms, svc.random->Below(0x10000));
  summary.totals.total = n;
  run_started_ms = svc.ticker->NowMs();
  if (settings.deadline_ms) deadline_at = run_started_ms + *settings.deadline_ms;
  if (svc.events) {
    RunStarted event{summary, {}};
    event.summary.totals = Totals{};
    event.summary.totals.total = n;
    for (const PlannedDocument& d : p.documents)
      event.endpoints.push_back(d.document->frontmatter.endpoint);
    svc.events->Publish(std::move(event));
  }
  summary.totals = Totals{};

  phase = Phase::kSetup;
  next_fixture = 0;
  fixture_documents.clear();
  for (const auto* names : {&settings.setup, &settings.teardown}) {
    for (const std::string& name : *names) {
      if (const doc::Document* d = ResolveFixture(kb, name)) fixture_documents.push_back(d);
    }
  }
  // Stopped before it began (the dashboard's Stop while the run was being built): nothing starts,
  // not even the teardown, as there is nothing to remove.
  if (stop_requested) {
    BeginStopping("the run was stopped");
    stopped_before_start = true;
  }
  for (;;) {
    int64_t now = svc.ticker->NowMs();
    // The teardown ignores the deadline, and a stop that came before it began: it removes what
    // the setup made. A stop asked for during the teardown stops it.
    if (!stopping && stop_requested) BeginStopping("the run was stopped");
    if (!stopping && deadline_at && now >= *deadline_at) {
      BeginStopping(fmt::format("the run passed its deadline of {} ms", *settings.deadline_ms));
    }
    FireDueTimers();
    Drive();
    if (phase == Phase::kDone && svc.transport->Pending() == 0 && timers.empty()) break;
    // Wake at the next timer, the deadline, or after a short while to notice Stop().
    int64_t wake = now + 200;
    if (!timers.empty()) wake = std::min(wake, timers.begin()->first);
    if (deadline_at && !stopping) wake = std::min(wake, *deadline_at);
    if (svc.transport->Pending() > 0) {
      in_transport_run = true;
      svc.transport->Run(svc.ticker->ToSteady(wake));
      in_transport_run = false;
      continue;
    }
    if (!timers.empty()) {
      svc.ticker->SleepUntil(wake);
      continue;
    }
    if (phase != Phase::kPlan) {
      // A fixture in progress with nothing in flight and nothing scheduled: only a bug gets here.
      if (outside_active > 0) break;
      continue;
    }
    size_t before = finished_count;
    StartReady();
    if (finished_count == before && svc.transport->Pending() == 0 && timers.empty()) {
      // Nothing in flight, nothing scheduled and nothing startable: only a bug gets here, and a
      // hang would be worse than an honest stop.
      BeginStopping("no document could start");
      StartReady();
      if (finished_count == before) plan_stuck = true;
    }
  }

  summary.finished_at_ms = svc.clock->NowMillis();
  summary.duration_ms = static_cast<double>(svc.ticker->NowMs() - run_started_ms);
  summary.stopped = stopping || plan_stopped;
  if (svc.events) svc.events->Publish(RunFinished{summary});
  return std::move(result);
}

void Executor::Impl::BeginStopping(std::string_view why) {
  stopping = true;
  stop_reason = std::string(why);
  svc.transport->CancelAll();
}

void Executor::Impl::ScheduleTimer(int64_t at_ms, std::function<void()> fn) {
  timers.emplace(at_ms, std::move(fn));
  if (in_transport_run) svc.transport->ShortenDeadline(svc.ticker->ToSteady(at_ms));
}

void Executor::Impl::FireDueTimers() {
  while (!timers.empty()) {
    auto first = timers.begin();
    // A stopping run fires every timer at once: their documents end as NOT_RUN or CANCELLED.
    if (!stopping && first->first > svc.ticker->NowMs()) break;
    std::function<void()> fn = std::move(first->second);
    timers.erase(first);
    fn();
  }
}

void Executor::Impl::StartReady() {
  // Documents that end without a request finish inside StartDocument and call back here; the
  // flag turns that recursion into another turn of this loop.
  if (phase != Phase::kPlan) return;
  if (starting) {
    start_again = true;
    return;
  }
  starting = true;
  do {
    start_again = false;
    for (size_t i = 0; i < runs.size(); ++i) {
      if (started[i]) continue;
      if (!stopping && active >= std::max<size_t>(1, settings.concurrency)) break;
      bool ready = true;
      for (size_t dep : plan->waits_for[i]) ready = ready && finished[dep];
      if (!ready && !stopping && result.summary.setup_failure.empty()) continue;
      started[i] = true;
      StartDocument(i);
    }
  } while (start_again);
  starting = false;
}

// ---- documents ------------------------------------------------------------------------------

Frame& Executor::Impl::NewFrame(DocRun& run, const doc::Document& d) {
  auto frame = std::make_unique<Frame>();
  frame->doc = &d;
  frame->scope = expr::Scope(builtins.get());
  frame->scope.SetAll(expr::Layer::kConfig, settings.params);
  for (const auto& [name, value] : settings.secrets)
    frame->scope.Set(expr::Layer::kConfig, "secrets." + name, value);
  frame->scope.SetAll(expr::Layer::kCommandLine, settings.command_line);
  for (const doc::Step* s : d.StepsIn(doc::SectionKind::kPrerequisites)) frame->main.push_back(s);
  for (const doc::Step* s : d.StepsIn(doc::SectionKind::kTestRequest)) frame->main.push_back(s);
  SeedWorkflow(*frame, run.frames.empty());
  run.frames.push_back(std::move(frame));
  return *run.frames.back();
}

void Executor::Impl::StartDocument(size_t index) {
  runs[index] = std::make_unique<DocRun>();
  DocRun& run = *runs[index];
  run.index = index;
  run.doc = plan->documents[index].document;
  run.tag = std::to_string(index);
  ++active;
  BeginDocument(run);
}

void Executor::Impl::BeginDocument(DocRun& run) {
  const doc::Document& d = *run.doc;
  bool in_plan = !run.outside;
  run.started_ms = svc.ticker->NowMs();
  DocumentResult& r = run.result;
  r.file = d.file;
  r.endpoint = d.frontmatter.endpoint;
  r.variant = d.frontmatter.variant;
  r.method = d.frontmatter.method;
  r.path = d.frontmatter.path;
  r.domain = d.frontmatter.domain;
  r.title = d.title.value_or("");
  r.swagger = d.frontmatter.swagger.value_or("");
  r.source = d.from_spec ? "spec" : "recipe";
  r.started_at_ms = svc.clock->NowMillis();
  if (in_plan && svc.events && run.heal_tries.empty())
    svc.events->Publish(DocumentStarted{run.index, r.endpoint, r.file, r.variant});

  auto end_now = [&](Outcome outcome, std::string_view why, std::string message) {
    Frame root;
    root.doc = &d;
    r.outcome = outcome;
    r.reason = std::string(why);
    r.message = std::move(message);
    run.frames.clear();
    FinishDocument(run, root);
  };
  const doc::Frontmatter& fm = d.frontmatter;
  if (stopping) return end_now(Outcome::kSkip, reason::kNotRun, "not run: " + stop_reason);
  if (in_plan && !result.summary.setup_failure.empty())
    return end_now(Outcome::kSkip, reason::kSetupFailed,
                   "not run: " + result.summary.setup_failure);
  if (d.left_out)
    return end_now(OutcomeFor(d.left_out->reason), d.left_out->reason, d.left_out->message);
  if (in_plan &&
      std::find(fixture_documents.begin(), fixture_documents.end(), &d) != fixture_documents.end())
    return end_now(Outcome::kSkip, reason::kFixtureDocument,
                   "a setup or teardown document of the environment: it runs as a fixture");
  if (d.has_errors()) {
    for (const doc::Diagnostic& diag : d.diagnostics) {
      if (diag.is_error())
        return end_now(Outcome::kFail, reason::kDocumentInvalid, doc::FormatDiagnostic(diag));
    }
  }
  if (fm.status == doc::WorkflowStatus::kSkipped)
    return end_now(Outcome::kSkip, reason::kStatusSkipped,
                   fm.skip_reason.value_or("the document's status is skipped"));
  if (fm.status == doc::WorkflowStatus::kDeprecated)
    return end_now(Outcome::kSkip, reason::kStatusDeprecated, "the endpoint is deprecated");
  Frame& root = NewFrame(run, d);
  for (const doc::Step* s : d.StepsIn(doc::SectionKind::kCleanup)) root.cleanup.push_back(s);
  if (root.main.empty()) {
    return end_now(Outcome::kSkip, reason::kNoSteps,
                   "no steps under Prerequisites or Test Request: nothing to run");
  }
  // Naming a fixture in verity.yaml is the consent to what it sends, DELETE included.
  if (!settings.include_delete && in_plan) {
    for (const doc::Step* s : d.StepsIn(doc::SectionKind::kTestRequest)) {
      if (!s->use && s->method == "DELETE") {
        return end_now(Outcome::kSkip, reason::kDeleteDisabled,
                       "its test request deletes data; DELETE runs only with --include-delete");
      }
    }
  }
  Advance(run);
}

void Executor::Impl::WriteBack(const DocRun& run, DocumentResult& r) {
  auto failed = [&](const std::string& file, const Status& status) {
    r.write_back_failures.push_back({file, redactor.Redact(status.message())});
  };
  // A document that could not be read (outside the knowledge base, unreadable, no frontmatter)
  // has nothing to record: its FAIL (DOCUMENT_INVALID) already says why. One built from the spec
  // has no file: its `file` is where a draft would go, and only `verity draft` may create it.
  bool from_spec = run.doc != nullptr && run.doc->from_spec;
  if (!from_spec && (run.doc == nullptr || run.doc->frontmatter_parsed)) {
    auto changed = RecordOutcome(*svc.fs, r.file, kb.confinement, r.outcome, *svc.clock,
                                 settings.failures_before_failed);
    if (changed.ok()) {
      r.kb_updates = *changed;
    } else {
      failed(r.file, changed.status());
    }
  }
  for (const std::string& file : run.reused) {
    auto reused = IncrementTimesReused(*svc.fs, file, kb.confinement);
    if (!reused.ok()) failed(file, reused.status());
  }
  if (!r.write_back_failures.empty()) ++result.summary.write_back_failed;
}

void Executor::Impl::FinishDocument(DocRun& run, Frame& root) {
  DocumentResult& r = run.result;
  r.steps = std::move(root.results);
  r.documentation_issues = std::move(root.documentation_issues);
  for (const StepResult& s : r.steps) {
    if (s.used_fallback) r.used_fallback = true;
    if (s.section == "test_request") {
      if (!s.token_type.empty()) r.token_type = s.token_type;
      if (s.response) r.http_status = s.response->status;
    }
  }
  if (!r.reason.empty() && r.steps.empty()) {
    // Decided before any step ran (skipped, invalid, not run).
  } else if (root.failed) {
    const StepResult& f = root.failure;
    r.outcome = f.outcome;
    if (f.section == "prerequisites" || f.section == "use") {
      r.reason = std::string(reason::kPrerequisiteFailed);
      r.message = fmt::format("prerequisite \"{}\" failed: {}: {}", f.id, f.reason, f.message);
    } else {
      r.reason = f.reason;
      r.message = f.message;
    }
    r.suggestion = f.suggestion;
  } else if (!r.documentation_issues.empty()) {
    r.outcome = Outcome::kWarn;
    r.reason = r.documentation_issues.front().code;
    r.message = r.documentation_issues.front().message;
  } else {
    r.outcome = Outcome::kPass;
    for (const StepResult& s : r.steps) {
      if (s.section == "test_request" && s.reason == reason::kExpectedOutcome) {
        r.reason = s.reason;
        r.message = s.message;
      }
    }
  }
  // Nothing failed, yet some request was never sent: no verdict about the API, and nothing to
  // remember in the knowledge base.
  if (run.unsent > 0 && r.outcome == Outcome::kPass) {
    r.outcome = Outcome::kSkip;
    r.reason = std::string(reason::kDryRun);
    r.message = "dry run: requests planned, none sent";
  }
  if (!run.outside && HealOrSettle(run, r)) return;
  r.duration_ms = static_cast<double>(svc.ticker->NowMs() - run.started_ms);
  if (run.outside) {
    OutsideDone done = std::move(run.outside_done);
    --outside_active;
    done(r, root.exports);
    return;
  }

  if (settings.write_back && run.unsent == 0 && svc.fs) WriteBack(run, r);

  result.summary.totals.Add(r.outcome);
  result.documents[run.index] = r;
  finished[run.index] = true;
  ++finished_count;
  --active;
  if (svc.events) {
    svc.events->Publish(
        DocumentFinished{run.index, r, result.summary.totals, runs.size(),
                         static_cast<double>(svc.ticker->NowMs() - run_started_ms)});
  }
  StartReady();
}

namespace {

size_t RequestsOf(const std::vector<StepResult>& steps) {
  size_t n = 0;
  for (const StepResult& s : steps) n += s.attempts.size() + RequestsOf(s.nested);
  return n;
}

HealAttempt TryOf(const DocRun& run, const DocumentResult& r) {
  const StepResult* failed = FailedStep(r.steps);
  int status = failed != nullptr && failed->response ? failed->response->status : r.http_status;
  return {run.heal_change.empty() ? "as built" : run.heal_change,
          r.outcome,
          r.reason,
          status,
          r.message,
          RequestsOf(r.steps)};
}

}  // namespace

bool Executor::Impl::HealOrSettle(DocRun& run, DocumentResult& r) {
  if (svc.healer == nullptr || run.doc == nullptr || !run.doc->from_spec || run.unsent > 0)
    return false;
  run.heal_tries.push_back(TryOf(run, r));
  if ((r.outcome == Outcome::kFail || r.outcome == Outcome::kError) && !stopping) {
    HealDecision decision = svc.healer->Heal(*run.doc, r, run.heal_tries);
    if (decision.next) {
      healed_documents.push_back(decision.next);
      // From the loop, not from here: the caller still holds this document's run.
      ScheduleTimer(
          svc.ticker->NowMs(),
          [this, index = run.index, next = decision.next.get(), tries = std::move(run.heal_tries),
           change = std::move(decision.change)] { StartNextTry(index, next, tries, change); });
      return true;
    }
    if (!decision.reason.empty()) {
      r.reason = std::move(decision.reason);
      r.message = redactor.Redact(decision.message);
    }
  }
  // Tried once: no list of one.
  if (run.heal_tries.size() > 1) r.heal_attempts = std::move(run.heal_tries);
  return false;
}

void Executor::Impl::StartNextTry(size_t index, const doc::Document* next,
                                  std::vector<HealAttempt> tries, std::string change) {
  auto fresh = std::make_unique<DocRun>();
  fresh->index = index;
  fresh->doc = next;
  fresh->tag = std::to_string(index);
  fresh->heal_tries = std::move(tries);
  fresh->heal_change = std::move(change);
  runs[index] = std::move(fresh);
  BeginDocument(*runs[index]);
}

}  // namespace verity::run
