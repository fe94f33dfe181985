// Workflows in the executor: the actions taken after a step (doc::FlowAction: end, goto, retry),
// a workflow's inputs and outputs, and the outputs of the run's finished workflows.
#include <fmt/format.h>

#include <algorithm>

#include "expr/render.h"
#include "run/executor_internal.h"
#include "run/step_eval.h"
#include "run/step_expressions.h"

namespace verity::run {

namespace {

// A goto loop that never ends (`goto: poll` until a status that never comes) is cut off here; a
// real polling workflow should say `retry` with a retryLimit instead.
constexpr size_t kMaxGotos = 1000;

const std::vector<doc::FlowAction>& ActionsFor(const Frame& f, const doc::Step& step, bool failed) {
  const std::vector<doc::FlowAction>& own = failed ? step.on_failure : step.on_success;
  if (!own.empty()) return own;
  const doc::Frontmatter& fm = f.doc->frontmatter;
  return failed ? fm.failure_actions : fm.success_actions;
}

bool Failed(Outcome outcome) { return outcome == Outcome::kFail || outcome == Outcome::kError; }

std::optional<size_t> StepIndex(const Frame& f, const std::string& id) {
  for (size_t i = 0; i < f.main.size(); ++i)
    if (f.main[i]->id == id) return i;
  return std::nullopt;
}

}  // namespace

void Executor::Impl::ChooseAction(DocRun& run, const http::HttpOutcome& outcome) {
  Frame& f = *run.frames.back();
  const std::vector<doc::FlowAction>& actions =
      ActionsFor(f, *run.step, Failed(run.current.outcome));
  run.action = nullptr;
  if (actions.empty()) return;
  const http::HttpResponse* response = outcome.ok() ? &outcome.response() : nullptr;
  // The body is parsed again only when a criterion may read it: most actions have none.
  bool judged = std::any_of(actions.begin(), actions.end(),
                            [](const doc::FlowAction& a) { return !a.criteria.empty(); });
  std::optional<Json> body;
  if (judged && response && !response->body.empty())
    if (Result<Json> parsed = ParseJson(response->body); parsed.ok()) body = std::move(*parsed);
  StepExpressions values(&run.prepared.request, response, body ? &*body : nullptr, &f.scope);
  expr::TextMask mask = [this](std::string_view text) { return redactor.Redact(text); };
  for (const doc::FlowAction& action : actions) {
    bool holds = true;
    for (const doc::Check& c : action.criteria) {
      std::string condition = c.operand.is_string() ? c.operand.get<std::string>() : "";
      holds = EvaluateCriterion(c.op, c.target, condition, values, 200, mask).passed;
      if (!holds) break;
    }
    if (holds) {
      run.action = &action;
      return;
    }
  }
}

void Executor::Impl::TakeAction(DocRun& run, Frame& f, StepResult& r, bool failed) {
  const doc::FlowAction* action = nullptr;
  if (run.action) {
    action = *run.action;
  } else if (run.step) {
    // A step that ended before an answer (a variable it could not render): only an action
    // without criteria can apply, as nothing was answered to judge them on.
    for (const doc::FlowAction& a : ActionsFor(f, *run.step, failed)) {
      if (a.criteria.empty()) {
        action = &a;
        break;
      }
    }
  }
  if (action == nullptr) return;
  std::string label = action->name.empty() ? "" : " " + action->name;
  const char* kind = failed ? "onFailure" : "onSuccess";
  switch (action->type) {
    case doc::FlowAction::Type::kEnd:
      f.stopped = true;
      if (!failed) r.message = fmt::format("{} action{}: end of the workflow", kind, label);
      return;
    case doc::FlowAction::Type::kGoto: {
      std::optional<size_t> target = StepIndex(f, action->step_id);
      if (!target || ++f.gotos > kMaxGotos) {
        std::string why = target ? fmt::format("more than {} gotos: the workflow loops", kMaxGotos)
                                 : fmt::format("no step \"{}\" to go to", action->step_id);
        r.outcome = Outcome::kFail;
        r.reason = std::string(reason::kFlowAction);
        r.message = fmt::format("{} action{}: {}", kind, label, why);
        return;
      }
      f.next = *target;
      std::string note = fmt::format("{} action{}: goto \"{}\"", kind, label, action->step_id);
      if (!failed) {
        r.message = r.message.empty() ? note : r.message + "; " + note;
        return;
      }
      r.outcome = Outcome::kSkip;
      r.message = fmt::format("handled by {}: {}", note, r.message);
      return;
    }
    case doc::FlowAction::Type::kRetry: {
      if (!failed) return;  // the parser allows retry only among failure actions
      int& tries = f.retries[run.step];
      if (tries >= action->retry_limit) {
        r.message = fmt::format("{} (retried {} time{}, the {} action{}'s retryLimit)", r.message,
                                tries, tries == 1 ? "" : "s", kind, label);
        return;
      }
      ++tries;
      std::optional<size_t> self = StepIndex(f, run.step->id);
      if (!self) return;
      f.next = *self;
      f.resume_at_ms = svc.ticker->NowMs() + action->retry_after_ms;
      r.outcome = Outcome::kSkip;
      r.message = fmt::format("tried again ({} of {}, {} action{}, after {} ms): {}", tries,
                              action->retry_limit, kind, label, action->retry_after_ms, r.message);
      return;
    }
  }
}

void Executor::Impl::ExtractAfterUse(DocRun& run, Frame& parent, StepResult& r) {
  expr::Extraction extraction;
  ExtractExpressions(
      *run.step, StepExpressions(nullptr, nullptr, nullptr, &parent.scope),
      [this](std::string_view text) { return redactor.Redact(text); }, &extraction);
  if (!extraction.ok()) {
    r.outcome = Outcome::kFail;
    r.reason = std::string(reason::kExtractMiss);
    r.message = extraction.failures.front().message;
    return;
  }
  for (auto& [name, value] : extraction.values) {
    TaintExtracted(value);
    r.extracted[name] = RedactJson(value, redactor);
    parent.exports[name] = value;
    parent.scope.Set(expr::Layer::kExtracted, name, std::move(value));
  }
}

void Executor::Impl::CollectOutputs(Frame& frame) {
  const doc::Frontmatter& fm = frame.doc->frontmatter;
  if (fm.workflow.empty()) return;
  expr::Renderer renderer(frame.scope, "outputs", IsSecret());
  Json outputs = Json::object();
  for (const auto& [name, value] : fm.outputs.items())
    outputs[name] = renderer.Value(value, "outputs/" + name);
  AddDerivedSecrets(renderer.derived_secrets());
  frame.exports = Json::object();
  if (renderer.ok()) {
    frame.exports["outputs"] = std::move(outputs);
    workflow_outputs[fm.workflow]["outputs"] = frame.exports["outputs"];
    return;
  }
  if (frame.failed) return;  // the first failure is the one that counts
  std::string message;
  for (const expr::TemplateError& e : renderer.errors())
    message += (message.empty() ? "" : "; ") + e.message;
  frame.failed = true;
  frame.failure.id = "outputs";
  frame.failure.outcome = Outcome::kFail;
  frame.failure.reason = std::string(reason::kUnresolvedVariable);
  frame.failure.message = redactor.Redact(message);
  frame.failure.suggestion = "each output must name a value the workflow's steps extracted";
}

Json WorkflowInputs(const doc::Document& workflow, Json given) {
  if (!given.is_object()) given = Json::object();
  // An input the workflow declares but is not given is null, as an absent value reads in
  // Arazzo, rather than a placeholder that cannot be rendered.
  const Json& inputs = workflow.frontmatter.inputs;
  if (inputs.is_object() && inputs.contains("properties") && inputs["properties"].is_object())
    for (const auto& [name, schema] : inputs["properties"].items())
      if (!given.contains(name)) given[name] = nullptr;
  return given;
}

void Executor::Impl::SeedWorkflow(Frame& frame, bool root) {
  if (frame.doc->frontmatter.workflow.empty()) return;
  if (root)
    frame.scope.Set(expr::Layer::kExtracted, "inputs", WorkflowInputs(*frame.doc, settings.inputs));
  frame.scope.Set(expr::Layer::kExtracted, "workflows", workflow_outputs);
}

}  // namespace verity::run
