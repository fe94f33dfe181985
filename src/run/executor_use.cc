// `use:` and `useWorkflow:` steps: another recipe, or a workflow, run in a frame of its own inside
// the document that names it; FinishFrame (executor_steps.cc) hands back what it extracted.
#include <fmt/format.h>

#include "kb/uses.h"
#include "run/executor_internal.h"

namespace verity::run {

namespace {

// The recipe a `useWorkflow:` step runs: the first, in path order, whose `workflow:` is the id.
const doc::Document* FindWorkflow(const kb::KnowledgeBase& kb, const std::string& id) {
  for (const doc::Document& d : kb.documents)
    if (d.frontmatter.workflow == id) return &d;
  return nullptr;
}

}  // namespace

bool Executor::Impl::BeginUse(DocRun& run, Frame& frame, const doc::Step& step) {
  if (step.use_workflow) {
    const doc::Document* workflow = FindWorkflow(kb, *step.use_workflow);
    if (!workflow) {
      FailStep(
          run, Outcome::kFail, reason::kUseNotFound,
          fmt::format("no recipe of the knowledge base is the workflow \"{}\"", *step.use_workflow),
          "import that workflow, or fix the id in useWorkflow:");
      return false;
    }
    return EnterUsed(run, frame, step, *workflow);
  }
  // The primary recipe, the first in path order when there are several (lint: USE_AMBIGUOUS);
  // never a variant, which is a negative case, not a way to obtain data.
  kb::UseCandidates candidates = kb::FindUseCandidates(kb, *step.use);
  const doc::Document* used = candidates.primaries.empty() ? nullptr : candidates.primaries.front();
  if (!used && !candidates.variants.empty()) {
    std::string files;
    for (const doc::Document* d : candidates.variants)
      files += (files.empty() ? "" : ", ") + d->file;
    FailStep(run, Outcome::kFail, reason::kUseNotFound,
             fmt::format("\"{}\" has only variant recipes ({}); use: runs the recipe without a "
                         "variant",
                         *step.use, files),
             "write the endpoint's primary recipe (verity kb new without --variant)");
    return false;
  }
  if (!used) {
    FailStep(run, Outcome::kFail, reason::kUseNotFound,
             fmt::format("no document of the knowledge base documents \"{}\"", *step.use),
             "create that recipe (verity kb new) or fix the endpoint in use:");
    return false;
  }
  return EnterUsed(run, frame, step, *used);
}

bool Executor::Impl::EnterUsed(DocRun& run, Frame& frame, const doc::Step& step,
                               const doc::Document& used_doc) {
  const doc::Document* used = &used_doc;
  for (const auto& f : run.frames) {
    if (f->doc == used) {
      std::string chain;
      for (const auto& g : run.frames) chain += g->doc->frontmatter.endpoint + " → ";
      FailStep(run, Outcome::kFail, reason::kUseCycle,
               fmt::format("use: steps form a cycle: {}{}", chain, used->frontmatter.endpoint),
               "break the cycle: a used document must not use its caller");
      return false;
    }
  }
  expr::Renderer renderer(frame.scope, step.id, IsSecret());
  Json with = renderer.Value(step.with, "with");
  AddDerivedSecrets(renderer.derived_secrets());
  if (!renderer.ok()) {
    std::string message;
    for (const expr::TemplateError& e : renderer.errors())
      message += (message.empty() ? "" : "; ") + e.message;
    FailStep(run, Outcome::kFail, reason::kUnresolvedVariable, redactor.Redact(message),
             "define the variable before the use: step");
    return false;
  }
  // A document built from the spec has no file to count its reuse in.
  if (!used->from_spec) run.reused.push_back(used->file);
  StepResult caller = std::move(run.current);
  caller.section = "use";
  int64_t caller_started = run.step_started_ms;
  Frame& nested = NewFrame(run, *used);
  nested.caller_step = &step;
  nested.caller_result = std::move(caller);
  nested.caller_started_ms = caller_started;
  if (step.use_workflow) {
    // A workflow's inputs are its caller's `with`, and nothing else.
    nested.scope.Set(expr::Layer::kExtracted, "inputs", WorkflowInputs(*used, with));
  } else if (with.is_object()) {
    for (const auto& [name, value] : with.items())
      nested.scope.Set(expr::Layer::kExtracted, name, value);
  }
  return false;  // Advance goes on with the nested frame's first step
}

}  // namespace verity::run
