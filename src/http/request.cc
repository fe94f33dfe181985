#include "http/request.h"

#include <cctype>

namespace verity::http {

std::optional<std::string_view> HttpResponse::Header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return std::string_view(value);
  }
  return std::nullopt;
}

const char* TransportErrorCodeName(TransportErrorCode code) {
  switch (code) {
    case TransportErrorCode::kTimeout:
      return "TIMEOUT";
    case TransportErrorCode::kNetworkError:
      return "NETWORK_ERROR";
    case TransportErrorCode::kTlsError:
      return "TLS_ERROR";
    case TransportErrorCode::kDnsError:
      return "DNS_ERROR";
    case TransportErrorCode::kTooLarge:
      return "TOO_LARGE";
    case TransportErrorCode::kCancelled:
      return "CANCELLED";
    case TransportErrorCode::kInvalidRequest:
      return "INVALID_REQUEST";
    case TransportErrorCode::kNotSent:
      return "NOT_SENT";
  }
  return "UNKNOWN";
}

std::optional<TransportError> ValidateRequest(const HttpRequest& request) {
  auto invalid = [](std::string message) {
    return TransportError{TransportErrorCode::kInvalidRequest, std::move(message)};
  };
  if (request.url.empty()) return invalid("the request has no URL");
  if (request.method.empty()) return invalid("the request has no method");
  for (char c : request.method) {
    if (!std::isupper(static_cast<unsigned char>(c)) && c != '-' && c != '_') {
      return invalid("the method is not an upper-case token");
    }
  }
  // Messages name the header, never its value: the value may be a token.
  for (const auto& [name, value] : request.headers) {
    if (name.empty() || name.find_first_of(": \t\r\n") != std::string::npos) {
      return invalid("a header name is empty or holds ':', white space or a line break");
    }
    if (value.find_first_of("\r\n") != std::string::npos) {
      return invalid("the value of header '" + name + "' holds a line break");
    }
  }
  if (!request.body.empty() && !request.multipart.empty()) {
    return invalid("the request has both a body and multipart parts");
  }
  if (request.timeout.count() <= 0) return invalid("the timeout is not positive");
  return std::nullopt;
}

std::string TransportError::ToString() const {
  std::string out = TransportErrorCodeName(code);
  if (!message.empty()) out += ": " + message;
  return out;
}

}  // namespace verity::http
