// Tokens too short to be masked inside text. A redactor that cut a one-letter dummy token out of
// every word would make the API's own messages unreadable, so a secret under
// http::SecretRedactor::kMinSubstring characters is masked only where it stands as a whole value;
// `verity config check` says so, naming the token and never its value.
#pragma once

#include <string_view>
#include <vector>

#include "run/config.h"

namespace verity::run {

inline constexpr std::string_view kShortSecretCode = "SHORT_SECRET";

/// One warning per resolved token shorter than http::SecretRedactor::kMinSubstring, in the
/// order of `tokens.values`. The message names neither the value nor its length.
std::vector<TokenProblem> ShortSecretWarnings(const ResolvedTokens& tokens);

}  // namespace verity::run
