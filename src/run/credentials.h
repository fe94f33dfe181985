// Which credentials a request carries, and where. The recipe decides first (a step's `token:`,
// else its document's first `tokens:` entry; `none` sends nothing), then the operation's spec
// (`security`: the first alternative whose every scheme has a configured credential of that
// name; `security: []` or an empty alternative sends nothing), then the environment's default
// token. A credential is placed as its configuration says, else as the spec's scheme says
// (apiKey in a header, query parameter or cookie; http basic; bearer for http bearer, oauth2
// and openIdConnect), else in `Authorization` with the scheme its type defaults to.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "doc/model.h"
#include "run/settings.h"
#include "spec/operation.h"

namespace verity::run {

/// One credential to send.
struct CredentialUse {
  std::string type;                        // its name in `tokens:`
  const Credential* credential = nullptr;  // null: configured (or needed) but without a value
  std::string in = "header";               // "header", "query" or "cookie"
  std::string name = "Authorization";      // header, query parameter or cookie
  AuthScheme scheme = AuthScheme::kNone;   // how the value is written (header placements)
  /// A token written in Authorization (not a raw key, not basic): a named base's scheme
  /// replaces its own.
  bool base_scheme_applies = false;
  std::string spec_scheme;  // the security scheme it stands for, when the spec chose it
};

struct CredentialPlan {
  std::vector<CredentialUse> uses;  // empty: the request carries no credential
  /// Set when the operation's security cannot be met: what to configure.
  std::optional<std::string> unmet;
  std::string unmet_suggestion;
};

/// The credentials of `step` of `document` for `operation` (may be null: no spec).
CredentialPlan PlanCredentials(const doc::Step& step, const doc::Document& document,
                               const spec::Operation* operation, const RunSettings& settings);

/// The header value of a credential placed in a header: its scheme applied (basic joins the
/// username), else the value as it is.
std::string CredentialHeaderValue(const CredentialUse& use, AuthScheme scheme);

/// The value a query parameter or cookie carries: raw (with the username for basic).
std::string CredentialRawValue(const CredentialUse& use);

}  // namespace verity::run
