#include "run/short_secrets.h"

#include <fmt/format.h>

#include "http/mask.h"

namespace verity::run {

std::vector<TokenProblem> ShortSecretWarnings(const ResolvedTokens& tokens) {
  constexpr size_t kMin = http::SecretRedactor::kMinSubstring;
  std::vector<TokenProblem> out;
  for (const auto& [type, value] : tokens.values) {
    if (value.size() >= kMin) continue;
    out.push_back(
        {type, fmt::format("the value is shorter than {} characters, too short to mask safely: "
                           "outputs mask it only where it stands as a whole value (a quoted "
                           "string, a query, path or header value, a Bearer credential), never "
                           "inside other text; use a value of {} characters or more, even for a "
                           "dummy token",
                           kMin, kMin)});
  }
  // A token request's secrets show nowhere either; the same limit applies to them.
  for (const auto& [type, inputs] : tokens.grants) {
    for (const std::string* value : {&inputs.client_secret, &inputs.password}) {
      if (value->empty() || value->size() >= kMin) continue;
      out.push_back(
          {type, fmt::format("its {} is shorter than {} characters, too short to mask "
                             "safely: outputs mask it only where it stands as a whole "
                             "value",
                             value == &inputs.password ? "password" : "client secret", kMin)});
    }
  }
  return out;
}

}  // namespace verity::run
