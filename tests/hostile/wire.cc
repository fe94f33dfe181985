#include "hostile/wire.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace verity::hostile {

namespace {

using Clock = std::chrono::steady_clock;

int Connect(int port, std::string& error) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    error = std::string("socket: ") + std::strerror(errno);
    return -1;
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    error = std::string("connect: ") + std::strerror(errno);
    close(fd);
    return -1;
  }
  return fd;
}

std::string ReplacePort(std::string text, int port) {
  const std::string key = "{port}";
  for (size_t at = text.find(key); at != std::string::npos; at = text.find(key, at)) {
    text.replace(at, key.size(), std::to_string(port));
  }
  return text;
}

bool IEqualsPrefix(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

// Where the chunked body starting at `at` ends, or npos while incomplete.
size_t ChunkedEnd(const std::string& data, size_t at) {
  while (true) {
    size_t line_end = data.find("\r\n", at);
    if (line_end == std::string::npos) return std::string::npos;
    size_t size = std::strtoull(data.c_str() + at, nullptr, 16);
    at = line_end + 2;
    if (size == 0) {
      size_t trailers_end = data.find("\r\n\r\n", line_end);
      return trailers_end == std::string::npos ? std::string::npos : trailers_end + 4;
    }
    if (data.size() < at + size + 2) return std::string::npos;
    at += size + 2;
  }
}

// Parses what arrived: the final answer's status, and whether it is complete. Interim 1xx
// answers are skipped. An answer framed by the connection's end is complete once it is closed.
void Judge(Exchange& x) {
  size_t at = 0;
  while (true) {
    size_t head_end = x.answer.find("\r\n\r\n", at);
    if (head_end == std::string::npos) return;
    std::string_view head = std::string_view(x.answer).substr(at, head_end - at);
    int status = head.size() > 12 ? std::atoi(std::string(head.substr(9, 3)).c_str()) : 0;
    size_t body = head_end + 4;
    if (status >= 100 && status < 200 && status != 101) {
      at = body;
      continue;
    }
    x.status = status;
    long length = -1;
    bool chunked = false;
    for (size_t line = head.find("\r\n"); line != std::string_view::npos;
         line = head.find("\r\n", line + 2)) {
      std::string_view field = head.substr(line + 2);
      field = field.substr(0, field.find("\r\n"));
      if (IEqualsPrefix(field, "content-length:")) length = std::atol(field.data() + 15);
      if (IEqualsPrefix(field, "transfer-encoding:") &&
          field.find("chunked") != std::string_view::npos) {
        chunked = true;
      }
    }
    if (status == 204 || status == 304 || length == 0) {
      x.complete = true;
    } else if (chunked) {
      x.complete = ChunkedEnd(x.answer, body) != std::string::npos;
    } else if (length > 0) {
      x.complete = x.answer.size() >= body + static_cast<size_t>(length);
    } else {
      x.complete = x.closed;
    }
    return;
  }
}

// Reads what is there without blocking; marks the end of the connection.
void Drain(int fd, Exchange& x) {
  char buffer[65536];
  while (true) {
    ssize_t n = recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
    if (n > 0) {
      x.answer.append(buffer, static_cast<size_t>(n));
      continue;
    }
    if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) x.closed = true;
    break;
  }
  Judge(x);
}

int MillisLeft(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return static_cast<int>(std::max<int64_t>(0, left.count()));
}

}  // namespace

HeldConnections::HeldConnections(int port, const Hold& hold) {
  for (int i = 0; i < hold.idle + hold.slow_headers; ++i) {
    int fd = Connect(port, error_);
    if (fd < 0) return;
    fds_.push_back(fd);
    if (i >= hold.idle) {
      // A head begun and never finished: the request line and one unfinished header line.
      std::string partial = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + std::to_string(i);
      if (send(fd, partial.data(), partial.size(), MSG_NOSIGNAL) < 0) {
        error_ = std::string("send: ") + std::strerror(errno);
        return;
      }
    }
  }
}

HeldConnections::~HeldConnections() {
  for (int fd : fds_) close(fd);
}

