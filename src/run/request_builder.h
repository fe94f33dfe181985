// From a step and the variables of its document to the exact HTTP request: templates rendered,
// query params for every method (a POST or DELETE may take them too), JSON,
// form or multipart bodies (files relative to the knowledge base), the token and Authorization
// scheme, the base URL (named base by path rule, else the fallback when the step or its document
// asks for it, else the primary; a RunSettings::base_override beats the step and the document),
// and X-On-Behalf-Of (docs/run.md).
#pragma once

#include <functional>
#include <string>
#include <variant>

#include "doc/model.h"
#include "expr/render.h"
#include "expr/variables.h"
#include "http/request.h"
#include "run/settings.h"
#include "spec/operation.h"

namespace verity::run {

struct PreparedRequest {
  http::HttpRequest request;  // carries the secret; never shown as is
  std::string base;           // "primary", "fallback" or a named base's name
  std::string token_type;
  std::vector<std::string> credential_types;  // the credentials the request carries
  std::string path;  // the rendered path without its query, for the spec lookup
  bool body_is_json = false;
  /// What template filters made of secret inputs (expr::Renderer::derived_secrets): secrets too.
  std::vector<std::string> derived_secrets;
};

/// Why a step's request cannot be built: UNRESOLVED_VARIABLE, TEMPLATE_ERROR, MISSING_TOKEN,
/// FALLBACK_NOT_CONFIGURED, INVALID_REQUEST.
struct PrepareFailure {
  std::string reason;
  std::string message;
  std::string suggestion;
  /// MISSING_TOKEN for a credential obtained at run time that has no value yet (or no longer):
  /// its type. The executor obtains it and prepares the request again.
  std::string awaiting_token = {};
};

using FindOperation =
    std::function<const spec::Operation*(std::string_view method, std::string_view path)>;

struct RequestContext {
  const RunSettings* settings = nullptr;
  const doc::Document* document = nullptr;  // the document the step belongs to
  std::string kb_root;                      // file_fields are relative to it
  FindOperation find_operation;             // may be empty: no spec loaded
  expr::SecretCheck is_secret;              // may be empty: nothing is secret
};

std::variant<PreparedRequest, PrepareFailure> PrepareRequest(const doc::Step& step,
                                                             const expr::Scope& scope,
                                                             const RequestContext& context);

/// `base` + `path` with exactly one '/' between them.
std::string JoinUrl(std::string_view base, std::string_view path);

/// Whether an operation asks for X-On-Behalf-Of: `x-on-behalf-of: true`, a header parameter of
/// that name, or a description that mentions it.
bool OperationWantsOnBehalfOf(const spec::Operation& operation);

}  // namespace verity::run
