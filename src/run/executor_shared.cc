// Shared reads (doc::Step::shared): a prerequisite that lists a collection is the same request in
// every recipe that takes an id from it. Built from the spec, the vcita specs' 465 operations
// list the same few collections again and again; sent once per run, the answer serves them all,
// and the API sees one request where it saw dozens. Only a read is shared, only its 2xx answer,
// and a write to the collection (or below it) makes the next read go to the API again, so a
// document never takes an id that a DELETE of the same run removed after the answer came.
#include <fmt/format.h>

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

}  // namespace

bool Executor::Impl::TakeSharedRead(DocRun& run, bool* ended) {
  *ended = false;
  const http::HttpRequest& request = run.prepared.request;
  if (!IsRead(request.method)) return false;
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

void Executor::Impl::ForgetSharedReadsUnder(const std::string& method, const std::string& url) {
  if (IsRead(method) || shared_reads.empty()) return;
  std::string_view written = PathOf(url);
  for (auto it = shared_reads.begin(); it != shared_reads.end();) {
    std::string_view read = PathOf(UrlOf(it->first));
    bool above = written.starts_with(read) && (written.size() == read.size() ||
                                               read.ends_with('/') || written[read.size()] == '/');
    if (above && it->second.answer) {
      it = shared_reads.erase(it);
      continue;
    }
    if (above) it->second.stale = true;
    ++it;
  }
}

}  // namespace verity::run
