#include "mock/server.h"

#include <fmt/format.h>
#include <httplib.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <deque>
#include <thread>
#include <vector>

#include "base/strings.h"
#include "mock/connection.h"
#include "mock/growing_pool.h"

namespace verity::mock {

namespace {

// httplib's set_content wants the media type apart from the other headers.
void Answer(httplib::Response& out, int status, const http::Headers& headers,
            const std::string& body) {
  out.status = status;
  std::string content_type;
  for (const auto& [name, value] : headers) {
    if (IEquals(name, "Content-Type")) {
      content_type = value;
    } else {
      out.set_header(name, value);
    }
  }
  if (!body.empty() || !content_type.empty()) {
    out.set_content(body, content_type.empty() ? "application/octet-stream" : content_type);
  }
}

}  // namespace

std::string FormatAccess(const AccessEntry& entry) {
  std::string line =
      fmt::format("{} {} {} {:.1f} ms", entry.method, entry.target,
                  entry.status == 0 ? std::string("dropped") : std::to_string(entry.status),
                  static_cast<double>(entry.micros) / 1000.0);
  if (!entry.token_type.empty()) line += fmt::format(" token={}", entry.token_type);
  if (!entry.rules.empty()) line += fmt::format(" rules={}", fmt::join(entry.rules, ","));
  return line;
}

namespace {
// The connection whose request this thread is handling: a drop rule closes it.
thread_local Connection* current_connection = nullptr;
}  // namespace

// httplib's server with its connection loop replaced (mock/connection.h says why).
class Server::Impl : public httplib::Server {
 public:
  Impl() : stop_fd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}
  ~Impl() override {
    if (stop_fd_ >= 0) close(stop_fd_);
  }

  /// Wakes every connection waiting for its next request; they close.
  void SignalStop() {
    uint64_t one = 1;
    // Never read back: it stays readable, so a connection that starts waiting later sees it.
    if (stop_fd_ >= 0 && ::write(stop_fd_, &one, sizeof one) < 0) return;
  }

 protected:
  bool process_and_close_socket(socket_t sock) override {
    using std::chrono::microseconds;
    using std::chrono::milliseconds;
    using std::chrono::seconds;
    Connection::Timeouts timeouts;
    timeouts.read = std::chrono::duration_cast<milliseconds>(seconds(read_timeout_sec_) +
                                                             microseconds(read_timeout_usec_));
    timeouts.write = std::chrono::duration_cast<milliseconds>(seconds(write_timeout_sec_) +
                                                              microseconds(write_timeout_usec_));
    milliseconds idle = seconds(keep_alive_timeout_sec_);
    bool served = false;
    {
      Connection connection(sock, stop_fd_, timeouts);
      current_connection = &connection;
      for (size_t left = keep_alive_max_count_;
           left > 0 && svr_sock_ != INVALID_SOCKET && connection.WaitForRequest(idle); --left) {
        bool client_closes = false;
        served = process_request(connection, left == 1, client_closes, nullptr);
        served = connection.Flush() && served;
        if (!served || client_closes) break;
      }
      current_connection = nullptr;
    }
    shutdown(sock, SHUT_RDWR);
    close(sock);
    return served;
  }

 private:
  const int stop_fd_;
};

