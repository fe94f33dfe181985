// Deciding what the mock does with a request: globs, methods and tokens compiled at parse time,
// one pass over the rules per request, and state that is only atomics and one small lock per rate
// limit, so that the server's worker threads never wait on each other for the common case.
#include "mock/rules.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <mutex>

#include "base/random.h"
#include "base/strings.h"

namespace verity::mock {

namespace {

constexpr std::string_view kMethods[] = {"GET",    "HEAD",    "POST",  "PUT",    "PATCH",
                                         "DELETE", "OPTIONS", "TRACE", "CONNECT"};
constexpr uint32_t kOtherMethodBit = 1u << std::size(kMethods);

std::optional<std::string_view> TokenParameter(std::string_view rest) {
  // RFC 7235 auth-params, as Rails writes them: token="abc", nonce="def"
  if (rest.size() < 6 || !IEquals(rest.substr(0, 6), "token=")) return std::nullopt;
  std::string_view value = rest.substr(6);
  if (value.starts_with('"')) {
    size_t close = value.find('"', 1);
    if (close == std::string_view::npos) return std::string_view();
    return value.substr(1, close - 1);
  }
  return value.substr(0, value.find_first_of(", \t"));
}

}  // namespace

uint32_t MethodBit(std::string_view method) {
  for (size_t i = 0; i < std::size(kMethods); ++i)
    if (IEquals(method, kMethods[i])) return 1u << i;
  return kOtherMethodBit;
}

std::string_view TokenFromAuthorization(std::string_view authorization) {
  std::string_view text = Trim(authorization);
  size_t space = text.find_first_of(" \t");
  if (space == std::string_view::npos) return {};
  std::string_view scheme = text.substr(0, space);
  std::string_view rest = Trim(text.substr(space + 1));
  if (IEquals(scheme, "Bearer") || IEquals(scheme, "Admin")) return rest;
  if (IEquals(scheme, "Token")) return TokenParameter(rest).value_or(rest);
  return {};
}

bool Rule::Matches(uint32_t method_bit, std::string_view path, uint32_t type_id) const {
  if (!(methods & method_bit) || !(token_types & (1ull << type_id))) return false;
  for (const Glob& glob : paths)
    if (glob.Matches(path)) return true;
  return false;
}

bool Rule::Fires(uint64_t n) const {
  if (n <= after) return false;
  uint64_t m = n - after;
  if (m % every != 0) return false;
  return !times || m / every <= *times;
}

std::optional<uint32_t> Rules::TypeId(std::string_view name) const {
  if (name == "anonymous") return 0;
  for (size_t i = 1; i < token_types.size(); ++i)
    if (token_types[i] == name) return static_cast<uint32_t>(i);
  return std::nullopt;
}

// A sliding log of the admitted requests' times, as a ring of `requests` slots: when it is full,
// the oldest entry alone says whether the window has room.
struct RuleEngine::Window {
  std::mutex mu;
  std::vector<int64_t> times;
  size_t head = 0;
  size_t size = 0;
};

RuleEngine::RuleEngine(Rules rules, const Clock& clock, EngineOptions options)
    : rules_(std::move(rules)), clock_(clock), seed_(options.seed.value_or(rules_.seed)) {
  EnvLookup env = options.env;
  if (!env)
    env = [](const std::string& name) -> std::optional<std::string> {
      const char* value = std::getenv(name.c_str());
      if (value == nullptr) return std::nullopt;
      return std::string(value);
    };
  for (const TokenMapping& mapping : rules_.tokens) {
    uint32_t id = rules_.TypeId(mapping.type).value_or(0);
    if (!mapping.prefix.empty()) {
      prefixes_.emplace_back(mapping.prefix, id);
    } else if (!mapping.env.empty()) {
      std::optional<std::string> value = env(mapping.env);
      std::string_view trimmed = value ? Trim(*value) : std::string_view();
      if (trimmed.empty())
        warnings_.push_back(fmt::format("{}:{}: tokens: {} is not set, so no token is {} token",
                                        rules_.file, mapping.line, mapping.env,
                                        WithArticle(mapping.type)));
      else
        exact_.emplace(std::string(trimmed), id);
    } else {
      exact_.emplace(mapping.value, id);
    }
  }
  for (const SchemeCredential& credential : rules_.credentials) {
    std::optional<std::string> value = credential.value;
    if (!credential.env.empty()) {
      value = env(credential.env);
      if (value && Trim(*value).empty()) value.reset();
      if (!value)
        warnings_.push_back(fmt::format(
            "{}:{}: credentials: {} is not set, so security scheme \"{}\" accepts no credential",
            rules_.file, credential.line, credential.env, credential.scheme));
      else
        value = std::string(Trim(*value));
    }
    credentials_.emplace(credential.scheme, std::move(value));
  }
  counts_ = std::make_unique<std::atomic<uint64_t>[]>(rules_.rules.size());
  for (size_t i = 0; i < rules_.rules.size(); ++i) counts_[i].store(0);
  windows_.resize(rules_.rules.size());
  for (size_t i = 0; i < rules_.rules.size(); ++i) {
    if (const auto& limit = rules_.rules[i].rate_limit) {
      windows_[i] = std::make_unique<Window>();
      windows_[i]->times.resize(limit->requests);
    }
  }
}

RuleEngine::~RuleEngine() = default;

uint32_t RuleEngine::TypeOf(std::string_view token) const {
  if (token.empty()) return 0;
  if (auto it = exact_.find(token); it != exact_.end()) return it->second;
  for (const auto& [prefix, id] : prefixes_)
    if (token.starts_with(prefix)) return id;
  return 0;
}

std::shared_ptr<const Response> RuleEngine::Admit(size_t rule_index) {
  const RateLimitRule& limit = *rules_.rules[rule_index].rate_limit;
  Window& w = *windows_[rule_index];
  int64_t wait_ms;
  {
    std::lock_guard lock(w.mu);
    int64_t now = clock_.NowMillis();
    size_t capacity = w.times.size();
    if (w.size < capacity) {
      w.times[(w.head + w.size) % capacity] = now;
      ++w.size;
      return nullptr;
    }
    int64_t frees_at = w.times[w.head] + limit.per_ms;
    if (frees_at <= now) {
      w.times[w.head] = now;  // the oldest leaves, the newest takes its slot at the ring's end
      w.head = (w.head + 1) % capacity;
      return nullptr;
    }
    // A clock stepped backwards could promise a wait longer than the window; never say more.
    wait_ms = std::min(frees_at - now, limit.per_ms);
  }
  // Whole seconds, rounded up: a client that waits as told finds the slot free.
  int64_t seconds = (wait_ms + 999) / 1000;
  auto response = std::make_shared<Response>();
  response->status = 429;
  response->headers = {{"Content-Type", "application/json"},
                       {"Retry-After", std::to_string(seconds)}};
  response->body = Json{{"error", "Too Many Requests"},
                        {"message", fmt::format("at most {} requests per {} ms; retry in {} s",
                                                limit.requests, limit.per_ms, seconds)}};
  response->body_text = response->body->dump();
  return response;
}

Decision RuleEngine::Decide(const RequestInfo& request) {
  Decision decision;
  uint32_t type = TypeOf(TokenFromAuthorization(request.authorization));
  decision.token_type = rules_.token_types[type];
  std::string_view path = request.path.substr(0, request.path.find_first_of("?#"));
  uint32_t method = MethodBit(request.method);

  // First firing rule per concern. Every matching rule counts the request, fired or not, so a
  // rule's numbering never depends on the rules around it.
  constexpr size_t kNone = SIZE_MAX;
  size_t auth = kNone, limit = kNone, outcome = kNone, latency = kNone;
  uint64_t latency_n = 0;
  // Parsed once, and only when a rule with conditions on it matched the rest.
  std::optional<std::optional<Json>> body;
  for (size_t i = 0; i < rules_.rules.size(); ++i) {
    const Rule& rule = rules_.rules[i];
    if (!rule.Matches(method, path, type)) continue;
    if (!rule.conditions.empty()) {
      if (!body) {
        Result<Json> parsed = ParseJson(request.body);
        body = parsed.ok() ? std::optional<Json>(std::move(*parsed)) : std::nullopt;
      }
      if (!ConditionsHold(rule.conditions, request, *body ? &**body : nullptr)) continue;
    }
    uint64_t n = counts_[i].fetch_add(1, std::memory_order_relaxed) + 1;
    if (!rule.Fires(n)) continue;
    if (rule.accept_tokens && auth == kNone) auth = i;
    if (rule.rate_limit && limit == kNone) limit = i;
    if ((rule.respond || rule.drop_connection) && outcome == kNone) outcome = i;
    if (rule.latency_min_ms && latency == kNone) {
      latency = i;
      latency_n = n;
    }
  }

  auto note = [&](size_t i) {
    std::string_view name = rules_.rules[i].name;
    for (size_t k = 0; k < decision.rule_count; ++k)
      if (decision.rules[k] == name) return;
    decision.rules[decision.rule_count++] = name;
  };
  if (latency != kNone) {
    const Rule& rule = rules_.rules[latency];
    decision.latency_ms = *rule.latency_min_ms;
    if (rule.latency_max_ms > *rule.latency_min_ms) {
      // Seeded by the rule's position and the request's number: the same sequence of requests
      // waits the same times in every run, whatever the threads' interleaving.
      SeededRandom random(seed_ + (latency + 1) * 0x9E3779B97F4A7C15ull +
                          latency_n * 0xBF58476D1CE4E5B9ull);
      uint64_t span = static_cast<uint64_t>(rule.latency_max_ms - *rule.latency_min_ms) + 1;
      decision.latency_ms += static_cast<int64_t>(random.Below(span));
    }
    note(latency);
  }
  // A gateway's order: who is calling, then how often, then what the backend does.
  if (auth != kNone) {
    note(auth);
    decision.caller_decided = true;
    const Rule& rule = rules_.rules[auth];
    if (!(*rule.accept_tokens & (1ull << type))) {
      decision.response = rule.unauthorized;
      return decision;
    }
  }
  if (limit != kNone) {
    note(limit);
    if (auto refused = Admit(limit)) {
      decision.response = std::move(refused);
      return decision;
    }
  }
  if (outcome != kNone) {
    note(outcome);
    const Rule& rule = rules_.rules[outcome];
    if (rule.drop_connection)
      decision.drop_connection = true;
    else
      decision.response = rule.respond;
  }
  return decision;
}

}  // namespace verity::mock
