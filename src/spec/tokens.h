// Which kinds of token an operation documents, read from its description ("Available for **Staff,
// App, and Directory tokens**") or, failing that, its `x-auth-type` extension. The vocabulary is
// the knowledge base's: staff, directory, client, business, app, admin, operator.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace verity::spec {

struct TokenDoc {
  std::vector<std::string> tokens;  // normalized, in documented order, unique
  bool found = false;
  std::string source;      // "description", "x-auth-type", "" when nothing was found
  bool is_legacy = false;  // x-auth-type names an application-user scheme (no token to choose)
};

/// Token types named by a description. Every pattern's matches accumulate.
std::vector<std::string> TokensFromDescription(std::string_view description);

/// Description first, `x-auth-type` (may be empty) as fallback.
TokenDoc DocumentedTokens(std::string_view description, std::string_view x_auth_type);

/// The code reported for an operation whose description documents no token.
inline constexpr const char* kMissingTokenDocumentation = "MISSING_TOKEN_DOCUMENTATION";

}  // namespace verity::spec
