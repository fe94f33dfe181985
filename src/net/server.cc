#include "net/server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>

#include "net/connection.h"
#include "net/worker.h"

namespace verity::net {

using internal::Clock;
using internal::Connection;

namespace {

// Descriptors kept for everything but connections: files, the history database, libcurl.
constexpr size_t kReservedDescriptors = 128;

/// Raises the soft open-file limit to the hard one; returns the soft limit in force.
size_t RaiseOpenFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
  rlim_t wanted = limit.rlim_max == RLIM_INFINITY ? rlim_t{1} << 20 : limit.rlim_max;
  if (limit.rlim_cur < wanted) {
    rlimit raised{wanted, limit.rlim_max};
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit.rlim_cur = wanted;
  }
  return static_cast<size_t>(limit.rlim_cur);
}

std::string AddressText(const sockaddr_storage& address) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(address).sin_addr, text, sizeof text);
  } else if (address.ss_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(address).sin6_addr, text,
              sizeof text);
  }
  return text;
}

void Wake(int event_fd) {
  uint64_t one = 1;
  // Never read back: it stays readable, so whoever waits on it later sees it too.
  if (::write(event_fd, &one, sizeof one) < 0) return;
}

}  // namespace

// The descriptors and threads of a bound server.
class Server::Loop {
 public:
  Loop(const Handler& handler, const ServerOptions& options, std::atomic<bool>& stopping,
       internal::Caps caps)
      : table_(options.limits, caps),
        options_(options),
        worker_({.handler = handler,
                 .table = table_,
                 .limits = options.limits,
                 .stopping = stopping,
                 .epoll_fd = connections_epoll_,
                 .before_handler = [this] { SpawnIfNoneWaiting(CoreThreads()); },
                 .will_wait = [this] { SpawnIfNoneWaiting(options_.max_threads); },
                 .buffered_body_bytes = buffered_body_bytes_}) {}
  ~Loop();

  Status Listen(int& port);
  void Run();
  void Stop() { Wake(stop_fd_); }
  Stats stats();

 private:
  void AcceptAll();
  /// Accepts and closes one connection when no descriptor is left for it (EMFILE), so the
  /// listening socket does not stay readable forever.
  void ShedOne();
  void Accept(int fd, const sockaddr_storage& address);
  void WorkerMain();
  size_t CoreThreads() const {
    return options_.core_threads == 0 ? options_.max_threads
                                      : std::min(options_.core_threads, options_.max_threads);
  }
  /// Starts a thread when none is waiting on the set, while there are fewer than `limit`.
  void SpawnIfNoneWaiting(size_t limit);
  void Spawn(size_t limit);
  void JoinWorkers();

  int listen_fd_ = -1;
  const int accept_epoll_ = epoll_create1(EPOLL_CLOEXEC);
  const int connections_epoll_ = epoll_create1(EPOLL_CLOEXEC);
  const int stop_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  const int quit_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  int spare_fd_ = open("/dev/null", O_RDONLY | O_CLOEXEC);
  internal::ConnectionTable table_;
  const ServerOptions& options_;
  std::atomic<size_t> buffered_body_bytes_{0};
  internal::Worker worker_;
  std::atomic<size_t> waiting_{0};
  std::mutex threads_mutex_;
  std::vector<std::thread> threads_;
  bool quitting_ = false;
};

Server::Loop::~Loop() {
  JoinWorkers();
  for (int fd : {listen_fd_, accept_epoll_, connections_epoll_, stop_fd_, quit_fd_, spare_fd_}) {
    if (fd >= 0) close(fd);
  }
}

Status Server::Loop::Listen(int& port) {
  if (accept_epoll_ < 0 || connections_epoll_ < 0 || stop_fd_ < 0 || quit_fd_ < 0) {
    return Status::IoError(fmt::format("cannot set up the server: {}", std::strerror(errno)));
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  std::string service = std::to_string(port);
  if (int error = getaddrinfo(options_.host.c_str(), service.c_str(), &hints, &found); error != 0) {
    return Status::IoError(
        fmt::format("cannot resolve {}: {}", options_.host, gai_strerror(error)));
  }
  int saved = 0;
  for (addrinfo* a = found; a != nullptr && listen_fd_ < 0; a = a->ai_next) {
    int fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    // Not SO_REUSEPORT: a second server on a taken port must fail, not share it.
    int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (bind(fd, a->ai_addr, a->ai_addrlen) == 0 && listen(fd, SOMAXCONN) == 0) {
      listen_fd_ = fd;
    } else {
      saved = errno;
      close(fd);
    }
  }
  freeaddrinfo(found);
  if (listen_fd_ < 0) return Status::IoError(std::strerror(saved));
  sockaddr_storage bound{};
  socklen_t size = sizeof bound;
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&bound), &size);
  port = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6&>(bound).sin6_port
                                           : reinterpret_cast<sockaddr_in&>(bound).sin_port);
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.fd = listen_fd_;
  epoll_ctl(accept_epoll_, EPOLL_CTL_ADD, listen_fd_, &event);
  event.data.fd = stop_fd_;
  epoll_ctl(accept_epoll_, EPOLL_CTL_ADD, stop_fd_, &event);
  event.data.ptr = nullptr;  // the workers' signal to end
  epoll_ctl(connections_epoll_, EPOLL_CTL_ADD, quit_fd_, &event);
  return Status::Ok();
}

