#include <fmt/format.h>

#include <functional>

#include "expr/render.h"
#include "kb/uses.h"
#include "run/classify.h"
#include "run/executor_internal.h"
#include "run/retry.h"
#include "run/step_eval.h"
#include "run/token_request.h"

namespace verity::run {

namespace {

const char* SectionName(doc::SectionKind kind) {
  switch (kind) {
    case doc::SectionKind::kPrerequisites:
      return "prerequisites";
    case doc::SectionKind::kTestRequest:
      return "test_request";
    case doc::SectionKind::kCleanup:
      return "cleanup";
    case doc::SectionKind::kOther:
      break;
  }
  return "other";
}

}  // namespace

// ---- steps ----------------------------------------------------------------------------------

void Executor::Impl::Advance(DocRun& run) {
  while (!run.frames.empty()) {
    Frame& f = *run.frames.back();
    if (f.resume_at_ms > svc.ticker->NowMs() && !stopping) {
      // A workflow's retry waits its retryAfter before the step is sent again.
      DocRun* target = &run;
      ScheduleTimer(f.resume_at_ms, [this, target] { Advance(*target); });
      f.resume_at_ms = 0;
      return;
    }
    f.resume_at_ms = 0;
    const doc::Step* step = nullptr;
    if (!f.in_cleanup) {
      if (!f.stopped && f.next < f.main.size()) {
        step = f.main[f.next++];
      } else {
        f.in_cleanup = true;
        f.next = 0;
        continue;
      }
    } else if (f.next < f.cleanup.size()) {
      step = f.cleanup[f.next++];
    }
    if (!step) {
      FinishFrame(run);
      continue;
    }
    if (BeginStep(run, f, *step)) return;  // a request or a timer will resume this document
  }
}

bool Executor::Impl::BeginStep(DocRun& run, Frame& frame, const doc::Step& step) {
  run.step = &step;
  run.current = StepResult{};
  run.step_started_ms = svc.ticker->NowMs();
  run.resent_to_fallback = false;
  StepResult& r = run.current;
  r.id = step.id;
  r.section = SectionName(step.section_kind);
  r.description = step.description;
  r.endpoint = step.use ? "use " + *step.use : step.method + " " + step.path;

  // Before the stop: what the run created is removed at its end even when it was stopped.
  if (step.shared && step.section_kind == doc::SectionKind::kCleanup && !run.deferred_cleanup &&
      DeferCleanup(run, frame))
    return false;
  if (stopping) {
    r.outcome = Outcome::kSkip;
    r.reason = std::string(reason::kNotRun);
    r.message = "not run: " + stop_reason;
    CompleteStep(run);
    return false;
  }
  if (step.skip) {
    r.outcome = Outcome::kSkip;
    r.reason = std::string(reason::kStepSkipped);
    r.message = step.skip_reason.value_or("skip: true");
    CompleteStep(run);
    return false;
  }
  if (step.use || step.use_workflow) return BeginUse(run, frame, step);
  if (step.method == "DELETE" && !settings.include_delete && !run.outside &&
      step.section_kind != doc::SectionKind::kCleanup) {
    r.outcome = Outcome::kSkip;
    r.reason = std::string(reason::kDeleteDisabled);
    r.message = "DELETE runs only with --include-delete";
    CompleteStep(run);
    return false;
  }

  run.token_resent = false;
  run.attempt = 0;
  return PrepareAndSend(run);
}

RequestContext Executor::Impl::ContextFor(const Frame& frame) {
  RequestContext context;
  context.settings = &settings;
  context.document = frame.doc;
  context.kb_root = kb::RootOf(kb, frame.doc->file);
  context.find_operation = OperationsFor(*frame.doc);
  context.is_secret = IsSecret();
  return context;
}

bool Executor::Impl::PrepareAndSend(DocRun& run) {
  Frame& frame = *run.frames.back();
  const doc::Step& step = *run.step;
  StepResult& r = run.current;
  if (stopping) {
    r.outcome = Outcome::kSkip;
    r.reason = std::string(reason::kNotRun);
    r.message = "not run: " + stop_reason;
    CompleteStep(run);
    return false;
  }
  ExpireTokens();
  auto prepared = PrepareRequest(step, frame.scope, ContextFor(frame));
  if (auto* failure = std::get_if<PrepareFailure>(&prepared)) {
    if (!failure->awaiting_token.empty()) return AwaitToken(run, failure->awaiting_token);
    FailStep(run, Outcome::kFail, failure->reason, redactor.Redact(failure->message),
             failure->suggestion);
    return false;
  }
  run.prepared = std::move(std::get<PreparedRequest>(prepared));
  AddDerivedSecrets(run.prepared.derived_secrets);
  run.obtained_sent.clear();
  for (const std::string& type : run.prepared.credential_types) {
    const Credential& credential = settings.tokens.at(type);
    if (credential.obtain) run.obtained_sent[type] = credential.value;
  }
  r.token_type = run.prepared.token_type;
  std::string_view url = run.prepared.request.url;
  const std::string& base = run.prepared.base == "primary"    ? settings.base_url
                            : run.prepared.base == "fallback" ? settings.fallback_url
                                                              : std::string();
  run.relative = base.empty()
                     ? std::string()
                     : std::string(url.substr(std::min(url.size(), JoinUrl(base, "").size())));
  // Prepared again (a token replaced while it waited), the run still sends the read it owns.
  if (step.shared && run.shared_key.empty()) {
    bool ended = false;
    if (TakeShared(run, &ended)) return !ended;
  }
  Enqueue(run);
  return true;
}

void Executor::Impl::FinishFrame(DocRun& run) {
  CollectOutputs(*run.frames.back());
  std::unique_ptr<Frame> frame = std::move(run.frames.back());
  run.frames.pop_back();
  if (run.frames.empty()) {
    FinishDocument(run, *frame);
    return;
  }
  Frame& parent = *run.frames.back();
  run.step = frame->caller_step;
  run.current = std::move(frame->caller_result);
  run.step_started_ms = frame->caller_started_ms;
  StepResult& r = run.current;
  r.used_document = frame->doc->file;
  r.nested = std::move(frame->results);
  for (const StepResult& s : r.nested) r.used_fallback = r.used_fallback || s.used_fallback;
  if (frame->failed) {
    const StepResult& f = frame->failure;
    r.outcome = f.outcome;
    r.reason = f.reason;
    r.message = fmt::format("{} failed at step \"{}\": {}", frame->doc->frontmatter.endpoint, f.id,
                            f.message);
    r.suggestion = f.suggestion;
  } else {
    r.outcome = Outcome::kPass;
    for (const auto& [name, value] : frame->exports.items()) {
      parent.scope.Set(expr::Layer::kExtracted, name, value);
      parent.exports[name] = value;
      r.extracted[name] = RedactJson(value, redactor);
    }
    if (run.step) ExtractAfterUse(run, parent, r);
  }
  CompleteStep(run);
}

void Executor::Impl::FailStep(DocRun& run, Outcome outcome, std::string_view why,
                              std::string message, std::string suggestion) {
  run.current.outcome = outcome;
  run.current.reason = std::string(why);
  run.current.message = std::move(message);
  run.current.suggestion = std::move(suggestion);
  CompleteStep(run);
}

void Executor::Impl::CompleteStep(DocRun& run) {
  Frame& f = *run.frames.back();
  StepResult r = std::move(run.current);
  r.duration_ms = static_cast<double>(svc.ticker->NowMs() - run.step_started_ms);
  bool failed = r.outcome == Outcome::kFail || r.outcome == Outcome::kError;
  // A workflow's action first: a goto or a retry handles a failure, which then does not count;
  // a goto that cannot be taken is one.
  if (!f.in_cleanup && !run.teardown && r.reason != reason::kNotRun && r.outcome != Outcome::kSkip)
    TakeAction(run, f, r, failed);
  run.action.reset();  // chosen for this step's answer only
  failed = r.outcome == Outcome::kFail || r.outcome == Outcome::kError;
  if (failed && r.reason != reason::kNotRun) {
    if ((f.in_cleanup || run.teardown) && r.reason == reason::kUnresolvedVariable) {
      // The data a cleanup (or teardown) step would delete was never created (its id was never
      // extracted): nothing to clean, nothing to warn about.
      r.outcome = Outcome::kSkip;
      r.message = "nothing to clean up: " + r.message;
    } else if (f.in_cleanup) {
      // Cleanup runs after the verdict; its failure leaves data behind, which is worth a warning,
      // not a red build.
      f.documentation_issues.push_back(
          {"CLEANUP_FAILED", "warning",
           fmt::format("cleanup step \"{}\" failed: {}: {}", r.id, r.reason, r.message)});
    } else {
      doc::OnFail mode = run.step && run.step->on_fail ? *run.step->on_fail : doc::OnFail::kAbort;
      if (mode == doc::OnFail::kSkip) {
        // The document's skipReason says what this failure means; the API's words follow.
        r.message = run.step->skip_reason ? fmt::format("tolerated (onFail: skip): {}; {}",
                                                        *run.step->skip_reason, r.message)
                                          : "tolerated (onFail: skip): " + r.message;
        r.outcome = Outcome::kSkip;
      } else {
        if (!f.failed) {
          f.failed = true;
          f.failure = r;
          f.failure.nested.clear();
        }
        if (mode == doc::OnFail::kAbort) f.stopped = true;
      }
    }
  } else if (r.reason == reason::kNotRun && !f.in_cleanup && !f.failed) {
    f.failed = true;
    f.failure = r;
    f.failure.outcome = Outcome::kFail;
    f.failure.reason = std::string(reason::kDeadlineExceeded);
  }
  if (run.frames.size() == 1 && svc.events && !run.outside)
    svc.events->Publish(StepFinished{run.index, r});
  f.results.push_back(std::move(r));
}

// ---- requests -------------------------------------------------------------------------------

void Executor::Impl::Enqueue(DocRun& run) {
  if (stopping) {
    Judge(run, http::TransportError{http::TransportErrorCode::kCancelled, stop_reason});
    CompleteStep(run);
    Advance(run);
    return;
  }
  send_queue.push_back(&run);
  Pump();
}

void Executor::Impl::Pump() {
  while (!send_queue.empty()) {
    int64_t now = svc.ticker->NowMs();
    if (stopping) {
      // A stopping run sends nothing more: a request waiting for its rate-limit slot ends as
      // cancelled now. (Its timer fires at once when stopping; waiting for the slot instead
      // would spin on that timer until the slot came.)
      DocRun* run = send_queue.front();
      send_queue.pop_front();
      run->attempt_started_ms = now;
      http::TransportError cancelled;
      cancelled.code = http::TransportErrorCode::kCancelled;
      cancelled.message = "the run was stopped";
      OnOutcome(*run, std::move(cancelled));
      continue;
    }
    std::optional<int64_t> next = limiter.NextStart(now);
    if (!next) return;  // every slot busy: OnOutcome pumps again
    if (*next > now) {
      if (!pump_timer_at || *pump_timer_at > *next) {
        pump_timer_at = *next;
        ScheduleTimer(*next, [this] {
          pump_timer_at.reset();
          Pump();
        });
      }
      return;
    }
    DocRun* run = send_queue.front();
    send_queue.pop_front();
    // Its wait for a slot may have outlasted an obtained token it carries.
    if (CarriesStaleToken(*run)) {
      if (!PrepareAndSend(*run)) Advance(*run);
      continue;
    }
    limiter.OnStart(now);
    Submit(*run);
  }
}

void Executor::Impl::Submit(DocRun& run) {
  run.attempt_started_ms = svc.ticker->NowMs();
  http::HttpRequest request = run.prepared.request;
  request.tag = run.tag;
  DocRun* target = &run;
  svc.transport->Submit(std::move(request), [this, target](http::HttpOutcome outcome) {
    OnOutcome(*target, std::move(outcome));
  });
}

void Executor::Impl::OnOutcome(DocRun& run, http::HttpOutcome outcome) {
  limiter.OnFinish();
  if (!outcome.ok() && outcome.error().code == http::TransportErrorCode::kNotSent) {
    RecordUnsent(run);
    if (!run.shared_key.empty()) ShareOutcome(run, nullptr);
    Pump();
    CompleteStep(run);
    Advance(run);
    return;
  }
  if (!stopping && !run.token_resent && !run.obtained_sent.empty() && outcome.ok() &&
      SaysTokenInvalid(outcome.response()) && ResendWithNewToken(run, outcome)) {
    Pump();
    return;
  }
  int64_t now = svc.ticker->NowMs();
  Attempt attempt;
  attempt.base = run.prepared.base;
  attempt.duration_ms = static_cast<double>(now - run.attempt_started_ms);
  if (outcome.ok()) {
    attempt.status = outcome.response().status;
  } else {
    attempt.error_code = http::TransportErrorCodeName(outcome.error().code);
  }
  if (!stopping) {
    RetryDecision retry = DecideRetry(settings.retry, outcome, run.prepared.request.method,
                                      run.attempt, svc.clock->NowMillis(), *svc.random);
    if (retry.retry) {
      attempt.retry_reason = retry.reason;
      run.current.attempts.push_back(std::move(attempt));
      ++run.attempt;
      // A Retry-After speaks for the server, not for one request: everyone waits.
      if (retry.from_retry_after) limiter.PauseUntil(now + retry.delay_ms);
      DocRun* target = &run;
      ScheduleTimer(now + retry.delay_ms, [this, target] { Resend(*target); });
      Pump();
      return;
    }
    // A forced base means "this base and no other": the scan's primary side must not be rescued
    // by the fallback it is deciding about.
    if (outcome.ok() && run.prepared.base == "primary" && !settings.fallback_url.empty() &&
        settings.base_override == BaseOverride::kNone && !run.resent_to_fallback &&
        IsGatewayFailure(outcome.response().status, outcome.response().body)) {
      attempt.retry_reason = fmt::format("{} from the primary base URL: resent to the fallback",
                                         outcome.response().status);
      run.current.attempts.push_back(std::move(attempt));
      run.resent_to_fallback = true;
      run.attempt = 0;
      run.prepared.base = "fallback";
      run.prepared.request.url = JoinUrl(settings.fallback_url, run.relative);
      Enqueue(run);
      Pump();
      return;
    }
  }
  run.current.attempts.push_back(std::move(attempt));
  Judge(run, outcome);
  if (outcome.ok() && outcome.response().status >= 200 && outcome.response().status < 300)
    ForgetSharedUnder(run.prepared.request.method, run.prepared.request.url);
  if (!run.shared_key.empty()) ShareOutcome(run, &outcome);
  Pump();
  if (run.step && run.step->sleep_ms && *run.step->sleep_ms > 0 && !stopping &&
      run.current.outcome != Outcome::kFail && run.current.outcome != Outcome::kError) {
    DocRun* target = &run;
    ScheduleTimer(now + *run.step->sleep_ms, [this, target] {
      CompleteStep(*target);
      Advance(*target);
    });
    return;
  }
  CompleteStep(run);
  Advance(run);
}

void Executor::Impl::RecordUnsent(DocRun& run) {
  Frame& frame = *run.frames.back();
  StepResult& r = run.current;
  r.request = RecordRequest(run.prepared.request, run.prepared.base, redactor);
  r.outcome = Outcome::kSkip;
  r.reason = std::string(reason::kDryRun);
  r.message = "not sent (dry run)";
  ++run.unsent;
  // Later steps render with a stand-in for what this one would extract.
  for (const doc::Extract& e : run.step->extract) {
    frame.scope.Set(expr::Layer::kExtracted, e.name, "<" + e.name + ">");
    frame.exports[e.name] = "<" + e.name + ">";
  }
}

void Executor::Impl::Judge(DocRun& run, const http::HttpOutcome& outcome) {
  Frame& f = *run.frames.back();
  StepResult& r = run.current;
  r.request = RecordRequest(run.prepared.request, run.prepared.base, redactor);
  if (outcome.ok()) {
    r.response = RecordResponse(outcome.response(), redactor);
  } else if (outcome.error().partial) {
    // What arrived of a response too large to take whole: its first bytes, cut on receipt.
    r.response = RecordResponse(*outcome.error().partial, redactor);
  }
  r.token_type = run.prepared.token_type;
  r.used_fallback = run.prepared.base == "fallback";

  EvalContext context;
  context.document = f.doc;
  context.step = run.step;
  context.is_test_request =
      run.frames.size() == 1 && run.step->section_kind == doc::SectionKind::kTestRequest;
  if (specs_loaded) {
    context.specs = &catalog->specs();
    context.operation = OperationsFor(*f.doc)(run.prepared.request.method, run.prepared.path);
    context.validation = settings.validation.For(context.operation, settings.spec_root);
  }
  context.on_fallback = r.used_fallback;
  context.fallback_available = !settings.fallback_url.empty();
  context.token_type = run.prepared.token_type;
  context.wants_token_documentation = settings.conventions.vcita;
  context.timeout_ms = settings.timeout_ms;
  context.redactor = &redactor;
  context.scope = &f.scope;
  std::optional<Json> sent;
  if (!run.step->checks.empty() && !run.prepared.request.body.empty()) {
    if (Result<Json> parsed = ParseJson(run.prepared.request.body); parsed.ok())
      sent = std::move(*parsed);
  }
  if (sent) context.request_body = &*sent;
  context.request = &run.prepared.request;
  StepVerdict verdict = EvaluateOutcome(context, outcome);
  for (auto& [name, value] : verdict.extracted) {
    TaintExtracted(value);
    r.extracted[name] = RedactJson(value, redactor);
    f.exports[name] = value;
    f.scope.Set(expr::Layer::kExtracted, name, std::move(value));
  }
  r.checks = std::move(verdict.checks);
  for (Issue& issue : verdict.issues) issue.message = redactor.Redact(issue.message);
  r.issues = std::move(verdict.issues);
  if (run.resent_to_fallback && run.frames.size() == 1) {
    f.documentation_issues.push_back(
        {std::string(reason::kBadGatewayFallback), "warning",
         fmt::format("step \"{}\": the primary base URL answered with a gateway failure; the "
                     "fallback answered",
                     r.id),
         "", ""});
  }
  if (run.frames.size() == 1) {
    for (Issue& issue : verdict.documentation_issues) {
      issue.message = redactor.Redact(issue.message);
      f.documentation_issues.push_back(std::move(issue));
    }
  }
  r.outcome = verdict.outcome;
  r.reason = verdict.reason;
  r.message = redactor.Redact(verdict.message);
  r.suggestion = verdict.suggestion;
  if (!f.in_cleanup) ChooseAction(run, outcome);
}

expr::SecretCheck Executor::Impl::IsSecret() {
  return [this](std::string_view text) { return redactor.Contains(text); };
}

// What filters made of a secret is one, unless it holds a known secret (`{{t | upper}}`), which
// masks it already.
void Executor::Impl::AddDerivedSecrets(const std::vector<std::string>& derived) {
  std::vector<std::string> fresh;
  for (const std::string& value : derived) {
    if (!redactor.Contains(value)) fresh.push_back(value);
  }
  redactor.AddDerived(fresh);
}

// An extracted string that holds a secret in any form is a secret as a whole, so a report shows
// "****" rather than "invalid token ****". Each one makes the search bigger, so a run adds the
// first kMaxExtractedSecrets; later ones are still masked through the secret they hold, and what
// filters make of them is a derived secret all the same.
void Executor::Impl::TaintExtracted(const Json& value) {
  std::vector<std::string> found;
  std::function<void(const Json&)> walk = [&](const Json& v) {
    if (v.is_string()) {
      if (redactor.Contains(v.get_ref<const std::string&>())) found.push_back(v.get<std::string>());
    } else if (v.is_object()) {
      for (const auto& [key, member] : v.items()) {
        if (redactor.Contains(key)) found.push_back(key);
        walk(member);
      }
    } else if (v.is_array()) {
      for (const Json& item : v) walk(item);
    }
  };
  walk(value);
  if (found.size() > kMaxExtractedSecrets - extracted_secrets)
    found.resize(kMaxExtractedSecrets - extracted_secrets);
  extracted_secrets += found.size();
  redactor.AddDerived(found);
}

FindOperation Executor::Impl::OperationsFor(const doc::Document& d) {
  if (!specs_loaded) return {};
  const spec::SpecFile* file = nullptr;
  if (d.frontmatter.swagger) {
    std::string path = settings.spec_root.empty()
                           ? *d.frontmatter.swagger
                           : JoinUrl(settings.spec_root, *d.frontmatter.swagger);
    file = catalog->FileAt(path);
  }
  spec::Catalog* c = catalog;
  return [c, file](std::string_view method, std::string_view path) -> const spec::Operation* {
    if (file) {
      if (const spec::Operation* op = c->FindIn(*file, method, path)) return op;
    }
    return c->Find(method, path);
  };
}

}  // namespace verity::run
