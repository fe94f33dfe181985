// Checking a request against its operation before serving it, so a recipe that sends a wrong type,
// leaves out a required field or uses an unknown enum value learns so from the mock as it would
// from the real API: every issue at once, each with where (body, query or path), a JSON Pointer,
// a code and a message.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/json.h"
#include "mock/placement.h"
#include "spec/operation.h"

namespace verity::mock {

struct RequestIssue {
  std::string location;  // "body", "query", "path"
  std::string pointer;   // into the body; "/name" for a parameter
  std::string code;      // the validator's codes, plus INVALID_JSON
  std::string message;
};

/// "POST /v1/things request body /size: missing required field \"size\" [MISSING_REQUIRED_FIELD]":
/// how the proxy and a lenient mock log a request the spec refuses (docs/mock.md, drift).
std::string DriftLine(std::string_view operation, const RequestIssue& issue);

struct ParamSpec {
  std::string name;
  bool in_path = false;  // else in the query
  bool required = false;
  spec::SchemaRef schema;
};

/// What of an operation's request the mock checks, read once.
struct RequestShape {
  spec::SchemaRef body_schema;  // the JSON request body's; empty when none is documented
  bool body_required = false;
  std::vector<ParamSpec> params;  // path and query parameters
};

RequestShape ReadRequestShape(const spec::Operation& operation);

/// A parameter's text as the JSON value its schema's type says ("12" → 12 for an integer, "a,b" →
/// ["a", "b"] for an array); text that does not fit stays a string, so the validator names it.
Json CoerceParameter(spec::SpecSet& specs, const spec::SchemaRef& schema, std::string_view text);

struct CheckedRequest {
  std::vector<RequestIssue> issues;
  Json body;  // the parsed body; null when none was sent
};

/// `path_values` are the placeholders' names and concrete values.
CheckedRequest CheckRequest(spec::SpecSet& specs, ValidatorPool& validators,
                            const RequestShape& shape,
                            const std::vector<std::pair<std::string, std::string>>& path_values,
                            const std::vector<std::pair<std::string, std::string>>& query,
                            std::string_view body);

}  // namespace verity::mock
