// The run's phases and the documents it runs outside the plan: the setup and teardown fixtures of
// verity.yaml (docs/run.md, "Setup and teardown"). A document outside the plan is a DocRun like any
// other, so its requests take the one path every request takes (render → rate limiter → transport
// → judge) and its `use:` steps, retries and masking work as in the plan.
#include <fmt/format.h>

#include "base/strings.h"
#include "run/executor_internal.h"
#include "run/fixtures.h"

namespace verity::run {

namespace {

bool Failed(Outcome outcome) { return outcome == Outcome::kFail || outcome == Outcome::kError; }

// A setup document that did not pass leaves the plan without what it was to make. A dry run's
// SKIP is the exception: nothing was sent, and its stand-in values fill the templates.
bool SetupHeld(const DocumentResult& r) {
  return r.outcome == Outcome::kPass || r.outcome == Outcome::kWarn ||
         (r.outcome == Outcome::kSkip && r.reason == reason::kDryRun);
}

// "step "create" (POST /v1/businesses)": the first step that failed, inside `use:` too.
std::string FailedStepLabel(const std::vector<StepResult>& steps) {
  for (const StepResult& s : steps) {
    if (!Failed(s.outcome) && s.reason != reason::kNotRun) continue;
    std::string inner = FailedStepLabel(s.nested);
    if (!inner.empty()) return fmt::format("step \"{}\" → {}", s.id, inner);
    return fmt::format("step \"{}\"", s.id);
  }
  return {};
}

}  // namespace

void Executor::Impl::RunOutside(const doc::Document& d, std::string tag, bool teardown,
                                OutsideDone done, std::string obtaining) {
  outside_runs.push_back(std::make_unique<DocRun>());
  DocRun& run = *outside_runs.back();
  run.doc = &d;
  run.outside = true;
  run.outside_done = std::move(done);
  run.tag = std::move(tag);
  run.teardown = teardown;
  run.obtaining = std::move(obtaining);
  ++outside_active;
  BeginDocument(run);
}

void Executor::Impl::Drive() {
  while (outside_active == 0) {
    switch (phase) {
      case Phase::kSetup:
        if (next_fixture < settings.setup.size()) {
          StartFixture(true, next_fixture++);
          continue;
        }
        phase = Phase::kPlan;
        StartReady();
        continue;
      case Phase::kPlan:
        if ((finished_count < runs.size() && !plan_stuck) || svc.transport->Pending() > 0 ||
            !timers.empty())
          return;
        BeginCleanup();
        continue;
      case Phase::kCleanup:
        if (next_cleanup < deferred_cleanups.size()) {
          StartDeferredCleanup(next_cleanup++);
          continue;
        }
        BeginTeardown();
        continue;
      case Phase::kTeardown:
        if (next_fixture < settings.teardown.size() && !stopped_before_start) {
          StartFixture(false, next_fixture++);
          continue;
        }
        phase = Phase::kDone;
        return;
      case Phase::kDone:
        return;
    }
  }
}

void Executor::Impl::BeginCleanup() {
  phase = Phase::kCleanup;
  next_cleanup = 0;
  if (!deferred_cleanups.empty()) ResumeAfterStop();
}

void Executor::Impl::BeginTeardown() {
  phase = Phase::kTeardown;
  next_fixture = 0;
  if (!settings.teardown.empty()) ResumeAfterStop();
}

void Executor::Impl::ResumeAfterStop() {
  plan_stopped = plan_stopped || stopping;
  stopping = false;
  stop_reason.clear();
  stop_requested = false;
  deadline_at.reset();
}

void Executor::Impl::StartFixture(bool setup, size_t index) {
  const std::string& name = (setup ? settings.setup : settings.teardown)[index];
  std::string kind = setup ? "setup" : "teardown";
  auto record = [this, kind, name](DocumentResult r, const Json& exports) {
    RecordFixture(kind, name, std::move(r), exports);
  };
  if (setup && !result.summary.setup_failure.empty()) {
    DocumentResult r;
    r.file = name;
    r.outcome = Outcome::kSkip;
    r.reason = std::string(reason::kSetupFailed);
    r.message = "not run: " + result.summary.setup_failure;
    return record(std::move(r), Json::object());
  }
  const doc::Document* d = ResolveFixture(kb, name);
  if (!d) {
    // run::Session refuses such a run before it starts; an executor built directly still says so.
    DocumentResult r;
    r.file = name;
    r.outcome = Outcome::kFail;
    r.reason = std::string(reason::kFixtureNotFound);
    r.message = fmt::format("{} {}: no document of the knowledge base has that path or endpoint",
                            kind, Quoted(name));
    return record(std::move(r), Json::object());
  }
  RunOutside(*d, fmt::format("{}:{}", kind, index), !setup, record);
}

void Executor::Impl::RecordFixture(const std::string& kind, const std::string& name,
                                   DocumentResult r, const Json& exports) {
  if (kind == "setup") {
    // What a setup extracted is a config parameter of every later document, the teardown's
    // included; even a setup that failed half way hands over what it made, for the teardown.
    for (const auto& [key, value] : exports.items()) settings.params[key] = value;
    // A setup the run's stop kept from starting did not fail: the stop is the reason given.
    if (!SetupHeld(r) && r.reason != reason::kNotRun && result.summary.setup_failure.empty()) {
      std::string step = FailedStepLabel(r.steps);
      // Named by endpoint, the document's file says which recipe that was.
      std::string file = r.file.empty() || r.file.ends_with(name) ? "" : " (" + r.file + ")";
      result.summary.setup_failure = fmt::format("setup {}{} failed{}: {}{}{}", Quoted(name), file,
                                                 step.empty() ? "" : " at " + step, r.reason,
                                                 r.message.empty() ? "" : ": ", r.message);
    }
  }
  if (Failed(r.outcome)) ++result.summary.fixtures_failed;
  FixtureResult fixture{kind, name, std::move(r)};
  result.fixtures.push_back(fixture);
  if (svc.events)
    svc.events->Publish(FixtureFinished{result.fixtures.size() - 1, std::move(fixture)});
}

}  // namespace verity::run
