// Turning an answer the recipe did not expect into a reason code, a one-line explanation and, where
// one is known, a suggestion (docs/run.md lists the reasons). What the spec documents comes first:
// a status the operation documents is the API speaking. "Try the fallback" is suggested whenever a
// fallback base URL is configured and the request did not use it.
#pragma once

#include <string>
#include <string_view>

#include "http/mask.h"
#include "http/request.h"
#include "run/outcome.h"

namespace verity::run {

struct Classification {
  std::string reason;
  Outcome outcome = Outcome::kFail;
  std::string message;
  std::string suggestion;
};

struct StatusContext {
  int status = 0;
  std::string_view body;                           // the response body as received
  bool documented = false;                         // the operation lists this exact status
  bool on_fallback = false;                        // the request went to the fallback base URL
  bool fallback_available = false;                 // a fallback base URL is configured
  std::string_view token_type;                     // the token the request used
  std::string_view expected;                       // "200" or "200, 201" or "2xx", for the message
  const http::SecretRedactor* redactor = nullptr;  // masks the API's words before they are cut
};

/// An unexpected status: AUTH_FAILED (401, 403), RATE_LIMITED (429), SERVER_ERROR (5xx),
/// ENDPOINT_NOT_FOUND (a 404 from the routing layer or the mock's NO_OPERATION, or an empty 404
/// the operation does not document), RESOURCE_NOT_FOUND (any other 404: one the operation
/// documents is the API speaking), CONFLICT (409), VALIDATION_ERROR (400, 422), else
/// UNEXPECTED_STATUS. The outcome is the reason's in the one table (OutcomeFor): ERROR for a
/// documented refusal about the data, FAIL for the rest.
Classification ClassifyStatus(const StatusContext& context);

/// A transfer that produced no answer: TIMEOUT, NETWORK_ERROR, TLS_ERROR, DNS_ERROR,
/// RESPONSE_TOO_LARGE, CANCELLED, INVALID_REQUEST.
Classification ClassifyTransportError(const http::TransportError& error, int64_t timeout_ms);

/// A gateway failure that a retry on the fallback base URL may get around (the fallback reaches
/// the service without the gateway that failed): 502, or a 404 whose text says "bad gateway".
bool IsGatewayFailure(int status, std::string_view body);

/// A 404 that comes from the routing layer rather than the application (route not found, cannot
/// GET, an HTML page, ...): the endpoint does not exist there.
bool LooksLikeRouteNotFound(std::string_view body);

/// `verity mock`'s answer to a request no operation of its specs matches (404 with
/// `{"errors": [{"code": "NO_OPERATION", …}]}`): the endpoint does not exist there.
bool IsMockNoOperation(std::string_view body);

/// The API's own words about an error: the body's `message`, `error`, `errors[0].message`, or its
/// first line; empty when there is nothing useful. Cut to 200 (120 for a line of text)
/// characters, after `redactor` (when given) masked them: cut first, a secret could be left in
/// part, which no longer looks like it.
std::string ErrorMessageFromBody(std::string_view body,
                                 const http::SecretRedactor* redactor = nullptr);

}  // namespace verity::run
