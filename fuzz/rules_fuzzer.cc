// Feeds arbitrary bytes to the mock's rules file reader (docs/mock-rules.md) and, when they are a
// valid rules file, lets the engine decide a handful of requests: each method bit, matching and
// unmatched paths, each Authorization form the engine reads. Environment tokens come from a fixed
// lookup, the clock is fake. A crash, a sanitizer report, a leak, a hang or an exception fails the
// run, and so does a decision that answers and drops the connection at once.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "mock/rules.h"

namespace {

namespace mock = verity::mock;

constexpr std::string_view kMethods[] = {"GET", "POST", "DELETE", "BREW"};
constexpr std::string_view kPaths[] = {"/", "/a", "/a/b/c", "/x?y=1", ""};
constexpr std::string_view kAuthorizations[] = {"", "Bearer t1", "Admin t2", "Token token=\"t3\"",
                                                "bearer staff-token"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  verity::Result<mock::Rules> rules = mock::ParseRules(text, "mock/rules.yaml");
  if (!rules.ok()) return 0;
  verity::FakeClock clock(1770559080000);
  mock::EngineOptions options;
  options.seed = 7;
  options.env = [](const std::string& name) -> std::optional<std::string> {
    if (name.empty() || name[0] == 'U') return std::nullopt;  // some variables are unset
    return "env-" + name;
  };
  mock::RuleEngine engine(std::move(*rules), clock, options);
  for (std::string_view method : kMethods) {
    for (std::string_view path : kPaths) {
      for (std::string_view authorization : kAuthorizations) {
        mock::Decision d = engine.Decide({method, path, authorization});
        if (d.drop_connection && d.response) abort();
        if (d.latency_ms < 0) abort();
        clock.Set(clock.NowMillis() + 250);
      }
    }
  }
  return 0;
}
