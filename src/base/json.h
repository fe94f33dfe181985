// The JSON value type used across Verity. Ordered, so that bodies, reports and `kb show --json`
// keep the order in which the author wrote things.
#pragma once

#include <nlohmann/json.hpp>

namespace verity {
using Json = nlohmann::ordered_json;
}  // namespace verity