int HeldConnections::open() const {
  int count = 0;
  for (int fd : fds_) {
    char c;
    ssize_t n = recv(fd, &c, 1, MSG_DONTWAIT | MSG_PEEK);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) ++count;
  }
  return count;
}

RawUpstream::RawUpstream(const Payload& answer) : answer_(answer.Materialize()) {
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  if (listen_fd_ < 0 || bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), size) != 0 ||
      listen(listen_fd_, 64) != 0 ||
      getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &size) != 0 ||
      pipe2(stop_pipe_, O_CLOEXEC) != 0) {
    return;
  }
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] { Serve(); });
}

RawUpstream::~RawUpstream() {
  if (stop_pipe_[1] >= 0 && write(stop_pipe_[1], "x", 1) < 0) {
  }
  if (thread_.joinable()) thread_.join();
  for (int fd : {listen_fd_, stop_pipe_[0], stop_pipe_[1]}) {
    if (fd >= 0) close(fd);
  }
}

std::string RawUpstream::url() const {
  return port_ > 0 ? "http://127.0.0.1:" + std::to_string(port_) : "";
}

void RawUpstream::Serve() {
  while (true) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
    if (poll(fds, 2, -1) < 0 && errno != EINTR) return;
    if (fds[1].revents != 0) return;
    if (fds[0].revents == 0) continue;
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    Answer(fd);
    close(fd);
  }
}

void RawUpstream::Answer(int fd) {
  // The request is read (head, then a Content-Length body) before answering, so the client never
  // sees a reset for bytes it sent that nobody read.
  std::string request;
  auto deadline = Clock::now() + std::chrono::seconds(5);
  size_t head_end = std::string::npos;
  long length = 0;
  while (Clock::now() < deadline) {
    if (head_end != std::string::npos && request.size() >= head_end + 4 + length) break;
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, MillisLeft(deadline)) <= 0) break;
    char buffer[65536];
    ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    request.append(buffer, static_cast<size_t>(n));
    if (head_end == std::string::npos && (head_end = request.find("\r\n\r\n")) != std::string::npos) {
      std::string lower = request.substr(0, head_end);
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (size_t at = lower.find("\r\ncontent-length:"); at != std::string::npos) {
        length = std::atol(lower.c_str() + at + 17);
      }
    }
  }
  ++requests_;
  for (std::string_view left = answer_; !left.empty();) {
    ssize_t n = send(fd, left.data(), left.size(), MSG_NOSIGNAL);
    if (n <= 0) break;
    left.remove_prefix(static_cast<size_t>(n));
  }
  shutdown(fd, SHUT_WR);
}

Exchange Send(int port, const Payload& request, std::chrono::milliseconds timeout,
              std::chrono::milliseconds close_wait) {
  Exchange x;
  auto started = Clock::now();
  auto deadline = started + timeout;
  int fd = Connect(port, x.error);
  if (fd < 0) return x;
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  Payload with_port = request;
  with_port.prefix = ReplacePort(request.prefix, port);
  with_port.repeat = ReplacePort(request.repeat, port);
  with_port.suffix = ReplacePort(request.suffix, port);

  with_port.Chunks(1 << 16, [&](std::string_view piece) {
    while (!piece.empty()) {
      pollfd p{fd, POLLIN | POLLOUT, 0};
      if (poll(&p, 1, MillisLeft(deadline)) <= 0) return false;
      if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
        Drain(fd, x);
        if (x.complete || x.closed) return false;
      }
      if (p.revents & POLLOUT) {
        ssize_t n = send(fd, piece.data(), piece.size(), MSG_NOSIGNAL);
        if (n < 0 && errno != EAGAIN && errno != EINTR) return false;  // refused the rest
        if (n > 0) piece.remove_prefix(static_cast<size_t>(n));
      }
    }
    return true;
  });
  while (!x.complete && !x.closed) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, MillisLeft(deadline)) <= 0) break;
    Drain(fd, x);
  }
  x.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  auto close_deadline = Clock::now() + close_wait;
  while (!x.closed && Clock::now() < close_deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, MillisLeft(close_deadline)) <= 0) break;
    Drain(fd, x);
  }
  close(fd);
  return x;
}

}  // namespace verity::hostile
