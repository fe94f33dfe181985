// The values inside a rule (answers, headers, latencies, rate limits, durations and counts) and
// the problem list the whole reader reports to.
#include <fmt/format.h>

#include <algorithm>

#include "base/edit_distance.h"
#include "base/strings.h"
#include "base/units.h"
#include "base/yaml_json.h"
#include "mock/rules_reader.h"

namespace verity::mock::rules_internal {

using yaml::Node;

namespace {

// Longer waits are a hung connection, which drop_connection after a latency expresses better.
constexpr int64_t kMaxLatencyMs = 3'600'000;
constexpr int64_t kMaxRateLimitRequests = 1'000'000;

const std::vector<std::string_view> kResponseKeys = {"status", "body", "headers"};
const std::vector<std::string_view> kLatencyKeys = {"min", "max"};
const std::vector<std::string_view> kRateLimitKeys = {"requests", "per"};

// The headers that frame the answer on the connection: only the server writes them.
bool IsServersHeader(std::string_view name) {
  for (std::string_view framing :
       {"Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "Upgrade", "Trailer"}) {
    if (IEquals(name, framing)) return true;
  }
  return false;
}

// CR and LF would start a header of the rule's making in the answer (header injection); NUL and
// the other controls are not allowed in a header value either (RFC 9110 §5.5).
bool HasControlCharacter(std::string_view value) {
  return std::any_of(value.begin(), value.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u != '\t' && (u < 0x20 || u == 0x7f);
  });
}

bool ReadHeaders(const Node& v, const std::string& at, Problems& p, http::Headers* out) {
  if (!v.is_mapping()) {
    p.TypeError(v, at, "a mapping of header names to values");
    return false;
  }
  bool ok = true;
  for (auto [k, value] : p.Entries(v, at)) {
    std::string problem;
    if (!IsName(k->value, "!#$%&'*+-.^_`|~"))
      problem = fmt::format("{} is not a header name", Quoted(k->value));
    else if (IsServersHeader(k->value))
      problem = fmt::format("{} is the server's to set", k->value);
    else if (!value->is_scalar() || HasControlCharacter(value->value))
      problem =
          fmt::format("{}: expected one line of text, got {}", k->value, yaml::Describe(*value));
    if (!problem.empty()) {
      p.Add(k->pos, "MOCK_RULE_BAD_HEADER", fmt::format("{}: {}", at, problem));
      ok = false;
    } else {
      out->emplace_back(k->value, value->value);
    }
  }
  return ok;
}

}  // namespace

bool IsName(std::string_view s, std::string_view extra) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [&](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           extra.find(c) != std::string_view::npos;
  });
}

std::optional<Response> ReadResponse(const Node& v, const std::string& at, Problems& p) {
  if (!v.is_mapping()) {
    p.TypeError(v, at, "a mapping of status, body, headers");
    return std::nullopt;
  }
  Response r;
  bool ok = true;
  for (auto [k, value] : p.Entries(v, at)) {
    std::string field = at + "." + k->value;
    if (k->value == "status") {
      Json j = value->is_scalar() ? yaml::ScalarToJson(*value) : Json();
      // Not 1xx: an interim status is not an answer, and a 101 would tell the client the
      // connection now speaks another protocol.
      if (j.is_number_integer() && j.get<int64_t>() >= 200 && j.get<int64_t>() <= 599) {
        r.status = static_cast<int>(j.get<int64_t>());
      } else {
        p.Add(value->pos, "MOCK_RULE_BAD_STATUS",
              fmt::format("{}: expected an HTTP status from 200 to 599, got {}", field,
                          yaml::Describe(*value)));
        ok = false;
      }
    } else if (k->value == "body") {
      r.body = yaml::ToJson(*value);
    } else if (k->value == "headers") {
      ok = ReadHeaders(*value, field, p, &r.headers) && ok;
    } else {
      p.UnknownKey(*k, at, kResponseKeys);
      ok = false;
    }
  }
  if (!v.Find("status")) {
    p.Add(v.pos, "MOCK_RULE_MISSING_KEY", fmt::format("{}: status is required", at));
    ok = false;
  }
  if (!ok) return std::nullopt;
  if (r.body) {
    r.body_text = r.body->dump();
    bool typed = std::any_of(r.headers.begin(), r.headers.end(),
                             [](const auto& h) { return IEquals(h.first, "Content-Type"); });
    if (!typed) r.headers.insert(r.headers.begin(), {"Content-Type", "application/json"});
  }
  return r;
}

