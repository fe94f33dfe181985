// What an operation's spec says about credentials: the security schemes a description defines
// (Swagger 2.0 `securityDefinitions`, OpenAPI 3 `components.securitySchemes`) and the requirement
// that applies to each operation (its own `security`, else the document's). The runner sends what
// the requirement asks for, and the mock checks for it, so both read it here, once.
//
// A requirement is a list of alternatives; an alternative is a set of schemes that must all be
// sent together. `security: []` (no alternatives) and an empty alternative (`- {}`) mean the
// operation may be called without credentials.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "spec/spec_set.h"

namespace verity::spec {

enum class SecurityKind {
  kHttp,           // `scheme`: bearer, basic, digest, …
  kApiKey,         // a header, query parameter or cookie
  kOAuth2,         // a bearer token obtained from a token URL
  kOpenIdConnect,  // a bearer token; the token URL is in the discovery document
  kMutualTls,      // a client certificate, not a header
  kUnknown,
};

/// "http", "apiKey", "oauth2", "openIdConnect", "mutualTLS", "unknown".
const char* SecurityKindName(SecurityKind kind);

struct SecurityScheme {
  std::string name;  // the key the description defines it under
  SecurityKind kind = SecurityKind::kUnknown;
  std::string http_scheme;  // lower case, for kHttp ("bearer", "basic"); "bearer" for Swagger 2
                            // `oauth2`; "basic" for Swagger 2 `basic`
  std::string in;           // apiKey: "header", "query" or "cookie"
  std::string param_name;   // apiKey: the header, query parameter or cookie name
  /// oauth2: the token URL of the first flow that has one, client credentials first
  /// (clientCredentials / Swagger 2 `application`, then password, then authorizationCode).
  std::string token_url;
  std::string refresh_url;
  std::vector<std::string> flows;  // as OpenAPI 3 names them: clientCredentials, password, …
  std::string openid_connect_url;  // openIdConnect: the discovery document
  std::string location;            // file#/pointer, for messages
};

/// One scheme of an alternative, with the scopes it asks for. `scheme` is null when the
/// description does not define the name (reported by ReadOperations as SECURITY_SCHEME_UNDEFINED).
struct SecurityUse {
  std::string name;
  std::vector<std::string> scopes;
  std::optional<SecurityScheme> scheme;
};

/// Every scheme of one alternative, sent together; empty: no credential needed.
using SecurityAlternative = std::vector<SecurityUse>;

struct OperationSecurity {
  bool declared = false;  // the operation or its document has a `security` list
  std::vector<SecurityAlternative> alternatives;

  /// Declared, and one alternative needs nothing (`security: []` or a `{}` alternative).
  bool AllowsAnonymous() const;
};

/// The schemes `file` defines, in the order written; `$ref`s are followed.
std::vector<SecurityScheme> ReadSecuritySchemes(SpecSet& specs, const SpecFile& file);

/// The requirement of an operation object `op` of `file`: its `security`, else the document's.
OperationSecurity ReadOperationSecurity(const SpecFile& file, const SchemaRef& op,
                                        const std::vector<SecurityScheme>& schemes);

/// The code reported for a requirement that names a scheme the description does not define.
inline constexpr const char* kSecuritySchemeUndefined = "SECURITY_SCHEME_UNDEFINED";

}  // namespace verity::spec
