#include "mock/server.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <vector>

#include "base/strings.h"
#include "mock/security_check.h"

namespace verity::mock {

namespace {

net::Response ToAnswer(int status, const http::Headers& headers, std::string body) {
  net::Response out;
  out.status = status;
  bool typed = false;
  for (const auto& [name, value] : headers) {
    out.headers.push_back({name, value});
    typed = typed || IEquals(name, "Content-Type");
  }
  if (!body.empty() && !typed) out.headers.push_back({"Content-Type", "application/octet-stream"});
  out.body = std::move(body);
  return out;
}

net::ServerOptions NetOptions(const ServerOptions& options) {
  net::ServerOptions out;
  out.host = options.host;
  out.port = options.port;
  out.limits = options.limits;
  out.limits.idle_timeout = std::chrono::seconds(options.keep_alive_seconds);
  out.limits.max_body_bytes = options.max_body_bytes;
  out.max_threads = options.max_threads;
  // The mock's answers take microseconds: a thread per core serves them best, and a latency rule
  // or the proxy's upstream says it waits (net/server.h).
  out.core_threads = std::max<size_t>(2, std::thread::hardware_concurrency());
  out.max_connections = options.max_connections;
  out.max_per_address = options.max_per_address;
  return out;
}

}  // namespace

std::string FormatAccess(const AccessEntry& entry) {
  std::string line =
      fmt::format("{} {} {} {:.1f} ms", entry.method, entry.target,
                  entry.status == 0 ? std::string("dropped") : std::to_string(entry.status),
                  static_cast<double>(entry.micros) / 1000.0);
  if (!entry.token_type.empty()) line += fmt::format(" token={}", entry.token_type);
  if (!entry.rules.empty()) line += fmt::format(" rules={}", fmt::join(entry.rules, ","));
  if (!entry.source.empty()) line += fmt::format(" via={}", entry.source);
  return line;
}

Server::Server(Responder& responder, RuleEngine* rules, ServerOptions options)
    : responder_(responder),
      rules_(rules),
      options_(std::move(options)),
      http_(std::make_unique<net::Server>([this](net::Exchange& e) { Handle(e); },
                                          NetOptions(options_))) {
  logged_query_credentials_ = responder.query_credentials();
  // A proxied request may carry a credential the spec does not name; the log hides those too.
  for (std::string_view name : kConventionalCredentialParams)
    logged_query_credentials_.emplace_back(name);
}

Server::~Server() { Stop(); }

std::optional<FrontAnswer> Server::AnswerInFront(net::Exchange& exchange) {
  if (front_->waits()) exchange.WillWait();
  return front_->Answer(exchange.request());
}

void Server::Handle(net::Exchange& exchange) {
  auto start = std::chrono::steady_clock::now();
  requests_.fetch_add(1, std::memory_order_relaxed);
  const net::Request& request = exchange.request();
  std::string_view target = request.target;
  Decision decision;
  if (rules_ != nullptr) {
    size_t question = target.find('?');
    decision =
        rules_->Decide({.method = request.method,
                        .path = request.path(),
                        .authorization = request.header("Authorization"),
                        .query = question == std::string_view::npos ? std::string_view()
                                                                    : target.substr(question + 1),
                        .body = request.body,
                        .headers = &request.headers});
  }
  if (decision.latency_ms > 0) {
    exchange.WillWait();
    Wait(decision.latency_ms);
  }

  std::string operation;
  std::vector<std::string> drift;
  std::string_view source;
  int status = 0;
  net::Response answer;
  if (decision.drop_connection) {
    exchange.Drop();
  } else if (decision.response != nullptr) {
    const Response& forced = *decision.response;
    answer = ToAnswer(forced.status, forced.headers, forced.body_text);
  } else if (std::optional<FrontAnswer> front =
                 front_ != nullptr ? AnswerInFront(exchange) : std::nullopt) {
    answer =
        ToAnswer(front->response.status, front->response.headers, std::move(front->response.body));
    if (front->response.operation != nullptr) operation = front->response.operation->Key();
    drift = std::move(front->drift);
    source = front->source;
  } else {
    MockResponse mocked = responder_.Respond({.method = request.method,
                                              .path = target,
                                              .query = {},
                                              .body = request.body,
                                              .headers = request.headers,
                                              .caller_decided = decision.caller_decided});
    answer = ToAnswer(mocked.status, mocked.headers, std::move(mocked.body));
    drift = std::move(mocked.drift);
    if (mocked.operation != nullptr) {
      operation = fmt::format("{} {}", mocked.operation->method, mocked.operation->path);
    }
  }
  if (!decision.drop_connection) {
    status = answer.status;
    if (decision.rule_count > 0) {
      std::vector<std::string> names(decision.applied().begin(), decision.applied().end());
      answer.headers.push_back({"X-Mock-Rules", Join(names, ", ")});
    }
    exchange.Answer(answer);
  }
  if (access_log_) {
    std::string logged = RedactQuery(target, logged_query_credentials_);
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
    access_log_({.method = request.method,
                 .target = logged,
                 .status = status,
                 .micros = micros,
                 .token_type = decision.token_type,
                 .rules = decision.applied(),
                 .operation = operation,
                 .drift = drift,
                 .source = source});
  }
}

Result<int> Server::Bind() {
  Result<int> port = http_->Bind();
  if (port.ok()) port_ = *port;
  return port;
}

Status Server::Serve() { return http_->Serve(); }

void Server::Stop() {
  {
    std::lock_guard lock(stop_mutex_);
    stopping_ = true;
  }
  stop_signal_.notify_all();
  http_->Stop();
}

void Server::Wait(int64_t ms) {
  std::unique_lock lock(stop_mutex_);
  stop_signal_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping_; });
}

}  // namespace verity::mock
