// A plain TCP client on 127.0.0.1 for the servers' tests: bytes exactly as written, answers
// exactly as sent, and whether the server closed the connection.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <string_view>

namespace verity::net::testing {

class RawClient {
 public:
  explicit RawClient(int port, int receive_buffer = 0) {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (receive_buffer > 0) {
      setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      close(fd_);
      fd_ = -1;
    }
  }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;
  RawClient(RawClient&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  ~RawClient() {
    if (fd_ >= 0) close(fd_);
  }

  bool connected() const { return fd_ >= 0; }
  int fd() const { return fd_; }

  bool Send(std::string_view bytes) const {
    while (!bytes.empty()) {
      ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  /// Reads until the server closes the connection or nothing arrives for `quiet`.
  std::string ReadAll(std::chrono::milliseconds quiet = std::chrono::milliseconds(5000)) {
    std::string out;
    while (Wait(quiet)) {
      char buffer[16384];
      ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) {
        closed_ = true;
        break;
      }
      out.append(buffer, static_cast<size_t>(n));
    }
    return out;
  }

  /// Reads one answer (head and Content-Length body), or what came before a close or 5 s.
  std::string ReadAnswer() {
    while (true) {
      size_t head_end = pending_.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        size_t length = 0;
        size_t at = pending_.find("Content-Length: ");
        if (at != std::string::npos && at < head_end) length = std::stoul(pending_.substr(at + 16));
        bool interim = pending_.starts_with("HTTP/1.1 1");
        size_t total = head_end + 4 + (interim ? 0 : length);
        if (pending_.size() >= total) {
          std::string answer = pending_.substr(0, total);
          pending_.erase(0, total);
          return answer;
        }
      }
      if (!Wait(std::chrono::milliseconds(5000))) break;
      char buffer[16384];
      ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) {
        closed_ = true;
        break;
      }
      pending_.append(buffer, static_cast<size_t>(n));
    }
    std::string rest = std::move(pending_);
    pending_.clear();
    return rest;
  }

  /// Whether the server has closed the connection (waits up to `timeout` for it).
  bool ServerClosed(std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
    if (closed_) return true;
    if (!Wait(timeout)) return false;
    char byte;
    ssize_t n = recv(fd_, &byte, 1, MSG_PEEK);
    closed_ = n <= 0;
    return closed_;
  }

 private:
  bool Wait(std::chrono::milliseconds timeout) const {
    pollfd p{fd_, POLLIN, 0};
    return poll(&p, 1, static_cast<int>(timeout.count())) == 1;
  }

  int fd_ = -1;
  bool closed_ = false;
  std::string pending_;
};

}  // namespace verity::net::testing
