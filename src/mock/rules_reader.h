// Inside the rules file reader: the problem list every part reports to, and the readers of the
// values a rule holds (answers, latencies, rate limits, durations, counts) that rules_parse.cc
// calls. Not part of the mock module's interface; include mock/rules.h instead.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/source_pos.h"
#include "base/yaml.h"
#include "base/yaml_problems.h"
#include "mock/rules.h"

namespace verity::mock::rules_internal {

using yaml::JoinNames;
using yaml::Problem;
using yaml::Problems;

/// Letters, digits and the characters of `extra`; not empty.
bool IsName(std::string_view s, std::string_view extra);

/// {status, body, headers}; the body serialized, with a JSON Content-Type unless one is given.
std::optional<Response> ReadResponse(const yaml::Node& v, const std::string& at, Problems& p);
/// A duration or {min, max}. Sets the rule's latency only when the whole value is valid.
bool ReadLatency(const yaml::Node& v, const std::string& at, Problems& p, Rule* rule);
/// {requests, per}. Sets the rule's rate limit only when the whole value is valid.
bool ReadRateLimit(const yaml::Node& v, const std::string& at, Problems& p, Rule* rule);
/// `match.body`, `match.query` or `match.headers` (`key`): conditions on what a request carries,
/// each compiled onto the predicate engine; problems are MOCK_RULE_CONDITION at their position.
bool ReadConditions(const yaml::Node& v, std::string_view key, const std::string& at, Problems& p,
                    std::vector<RequestCondition>* out);
/// `resources` (mock/resource_rules.h): problems are MOCK_RULE_FILTER for a filter that cannot
/// work (a pattern or a path that does not compile, an unknown operator).
bool ReadResources(const yaml::Node& v, Problems& p, std::vector<ResourceRule>* out);
/// A duration from 0 to 1h in milliseconds.
std::optional<int64_t> ReadDuration(const yaml::Node& v, std::string_view at, Problems& p);
/// An integer from `min` to `max`.
std::optional<uint64_t> ReadCount(const yaml::Node& v, std::string_view at, int64_t min,
                                  int64_t max, Problems& p);

}  // namespace verity::mock::rules_internal
