#include "http/fake_transport.h"

#include <utility>

#include "base/glob.h"

namespace verity::http {

std::unique_ptr<FakeTransport> DryRunTransport() {
  auto transport = std::make_unique<FakeTransport>();
  transport->SetDefault(TransportError{TransportErrorCode::kNotSent, "dry run: not sent"});
  return transport;
}

void FakeTransport::Script(std::string method, std::string url_glob, HttpOutcome outcome,
                           int times) {
  rules_.push_back({std::move(method), std::move(url_glob), std::move(outcome), times});
}

void FakeTransport::Submit(HttpRequest request, Callback done) {
  requests_.push_back(std::move(request));
  pending_.push_back({requests_.size() - 1, std::move(done)});
}

HttpOutcome FakeTransport::Answer(const HttpRequest& request) {
  for (Rule& rule : rules_) {
    if (rule.remaining < 0) continue;  // retired
    if (rule.method != "*" && rule.method != request.method) continue;
    if (!GlobMatches(rule.url_glob, request.url)) continue;
    if (rule.remaining > 0 && --rule.remaining == 0) rule.remaining = -1;
    return rule.outcome;
  }
  HttpOutcome outcome = default_;
  if (!outcome.ok()) {
    // Names the method only: the URL may carry a token and this message may be printed.
    TransportError error = outcome.error();
    error.message = "fake transport: no scripted response for " + request.method;
    return error;
  }
  return outcome;
}

size_t FakeTransport::Run(TimePoint /*deadline*/) {
  // The deadline is ignored on purpose: answers take no time, so every pending request finishes,
  // and a test never depends on the clock.
  while (!pending_.empty()) {
    PendingRequest next = std::move(pending_.front());
    pending_.pop_front();
    const HttpRequest& request = requests_[next.index];
    if (next.cancelled) {
      next.done(TransportError{TransportErrorCode::kCancelled, "cancelled"});
      continue;
    }
    if (auto invalid = ValidateRequest(request)) {
      next.done(std::move(*invalid));
      continue;
    }
    HttpOutcome outcome = Answer(request);
    if (outcome.ok() && outcome.response().body.size() > request.max_response_bytes) {
      // Mirrors CurlTransport, so a test of the runner's TOO_LARGE handling needs no network.
      HttpResponse partial = outcome.response();
      size_t received = partial.body.size();
      partial.body.resize(request.max_response_bytes);
      partial.truncated = true;
      outcome = TransportError{
          TransportErrorCode::kTooLarge,
          "response body exceeds " + std::to_string(request.max_response_bytes) + " bytes",
          received, std::move(partial)};
    }
    next.done(std::move(outcome));
  }
  return 0;
}

void FakeTransport::Cancel(std::string_view tag) {
  for (PendingRequest& p : pending_) {
    if (requests_[p.index].tag == tag) p.cancelled = true;
  }
}

void FakeTransport::CancelAll() {
  for (PendingRequest& p : pending_) p.cancelled = true;
}

}  // namespace verity::http