Server::Server(Responder& responder, RuleEngine* rules, ServerOptions options)
    : responder_(responder),
      rules_(rules),
      options_(std::move(options)),
      impl_(std::make_unique<Impl>()) {
  httplib::Server& http = *impl_;
  size_t max_threads = options_.max_threads;
  http.new_task_queue = [max_threads] { return new GrowingPool(max_threads); };
  // httplib closes a connection after 5 requests by default; clients expect to keep it.
  http.set_keep_alive_max_count(1000000);
  http.set_keep_alive_timeout(options_.keep_alive_seconds);
  // httplib sends the head and the body in two writes; with Nagle's algorithm the second waits
  // for the client's delayed ACK, 40 ms per request.
  http.set_tcp_nodelay(true);
  http.set_payload_max_length(options_.max_body_bytes);
  // httplib's default also sets SO_REUSEPORT, with which a second mock on a taken port would
  // quietly share it (the kernel splitting connections between the two) instead of failing.
  http.set_socket_options([this](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listen_socket_ = sock;
  });

  auto handle = [this](const httplib::Request& request, httplib::Response& response) {
    auto start = std::chrono::steady_clock::now();
    requests_.fetch_add(1, std::memory_order_relaxed);
    std::string_view target = request.target;
    std::string_view path = target.substr(0, target.find('?'));
    std::string authorization = request.get_header_value("Authorization");

    Decision decision;
    if (rules_ != nullptr) {
      decision =
          rules_->Decide({.method = request.method, .path = path, .authorization = authorization});
    }
    if (decision.latency_ms > 0) Wait(decision.latency_ms);

    std::string operation;
    int status = 0;
    if (decision.drop_connection && current_connection != nullptr) {
      current_connection->Drop();
      response.status = 500;  // never sent: the connection is gone
    } else if (decision.response != nullptr) {
      const Response& forced = *decision.response;
      Answer(response, forced.status, forced.headers, forced.body_text);
      status = forced.status;
    } else {
      MockResponse answer = responder_.Respond(
          {.method = request.method, .path = target, .query = {}, .body = request.body});
      Answer(response, answer.status, answer.headers, answer.body);
      status = answer.status;
      if (answer.operation != nullptr) {
        operation = fmt::format("{} {}", answer.operation->method, answer.operation->path);
      }
    }
    if (decision.rule_count > 0) {
      std::vector<std::string> names(decision.applied().begin(), decision.applied().end());
      response.set_header("X-Mock-Rules", Join(names, ", "));
    }
    if (access_log_) {
      auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count();
      access_log_({.method = request.method,
                   .target = target,
                   .status = status,
                   .micros = micros,
                   .token_type = decision.token_type,
                   .rules = decision.applied(),
                   .operation = operation});
    }
  };
  http.Get(".*", handle);
  http.Post(".*", handle);
  http.Put(".*", handle);
  http.Patch(".*", handle);
  http.Delete(".*", handle);
  http.Options(".*", handle);
}

Server::~Server() { Stop(); }

Result<int> Server::Bind() {
  int port = options_.port == 0
                 ? impl_->bind_to_any_port(options_.host)
                 : (impl_->bind_to_port(options_.host, options_.port) ? options_.port : -1);
  if (port <= 0) {
    return Status::IoError(
        fmt::format("cannot listen on {}:{}: {}", options_.host, options_.port,
                    options_.port == 0 ? "no free port" : "the port is taken or not allowed"));
  }
  // httplib listens with a backlog of 5: a burst of clients connecting at once overflows it and
  // the kernel resets some of them. Listening again on the socket only raises the backlog.
  if (listen_socket_ >= 0) listen(listen_socket_, SOMAXCONN);
  port_ = port;
  return port;
}

Status Server::Serve() {
  {
    std::lock_guard lock(stop_mutex_);
    if (stopping_) return Status::Ok();
    serving_ = true;
  }
  bool listened = impl_->listen_after_bind();
  serving_ = false;
  if (!listened) {
    std::lock_guard lock(stop_mutex_);
    if (!stopping_) return Status::IoError("the mock server stopped listening unexpectedly");
  }
  return Status::Ok();
}

void Server::Stop() {
  {
    std::lock_guard lock(stop_mutex_);
    stopping_ = true;
  }
  stop_signal_.notify_all();
  impl_->SignalStop();
  // httplib's stop() does nothing until its accept loop runs; a Serve that has begun but not yet
  // reached the loop would otherwise miss it and serve forever.
  while (serving_ && !impl_->is_running())
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  impl_->stop();
}

void Server::Wait(int64_t ms) {
  std::unique_lock lock(stop_mutex_);
  stop_signal_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping_; });
}

}  // namespace verity::mock
