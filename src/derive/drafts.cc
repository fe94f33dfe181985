#include "derive/drafts.h"

#include <fmt/format.h>

#include "doc/parser.h"
#include "kb/update.h"
#include "run/plan.h"

namespace verity::derive {
namespace {

// A request built from the spec that passed, on its way to becoming a draft.
struct Candidate {
  const DerivedRecipe* recipe = nullptr;
  std::string file;  // where its draft goes, as the second run names its document
  std::vector<DraftCheck> checks;
  std::string checked_text;
  bool proven = false;
  bool stopped = false;     // the second run was stopped before it proved the checks
  std::string why;          // why the checks were not proven
  std::string not_drafted;  // why there is no draft at all
};

bool Passed(const run::DocumentResult& d) {
  return d.outcome == run::Outcome::kPass || d.outcome == run::Outcome::kWarn;
}

// Resent to the fallback after a gateway failure of the primary: as written, the recipe would
// have failed, and a draft must pass as written.
bool PassedOnlyThroughTheGateway(const run::DocumentResult& d, const DerivedRecipe& r) {
  return d.used_fallback && !r.use_fallback;
}

bool FileExists(const FileSystem& fs, const std::string& path) {
  Result<FileInfo> info = fs.Stat(path);  // a missing path is kNone, not an error
  return !info.ok() || info->type != FileType::kNone;
}

std::string WhyNot(const run::DocumentResult& d, const DerivedRecipe& r) {
  if (!Passed(d))
    return fmt::format("the second run ended {}: {}: {}", run::OutcomeName(d.outcome), d.reason,
                       d.message);
  if (PassedOnlyThroughTheGateway(d, r))
    return "the second run passed only after the primary base URL's gateway failed";
  return "";
}

// The second run: the checked drafts, as the recipes they would be, beside the knowledge base's
// own recipes (a setup or teardown fixture names one), with no healer, no write-back and no
// history. Marks each candidate proven, or says why not; counts them in `out`.
void Prove(std::vector<Candidate>& candidates, const kb::KnowledgeBase& kb,
           const ProvingRun& proving, FileSystem& fs, const Clock& clock, DraftsWritten* out) {
  auto second = std::make_shared<kb::KnowledgeBase>();
  second->roots = kb.roots;
  second->confinement = kb.confinement;
  for (const doc::Document& d : kb.documents)
    if (!d.from_spec) second->documents.push_back(d);
  size_t recipes = second->documents.size();
  std::vector<Candidate*> checked;
  for (Candidate& c : candidates) {
    if (c.checks.empty()) continue;
    doc::Document d = doc::ParseDocument(c.checked_text, c.file);
    if (d.has_errors()) {
      c.why = "the draft with checks does not parse: " + d.diagnostics.front().message;
      continue;
    }
    second->documents.push_back(std::move(d));
    checked.push_back(&c);
  }
  if (checked.empty()) return;
  std::vector<run::PlannedDocument> planned;
  for (size_t i = recipes; i < second->documents.size(); ++i)
    planned.push_back(run::Classify(second->documents[i]));
  run::Plan plan = run::OrderPlan(std::move(planned));

  run::RunOptions options = proving.options;
  options.healer = nullptr;
  options.write_back = false;
  options.dry_run = false;
  Result<std::unique_ptr<run::Session>> session = run::Session::Create(
      proving.settings, options, second, proving.catalog, fs, clock, proving.transports);
  if (!session.ok()) {
    for (Candidate* c : checked)
      c->why = "the second run could not start: " + session.status().message();
    return;
  }
  run::Session& second_run = **session;
  if (proving.stoppable) proving.stoppable([&second_run] { second_run.Stop(); });
  run::RunResult result = second_run.Run(plan);
  if (proving.stoppable) proving.stoppable(nullptr);
  out->proved = checked.size();
  out->stopped = result.summary.stopped;
  for (Candidate* c : checked) {
    c->why = "the second run did not reach it";
    for (const run::DocumentResult& d : result.documents) {
      if (d.file != c->file) continue;
      c->why = WhyNot(d, *c->recipe);
      c->proven = c->why.empty();
    }
    // What a stopped run did not prove it may have cut short: a check that failed then says
    // nothing about the API, so the draft waits for a run that finishes.
    if (!c->proven && result.summary.stopped) {
      c->stopped = true;
      c->not_drafted = "the second run was stopped before it proved the draft's checks";
    }
  }
}

}  // namespace

DraftsWritten WriteDrafts(const run::RunResult& first, const SpecHealer& healer,
                          const kb::KnowledgeBase& kb, const ProvingRun& proving, FileSystem& fs,
                          const Clock& clock) {
  DraftsWritten out;
  std::string root = kb.roots.empty() ? std::string(".") : kb.roots.front();
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  std::vector<Candidate> candidates;
  for (const run::DocumentResult& d : first.documents) {
    if (d.source != "spec" || !Passed(d)) continue;
    const DerivedRecipe* latest = healer.Latest(d.endpoint);
    if (latest == nullptr) continue;
    Candidate c;
    c.recipe = latest;
    if (PassedOnlyThroughTheGateway(d, *latest)) {
      c.not_drafted = "it passed only after the primary base URL's gateway failed";
      candidates.push_back(std::move(c));
      continue;
    }
    c.file = root + "/" + latest->file;
    // A file that is there already is not written: proving its checks would be wasted requests.
    if (!FileExists(fs, c.file)) c.checks = ChecksFromResult(d);
    c.checked_text = WithChecks(latest->text, c.checks);
    if (c.checked_text == latest->text) c.checks.clear();
    candidates.push_back(std::move(c));
  }
  Prove(candidates, kb, proving, fs, clock, &out);

  for (const Candidate& c : candidates) {
    const DerivedRecipe& r = *c.recipe;
    Draft draft;
    draft.endpoint = r.endpoint;
    if (!c.not_drafted.empty()) {
      draft.error = c.not_drafted;
      draft.stopped = c.stopped;
      out.drafts.push_back(std::move(draft));
      continue;
    }
    if (c.proven) {
      draft.checks = c.checks;
    } else if (!c.checks.empty()) {
      draft.dropped = c.checks;
      draft.dropped_why = c.why;
    }
    Result<std::string> file = kb::CreateDocumentText(fs, root, r.domain, r.endpoint, r.variant,
                                                      c.proven ? c.checked_text : r.text);
    if (file.ok()) {
      draft.file = *file;
      ++out.written;
    } else {
      draft.error = file.status().message();
      draft.exists = file.status().code() == StatusCode::kAlreadyExists;
      if (!draft.exists) out.ok = false;
    }
    out.drafts.push_back(std::move(draft));
  }
  return out;
}

}  // namespace verity::derive
