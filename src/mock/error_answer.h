// The mock's answer to an invalid request. A spec that documents its error body (for the status
// the mock answers, else its range or `default`) gets that shape, so the answer validates against
// the spec it serves; the issues' text goes into the documented string most like a message.
// The answer is `{"errors": [{"location", "pointer", "code", "message"}]}` without a documented
// JSON error body, and whenever the documented schema accepts that list.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/json.h"
#include "mock/placement.h"
#include "mock/request_check.h"
#include "spec/operation.h"

namespace verity::mock {

/// An operation's documented error body, prepared once.
struct ErrorShape {
  spec::SchemaRef schema;
  Json body;                 // a value valid for `schema`
  std::string message_path;  // JSON Pointer of the string that carries the error text; "" none
};

/// The shape of `operation`'s documented JSON body for `status` (exact, range, `default`), or
/// nullopt when it documents none or no valid value could be made for it.
std::optional<ErrorShape> DocumentedErrorShape(spec::SpecSet& specs, ValidatorPool& validators,
                                               const spec::Operation& operation, int status);

/// The body answering `issues`: the `errors` list when there is no shape or the shape's schema
/// accepts it; else `shape`'s body with the issues' text at its message string when the result
/// still validates, else the body as prepared.
Json ErrorAnswerBody(const ErrorShape* shape, ValidatorPool& validators,
                     const std::vector<RequestIssue>& issues);

}  // namespace verity::mock
