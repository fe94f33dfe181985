// Writing an HTTP/1.1 answer. The server writes every answer's framing itself (status line,
// Content-Length, Connection), so no handler's headers can change how the client splits the
// stream: a header whose name is not a token or whose value holds a CR, LF or another control
// character is left out (header injection), and so are the framing headers a handler might set.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "net/request.h"

namespace verity::net {

struct Response {
  int status = 200;  // a final status, 200-599; anything else is answered as 500
  std::vector<Header> headers;
  std::string body;
};

struct AnswerFraming {
  bool head_request = false;    // HEAD: the body is left out, its length still announced
  bool close = false;           // the connection closes after this answer
  bool keep_alive_1_0 = false;  // an HTTP/1.0 client that asked to keep the connection
};

/// Appends the answer's bytes to `out`.
void AppendAnswer(const Response& response, AnswerFraming framing, std::string& out);

/// "OK", "Not Found", ...; "Unknown" for a status without a registered phrase.
std::string_view ReasonPhrase(int status);

/// The servers' own refusals: {"error": "PAYLOAD_TOO_LARGE", "message": why} with the status.
Response ErrorResponse(int status, std::string_view why);

/// Whether a handler may send this header: a token name, a value without control characters,
/// and none of the headers the server writes itself.
bool IsSendableHeader(const Header& header);

}  // namespace verity::net
