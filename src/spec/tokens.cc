#include "spec/tokens.h"

#include <re2/re2.h>

#include <algorithm>
#include <array>

#include "base/strings.h"

namespace verity::spec {
namespace {

// One captured phrase ("Staff, App, and Directory tokens") → normalized kinds, appended in order.
void AddKinds(std::string_view phrase, std::vector<std::string>& out) {
  std::string text = ToLower(phrase);
  // Separators: ",", "&", " and ", " or ", "/". Words "token(s)" and "only" carry no kind.
  for (std::string_view sep : {" and ", " or ", "&", "/"}) {
    size_t at;
    while ((at = text.find(sep)) != std::string::npos) text.replace(at, sep.size(), ",");
  }
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    std::string part;
    for (std::string_view word : Split(std::string_view(text).substr(start, comma - start), ' ')) {
      if (word.empty() || word == "token" || word == "tokens" || word == "only" || word == "and" ||
          word == "or") {
        continue;
      }
      if (!part.empty()) part += ' ';
      part += word;
    }
    start = comma + 1;
    std::string kind;
    if (part == "staff" || part == "directory" || part == "client" || part == "business" ||
        part == "operator") {
      kind = part;
    } else if (part == "app" || part == "application" || part == "appstaff" ||
               part == "app staff") {
      kind = "app";
    } else if (part == "internal" || part == "admin") {
      kind = "admin";
    }
    if (!kind.empty() && std::find(out.begin(), out.end(), kind) == out.end()) {
      out.push_back(std::move(kind));
    }
  }
}

const std::array<const RE2*, 4>& Patterns() {
  static const std::array<const RE2*, 4> patterns = [] {
    RE2::Options options;
    options.set_case_sensitive(false);
    options.set_log_errors(false);
    return std::array<const RE2*, 4>{
        // "Available for **Staff tokens**", "Only available for **Client**"
        new RE2(R"(available for \*\*([^*]+)\*\*)", options),
        // "**Available for Staff tokens only**", "**Only available for App**"
        new RE2(R"(\*\*(?:only )?available for ([^*]+)\*\*)", options),
        // Plain prose: "available for staff and app tokens"
        new RE2(R"(available for ([a-z, &]+?) tokens?\b)", options),
        // "Available for: Staff, Directory" (a colon, the rest of the line)
        new RE2(R"(available for:\s*([a-z, &]+))", options),
    };
  }();
  return patterns;
}

}  // namespace

std::vector<std::string> TokensFromDescription(std::string_view description) {
  std::vector<std::string> kinds;
  for (const RE2* pattern : Patterns()) {
    re2::StringPiece input(description.data(), description.size());
    re2::StringPiece captured;
    while (RE2::FindAndConsume(&input, *pattern, &captured)) {
      AddKinds(std::string_view(captured.data(), captured.size()), kinds);
    }
  }
  return kinds;
}

TokenDoc DocumentedTokens(std::string_view description, std::string_view x_auth_type) {
  TokenDoc doc;
  doc.tokens = TokensFromDescription(description);
  if (!doc.tokens.empty()) {
    doc.found = true;
    doc.source = "description";
    return doc;
  }
  std::string auth = ToLower(Trim(x_auth_type));
  if (auth.empty()) return doc;
  if (auth == "application & application user" || auth == "application user" || auth == "none") {
    doc.is_legacy = true;
    doc.source = "x-auth-type";
    return doc;
  }
  AddKinds(auth, doc.tokens);
  if (!doc.tokens.empty()) {
    doc.found = true;
    doc.source = "x-auth-type";
  }
  return doc;
}

}  // namespace verity::spec