void Server::Loop::Run() {
  Spawn(CoreThreads());
  epoll_event events[8];
  bool stop = false;
  while (!stop) {
    auto wait = table_.Sweep(Clock::now());
    int n = epoll_wait(accept_epoll_, events, 8, static_cast<int>(wait.count()));
    for (int i = 0; i < n; ++i) {
      if (events[i].data.fd == stop_fd_) stop = true;
    }
    if (!stop && n > 0) AcceptAll();
  }
  // New clients are refused from here; those waiting on the client close now; requests being
  // answered finish, and their connections close after the answer is sent.
  close(listen_fd_);
  listen_fd_ = -1;
  table_.ExpireWaiting();
  while (!table_.WaitEmpty(table_.Sweep(Clock::now()))) {
  }
  JoinWorkers();
}

void Server::Loop::AcceptAll() {
  // A bounded batch, so deadlines are swept between bursts.
  for (int i = 0; i < 512; ++i) {
    sockaddr_storage address{};
    socklen_t size = sizeof address;
    int fd = accept4(listen_fd_, reinterpret_cast<sockaddr*>(&address), &size,
                     SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      Accept(fd, address);
    } else if (errno == EMFILE || errno == ENFILE) {
      ShedOne();
    } else if (errno != EINTR && errno != ECONNABORTED) {
      return;  // EAGAIN: no one else is waiting
    }
  }
}

void Server::Loop::ShedOne() {
  table_.CountRefused();
  if (spare_fd_ >= 0) close(spare_fd_);
  int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
  if (fd >= 0) close(fd);
  spare_fd_ = open("/dev/null", O_RDONLY | O_CLOEXEC);
}

void Server::Loop::Accept(int fd, const sockaddr_storage& address) {
  // Answers go out in one send each; Nagle's algorithm would hold the next one back.
  int yes = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
  auto* c = new Connection(fd, AddressText(address), options_.limits);
  table_.Added();
  if (!table_.Admit(c)) {
    std::string answer;
    AppendAnswer(ErrorResponse(503, "the server holds as many connections as it can"),
                 {.close = true}, answer);
    if (send(fd, answer.data(), answer.size(), MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
      // The client is gone already; nothing more to do.
    }
    return worker_.Close(c);
  }
  if (!table_.Park(c, internal::Phase::kIdle, Clock::now())) return worker_.Close(c);
  epoll_event event{};
  event.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;
  event.data.ptr = c;
  if (epoll_ctl(connections_epoll_, EPOLL_CTL_ADD, fd, &event) != 0) {
    (void)table_.Take(c);  // never in the set, so no event will come for it: close it here
    worker_.Close(c);
  }
}

void Server::Loop::WorkerMain() {
  while (true) {
    epoll_event event{};
    waiting_.fetch_add(1);
    int n = epoll_wait(connections_epoll_, &event, 1, -1);
    waiting_.fetch_sub(1);
    if (n <= 0) continue;
    if (event.data.ptr == nullptr) return;
    worker_.OnEvent(static_cast<Connection*>(event.data.ptr));
  }
}

void Server::Loop::SpawnIfNoneWaiting(size_t limit) {
  if (waiting_.load() == 0) Spawn(limit);
}

void Server::Loop::Spawn(size_t limit) {
  std::lock_guard lock(threads_mutex_);
  if (quitting_ || threads_.size() >= std::max<size_t>(limit, 1)) return;
  threads_.emplace_back([this] { WorkerMain(); });
}

void Server::Loop::JoinWorkers() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(threads_mutex_);
    quitting_ = true;
    threads.swap(threads_);
  }
  if (threads.empty()) return;
  Wake(quit_fd_);
  for (std::thread& t : threads) t.join();
}

Server::Stats Server::Loop::stats() {
  internal::ConnectionTable::Counts counts = table_.counts();
  std::lock_guard lock(threads_mutex_);
  return {.connections = counts.live,
          .idle = counts.idle,
          .head = counts.head,
          .body = counts.body,
          .writing = counts.write,
          .lingering = counts.linger,
          .threads = threads_.size(),
          .reclaimed = counts.reclaimed,
          .refused = counts.refused};
}

Server::Server(Handler handler, ServerOptions options)
    : handler_(std::move(handler)), options_(std::move(options)) {}

Server::~Server() {
  Stop();
  std::unique_lock lock(serve_mutex_);
  serve_done_.wait(lock, [this] { return !serving_; });
}

Result<int> Server::Bind() {
  size_t open_files = RaiseOpenFileLimit();
  internal::Caps caps;
  caps.max_connections =
      options_.max_connections > 0
          ? options_.max_connections
          : std::max<size_t>(open_files, 2 * kReservedDescriptors) - kReservedDescriptors;
  caps.max_per_address = options_.max_per_address > 0
                             ? options_.max_per_address
                             : std::max<size_t>(caps.max_connections / 2, 1);
  loop_ = std::make_unique<Loop>(handler_, options_, stopping_, caps);
  int port = options_.port;
  if (Status listened = loop_->Listen(port); !listened.ok()) {
    loop_.reset();
    return Status::IoError(fmt::format("cannot listen on {}:{}: {}", options_.host, options_.port,
                                       listened.message()));
  }
  port_ = port;
  return port;
}

Status Server::Serve() {
  {
    std::lock_guard lock(serve_mutex_);
    if (stopping_ || !loop_) return Status::Ok();
    serving_ = true;
  }
  loop_->Run();
  std::lock_guard lock(serve_mutex_);
  serving_ = false;
  serve_done_.notify_all();
  return Status::Ok();
}

void Server::Stop() {
  std::lock_guard lock(serve_mutex_);
  stopping_ = true;
  if (loop_) loop_->Stop();
}

Server::Stats Server::stats() const { return loop_ ? loop_->stats() : Stats{}; }

}  // namespace verity::net
