// The mock server's behaviour rules (docs/mock-rules.md): which callers an endpoint accepts, and
// which faults it shows (forced answers, latency, dropped connections, rate limits), so recipes can
// be developed and Verity itself tested against the quirks of real gateways.
//
// This is the whole of the decision and none of the serving: the server asks a RuleEngine what to
// do with each request and does it. The engine is pure apart from its counters and the clock it is
// given, so tests replay any sequence of requests exactly, without sockets and without sleeping.
//
// Token values are fake demo values, but they still never appear in a message: problems name the
// entry and its line instead, because a rules file may one day hold a real one.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/clock.h"
#include "base/file_system.h"
#include "base/glob.h"
#include "base/json.h"
#include "base/status.h"
#include "expr/jsonpath.h"
#include "expr/predicate.h"
#include "http/request.h"
#include "mock/resource_rules.h"
#include "mock/security_check.h"
#include "net/request.h"

namespace verity::mock {

/// An answer the mock gives instead of serving the operation.
struct Response {
  int status = 200;
  http::Headers headers = {};     // Content-Type included when there is a body
  std::optional<Json> body = {};  // absent: an empty body
  std::string body_text = {};     // `body` serialized once, so serving it costs no formatting
};

/// How a token value becomes a type. Exactly one of value, prefix and env is set.
struct TokenMapping {
  std::string value = {};
  std::string prefix = {};
  std::string env = {};  // resolved when the engine is built
  std::string type = {};
  uint32_t line = 0;  // for messages, which never show the value
};

// Every member has an initializer, so designated initializers may name only what they need.
struct RateLimitRule {
  uint32_t requests = 0;  // admitted per window
  int64_t per_ms = 0;     // the sliding window
};

/// One condition of `match` on what the request carries (docs/mock-rules.md, "Conditions"): a
/// predicate of expr/predicate.h, the same engine as a recipe's checks, over a body value
/// (JSONPath), a query parameter or a header.
struct RequestCondition {
  enum class Subject { kBody, kQuery, kHeader };
  Subject subject = Subject::kBody;
  std::string target = {};                  // the JSONPath, parameter name or header name
  std::optional<expr::JsonPath> path = {};  // compiled, for kBody
  expr::Predicate predicate = {};
};

struct Rule {
  std::string name = {};  // as written, else "rules[N]"
  uint32_t line = 0;

  // What it applies to. Methods and token types are bit sets; the globs are alternatives.
  uint32_t methods = 0;          // bit per MethodBit(); all bits set for "*"
  std::vector<Glob> paths = {};  // base/glob.h: '*' matches any run, '/' included
  uint64_t token_types = ~0ull;  // bit per type id (Rules::token_types); all bits for "*"
  std::vector<RequestCondition> conditions = {};  // all must hold

  // Which of the matching requests: the n-th fires when n > after, (n - after) is a multiple of
  // every, and (n - after) / every <= times.
  uint64_t after = 0;
  uint64_t every = 1;
  std::optional<uint64_t> times = {};

  // What it does; a rule does at least one thing.
  std::optional<uint64_t> accept_tokens = {};         // bit set of type ids
  std::shared_ptr<const Response> unauthorized = {};  // the 401 for the others, built once
  std::shared_ptr<const Response> respond = {};
  bool drop_connection = false;
  std::optional<int64_t> latency_min_ms = {};
  int64_t latency_max_ms = 0;
  std::optional<RateLimitRule> rate_limit = {};

  bool Matches(uint32_t method_bit, std::string_view path, uint32_t type_id) const;
  /// Whether the n-th matching request (1-based) is one the rule applies to.
  bool Fires(uint64_t n) const;
};

/// The one value a security scheme of the specs accepts (docs/mock.md, "Security checks"): an API
/// key, a Bearer token, or `user:password` for Basic. Exactly one of value and env is set.
struct SchemeCredential {
  std::string scheme = {};
  std::string value = {};
  std::string env = {};  // resolved when the engine is built
  uint32_t line = 0;     // for messages, which never show the value
};

struct Rules {
  std::string file = {};
  uint64_t seed = 0;
  /// Type names by id; id 0 is "" (anonymous: no token, or one no mapping knows).
  std::vector<std::string> token_types = {""};
  std::vector<TokenMapping> tokens = {};
  std::vector<Rule> rules = {};
  std::vector<SchemeCredential> credentials = {};
  std::vector<ResourceRule> resources = {};

