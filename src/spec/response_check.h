// Checking one HTTP response against its operation: is the status documented, and does the body
// match the schema documented for it? This is what the runner does for every response and what
// `verity spec check` does for a saved body.
#pragma once

#include <string>
#include <vector>

#include "base/json.h"
#include "spec/operation.h"
#include "spec/validate.h"

namespace verity::spec {

struct ResponseCheck {
  int status = 0;
  const Response* response = nullptr;  // the documented response used; nullptr if undocumented
  const MediaSchema* media = nullptr;  // its JSON schema entry; nullptr when there is none
  std::vector<SchemaIssue> issues;     // UNDOCUMENTED_STATUS first, then the body's
  size_t suppressed = 0;               // issues removed by knownIssues patterns
  bool truncated = false;
  bool body_checked = false;  // false: no schema to check against, or no JSON body

  size_t error_count() const;
  size_t warning_count() const;
  bool ok() const { return error_count() == 0; }
};

/// `body` is the parsed JSON body, or nullptr when the response had none or it was not JSON.
/// `known_issues` are a document's knownIssues path patterns (see SuppressKnownIssues).
ResponseCheck CheckResponse(SpecSet& specs, const Operation& operation, int status,
                            const Json* body, const std::vector<std::string>& known_issues = {},
                            const ValidationOptions& options = {});

/// Issues as JSON objects {code, severity, instancePath, schemaPath, message}.
Json IssuesToJson(const std::vector<SchemaIssue>& issues);

}  // namespace verity::spec
