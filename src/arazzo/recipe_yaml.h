// YAML text for the recipes a workflow becomes: block mappings and lists, every scalar written
// so that the YAML 1.2 core schema reads back exactly the JSON value it came from.
#pragma once

#include <string>
#include <string_view>

#include "base/json.h"

namespace verity::arazzo {

/// A scalar, an empty container or a list of scalars on one line: a string plain when it cannot be
/// read as anything else (`GET`, `find-pet`, `application/json`), else double-quoted with escapes.
std::string YamlScalar(const Json& value);

/// `value` as a block at `indent` spaces, one line per scalar, ending in a newline. A scalar or an
/// empty container gives its one-line form and a newline.
std::string YamlBlock(const Json& value, int indent);

/// `key: value` at `indent`: on one line for a scalar or an empty container, else the key and the
/// block below it.
std::string YamlEntry(std::string_view key, const Json& value, int indent);

}  // namespace verity::arazzo