  /// The id of a type name ("anonymous" is 0), if it is one.
  std::optional<uint32_t> TypeId(std::string_view name) const;
};

/// At most this many token types (anonymous included): a rule keeps them as a 64-bit set.
inline constexpr size_t kMaxTokenTypes = 64;

/// The bit of an HTTP method (case-insensitive); methods outside RFC 9110 share one bit that only
/// "*" matches.
uint32_t MethodBit(std::string_view method);

/// The token an Authorization header carries, in the forms Verity sends: `Bearer X`, `Admin X`,
/// `Token token="X"`. Any other scheme, or no header, gives "".
std::string_view TokenFromAuthorization(std::string_view authorization);

/// Problems come back together, one `file:line:col: message [MOCK_RULE_...]` line each, in file
/// order: kParseError when the YAML itself is broken, else kInvalidArgument.
Result<Rules> ParseRules(std::string_view yaml, const std::string& file_name);
/// A missing file is kNotFound, an unreadable one kIoError.
Result<Rules> LoadRules(const FileSystem& fs, const std::string& path);

struct RequestInfo {
  std::string_view method = {};
  std::string_view path = {};           // a query string is ignored
  std::string_view authorization = {};  // the header's value; empty when absent
  // What conditions look at; only a rule with conditions reads them.
  std::string_view query = {};  // the raw query string, without '?'
  std::string_view body = {};
  const std::vector<net::Header>* headers = nullptr;
};

/// Whether every condition holds for the request. `body` is the request body parsed once for all
/// the rules (null when it is not JSON).
bool ConditionsHold(const std::vector<RequestCondition>& conditions, const RequestInfo& request,
                    const Json* body);

struct Decision {
  std::string token_type = {};  // "" for anonymous
  /// Send this instead of serving the operation; null: serve it normally.
  std::shared_ptr<const Response> response = {};
  int64_t latency_ms = 0;        // wait this long first, whatever happens next
  bool drop_connection = false;  // close the connection without answering
  /// An `accept_tokens` rule fired: it, not the operation's `security`, decides who may call.
  bool caller_decided = false;
  /// The rules that decided something, for the log; valid while the engine lives.
  std::array<std::string_view, 4> rules = {};
  size_t rule_count = 0;

  std::span<const std::string_view> applied() const { return {rules.data(), rule_count}; }
};

using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

struct EngineOptions {
  std::optional<uint64_t> seed = {};  // replaces the file's seed (the server's --seed)
  EnvLookup env = {};                 // for `env:` tokens; unset: the process environment
};

/// Thread-safe: Decide may be called from any number of threads at once. Counters are exact (each
/// request gets its own number per rule); a rate limit's window is under its own lock.
class RuleEngine {
 public:
  RuleEngine(Rules rules, const Clock& clock, EngineOptions options = {});
  RuleEngine(const RuleEngine&) = delete;
  RuleEngine& operator=(const RuleEngine&) = delete;
  ~RuleEngine();

  Decision Decide(const RequestInfo& request);

  const Rules& rules() const { return rules_; }
  /// What made a token mapping or a credential useless (an unset variable), naming the variable,
  /// never a value.
  const std::vector<std::string>& warnings() const { return warnings_; }
  /// The values `credentials` accepts, by scheme name; nullopt (an unset variable): none.
  const AcceptedCredentials& credentials() const { return credentials_; }

 private:
  struct Window;
  uint32_t TypeOf(std::string_view token) const;
  std::shared_ptr<const Response> Admit(size_t rule_index);

  Rules rules_;
  const Clock& clock_;
  uint64_t seed_;
  std::vector<std::string> warnings_;
  AcceptedCredentials credentials_;
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>> exact_;
  std::vector<std::pair<std::string, uint32_t>> prefixes_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;
  std::vector<std::unique_ptr<Window>> windows_;  // per rule; null without a rate limit
};

}  // namespace verity::mock
