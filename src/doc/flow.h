// The Arazzo parts of a recipe (docs/workflow-format.md, "Workflows"): success criteria
// (`expect.criteria`) and the actions taken after a step (`onSuccess`, `onFailure`, and the
// frontmatter's `successActions`/`failureActions`). Every condition, context and pattern is parsed
// here with the Arazzo expression engine (expr/arazzo_expression.h), so a criterion that cannot be
// evaluated is reported at its file position before anything runs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/yaml.h"
#include "doc/diagnostic.h"
#include "doc/model.h"

namespace verity::doc {

/// `expect.criteria`: a list of `{condition, context, type}` (type `simple`, the default,
/// `regex` or `jsonpath`), each a Check of subject kCriterion appended to `out`.
void ReadCriteria(const yaml::Node& list, std::string_view where, DiagnosticSink& sink,
                  std::vector<Check>* out);

/// A list of actions: `{name, type: end|goto|retry, stepId, workflowId, retryAfter (seconds),
/// retryLimit, criteria}`; `retry` only among failure actions.
std::vector<FlowAction> ReadActions(const yaml::Node& list, std::string_view where, bool failure,
                                    DiagnosticSink& sink);

/// Whether an extract's text is an Arazzo runtime expression (`$statusCode`, `$response.…`)
/// rather than a JSONPath (`$`, `$.a`, `$[0]`): a `$` followed by a letter.
bool IsRuntimeExpression(std::string_view text);

/// Checks an extract written as a runtime expression; false (and an error at `pos`) when it does
/// not parse.
bool CheckRuntimeExpression(std::string_view text, SourcePos pos, std::string_view where,
                            DiagnosticSink& sink);

}  // namespace verity::doc