bool ReadLatency(const Node& v, const std::string& at, Problems& p, Rule* rule) {
  if (v.is_scalar()) {
    std::optional<int64_t> ms = ReadDuration(v, at, p);
    if (!ms) return false;
    rule->latency_min_ms = rule->latency_max_ms = *ms;
    return true;
  }
  if (!v.is_mapping()) {
    p.TypeError(v, at, "a duration, or {min, max}");
    return false;
  }
  std::optional<int64_t> min, max;
  bool ok = true;
  for (auto [k, value] : p.Entries(v, at)) {
    std::string field = at + "." + k->value;
    if (k->value == "min" || k->value == "max") {
      std::optional<int64_t> ms = ReadDuration(*value, field, p);
      (k->value == "min" ? min : max) = ms;
      ok = ok && ms.has_value();
    } else {
      p.UnknownKey(*k, at, kLatencyKeys);
      ok = false;
    }
  }
  if (!v.Find("min") || !v.Find("max")) {
    p.Add(
        v.pos, "MOCK_RULE_MISSING_KEY",
        fmt::format("{}: a range needs min and max (a fixed latency is written alone: 20ms)", at));
    return false;
  }
  if (!ok) return false;
  if (*min > *max) {
    p.Add(v.pos, "MOCK_RULE_BAD_DURATION",
          fmt::format("{}: min ({} ms) is above max ({} ms)", at, *min, *max));
    return false;
  }
  rule->latency_min_ms = *min;
  rule->latency_max_ms = *max;
  return true;
}

bool ReadRateLimit(const Node& v, const std::string& at, Problems& p, Rule* rule) {
  if (!v.is_mapping()) {
    p.TypeError(v, at, "a mapping {requests: N, per: DURATION}");
    return false;
  }
  RateLimitRule limit;
  bool ok = true;
  for (auto [k, value] : p.Entries(v, at)) {
    std::string field = at + "." + k->value;
    if (k->value == "requests") {
      std::optional<uint64_t> n = ReadCount(*value, field, 1, kMaxRateLimitRequests, p);
      if (n) limit.requests = static_cast<uint32_t>(*n);
      ok = ok && n.has_value();
    } else if (k->value == "per") {
      std::optional<int64_t> ms = ReadDuration(*value, field, p);
      if (ms && *ms == 0) {
        p.Add(value->pos, "MOCK_RULE_BAD_DURATION", fmt::format("{}: a window above 0", field));
        ms.reset();
      }
      if (ms) limit.per_ms = *ms;
      ok = ok && ms.has_value();
    } else {
      p.UnknownKey(*k, at, kRateLimitKeys);
      ok = false;
    }
  }
  if (!v.Find("requests") || !v.Find("per")) {
    p.Add(v.pos, "MOCK_RULE_MISSING_KEY",
          fmt::format("{}: needs requests and per, e.g. {{requests: 5, per: 1s}}", at));
    return false;
  }
  if (ok) rule->rate_limit = limit;
  return ok;
}

std::optional<int64_t> ReadDuration(const Node& v, std::string_view at, Problems& p) {
  std::optional<int64_t> ms = v.is_scalar() ? ParseDurationMs(v.value) : std::nullopt;
  if (!ms || *ms > kMaxLatencyMs) {
    p.Add(v.pos, "MOCK_RULE_BAD_DURATION",
          fmt::format("{}: {} is not a duration up to 1h (\"250ms\", \"2s\", \"1m\" or an "
                      "integer of milliseconds)",
                      at, yaml::Describe(v)));
    return std::nullopt;
  }
  return ms;
}

std::optional<uint64_t> ReadCount(const Node& v, std::string_view at, int64_t min, int64_t max,
                                  Problems& p) {
  Json j = v.is_scalar() ? yaml::ScalarToJson(v) : Json();
  if (!j.is_number_integer()) {
    p.TypeError(v, at, "an integer");
    return std::nullopt;
  }
  int64_t n = j.get<int64_t>();
  if (n < min || n > max) {
    p.Add(v.pos, "MOCK_RULE_BAD_NUMBER",
          fmt::format("{}: {} is not between {} and {}", at, n, min, max));
    return std::nullopt;
  }
  return static_cast<uint64_t>(n);
}

}  // namespace verity::mock::rules_internal
