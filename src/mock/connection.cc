#include "mock/connection.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace verity::mock {

namespace {

// Above this an answer is sent as it is written rather than gathered whole.
constexpr size_t kGatherLimit = 256 * 1024;

void AddressText(const sockaddr_storage& address, std::string& ip, int& port) {
  char text[INET6_ADDRSTRLEN] = {};
  port = -1;
  if (address.ss_family == AF_INET) {
    const auto& in = reinterpret_cast<const sockaddr_in&>(address);
    inet_ntop(AF_INET, &in.sin_addr, text, sizeof text);
    port = ntohs(in.sin_port);
  } else if (address.ss_family == AF_INET6) {
    const auto& in6 = reinterpret_cast<const sockaddr_in6&>(address);
    inet_ntop(AF_INET6, &in6.sin6_addr, text, sizeof text);
    port = ntohs(in6.sin6_port);
  }
  ip = text;
}

int PollMillis(std::chrono::milliseconds timeout) {
  return static_cast<int>(std::clamp<int64_t>(timeout.count(), 0, 1 << 30));
}

}  // namespace

Connection::Connection(int fd, int stop_fd, Timeouts timeouts)
    : fd_(fd), stop_fd_(stop_fd), timeouts_(timeouts) {
  sockaddr_storage address{};
  socklen_t size = sizeof address;
  if (getpeername(fd_, reinterpret_cast<sockaddr*>(&address), &size) == 0) {
    AddressText(address, remote_ip_, remote_port_);
  }
  size = sizeof address;
  address = {};
  if (getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size) == 0) {
    AddressText(address, local_ip_, local_port_);
  }
}

Connection::Ready Connection::Await(short events, std::chrono::milliseconds timeout,
                                    bool ignore_stop) const {
  pollfd fds[2] = {{fd_, events, 0}, {stop_fd_, POLLIN, 0}};
  nfds_t count = ignore_stop || stop_fd_ < 0 ? 1 : 2;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    int ready = poll(fds, count, PollMillis(left));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return Ready::kError;
    if (ready == 0) return Ready::kTimeout;
    if (count == 2 && fds[1].revents != 0) return Ready::kStopped;
    // An error or hang-up is for the next recv or send to report.
    return Ready::kYes;
  }
}

ssize_t Connection::Fill(std::chrono::milliseconds timeout) {
  if (dropped_ || failed_) return -1;
  if (in_begin_ == in_end_) in_begin_ = in_end_ = 0;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    ssize_t got = recv(fd_, in_ + in_end_, sizeof in_ - in_end_, MSG_DONTWAIT);
    if (got >= 0) {
      in_end_ += static_cast<size_t>(got);
      return got;
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      failed_ = true;
      return -1;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || Await(POLLIN, left, false) != Ready::kYes) return -1;
  }
}

bool Connection::WaitForRequest(std::chrono::milliseconds idle) {
  if (dropped_ || failed_) return false;
  if (in_begin_ < in_end_) return true;  // the client sent its next request already
  return Await(POLLIN, idle, false) == Ready::kYes;
}

bool Connection::Flush() {
  size_t sent = 0;
  while (sent < out_.size() && !dropped_ && !failed_) {
    ssize_t n = send(fd_, out_.data() + sent, out_.size() - sent, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n >= 0) {
      sent += static_cast<size_t>(n);
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      // The answer is owed even when the server is stopping: only the client's pace counts.
      if (Await(POLLOUT, timeouts_.write, true) != Ready::kYes) failed_ = true;
    } else if (errno != EINTR) {
      failed_ = true;
    }
  }
  out_.clear();
  return !dropped_ && !failed_;
}

void Connection::Drop() {
  dropped_ = true;
  out_.clear();
  shutdown(fd_, SHUT_RDWR);
}

bool Connection::is_readable() const {
  if (dropped_ || failed_) return false;
  return in_begin_ < in_end_ || Await(POLLIN, timeouts_.read, false) == Ready::kYes;
}

bool Connection::is_writable() const { return !dropped_ && !failed_; }

ssize_t Connection::read(char* ptr, size_t size) {
  if (!out_.empty() && !Flush()) return -1;
  if (in_begin_ == in_end_) {
    ssize_t got = Fill(timeouts_.read);
    if (got <= 0) return got;
  }
  size_t n = std::min(size, in_end_ - in_begin_);
  std::memcpy(ptr, in_ + in_begin_, n);
  in_begin_ += n;
  return static_cast<ssize_t>(n);
}

ssize_t Connection::write(const char* ptr, size_t size) {
  if (dropped_ || failed_) return -1;
  out_.append(ptr, size);
  if (out_.size() > kGatherLimit && !Flush()) return -1;
  return static_cast<ssize_t>(size);
}

void Connection::get_remote_ip_and_port(std::string& ip, int& port) const {
  ip = remote_ip_;
  port = remote_port_;
}

void Connection::get_local_ip_and_port(std::string& ip, int& port) const {
  ip = local_ip_;
  port = local_port_;
}

}  // namespace verity::mock
