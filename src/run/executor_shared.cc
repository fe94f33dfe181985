// Shared requests (doc::Step::shared).
//
// A prerequisite that lists a collection is the same request in every recipe that takes an id
// from it, and one that creates a parent (a client for its notes, its payments, its tags) is the
// same create in every recipe below it. Built from the spec, the vcita specs' 465 operations list
// and create the same few resources again and again; sent once per run, the answer serves them
// all, and the API sees one request where it saw dozens. Only a 2xx answer is shared.
//
// A read stands until a write to its collection (or below it): a document never takes an id that
// a DELETE of the same run removed after the answer came. A create stands until a DELETE of what
// it made; its cleanup (a shared DELETE in the Cleanup section) waits for the end of the run, when
// no document can still use it, and runs once.
#include <fmt/format.h>

#include <algorithm>

#include "base/strings.h"
#include "run/executor_internal.h"

namespace verity::run {
namespace {

// The path of a URL, without its query or fragment.
std::string_view PathOf(std::string_view url) {
  size_t scheme = url.find("://");
  size_t start = url.find('/', scheme == std::string_view::npos ? 0 : scheme + 3);
  if (start == std::string_view::npos) return "/";
  std::string_view path = url.substr(start);
  return path.substr(0, path.find_first_of("?#"));
}

// The URL a shared read's key names (its first line, after the method).
std::string_view UrlOf(std::string_view key) {
  std::string_view line = key.substr(0, key.find('\n'));
  size_t space = line.find(' ');
  return space == std::string_view::npos ? line : line.substr(space + 1);
}

bool IsRead(std::string_view method) { return method == "GET" || method == "HEAD"; }

// Whether the JSON value holds `text` as a scalar, at any depth: the id a create answered with.
bool HoldsScalar(const Json& value, std::string_view text) {
  if (value.is_string()) return value.get_ref<const std::string&>() == text;
  if (value.is_number_integer() || value.is_number_unsigned()) return value.dump() == text;
  if (value.is_structured()) {
    for (const Json& member : value)
      if (HoldsScalar(member, text)) return true;
  }
  return false;
}

// Whether `item` names the same collection as `collection` spelled in the singular, as some APIs
// spell their item paths (`POST /silences`, `DELETE /silence/{id}`): the same parent, and last
// segments that differ only in a plural ending of up to three letters (silence/silences,
// category/categories, box/boxes).
bool SingularSpelling(std::string_view item, std::string_view collection) {
  size_t item_slash = item.rfind('/'), collection_slash = collection.rfind('/');
  if (item_slash == item.npos || collection_slash == collection.npos ||
      item.substr(0, item_slash) != collection.substr(0, collection_slash))
    return false;
  std::string_view a = item.substr(item_slash + 1), b = collection.substr(collection_slash + 1);
  size_t common = 0;
  while (common < a.size() && common < b.size() && a[common] == b[common]) ++common;
  size_t longer = std::max(a.size(), b.size());
  return a != b && a.size() < b.size() && common >= 3 && common + 3 >= longer;
}

// Whether a DELETE of `deleted` removes what the create of `created` answered with: a path
// below the collection (or below its singular spelling) whose next segment is one of the answer's
// values (its id) or the end of its Location header. An answer that is not JSON cannot say: the
// DELETE is taken to remove it.
bool DeletesCreated(std::string_view deleted, std::string_view created,
                    const http::HttpOutcome& answer) {
  while (created.ends_with('/')) created.remove_suffix(1);
  std::string_view id;
  if (deleted.starts_with(created) && deleted.size() > created.size() + 1 &&
      deleted[created.size()] == '/') {
    id = deleted.substr(created.size() + 1);
    id = id.substr(0, id.find('/'));
  } else {
    size_t slash = deleted.rfind('/');
    if (slash == deleted.npos || !SingularSpelling(deleted.substr(0, slash), created)) return false;
    id = deleted.substr(slash + 1);
  }
  if (id.empty()) return false;
  const http::HttpResponse& response = answer.response();
  for (const auto& [name, value] : response.headers) {
    if (ToLower(name) == "location" && std::string_view(value).ends_with("/" + std::string(id)))
      return true;
  }
  Json body = Json::parse(response.body, nullptr, false);
  return body.is_discarded() || HoldsScalar(body, id);
}

}  // namespace

bool Executor::Impl::TakeShared(DocRun& run, bool* ended) {
  *ended = false;
  const http::HttpRequest& request = run.prepared.request;
  if (request.method == "DELETE") return false;
  // The credential is part of the request: another token may see another list.
  std::string key = request.method + " " + request.url;
  for (const auto& [name, value] : request.headers) key += "\n" + name + ": " + value;
  key += "\n\n" + request.body;
  auto [it, fresh] = shared_reads.try_emplace(key);
  if (fresh) {
    run.shared_key = std::move(key);
    return false;
  }
  SharedRead& shared = it->second;
  if (!shared.answer) {
    shared.waiters.push_back(&run);
    return true;
  }
  run.current.shared_from = shared.from;
  Judge(run, *shared.answer);
  CompleteStep(run);
  *ended = true;
  return true;
}

void Executor::Impl::ShareOutcome(DocRun& run, const http::HttpOutcome* outcome) {
  auto it = shared_reads.find(run.shared_key);
  run.shared_key.clear();
  if (it == shared_reads.end()) return;
  std::vector<DocRun*> waiters = std::move(it->second.waiters);
  bool usable = outcome != nullptr && outcome->ok() && outcome->response().status >= 200 &&
                outcome->response().status < 300 && !stopping;
  std::string from = fmt::format("{}, step \"{}\"", run.frames.back()->doc->file, run.step->id);
  // An answer that a write overtook while it was coming still serves those that waited for it,
  // as it would have served them had each sent its own, but no later document.
  if (usable && !it->second.stale) {
    it->second.answer = *outcome;
    it->second.from = from;
  } else {
    shared_reads.erase(it);
  }
  for (DocRun* waiter : waiters) {
    // No answer to stand for the others: each sends its own, as if it were not shared.
    if (!usable) {
      Enqueue(*waiter);
      continue;
    }
    waiter->current.shared_from = from;
    Judge(*waiter, *outcome);
    CompleteStep(*waiter);
    Advance(*waiter);
  }
}

void Executor::Impl::ForgetSharedUnder(const std::string& method, const std::string& url) {
  if (IsRead(method)) return;
  std::string_view written = PathOf(url);
  for (auto it = shared_reads.begin(); it != shared_reads.end();) {
    std::string_view key = it->first;
    std::string_view read = PathOf(UrlOf(key));
    if (!IsRead(key.substr(0, key.find(' ')))) {
      // A create stands until what it made is deleted; in flight, it has made nothing yet.
      bool gone = method == "DELETE" && it->second.answer &&
                  DeletesCreated(written, read, *it->second.answer);
      it = gone ? shared_reads.erase(it) : std::next(it);
      continue;
    }
    bool above = written.starts_with(read) && (written.size() == read.size() ||
                                               read.ends_with('/') || written[read.size()] == '/');
    if (above && it->second.answer) {
      it = shared_reads.erase(it);
      continue;
    }
    if (above) it->second.stale = true;
    ++it;
  }
  if (method != "DELETE") return;
  for (DeferredCleanup& cleanup : deferred_cleanups) {
    std::string_view key = cleanup.key;
    if (key.substr(0, key.find('\n')) == method + " " + url) cleanup.gone = true;
  }
}

bool Executor::Impl::DeferCleanup(DocRun& run, Frame& frame) {
  const doc::Step& step = *run.step;
  auto prepared = PrepareRequest(step, frame.scope, ContextFor(frame));
  std::string key;
  if (const auto* request = std::get_if<PreparedRequest>(&prepared)) {
    // Not the credential: whoever sends it, it deletes the same thing.
    key = request->request.method + " " + request->request.url + "\n\n" + request->request.body;
  } else if (std::get<PrepareFailure>(prepared).awaiting_token.empty()) {
    return false;
  }
  StepResult& r = run.current;
  r.outcome = Outcome::kSkip;
  r.reason = std::string(reason::kCleanupDeferred);
  auto same = std::find_if(deferred_cleanups.begin(), deferred_cleanups.end(),
                           [&](const DeferredCleanup& c) { return !key.empty() && c.key == key; });
  if (same != deferred_cleanups.end()) {
    r.message =
        fmt::format("what it deletes is deleted once, at the end of the run, by {}", same->from);
  } else {
    std::string from = fmt::format("{}, step \"{}\"", frame.doc->file, step.id);
    deferred_cleanups.push_back({frame.doc, &step, frame.scope, std::move(key), from});
    r.message = "deferred to the end of the run: other documents may still use what it deletes";
  }
  CompleteStep(run);
  return true;
}

void Executor::Impl::StartDeferredCleanup(size_t index) {
  const DeferredCleanup& cleanup = deferred_cleanups[index];
  if (cleanup.gone) return;
  outside_runs.push_back(std::make_unique<DocRun>());
  DocRun& run = *outside_runs.back();
  run.doc = cleanup.doc;
  run.outside = true;
  run.deferred_cleanup = true;
  run.teardown = true;
  run.tag = fmt::format("cleanup:{}", index);
  run.outside_done = [this, from = cleanup.from](DocumentResult r, const Json&) {
    RecordFixture("cleanup", from, std::move(r), Json::object());
  };
  run.started_ms = svc.ticker->NowMs();
  DocumentResult& r = run.result;
  r.file = cleanup.doc->file;
  r.endpoint = cleanup.doc->frontmatter.endpoint;
  r.method = cleanup.doc->frontmatter.method;
  r.path = cleanup.doc->frontmatter.path;
  r.source = cleanup.doc->from_spec ? "spec" : "recipe";
  r.started_at_ms = svc.clock->NowMillis();
  auto frame = std::make_unique<Frame>();
  frame->doc = cleanup.doc;
  frame->scope = cleanup.scope;
  frame->in_cleanup = true;
  frame->cleanup.push_back(cleanup.step);
  run.frames.push_back(std::move(frame));
  ++outside_active;
  Advance(run);
}

}  // namespace verity::run
