#include "run/token_request.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "base/json.h"
#include "base/strings.h"
#include "expr/filters.h"

namespace verity::run {

namespace {

// application/x-www-form-urlencoded, in the order given (RFC 6749 appendix B).
std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += '&';
    out += expr::PercentEncode(name) + "=" + expr::PercentEncode(value);
  }
  return out;
}

std::string Text(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  return "";
}

}  // namespace

http::HttpRequest TokenRequest(const ObtainedBy& obtain, const std::string& token_url,
                               const std::string& refresh_token) {
  const OAuth2Grant& grant = *obtain.oauth2;
  std::vector<std::pair<std::string, std::string>> fields;
  if (!refresh_token.empty()) {
    fields = {{"grant_type", "refresh_token"}, {"refresh_token", refresh_token}};
  } else if (grant.grant == "password") {
    fields = {
        {"grant_type", "password"}, {"username", grant.username}, {"password", obtain.password}};
  } else {
    fields = {{"grant_type", "client_credentials"}};
  }
  if (!grant.scopes.empty()) fields.emplace_back("scope", Join(grant.scopes, " "));
  for (const auto& [name, value] : grant.params) fields.emplace_back(name, value);
  http::HttpRequest request;
  request.method = "POST";
  request.url = token_url;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                     {"Accept", "application/json"}};
  if (grant.basic_auth && !obtain.client_secret.empty()) {
    std::string pair =
        expr::PercentEncode(obtain.client_id) + ":" + expr::PercentEncode(obtain.client_secret);
    request.headers.emplace_back("Authorization", AuthorizationValue(AuthScheme::kBasic, pair));
  } else {
    fields.emplace_back("client_id", obtain.client_id);
    if (!obtain.client_secret.empty()) fields.emplace_back("client_secret", obtain.client_secret);
  }
  request.body = FormEncode(fields);
  return request;
}

TokenAnswer ReadTokenAnswer(const http::HttpOutcome& outcome) {
  TokenAnswer answer;
  if (!outcome.ok()) {
    answer.error = fmt::format("{}: {}", http::TransportErrorCodeName(outcome.error().code),
                               outcome.error().message);
    return answer;
  }
  const http::HttpResponse& response = outcome.response();
  Result<Json> body = ParseJson(response.body);
  bool object = body.ok() && body->is_object();
  if (response.status < 200 || response.status > 299) {
    std::string error = object ? Text(*body, "error") : "";
    std::string description = object ? Text(*body, "error_description") : "";
    answer.error = fmt::format("the token server answered {}{}{}{}", response.status,
                               error.empty() ? "" : ": " + error,
                               description.empty() ? "" : " (" + description + ")",
                               error.empty() && !object ? " without a JSON error" : "");
    return answer;
  }
  if (!object) {
    answer.error =
        fmt::format("the token server answered {} without a JSON object", response.status);
    return answer;
  }
  answer.access_token = Text(*body, "access_token");
  if (answer.access_token.empty()) {
    answer.error =
        fmt::format("the token server answered {} without access_token", response.status);
    return answer;
  }
  answer.refresh_token = Text(*body, "refresh_token");
  if (auto it = body->find("expires_in"); it != body->end()) answer.expires_in_ms = LifetimeMs(*it);
  return answer;
}

std::string ReadDiscoveryTokenEndpoint(const http::HttpOutcome& outcome, std::string* error) {
  if (!outcome.ok()) {
    *error = fmt::format("{}: {}", http::TransportErrorCodeName(outcome.error().code),
                         outcome.error().message);
    return "";
  }
  const http::HttpResponse& response = outcome.response();
  if (response.status < 200 || response.status > 299) {
    *error = fmt::format("the discovery document answered {}", response.status);
    return "";
  }
  Result<Json> body = ParseJson(response.body);
  std::string endpoint = body.ok() && body->is_object() ? Text(*body, "token_endpoint") : "";
  if (endpoint.empty()) *error = "the discovery document names no token_endpoint";
  return endpoint;
}

std::optional<int64_t> LifetimeMs(const Json& value) {
  double seconds = 0;
  if (value.is_number()) {
    seconds = value.get<double>();
  } else if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    char* end = nullptr;
    seconds = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size()) return std::nullopt;
  } else {
    return std::nullopt;
  }
  if (!(seconds > 0) || seconds > 1e9) return std::nullopt;
  return static_cast<int64_t>(seconds * 1000);
}

int64_t RefreshMarginMs(int64_t life_ms) {
  return std::min(std::max<int64_t>(10000, life_ms / 10), life_ms / 2);
}

bool SaysTokenInvalid(const http::HttpResponse& response) {
  if (response.status != 401) return false;
  for (const auto& [name, value] : response.headers) {
    if (!IEquals(name, "www-authenticate")) continue;
    std::string lower = ToLower(value);
    if (lower.find("invalid_token") != std::string::npos ||
        lower.find("expired") != std::string::npos)
      return true;
  }
  return false;
}

}  // namespace verity::run
