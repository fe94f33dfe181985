// Checking that a request carries what its operation's `security` asks for (spec/security.h),
// as the real API's gateway would before looking at the request: an API key in the named header,
// query parameter or cookie; `Authorization: Basic` with well-formed base64 `user:password`;
// `Authorization: Bearer <token>` for http bearer, oauth2 and openIdConnect. Any well-formed
// credential is accepted unless the rules file lists the one value a scheme accepts: the mock has
// no accounts, so by default the check catches a recipe that sends the wrong kind of credential,
// or sends it in the wrong place, not a wrong value.
//
// The request is admitted when one alternative is satisfied (every scheme in it present); an
// operation that declares no `security`, or allows anonymous calls (`security: []`, a `{}`
// alternative), admits every request. A scheme the mock cannot check (mutualTLS, a name the
// description does not define, a type it does not know) counts as satisfied.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mock/request_check.h"
#include "net/request.h"
#include "spec/security.h"

namespace verity::mock {

/// The realm every challenge names.
inline constexpr std::string_view kMockRealm = "verity-mock";

struct SecurityVerdict {
  bool admitted = true;
  /// `WWW-Authenticate` values, one per scheme expected, in the order the spec names them
  /// (`Bearer realm="verity-mock"`, `Basic realm="verity-mock"`, `ApiKey realm="verity-mock",
  /// in="query", name="api_key"`); empty when admitted.
  std::vector<std::string> challenges;
  /// One per credential missing or malformed, naming where it was expected (location "header",
  /// "query" or "cookie", pointer "/NAME"); codes MISSING_CREDENTIAL, MALFORMED_CREDENTIAL and
  /// WRONG_CREDENTIAL (not the value `accepted` lists; the message never shows a value).
  std::vector<RequestIssue> issues;
};

/// The one value each listed scheme accepts, by scheme name (mock rules' `credentials`); nullopt:
/// none. A scheme not listed accepts any well-formed credential.
using AcceptedCredentials = std::map<std::string, std::optional<std::string>, std::less<>>;

inline constexpr const char* kMissingCredential = "MISSING_CREDENTIAL";
inline constexpr const char* kMalformedCredential = "MALFORMED_CREDENTIAL";
inline constexpr const char* kWrongCredential = "WRONG_CREDENTIAL";

/// `query` holds the request's decoded query parameters; `accepted` may be null (any value).
SecurityVerdict CheckSecurity(const spec::OperationSecurity& security,
                              std::span<const net::Header> headers,
                              const std::vector<std::pair<std::string, std::string>>& query,
                              const AcceptedCredentials* accepted = nullptr);

/// `target` (path and query) with the value of every query parameter in `names` replaced by
/// "***": an API key sent in the query must not reach the access log.
std::string RedactQuery(std::string_view target, const std::vector<std::string>& names);

/// Whether `text` is standard base64 with its padding (RFC 4648), decoded into `out`.
bool DecodeBase64(std::string_view text, std::string* out);

}  // namespace verity::mock
