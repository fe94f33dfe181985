// The dashboard's access rules alone: the Host header parsed (not prefix-matched), the bind-address
// check, the Bearer scheme in any case, and sessions that expire, end and never repeat.
#include "serve/access.h"

#include <gtest/gtest.h>

#include <set>

namespace verity::serve {
namespace {

TEST(LoopbackHost, OnlyWholeLoopbackLiteralsAndLocalhostAreLoopback) {
  for (const char* host :
       {"localhost", "LOCALHOST", "127.0.0.1", "127.255.0.9", "::1", "0:0:0:0:0:0:0:1"}) {
    EXPECT_TRUE(IsLoopbackHost(host)) << host;
  }
  for (const char* host :
       {"127.attacker.example", "127.0.0.1.nip.io", "127.1", "0x7f.0.0.1", "127.0.0.1 ",
        "128.0.0.1", "::2", "[::1]", "localhost.", "", "0.0.0.0", "::", "example.com"}) {
    EXPECT_FALSE(IsLoopbackHost(host)) << host;
  }
}

TEST(HostHeader, MustNameThisDashboardOnLoopbackWithItsOwnPort) {
  for (const char* header :
       {"localhost:8080", "127.0.0.1:8080", "127.9.9.9:8080", "[::1]:8080", "LocalHost:8080"}) {
    EXPECT_TRUE(IsOwnLoopbackHostHeader(header, 8080)) << header;
  }
  for (const char* header :
       {"127.attacker.example:8080", "127.0.0.1.nip.io:8080", "[::1].evil.com:8080",
        "[::1]evil:8080", "127.0.0.1:8081", "127.0.0.1:08080x", "127.0.0.1:", "127.0.0.1", "[::1]",
        "[::1", "::1:8080", "localhost:8080:1", "localhost :8080", "", "127.0.0.1:99999",
        "user@127.0.0.1:8080"}) {
    EXPECT_FALSE(IsOwnLoopbackHostHeader(header, 8080)) << header;
  }
  // A missing port is the scheme's default.
  EXPECT_TRUE(IsOwnLoopbackHostHeader("localhost", 80));
  EXPECT_TRUE(IsOwnLoopbackHostHeader("[::1]", 80));
  EXPECT_FALSE(IsOwnLoopbackHostHeader("localhost", 8080));
}

TEST(BearerCredential, TheSchemeIsCaseInsensitiveAndOthersGiveNothing) {
  EXPECT_EQ(BearerCredential("Bearer abc"), "abc");
  EXPECT_EQ(BearerCredential("bearer abc"), "abc");
  EXPECT_EQ(BearerCredential("BEARER   abc "), "abc");
  EXPECT_EQ(BearerCredential("Basic abc"), "");
  EXPECT_EQ(BearerCredential("Bearerabc"), "");
  EXPECT_EQ(BearerCredential("Bearer"), "");
  EXPECT_EQ(BearerCredential(""), "");
}

TEST(SameSecret, ComparesWholeValues) {
  EXPECT_TRUE(SameSecret("abc", "abc"));
  EXPECT_FALSE(SameSecret("abc", "abd"));
  EXPECT_FALSE(SameSecret("abc", "ab"));
  EXPECT_FALSE(SameSecret("", "a"));
}

TEST(SessionStore, SessionsAreRandomUnrelatedAndExpire) {
  FakeClock clock(1'000'000);
  SessionStore sessions(clock, std::chrono::seconds(60));
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string id = sessions.Create();
    EXPECT_EQ(id.size(), 64u);
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
    EXPECT_TRUE(seen.insert(id).second) << "an id came twice";
  }
  std::string id = sessions.Create();
  EXPECT_TRUE(sessions.Valid(id));
  EXPECT_FALSE(sessions.Valid(id.substr(1)));
  EXPECT_FALSE(sessions.Valid(""));
  clock.Set(1'000'000 + 59'999);
  EXPECT_TRUE(sessions.Valid(id));
  clock.Set(1'000'000 + 60'000);
  EXPECT_FALSE(sessions.Valid(id)) << "expired";
}

TEST(SessionStore, EndedSessionsAreInvalidAndTheOldestGoFirstAtTheCap) {
  FakeClock clock(0);
  SessionStore sessions(clock, std::chrono::seconds(3600), 3);
  std::string a = sessions.Create();
  clock.Set(1);
  std::string b = sessions.Create();
  sessions.End(b);
  EXPECT_FALSE(sessions.Valid(b));
  clock.Set(2);
  std::string c = sessions.Create();
  clock.Set(3);
  std::string d = sessions.Create();
  clock.Set(4);
  std::string e = sessions.Create();
  EXPECT_FALSE(sessions.Valid(a)) << "the oldest of four made room for the newest";
  EXPECT_TRUE(sessions.Valid(c));
  EXPECT_TRUE(sessions.Valid(d));
  EXPECT_TRUE(sessions.Valid(e));
}

}  // namespace
}  // namespace verity::serve
