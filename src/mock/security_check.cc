#include "mock/security_check.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>

#include "base/strings.h"

namespace verity::mock {
namespace {

std::string_view FirstHeader(std::span<const net::Header> headers, std::string_view name) {
  for (const net::Header& header : headers) {
    if (IEquals(header.name, name)) return header.value;
  }
  return {};
}

// The credentials after `scheme` in an Authorization value (`Bearer abc` → "abc"), or nullopt
// when the value uses another scheme. Scheme names are case-insensitive.
std::optional<std::string_view> AfterScheme(std::string_view authorization,
                                            std::string_view scheme) {
  authorization = Trim(authorization);
  if (authorization.size() < scheme.size() ||
      !IEquals(authorization.substr(0, scheme.size()), scheme))
    return std::nullopt;
  std::string_view rest = authorization.substr(scheme.size());
  if (!rest.empty() && rest.front() != ' ') return std::nullopt;
  return Trim(rest);
}

// token68: the form a bearer token takes in a header.
bool IsToken68(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (!(std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/'))
      break;
    ++i;
  }
  if (i == 0) return false;
  while (i < text.size() && text[i] == '=') ++i;
  return i == text.size();
}

// The cookie's value; empty when it is not sent.
std::string_view CookieValue(std::span<const net::Header> headers, std::string_view name) {
  for (const net::Header& header : headers) {
    if (!IEquals(header.name, "Cookie")) continue;
    for (std::string_view pair : Split(header.value, ';')) {
      pair = Trim(pair);
      size_t eq = pair.find('=');
      if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
        std::string_view value = Trim(pair.substr(eq + 1));
        if (!value.empty()) return value;
      }
    }
  }
  return {};
}

enum class Presence { kPresent, kMissing, kMalformed, kWrong };

struct Finding {
  Presence presence = Presence::kPresent;
  RequestIssue issue;  // when not present
  std::string challenge;
};

std::string HttpSchemeTitle(std::string_view scheme) {
  std::string title = ToLower(scheme);
  if (!title.empty())
    title[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(title[0])));
  return title;
}

// `expected`: the one value accepted (for Basic, `user:password`); null: any well-formed one.
Finding CheckAuthorization(std::string_view authorization, std::string_view scheme_name,
                           std::string_view http_scheme,
                           const std::optional<std::string>* expected) {
  Finding out;
  std::string title = HttpSchemeTitle(http_scheme);
  out.challenge = fmt::format("{} realm=\"{}\"", title, kMockRealm);
  out.issue.location = "header";
  out.issue.pointer = "/Authorization";
  std::optional<std::string_view> credentials = AfterScheme(authorization, title);
  if (!credentials || credentials->empty()) {
    out.presence = Presence::kMissing;
    out.issue.code = kMissingCredential;
    out.issue.message = fmt::format("security scheme {} expects an Authorization: {} header",
                                    Quoted(scheme_name), title);
    return out;
  }
  bool well_formed = true;
  std::string value(*credentials);
  if (http_scheme == "bearer") {
    well_formed = IsToken68(*credentials);
  } else if (http_scheme == "basic") {
    well_formed = DecodeBase64(*credentials, &value) && value.find(':') != std::string::npos;
  }
  if (well_formed && expected && *expected != value) {
    out.presence = Presence::kWrong;
    out.issue.code = kWrongCredential;
    out.issue.message = fmt::format(
        "security scheme {}: the Authorization: {} credential is not the one the mock's rules "
        "accept",
        Quoted(scheme_name), title);
    return out;
  }
  if (!well_formed) {
    out.presence = Presence::kMalformed;
    out.issue.code = kMalformedCredential;
    out.issue.message =
        http_scheme == "basic"
            ? fmt::format(
                  "security scheme {} expects Authorization: Basic with base64 of "
                  "user:password",
                  Quoted(scheme_name))
            : fmt::format(
                  "security scheme {} expects Authorization: Bearer with a token of "
                  "letters, digits and -._~+/ (then = padding)",
                  Quoted(scheme_name));
  }
  return out;
}

Finding CheckApiKey(const spec::SecurityScheme& scheme, std::span<const net::Header> headers,
                    const std::vector<std::pair<std::string, std::string>>& query,
                    const std::optional<std::string>* expected) {
  Finding out;
  std::string_view value;
  std::string where;
  if (scheme.in == "query") {
    for (const auto& [name, text] : query) {
      if (name == scheme.param_name && !text.empty()) {
        value = text;
        break;
      }
    }
    where = "query parameter";
  } else if (scheme.in == "cookie") {
    value = CookieValue(headers, scheme.param_name);
    where = "cookie";
  } else {
    value = Trim(FirstHeader(headers, scheme.param_name));
    where = "header";
  }
  out.challenge = fmt::format("ApiKey realm=\"{}\", in=\"{}\", name={}", kMockRealm,
                              scheme.in.empty() ? "header" : scheme.in, Quoted(scheme.param_name));
  out.issue.location = scheme.in == "query" || scheme.in == "cookie" ? scheme.in : "header";
  out.issue.pointer = "/" + scheme.param_name;
  if (value.empty()) {
    out.presence = Presence::kMissing;
    out.issue.code = kMissingCredential;
    out.issue.message = fmt::format("security scheme {} expects an API key in the {} {}",
                                    Quoted(scheme.name), where, Quoted(scheme.param_name));
  } else if (expected && *expected != value) {
    out.presence = Presence::kWrong;
    out.issue.code = kWrongCredential;
    out.issue.message = fmt::format(
        "security scheme {}: the API key in the {} {} is not the one the mock's rules "
        "accept",
        Quoted(scheme.name), where, Quoted(scheme.param_name));
  }
  return out;
}

Finding CheckUse(const spec::SecurityUse& use, std::span<const net::Header> headers,
                 const std::vector<std::pair<std::string, std::string>>& query,
                 const AcceptedCredentials* accepted) {
  // What cannot be checked here is taken as shown: the catalog reports an undefined scheme, and a
  // client certificate never reaches an HTTP handler.
  if (!use.scheme) return {};
  const spec::SecurityScheme& scheme = *use.scheme;
  const std::optional<std::string>* expected = nullptr;
  if (accepted) {
    auto it = accepted->find(scheme.name);
    if (it != accepted->end()) expected = &it->second;
  }
  switch (scheme.kind) {
    case spec::SecurityKind::kApiKey:
      return CheckApiKey(scheme, headers, query, expected);
    case spec::SecurityKind::kHttp:
      if (scheme.http_scheme.empty()) return {};
      return CheckAuthorization(FirstHeader(headers, "Authorization"), scheme.name,
                                scheme.http_scheme, expected);
    case spec::SecurityKind::kOAuth2:
    case spec::SecurityKind::kOpenIdConnect:
      return CheckAuthorization(FirstHeader(headers, "Authorization"), scheme.name, "bearer",
                                expected);
    case spec::SecurityKind::kMutualTls:
    case spec::SecurityKind::kUnknown:
      break;
  }
  return {};
}

}  // namespace

