// Credentials obtained at run time, the parts that need no executor: the OAuth2 token request
// (client credentials, password, refresh token), reading the token server's answer and an
// OpenID Connect discovery document, when a token is refreshed early, and which 401 says the
// token itself was refused. The executor (executor_tokens.cc) sends the requests through the
// run's transport and keeps the tokens.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "http/request.h"
#include "run/settings.h"

namespace verity::run {

/// The POST to `token_url` that obtains a token: `refresh_token` set makes it a refresh grant,
/// else the grant `obtain.oauth2` names; `scope` and the configured `params` follow. The form body
/// is application/x-www-form-urlencoded; the client authenticates with HTTP Basic (id and secret
/// form-encoded first) or in the body, as `auth` says. A public client (no secret) sends its id in
/// the body.
http::HttpRequest TokenRequest(const ObtainedBy& obtain, const std::string& token_url,
                               const std::string& refresh_token = "");

/// A token server's answer, or why it is not one.
struct TokenAnswer {
  std::string access_token;
  std::string refresh_token;             // empty: none given
  std::optional<int64_t> expires_in_ms;  // from `expires_in` (seconds); none: the run
  std::string error;                     // set: no token; says why (never a secret)
};

/// Reads a token endpoint's answer: 2xx JSON with `access_token`, else the server's `error` and
/// `error_description` (RFC 6749 section 5.2) or its status.
TokenAnswer ReadTokenAnswer(const http::HttpOutcome& outcome);

/// `token_endpoint` of an OpenID Connect discovery document, or why there is none (`error`).
std::string ReadDiscoveryTokenEndpoint(const http::HttpOutcome& outcome, std::string* error);

/// A lifetime in seconds as a login recipe extracted it: a number or numeric text, above 0.
std::optional<int64_t> LifetimeMs(const Json& value);

/// How long before its expiry a token of `life_ms` is replaced: 10 % of its life, at least 10 s,
/// yet never more than half of it (a token that lives 6 s is used for 3 s).
int64_t RefreshMarginMs(int64_t life_ms);

/// Whether a 401's `WWW-Authenticate` says the token was refused as a token (RFC 6750
/// `error="invalid_token"`, or the word "expired"), not that credentials were missing or wrong
/// for the operation: only then does obtaining another one help.
bool SaysTokenInvalid(const http::HttpResponse& response);

}  // namespace verity::run
