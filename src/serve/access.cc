#include "serve/access.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <sys/random.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <stdexcept>

#include "base/strings.h"

namespace verity::serve {

namespace {

bool IsLoopbackIpv4(const std::string& text) {
  in_addr address{};
  // inet_pton takes only the four-part dotted decimal form: "127.1", "0x7f.0.0.1" and
  // "127.0.0.1.nip.io" are names, not addresses.
  if (inet_pton(AF_INET, text.c_str(), &address) != 1) return false;
  return (ntohl(address.s_addr) >> 24) == 127;
}

bool IsLoopbackIpv6(const std::string& text) {
  in6_addr address{};
  return inet_pton(AF_INET6, text.c_str(), &address) == 1 &&
         IN6_IS_ADDR_LOOPBACK(&address);  // "::1", also spelt "0:0:0:0:0:0:0:1"
}

// "8080" → 8080; anything but 1-5 digits of a port number → -1.
int ParsePort(std::string_view text) {
  if (text.empty() || text.size() > 5) return -1;
  int port = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return -1;
    port = port * 10 + (c - '0');
  }
  return port <= 65535 ? port : -1;
}

uint64_t NowPlus(const Clock& clock, std::chrono::seconds lifetime) {
  return static_cast<uint64_t>(clock.NowMillis()) +
         static_cast<uint64_t>(std::chrono::milliseconds(lifetime).count());
}

}  // namespace

bool IsLoopbackHost(std::string_view host) {
  std::string text(host);
  return IEquals(text, "localhost") || IsLoopbackIpv4(text) || IsLoopbackIpv6(text);
}

bool IsOwnLoopbackHostHeader(std::string_view header, int own_port) {
  std::string host;
  std::string_view rest;
  if (header.starts_with("[")) {
    size_t close = header.find(']');
    if (close == std::string_view::npos) return false;
    host = std::string(header.substr(1, close - 1));
    if (!IsLoopbackIpv6(host)) return false;
    rest = header.substr(close + 1);
  } else {
    size_t colon = header.find(':');
    host = std::string(header.substr(0, colon));
    if (!IEquals(host, "localhost") && !IsLoopbackIpv4(host)) return false;
    rest = colon == std::string_view::npos ? std::string_view() : header.substr(colon);
  }
  if (rest.empty()) return own_port == 80;
  if (rest[0] != ':') return false;
  return ParsePort(rest.substr(1)) == own_port;
}

std::string BearerCredential(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer";
  authorization = Trim(authorization);
  if (authorization.size() <= kScheme.size() ||
      !IEquals(authorization.substr(0, kScheme.size()), kScheme)) {
    return "";
  }
  std::string_view rest = authorization.substr(kScheme.size());
  if (rest[0] != ' ' && rest[0] != '\t') return "";
  return std::string(Trim(rest));
}

bool SameSecret(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < a.size(); ++i) diff |= a[i] ^ (i < b.size() ? b[i] : 0);
  return diff == 0;
}

SessionStore::SessionStore(const Clock& clock, std::chrono::seconds lifetime, size_t max_sessions)
    : clock_(clock), lifetime_(lifetime), max_sessions_(std::max<size_t>(max_sessions, 1)) {}

std::string SessionStore::Create() {
  std::array<unsigned char, 32> bytes{};
  size_t filled = 0;
  while (filled < bytes.size()) {
    ssize_t n = getrandom(bytes.data() + filled, bytes.size() - filled, 0);
    if (n < 0 && errno == EINTR) continue;
    // Without the system's random source there is no safe session id; signing in must fail.
    if (n < 0) throw std::runtime_error("getrandom failed: no session can be created");
    filled += static_cast<size_t>(n);
  }
  std::string id;
  for (unsigned char b : bytes) id += fmt::format("{:02x}", b);
  uint64_t expires = NowPlus(clock_, lifetime_);
  std::lock_guard lock(mutex_);
  int64_t now = clock_.NowMillis();
  std::erase_if(expires_at_ms_, [now](const auto& entry) { return entry.second <= now; });
  while (expires_at_ms_.size() >= max_sessions_) {
    auto oldest =
        std::min_element(expires_at_ms_.begin(), expires_at_ms_.end(),
                         [](const auto& a, const auto& b) { return a.second < b.second; });
    expires_at_ms_.erase(oldest);
  }
  expires_at_ms_[id] = static_cast<int64_t>(expires);
  return id;
}

bool SessionStore::Valid(std::string_view id) {
  if (id.empty()) return false;
  std::lock_guard lock(mutex_);
  auto it = expires_at_ms_.find(std::string(id));
  if (it == expires_at_ms_.end()) return false;
  if (it->second <= clock_.NowMillis()) {
    expires_at_ms_.erase(it);
    return false;
  }
  return true;
}

void SessionStore::End(std::string_view id) {
  std::lock_guard lock(mutex_);
  expires_at_ms_.erase(std::string(id));
}

}  // namespace verity::serve