std::string RedactQuery(std::string_view target, const std::vector<std::string>& names) {
  size_t q = target.find('?');
  if (names.empty() || q == std::string_view::npos) return std::string(target);
  std::string out(target.substr(0, q + 1));
  std::string_view query = target.substr(q + 1);
  bool first = true;
  for (std::string_view pair : Split(query, '&')) {
    if (!first) out += '&';
    first = false;
    size_t eq = pair.find('=');
    std::string name = PercentDecode(pair.substr(0, eq), true);
    if (eq != std::string_view::npos &&
        std::find(names.begin(), names.end(), name) != names.end()) {
      out.append(pair.substr(0, eq + 1));
      out += "***";
    } else {
      out.append(pair);
    }
  }
  return out;
}

bool DecodeBase64(std::string_view text, std::string* out) {
  out->clear();
  if (text.empty() || text.size() % 4 != 0) return false;
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  size_t padding = 0;
  if (text.back() == '=') ++padding;
  if (text.size() >= 2 && text[text.size() - 2] == '=') ++padding;
  uint32_t bits = 0;
  int count = 0;
  for (size_t i = 0; i < text.size() - padding; ++i) {
    int v = value(text[i]);
    if (v < 0) return false;
    bits = (bits << 6) | static_cast<uint32_t>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out->push_back(static_cast<char>((bits >> count) & 0xFF));
    }
  }
  // The bits left over from a padded group must be zero, as an encoder writes them.
  return (bits & ((1u << count) - 1)) == 0;
}

SecurityVerdict CheckSecurity(const spec::OperationSecurity& security,
                              std::span<const net::Header> headers,
                              const std::vector<std::pair<std::string, std::string>>& query,
                              const AcceptedCredentials* accepted) {
  SecurityVerdict verdict;
  if (!security.declared || security.AllowsAnonymous()) return verdict;
  std::vector<std::string> named;  // schemes already reported, by name
  for (const spec::SecurityAlternative& alternative : security.alternatives) {
    bool satisfied = true;
    std::vector<Finding> findings;
    for (const spec::SecurityUse& use : alternative) {
      Finding finding = CheckUse(use, headers, query, accepted);
      if (finding.presence != Presence::kPresent) satisfied = false;
      if (std::find(named.begin(), named.end(), use.name) != named.end()) continue;
      named.push_back(use.name);
      findings.push_back(std::move(finding));
    }
    if (satisfied) return SecurityVerdict{};
    verdict.admitted = false;
    for (Finding& finding : findings) {
      if (!finding.challenge.empty() &&
          std::find(verdict.challenges.begin(), verdict.challenges.end(), finding.challenge) ==
              verdict.challenges.end())
        verdict.challenges.push_back(std::move(finding.challenge));
      if (finding.presence != Presence::kPresent)
        verdict.issues.push_back(std::move(finding.issue));
    }
  }
  return verdict;
}

}  // namespace verity::mock
