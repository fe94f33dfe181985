// The dashboard API's JSON (docs/serve.md), as functions of the Dashboard's state: the HTTP layer
// only routes and encodes, and tests check the shapes without a socket.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/status.h"
#include "serve/dashboard.h"

namespace verity::serve {

using QueryParams = std::multimap<std::string, std::string>;

struct OperationFilter {
  std::vector<std::string> domains, methods, tokens, kb_statuses, outcomes;
  bool flaky_only = false;
  std::string text;  // lower case
};

/// Repeated parameters and comma-separated values both add alternatives.
OperationFilter ParseOperationFilter(const QueryParams& query);

Json HealthJson(Dashboard& dashboard, bool auth_required);
Result<Json> OperationsJson(Dashboard& dashboard, const OperationFilter& filter);
/// kNotFound when `file` is not a document of the knowledge base.
Result<Json> DocumentJson(Dashboard& dashboard, const std::string& file);
/// The body of `POST /api/runs`; kInvalidArgument with a message naming the bad member.
Result<RunRequest> ParseRunRequest(const Json& body, const run::RateLimit& environment_limit);
Json RunStateJson(const RunState& state);
/// The `drafts` event's data, and the run state's `drafts`: what each draft became, its checks
/// as people read them (templates, never a value seen).
Json DraftsJson(const std::string& run_id, const DraftsOutcome& drafts);

}  // namespace verity::serve
