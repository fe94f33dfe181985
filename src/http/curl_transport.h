// The real transport: libcurl's multi interface, driven by the thread that calls Run(). One multi
// handle owns every transfer, so connections (and HTTP/2 streams) are reused across requests to
// the same host, and at most `max_in_flight` transfers run at once; the rest wait in submission
// order. libcurl's options are set in one place, http/curl_options.cc, with the reason for each.
//
// Nothing here logs: headers and bodies carry tokens.
//
// Thread-safety: none, like every Transport. Several CurlTransports may live on several threads.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "base/status.h"
#include "http/transport.h"

namespace verity::http {

struct CurlTransportOptions {
  /// Transfers running at once; further submissions queue. At least 1.
  size_t max_in_flight = 8;
  std::string user_agent = "verity/0.1";
};

class CurlTransport : public Transport {
 public:
  /// Fails only when libcurl cannot initialise (out of memory, a broken TLS library).
  static Result<std::unique_ptr<CurlTransport>> Create(const CurlTransportOptions& options = {});
  ~CurlTransport() override;

  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  void Submit(HttpRequest request, Callback done) override;
  size_t Run(TimePoint deadline) override;
  void ShortenDeadline(TimePoint deadline) override;
  void Cancel(std::string_view tag) override;
  void CancelAll() override;
  size_t Pending() const override;

 private:
  struct Impl;
  explicit CurlTransport(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// The TransportError code for a libcurl result code (a CURLcode, as int to keep curl.h out of
/// this header). Exposed for its table test.
TransportErrorCode TransportErrorCodeForCurl(int curl_code);

}  // namespace verity::http
