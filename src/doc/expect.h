// A step's `expect`: the statuses it accepts and its checks of the answer (docs/workflow-format.md,
// "Checks"). Each check is compiled once here, so a path that does not compile, an operator that
// does not exist or an operand of the wrong type is reported at its file position before anything
// runs, and the run only ever sees checks that can be evaluated.
#pragma once

#include <functional>
#include <string>

#include "base/yaml.h"
#include "doc/diagnostic.h"
#include "doc/model.h"

namespace verity::doc {

/// Records the placeholders of a value (the step reader's scan), `where` naming the part
/// ("expect/body/0/equals").
using PlaceholderScan = std::function<void(const yaml::Node& value, const std::string& where)>;

void ReadExpect(const yaml::Node& expect, Step* step, DiagnosticSink& sink,
                const PlaceholderScan& scan);

/// The keys `expect` knows, for "did you mean".
const std::vector<std::string_view>& KnownExpectKeys();

}  // namespace verity::doc
