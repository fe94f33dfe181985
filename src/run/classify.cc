#include "run/classify.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "base/json.h"

namespace verity::run {

namespace {

std::string Lower(std::string_view text) {
  std::string out(text.substr(0, 4096));
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool ContainsAny(const std::string& haystack, std::initializer_list<std::string_view> needles) {
  return std::any_of(needles.begin(), needles.end(),
                     [&](std::string_view n) { return haystack.find(n) != std::string::npos; });
}

std::string FirstLine(std::string_view text, size_t max_chars) {
  size_t end = text.find_first_of("\r\n");
  std::string line(text.substr(0, std::min(end, max_chars)));
  if (line.size() < text.size() && end > max_chars) line += "…";
  return line;
}

// The first line of `text`, masked, then cut to `max_chars`. A line is searched up to 4 KiB: one
// that goes on is cut there, and a secret running past the cut is masked as far as it goes.
std::string MaskedLine(std::string_view text, size_t max_chars, const http::SecretRedactor* r) {
  constexpr size_t kLongestLine = 4096;
  size_t end = std::min(text.find_first_of("\r\n"), kLongestLine);
  std::string_view line = text.substr(0, end);
  if (!r) return FirstLine(line, max_chars);
  bool cut = end == kLongestLine && end < text.size();
  return FirstLine(cut ? r->RedactTruncated(line) : r->Redact(line), max_chars);
}

}  // namespace

std::string ErrorMessageFromBody(std::string_view body, const http::SecretRedactor* redactor) {
  if (body.empty()) return {};
  auto parsed = ParseJson(body);
  if (parsed.ok() && parsed->is_object()) {
    const Json& j = *parsed;
    for (const char* key : {"message", "error", "error_description", "detail", "title"}) {
      auto it = j.find(key);
      if (it == j.end()) continue;
      if (it->is_string() && !it->get<std::string>().empty())
        return MaskedLine(it->get<std::string>(), 200, redactor);
      if (it->is_object()) {
        auto inner = it->find("message");
        if (inner != it->end() && inner->is_string())
          return MaskedLine(inner->get<std::string>(), 200, redactor);
      }
    }
    auto errors = j.find("errors");
    if (errors != j.end() && errors->is_array() && !errors->empty()) {
      const Json& first = (*errors)[0];
      if (first.is_string()) return MaskedLine(first.get<std::string>(), 200, redactor);
      if (first.is_object()) {
        auto m = first.find("message");
        if (m != first.end() && m->is_string())
          return MaskedLine(m->get<std::string>(), 200, redactor);
      }
    }
    return {};
  }
  std::string lower = Lower(body);
  if (lower.find("<html") != std::string::npos || lower.find("<!doctype") != std::string::npos) {
    return "an HTML page";
  }
  return MaskedLine(body, 120, redactor);
}

bool IsGatewayFailure(int status, std::string_view body) {
  if (status == 502) return true;
  return status == 404 && Lower(body).find("bad gateway") != std::string::npos;
}

bool LooksLikeRouteNotFound(std::string_view body) {
  std::string lower = Lower(body);
  if (lower.empty()) return false;
  return ContainsAny(lower, {"route not found", "endpoint not found", "path not found",
                             "api not found", "no route", "cannot get", "cannot post", "cannot put",
                             "cannot patch", "cannot delete", "not implemented", "unknown route",
                             "unknown endpoint", "invalid path", "method not allowed",
                             "no matching route", "<!doctype", "<html", "bad gateway"});
}

bool IsMockNoOperation(std::string_view body) {
  if (body.find("NO_OPERATION") == std::string_view::npos) return false;
  auto parsed = ParseJson(body);
  if (!parsed.ok() || !parsed->is_object()) return false;
  auto errors = parsed->find("errors");
  if (errors == parsed->end() || !errors->is_array()) return false;
  for (const Json& e : *errors) {
    if (e.is_object() && e.value("code", Json()) == "NO_OPERATION") return true;
  }
  return false;
}

Classification ClassifyStatus(const StatusContext& c) {
  Classification out;
  std::string api_says = ErrorMessageFromBody(c.body, c.redactor);
  std::string said = api_says.empty() ? "" : fmt::format(": {}", api_says);
  bool can_try_fallback = c.fallback_available && !c.on_fallback;
  int s = c.status;
  if (s == 401 || s == 403) {
    out.reason = reason::kAuthFailed;
    // A request without a credential: `token: none`, a blank Authorization, an operation whose
    // spec asks for none, or an environment without a default token (run/credentials.h).
    std::string credential = c.token_type.empty() ? "without a credential"
                                                  : fmt::format("with the {} token", c.token_type);
    out.message = fmt::format("{} {} (expected {}){}", s, credential, c.expected, said);
    if (c.token_type.empty()) {
      out.suggestion =
          "the request carried no credential; expect 401 if that is the test, else name a token "
          "in the step or document (token: NAME), declare the operation's security in the spec, "
          "or set default_token in the environment";
    } else if (can_try_fallback) {
      out.suggestion =
          "the primary base URL rejected the token; try the fallback base URL "
          "(useFallbackApi: true) — some gateways reject tokens on certain paths";
    } else if (c.token_type == "directory") {
      out.suggestion =
          "try a staff token: directory tokens need X-On-Behalf-Of and are refused "
          "by some endpoints";
    } else {
      out.suggestion = fmt::format(
          "check that the {} token is valid for this environment and "
          "allowed on this endpoint",
          c.token_type);
    }
  } else if (s == 429) {
    out.reason = reason::kRateLimited;
    out.message = fmt::format("429 Too Many Requests after every retry{}", said);
    out.suggestion = "run with a gentler rate limit (--rate-limit conservative)";
  } else if (s >= 500) {
    out.reason = reason::kServerError;
    out.message = fmt::format("server error {} (expected {}){}", s, c.expected, said);
    if (can_try_fallback && (s == 502 || s == 503 || s == 504))
      out.suggestion = "the gateway failed; try the fallback base URL (useFallbackApi: true)";
  } else if (s == 404) {
    bool mock_has_no_operation = IsMockNoOperation(c.body);
    // A 404 the operation documents is the API speaking, silent or not; only an answer that
    // names itself as the routing layer's says otherwise.
    if (mock_has_no_operation || LooksLikeRouteNotFound(c.body) ||
        (c.body.empty() && !c.documented)) {
      out.reason = reason::kEndpointNotFound;
      out.message = fmt::format("404: the endpoint does not exist at this base URL{}", said);
      out.suggestion =
          mock_has_no_operation ? "the mock serves only the operations of the specs it was given: "
                                  "check the path against the spec, or give the mock the spec that "
                                  "documents it"
          : can_try_fallback    ? "the gateway may not route this path; try the fallback base URL "
                                  "(useFallbackApi: true)"
                                : "check the path against the spec and the base URL";
    } else {
      out.reason = reason::kResourceNotFound;
      out.message = fmt::format("404: the resource was not found{}", said);
      out.suggestion =
          "the endpoint answers but the test data is missing: check the ids the "
          "prerequisites create or extract";
    }
  } else if (s == 409) {
    out.reason = reason::kConflict;
    out.message = fmt::format("409 Conflict{}", said);
    out.suggestion =
        "the data already exists or is in the wrong state; make the prerequisites "
        "create fresh data (random_* variables)";
  } else if (s == 400 || s == 422) {
    out.reason = reason::kValidationError;
    out.message = fmt::format("{}: the API refused the request{}", s, said);
    out.suggestion = "compare the request body and params with the spec's request schema";
  } else {
    out.reason = reason::kUnexpectedStatus;
    out.message = fmt::format("status {} (expected {}){}", s, c.expected, said);
  }
  out.outcome = OutcomeFor(out.reason, c.documented);
  return out;
}

namespace {

Classification DescribeTransportError(const http::TransportError& error, int64_t timeout_ms) {
  Classification out;
  switch (error.code) {
    case http::TransportErrorCode::kTimeout:
      out.reason = reason::kTimeout;
      out.message = fmt::format("no answer within {} ms", timeout_ms);
      out.suggestion = "check the API's health, or raise `timeout` in the environment's config";
      break;
    case http::TransportErrorCode::kTlsError:
      out.reason = reason::kTlsError;
      out.message = fmt::format("TLS failed: {}", error.message);
      out.suggestion =
          "check the server's certificate; --insecure skips verification for a "
          "test host you trust";
      break;
    case http::TransportErrorCode::kDnsError:
      out.reason = reason::kDnsError;
      out.message = fmt::format("the host name did not resolve: {}", error.message);
      out.suggestion = "check base_url in the configuration";
      break;
    case http::TransportErrorCode::kTooLarge:
      out.reason = reason::kResponseTooLarge;
      out.message = fmt::format("the response passed a size cap: {}", error.message);
      // Only the body's cap is the user's to raise; the headers' is there to protect the run.
      out.suggestion = error.in_headers
                           ? "the server sent far larger headers than any client accepts: "
                             "check what answers at this URL (a proxy, a redirect loop)"
                           : "raise max_response_bytes if such a body is expected";
      break;
    case http::TransportErrorCode::kCancelled:
      out.reason = reason::kCancelled;
      out.message = "cancelled: the run was stopped or passed its deadline";
      break;
    case http::TransportErrorCode::kInvalidRequest:
      out.reason = reason::kInvalidRequest;
      out.message = fmt::format("the request could not be sent: {}", error.message);
      break;
    case http::TransportErrorCode::kNotSent:
      // The executor records a dry run's steps before judging; nothing reached the API.
      out.outcome = Outcome::kSkip;
      out.reason = reason::kDryRun;
      out.message = "not sent (dry run)";
      break;
    case http::TransportErrorCode::kNetworkError:
      out.reason = reason::kNetworkError;
      out.message = fmt::format("network error: {}", error.message);
      out.suggestion = "check that the base URL is reachable from here";
      break;
  }
  return out;
}

}  // namespace

Classification ClassifyTransportError(const http::TransportError& error, int64_t timeout_ms) {
  Classification out = DescribeTransportError(error, timeout_ms);
  out.outcome = OutcomeFor(out.reason);
  return out;
}

}  // namespace verity::run
