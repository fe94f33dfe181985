#include "mock/proxy.h"

#include <fmt/format.h>

#include <array>

#include "base/strings.h"
#include "spec/response_check.h"

namespace verity::mock {
namespace {

// A request the mock may take whole (16 MiB by default) is forwarded whole, and an answer as
// large as the runner accepts comes back.
constexpr auto kForwardTimeout = std::chrono::seconds(30);

std::pair<std::string_view, std::string_view> SplitTarget(std::string_view target) {
  size_t question = target.find('?');
  if (question == std::string_view::npos) return {target, {}};
  std::string_view query = target.substr(question + 1);
  return {target.substr(0, question), query.substr(0, query.find('#'))};
}

bool LooksLikeJson(const http::HttpResponse& response) {
  std::optional<std::string_view> type = response.Header("content-type");
  if (type) return type->find("json") != std::string_view::npos;
  std::string_view body = Trim(response.body);
  return !body.empty() && (body.front() == '{' || body.front() == '[');
}

std::string OperationName(const spec::Operation* operation, std::string_view method,
                          std::string_view path) {
  return operation ? operation->Key() : fmt::format("{} {}", ToUpper(method), path);
}

}  // namespace

bool IsHopByHop(std::string_view name) {
  static constexpr std::array<std::string_view, 12> kNames = {
      "Connection", "Keep-Alive",     "Proxy-Authenticate", "Proxy-Authorization",
      "TE",         "Trailer",        "Transfer-Encoding",  "Upgrade",
      "Host",       "Content-Length", "Content-Encoding",   "Proxy-Connection"};
  for (std::string_view hop : kNames)
    if (IEquals(name, hop)) return true;
  return false;
}

Proxy::Proxy(spec::Catalog& catalog, Responder& responder, std::string upstream, Recorder* recorder)
    : catalog_(catalog),
      responder_(responder),
      upstream_(std::move(upstream)),
      recorder_(recorder),
      names_(CredentialNamesOf(catalog)) {
  while (!upstream_.empty() && upstream_.back() == '/') upstream_.pop_back();
}

size_t Proxy::record_failures() const {
  std::lock_guard lock(pool_mutex_);
  return record_failures_;
}

http::HttpOutcome Proxy::Forward(const net::Request& request) {
  http::HttpRequest out{.method = request.method,
                        .url = upstream_ + request.target,
                        .headers = {},
                        .body = request.body,
                        .timeout = kForwardTimeout};
  for (const net::Header& header : request.headers) {
    if (!IsHopByHop(header.name)) out.headers.emplace_back(header.name, header.value);
  }
  std::unique_ptr<http::CurlTransport> transport;
  {
    std::lock_guard lock(pool_mutex_);
    if (!idle_.empty()) {
      transport = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!transport) {
    Result<std::unique_ptr<http::CurlTransport>> created = http::CurlTransport::Create();
    if (!created.ok()) {
      return http::TransportError{.code = http::TransportErrorCode::kNetworkError,
                                  .message = created.status().message()};
    }
    transport = std::move(*created);
  }
  std::optional<http::HttpOutcome> outcome;
  transport->Submit(std::move(out),
                    [&outcome](http::HttpOutcome done) { outcome = std::move(done); });
  transport->RunUntilIdle();
  {
    std::lock_guard lock(pool_mutex_);
    idle_.push_back(std::move(transport));
  }
  if (!outcome) {
    return http::TransportError{.code = http::TransportErrorCode::kCancelled,
                                .message = "the transfer ended without an outcome"};
  }
  return std::move(*outcome);
}

std::vector<std::string> Proxy::ResponseDrift(const spec::Operation& operation,
                                              const http::HttpResponse& response) {
  std::optional<Json> body;
  if (!response.body.empty() && LooksLikeJson(response)) {
    Result<Json> parsed = ParseJson(response.body);
    if (parsed.ok()) body = std::move(*parsed);
  }
  spec::ResponseCheck check;
  {
    std::lock_guard lock(check_mutex_);
    check =
        spec::CheckResponse(catalog_.specs(), operation, response.status, body ? &*body : nullptr);
  }
  std::vector<std::string> lines;
  for (const spec::SchemaIssue& issue : check.issues) {
    lines.push_back(fmt::format("{} response {} #{}: {} [{}]", operation.Key(), response.status,
                                issue.instance_path, issue.message, issue.code));
  }
  return lines;
}

std::optional<FrontAnswer> Proxy::Answer(const net::Request& request) {
  auto [path, query] = SplitTarget(request.target);
  Responder::Inspection inspection =
      responder_.Inspect(request.method, request.target, request.body);
  FrontAnswer answer;
  answer.source = "proxy";
  std::string operation = OperationName(inspection.operation, request.method, path);
  if (inspection.operation == nullptr) {
    answer.drift.push_back(
        fmt::format("{} request: no operation of the specs matches [{}]", operation, kNoOperation));
  }
  for (const RequestIssue& issue : inspection.issues) {
    answer.drift.push_back(DriftLine(operation, issue));
  }

  http::HttpOutcome outcome = Forward(request);
  MockResponse& out = answer.response;
  out.operation = inspection.operation;
  if (!outcome.ok()) {
    const http::TransportError& error = outcome.error();
    out.status = kUpstreamFailedStatus;
    out.headers.emplace_back("Content-Type", "application/json");
    out.body = ErrorBody(kUpstreamFailed, http::TransportErrorCodeName(error.code));
    answer.drift.push_back(fmt::format("{} upstream: {} [{}]", operation,
                                       http::TransportErrorCodeName(error.code), kUpstreamFailed));
  } else {
    const http::HttpResponse& response = outcome.response();
    if (inspection.operation) {
      for (std::string& line : ResponseDrift(*inspection.operation, response))
        answer.drift.push_back(std::move(line));
    }
    out.status = response.status;
    for (const auto& [name, value] : response.headers) {
      if (!IsHopByHop(name)) out.headers.emplace_back(name, value);
    }
    out.body = response.body;
  }

  http::SecretRedactor secrets = RequestSecrets(request.headers, query, names_);
  for (std::string& line : answer.drift) line = MaskText(line, secrets);
  if (recorder_ != nullptr && outcome.ok()) Record(request, inspection.operation, out, secrets);
  return answer;
}

void Proxy::Record(const net::Request& request, const spec::Operation* operation,
                   const MockResponse& answer, const http::SecretRedactor& secrets) {
  auto [path, query] = SplitTarget(request.target);
  Exchange exchange{.operation = operation ? operation->Key() : std::string(),
                    .method = request.method,
                    .path = MaskText(path, secrets),
                    .query = MaskQuery(query, secrets, names_),
                    .request_body = MaskText(request.body, secrets),
                    .status = answer.status,
                    .response_headers = {},
                    .response_body = MaskText(answer.body, secrets)};
  for (const auto& [name, value] : http::MaskHeaders(answer.headers, secrets))
    exchange.response_headers.emplace_back(name, MaskBearerLike(value));
  if (!recorder_->Save(exchange).ok()) {
    std::lock_guard lock(pool_mutex_);
    ++record_failures_;
  }
}

ReplayFront::ReplayFront(const spec::Catalog& catalog, Responder& responder, Replay& replay)
    : responder_(responder), replay_(replay), names_(CredentialNamesOf(catalog)) {}

std::optional<FrontAnswer> ReplayFront::Answer(const net::Request& request) {
  auto [path, query] = SplitTarget(request.target);
  // Masked as the recording was, so the same request finds its exchange whatever token it carries.
  http::SecretRedactor secrets = RequestSecrets(request.headers, query, names_);
  std::optional<Exchange> recorded =
      replay_.Match(request.method, MaskText(path, secrets), MaskQuery(query, secrets, names_),
                    MaskText(request.body, secrets));
  if (!recorded) return std::nullopt;
  FrontAnswer answer;
  answer.source = "replay";
  answer.response.status = recorded->status;
  answer.response.headers = std::move(recorded->response_headers);
  answer.response.body = std::move(recorded->response_body);
  answer.response.operation = responder_.Inspect(request.method, request.target, {}).operation;
  return answer;
}

}  // namespace verity::mock
