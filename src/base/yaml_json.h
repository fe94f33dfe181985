// Typing YAML scalars with the YAML 1.2 core schema, and converting trees to JSON.
// Quoted scalars are always strings ("2026-01-05", "1"); plain ones are null, booleans, integers or
// floats when they look exactly like one, else strings (2026-01-05 and 4m52ud stay strings: the
// 1.2 core schema has no timestamps and no "leading digits" rule).
#pragma once

#include <string>

#include "base/json.h"
#include "base/yaml.h"

namespace verity::yaml {

/// The JSON value of a scalar node under the core schema.
Json ScalarToJson(const Node& scalar);

/// The JSON value of any node (mappings keep their order; keys are their scalar text).
Json ToJson(const Node& node);

/// ToJson, except that a scalar typed as a number or a boolean stays the text it was written as
/// (`3` is "3", `1.50` is "1.50", `true` is "true"), in lists too: a value compared with text, such
/// as a header's or a query parameter's, means what its author wrote.
Json ToJsonAsText(const Node& node);

/// "string", "integer", "number", "boolean", "null", "list" or "mapping": the type a node has after
/// typing, for diagnostics ("expected an integer, got string \"abc\"").
const char* TypeName(const Node& node);

/// A node for a diagnostic: its type and, for a scalar, its abbreviated text (`string "abc"`).
std::string Describe(const Node& node);

}  // namespace verity::yaml
