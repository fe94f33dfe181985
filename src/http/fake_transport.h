// A Transport that answers from a script and records what it was asked, for tests and --dry-run
// (DryRunTransport: every request is answered NOT_SENT).
// It never touches the network and never sleeps: Run() completes pending requests in submission
// order, including requests submitted by callbacks during that Run(), so the same script always
// gives the same sequence of callbacks.
//
// Thread-safety: none, like every Transport.
#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "http/transport.h"

namespace verity::http {

class FakeTransport : public Transport {
 public:
  /// Answers requests whose method and URL match with `outcome`. `method` "*" matches any;
  /// `url_glob` is the whole URL, where '*' matches any run of characters, query included
  /// (base/glob.h). Rules are tried in the order added; `times` > 0 retires a rule after that
  /// many answers, so "429 once, then 200" is two rules.
  void Script(std::string method, std::string url_glob, HttpOutcome outcome, int times = 0);
  /// What an unmatched request gets; by default a NETWORK_ERROR naming the method.
  void SetDefault(HttpOutcome outcome) { default_ = std::move(outcome); }

  /// Every submitted request, in submission order, cancelled ones included.
  const std::vector<HttpRequest>& requests() const { return requests_; }

  void Submit(HttpRequest request, Callback done) override;
  size_t Run(TimePoint deadline) override;
  /// Deadlines mean nothing here: answers take no time.
  void ShortenDeadline(TimePoint) override {}
  void Cancel(std::string_view tag) override;
  void CancelAll() override;
  size_t Pending() const override { return pending_.size(); }

 private:
  struct Rule {
    std::string method;
    std::string url_glob;
    HttpOutcome outcome;
    int remaining;  // 0: unlimited
  };
  struct PendingRequest {
    size_t index;  // into requests_
    Callback done;
    bool cancelled = false;
  };

  HttpOutcome Answer(const HttpRequest& request);

  std::vector<Rule> rules_;
  HttpOutcome default_{TransportError{TransportErrorCode::kNetworkError, "no scripted response"}};
  std::vector<HttpRequest> requests_;
  std::deque<PendingRequest> pending_;
};

/// The dry run: a FakeTransport that keeps every request it is given and answers each with
/// NOT_SENT, so nothing reaches the network. The executor records the request, masked, in its step
/// and moves on as if the step had answered (later steps see stand-ins for what it would extract).
std::unique_ptr<FakeTransport> DryRunTransport();

}  // namespace verity::http
