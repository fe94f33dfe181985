// The same response body validated by valijson, a general JSON Schema validator, to show what
// Verity's own validator is worth. Built only when valijson's headers are installed
// (libvalijson-dev; not part of tools/setup.sh, it pulls in ~95 packages).
#pragma once

#include <string>

#include "base/json.h"

namespace verity::bench {

struct ValijsonRun {
  std::string error;           // set when valijson could not be run (schema parse failure …)
  double prepare_seconds = 0;  // translating the document and building valijson's schema
  double median_seconds = 0;   // validation alone, on an already-converted body
  bool valid = false;
  std::string first_error;  // valijson's first complaint when the body is invalid for it
};

/// Validates `body` against the schema at JSON Pointer `schema_pointer` of the OpenAPI 3.0
/// `document`, `repeat` times. OpenAPI's `nullable: true` becomes a JSON Schema type union first.
ValijsonRun RunValijson(const Json& document, const std::string& schema_pointer, const Json& body,
                        int repeat);

}  // namespace verity::bench
