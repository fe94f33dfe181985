// One HTTP operation of a spec, read the same way whatever the spec's version: Swagger 2.0
// `in: body` / `in: formData` parameters become request bodies, `responses[x].schema` becomes
// `application/json` content, path-level parameters are merged under operation-level ones.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "spec/security.h"
#include "spec/spec_set.h"
#include "spec/tokens.h"

namespace verity::spec {

struct Parameter {
  std::string name;
  std::string in;  // path, query, header, cookie
  bool required = false;
  std::string description;
  SchemaRef schema;  // OpenAPI 3 `schema`; for Swagger 2.0 the parameter object itself
  SchemaRef node;    // the parameter object (after $ref)
};

struct MediaSchema {
  std::string media_type;  // "application/json", "multipart/form-data", "*/*"
  SchemaRef schema;        // may be empty (a media type without a schema)
  SchemaRef example;       // `example` or the first of `examples` (3.x) / `examples[media]` (2.0)
};

struct Response {
  std::string status;  // "200", "2XX", "default", as written
  std::string description;
  std::vector<MediaSchema> content;
  SchemaRef node;

  /// The JSON media type's entry (application/json, then any */*+json, then */*), or nullptr.
  const MediaSchema* JsonMedia() const;
};

struct Operation {
  std::string method;     // upper case
  std::string path;       // full template: base path + path key ("/business/payments/v1/x/{uid}")
  std::string path_key;   // the key under `paths`
  std::string base_path;  // "/business/payments", "/v3", ""
  const SpecFile* file = nullptr;
  std::string domain;
  SchemaRef node;  // the operation object

  std::string operation_id;
  std::string summary;
  std::string description;
  std::vector<std::string> tags;
  bool deprecated = false;

  std::vector<Parameter> parameters;
  std::vector<MediaSchema> request_bodies;
  bool request_body_required = false;
  std::vector<Response> responses;
  Json security;  // effective requirement list (operation's, else the document's); null if none
  OperationSecurity auth;  // the same, read: what credentials a request must carry
  TokenDoc tokens;

  /// "GET /v1/x/{uid}"
  std::string Key() const { return method + " " + path; }
  /// The response for a status: exact code, then its range ("2XX", any case), then "default".
  const Response* FindResponse(int status) const;
  /// Status codes as written, in spec order.
  std::vector<std::string> StatusCodes() const;
};

/// Problems found while reading operations; none stops the others from loading.
struct OperationProblem {
  std::string code;      // INVALID_OPERATION, REF_UNRESOLVED, INVALID_PATH_PARAMETER,
                         // MISSING_TOKEN_DOCUMENTATION, MISSING_DESCRIPTION,
                         // SECURITY_SCHEME_UNDEFINED
  std::string location;  // file#/pointer
  std::string message;
};

/// Reads every operation of a description file. `domain` is stamped on each operation.
std::vector<Operation> ReadOperations(SpecSet& specs, const SpecFile& file,
                                      const std::string& domain,
                                      std::vector<OperationProblem>* problems);

/// The path part of OpenAPI 3 `servers[0].url` or Swagger 2.0 `basePath`, without a trailing
/// slash ("https://api.vcita.biz/v3/" → "/v3"; server variables keep their braces).
std::string BasePath(const SpecFile& file);

}  // namespace verity::spec
