// What the runner asks the HTTP engine to send, and what came back. These are plain values: a
// request says what the user asked for, an outcome holds either the response or the reason there
// is none. A failed transfer (timeout, refused connection, TLS, too large) is data the runner
// reports, never an exception, because "the API did not answer" is a normal test result.
//
// Secrets: requests carry real tokens in headers and URLs. Nothing here prints itself; whatever
// shows a request or response to a person passes it through http/mask.h first.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace verity::http {

using Duration = std::chrono::milliseconds;

// Every member below has an initializer, so designated initializers may name only the members
// they need without -Wmissing-field-initializers.

/// Ordered name/value pairs. Requests keep the caller's spelling; responses lower-case the names.
using Headers = std::vector<std::pair<std::string, std::string>>;

/// One part of a multipart/form-data body: a text field when `file_path` is empty, else a file
/// read from disk when the request is sent (so large uploads are not held in memory).
struct MultipartPart {
  std::string name = {};
  std::string value = {};  ///< the field's text; ignored for a file part
  /// A file part's source on disk, as realpath gives it: a symbolic link on the way is refused
  /// (the request is invalid), so the caller's check of where the file is still holds.
  std::string file_path = {};
  std::string filename = {};  ///< the name the server sees; defaults to file_path's last segment
  std::string content_type = {};  ///< empty: libcurl's default (text/plain or from the extension)
};

struct HttpRequest {
  std::string method = "GET";
  std::string url = {};
  Headers headers = {};
  std::string body = {};
  /// Non-empty makes a multipart/form-data request; `body` must then be empty.
  std::vector<MultipartPart> multipart = {};
  /// The whole transfer: resolve, connect, TLS, send and receive. The default.
  Duration timeout = std::chrono::seconds(30);
  /// The decoded body may not exceed this; a larger one aborts the transfer (TOO_LARGE).
  size_t max_response_bytes = 64 * 1024 * 1024;
  bool verify_tls = true;
  /// Opaque to the engine: names the request for Cancel() and for the runner's events.
  std::string tag = {};
};

/// Milliseconds from the start of the transfer, as libcurl measures them. `tls_ms` is 0 for plain
/// HTTP and for a reused connection, `connect_ms` is 0 for a reused connection.
struct Timings {
  double connect_ms = 0;
  double tls_ms = 0;   ///< when the TLS handshake finished
  double ttfb_ms = 0;  ///< when the first response byte arrived
  double total_ms = 0;
};

struct HttpResponse {
  int status = 0;
  /// Lower-cased names, values trimmed, in arrival order; a header sent twice appears twice.
  Headers headers;
  std::string body;  ///< decoded (gzip/deflate already undone)
  /// Set only on the partial response a TOO_LARGE error carries: `body` is its first bytes.
  bool truncated = false;
  Timings timings;
  std::string http_version;  ///< "1.1", "2", ...
  std::string effective_url;

  /// The first value of a header, by lower-case name.
  std::optional<std::string_view> Header(std::string_view lower_name) const;
};

enum class TransportErrorCode {
  kTimeout,
  kNetworkError,  // refused, reset, unreachable, a broken reply
  kTlsError,      // handshake or certificate verification
  kDnsError,
  kTooLarge,  // the response passed max_response_bytes
  kCancelled,
  kInvalidRequest,  // malformed URL, unsupported scheme, unreadable multipart file, ...
  kNotSent,         // the dry run's answer (DryRunTransport): recorded, never sent
};

/// "TIMEOUT", "NETWORK_ERROR", ...: the runner's reason codes use the same spelling.
const char* TransportErrorCodeName(TransportErrorCode code);

struct TransportError {
  TransportErrorCode code = TransportErrorCode::kNetworkError;
  /// libcurl's explanation. It names hosts, never headers or bodies; print it through a
  /// SecretRedactor anyway, since a URL may carry a token.
  std::string message = {};
  /// Body bytes received before the transfer stopped.
  size_t bytes_received = 0;
  /// For TOO_LARGE: status, headers and the first max_response_bytes of the body.
  std::optional<HttpResponse> partial = std::nullopt;
  /// For TOO_LARGE: the headers passed their cap, not the body (no setting raises that one).
  bool in_headers = false;

  std::string ToString() const;  ///< "TIMEOUT: Operation timed out after 200 milliseconds ..."
};

/// Why `request` cannot be sent as it is, if it cannot: no URL, no or a malformed method, CR or LF
/// in a header (which would let a rendered value inject headers), a body beside multipart parts,
/// a timeout that is not positive. Both transports check this before anything else.
std::optional<TransportError> ValidateRequest(const HttpRequest& request);

/// A response or the reason there is none. A 500 is a response; only a transfer that produced
/// no complete answer is an error.
class HttpOutcome {
 public:
  HttpOutcome(HttpResponse response) : v_(std::move(response)) {}  // NOLINT: implicit by design
  HttpOutcome(TransportError error) : v_(std::move(error)) {}      // NOLINT

  bool ok() const { return std::holds_alternative<HttpResponse>(v_); }
  const HttpResponse& response() const { return std::get<HttpResponse>(v_); }
  HttpResponse& response() { return std::get<HttpResponse>(v_); }
  const TransportError& error() const { return std::get<TransportError>(v_); }

 private:
  std::variant<HttpResponse, TransportError> v_;
};

}  // namespace verity::http
