// Who may use the dashboard: the rules the server applies before any route runs (docs/serve.md,
// "Security"). Kept apart from the HTTP plumbing so each rule can be read, and tested, alone.
//
// - Without an access token, loopback is the only guard, so a request must be addressed to this
//   dashboard on loopback: a page on another site whose name was made to resolve to 127.0.0.1
//   (DNS rebinding) still sends its own name as Host. The header is parsed, not prefix-matched:
//   "127.attacker.example", "127.0.0.1.nip.io" and "[::1].evil.com" are other sites' names.
// - With a token, a browser signs in once (POST /api/session) and gets a session id: random,
//   unrelated to the token (a stolen cookie or a log line never reveals the token), expiring, and
//   new at every sign-in (an id planted before sign-in is never honoured).
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/clock.h"

namespace verity::serve {

/// Whether `host` (a --host value or the host part of a Host header, IPv6 without brackets) names
/// the loopback interface: "localhost" (any case), an IPv4 literal in 127.0.0.0/8 written as four
/// decimal parts (the whole text must parse), or "::1".
bool IsLoopbackHost(std::string_view host);

/// Whether a Host header addresses this dashboard on loopback: a loopback host as above (IPv6 in
/// brackets) and exactly `own_port` (no port means 80). Anything malformed is false.
bool IsOwnLoopbackHostHeader(std::string_view header, int own_port);

/// The credential of an `Authorization: Bearer x` header (the scheme in any case, RFC 9110), or
/// "" for another scheme or none.
std::string BearerCredential(std::string_view authorization);

/// Compares without stopping at the first difference, so the time taken says nothing about how
/// much of a guess was right.
bool SameSecret(std::string_view a, std::string_view b);

/// The signed-in browsers of a dashboard. Thread-safe.
class SessionStore {
 public:
  /// Sessions end `lifetime` after sign-in; at most `max_sessions` live at once (the oldest goes).
  explicit SessionStore(const Clock& clock, std::chrono::seconds lifetime = std::chrono::hours(12),
                        size_t max_sessions = 256);

  /// A new session: 256 bits from the operating system's random source, as 64 hex digits.
  std::string Create();
  /// Whether `id` is a live session (not expired, not ended).
  bool Valid(std::string_view id);
  /// Ends a session; unknown ids are ignored.
  void End(std::string_view id);
  std::chrono::seconds lifetime() const { return lifetime_; }

 private:
  const Clock& clock_;
  const std::chrono::seconds lifetime_;
  const size_t max_sessions_;
  std::mutex mutex_;
  std::unordered_map<std::string, int64_t> expires_at_ms_;
};

}  // namespace verity::serve
