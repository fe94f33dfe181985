// `verity mock --proxy URL` and `verity mock --replay DIR`: answers that come from somewhere other
// than the mock's own store. The server asks its Front first; the Front answers or leaves the
// request to the Responder.
//
// Proxy: each request is matched to its operation and checked as the mock checks it (security
// left to the real API), forwarded through the one HTTP engine (http/curl_transport.h) to URL +
// path + query with its method, headers (hop-by-hop ones dropped) and body, and the real answer is
// validated against the operation's documented responses with spec check's validation, then
// returned unchanged but for hop-by-hop headers. What disagrees with the spec is drift: one line
// each, naming the operation and the code (NO_OPERATION for a request no operation matches, which
// is still forwarded). With a Recorder, each exchange is saved masked (mock/recording.h).
//
// Replay: a request that matches a recorded exchange gets its recorded answer; any other goes to
// the Responder, the generated behaviour.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "http/curl_transport.h"
#include "mock/recording.h"
#include "mock/responder.h"
#include "net/request.h"
#include "spec/catalog.h"

namespace verity::mock {

struct FrontAnswer {
  MockResponse response;
  std::vector<std::string> drift;  // one finding a line, secrets masked
  std::string_view source;         // "proxy" or "replay", for the access log
};

class Front {
 public:
  virtual ~Front() = default;
  /// Called concurrently from the serving threads. nullopt: the Responder answers.
  virtual std::optional<FrontAnswer> Answer(const net::Request& request) = 0;
  /// Whether Answer may wait on something outside the process (an upstream server).
  virtual bool waits() const { return false; }
};

/// The drift code of a request that no operation of the specs matches.
inline constexpr const char* kNoOperation = "NO_OPERATION";
/// The status and code of an answer the real API did not give (refused, timed out).
inline constexpr int kUpstreamFailedStatus = 502;
inline constexpr const char* kUpstreamFailed = "UPSTREAM_FAILED";

class Proxy : public Front {
 public:
  /// `catalog` and `responder` must outlive the proxy; `recorder` may be null. `upstream` is the
  /// real API's base URL, to which the request's path and query are appended.
  Proxy(spec::Catalog& catalog, Responder& responder, std::string upstream, Recorder* recorder);
  std::optional<FrontAnswer> Answer(const net::Request& request) override;
  bool waits() const override { return true; }
  /// Exchanges the recorder could not save, for the operator.
  size_t record_failures() const;

 private:
  http::HttpOutcome Forward(const net::Request& request);
  /// Saves the exchange, masked, and counts a failure to.
  void Record(const net::Request& request, const spec::Operation* operation,
              const MockResponse& answer, const http::SecretRedactor& secrets);
  std::vector<std::string> ResponseDrift(const spec::Operation& operation,
                                         const http::HttpResponse& response);

  spec::Catalog& catalog_;
  Responder& responder_;
  std::string upstream_;
  Recorder* recorder_;
  CredentialNames names_;
  std::mutex check_mutex_;  // the spec set resolves lazily: one response check at a time
  mutable std::mutex pool_mutex_;
  // Idle transports, one taken per request being forwarded, so connections to the API are reused.
  std::vector<std::unique_ptr<http::CurlTransport>> idle_;
  size_t record_failures_ = 0;
};

class ReplayFront : public Front {
 public:
  /// `catalog`, `responder` and `replay` must outlive the front.
  ReplayFront(const spec::Catalog& catalog, Responder& responder, Replay& replay);
  std::optional<FrontAnswer> Answer(const net::Request& request) override;

 private:
  Responder& responder_;
  Replay& replay_;
  CredentialNames names_;
};

/// Hop-by-hop headers (RFC 9110 §7.6.1) and those the HTTP layers set themselves (Host,
/// Content-Length, and Content-Encoding for a body libcurl already decoded): never forwarded.
bool IsHopByHop(std::string_view name);

}  // namespace verity::mock
