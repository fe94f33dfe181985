// verity_idle_attack: how long a new client waits while a server holds idle and slow clients.
// Opens --idle connections that send nothing and --slow connections that send a request head a
// byte at a time and never finish it (a slowloris), reopens any the server closes (as an attacker
// would), and meanwhile measures --samples requests of a new client each on a new connection:
// connect, one GET, the whole answer. Prints the median, p99 and max latency in ms.
// Used by bench/mock/wrk.sh --idle (tools/bench.sh --mock-idle); loopback only.
//
// Usage: verity_idle_attack --port P --path /x [--header 'Name: value']... [--idle N] [--slow N]
//          [--samples N] [--interval-ms MS] [--hold-seconds S]
#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

int Connect(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd >= 0 && connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

bool SendAll(int fd, const std::string& bytes) {
  return send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
}

struct Held {
  int fd = -1;
  bool slow = false;
};

// Holds the connections: reopens those the server closed, feeds the slow ones a byte a second.
class Attacker {
 public:
  Attacker(int port, std::string path) : port_(port), path_(std::move(path)) {}

  bool Open(size_t idle, size_t slow) {
    for (size_t i = 0; i < idle + slow; ++i) {
      held_.push_back({-1, i >= idle});
      if (!Reopen(held_.back())) return false;
    }
    return true;
  }

  void Run(const std::atomic<bool>& done) {
    auto next_byte = Clock::now();
    std::vector<pollfd> fds(held_.size());
    while (!done) {
      for (size_t i = 0; i < held_.size(); ++i) fds[i] = {held_[i].fd, POLLIN, 0};
      poll(fds.data(), fds.size(), 100);
      for (size_t i = 0; i < held_.size(); ++i) {
        // Anything readable is an answer (a 408, a 503) or the end: the server let go of it.
        if (fds[i].revents != 0) Reopen(held_[i]);
      }
      if (Clock::now() >= next_byte) {
        for (Held& h : held_) {
          if (h.slow && !SendAll(h.fd, "a")) Reopen(h);
        }
        next_byte += std::chrono::seconds(1);
      }
    }
  }

  size_t reopened() const { return reopened_; }
  ~Attacker() {
    for (Held& h : held_) {
      if (h.fd >= 0) close(h.fd);
    }
  }

 private:
  bool Reopen(Held& h) {
    if (h.fd >= 0) {
      close(h.fd);
      ++reopened_;
    }
    h.fd = Connect(port_);
    if (h.fd < 0) return false;
    if (h.slow) SendAll(h.fd, "GET " + path_ + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
    return true;
  }

  const int port_;
  const std::string path_;
  std::vector<Held> held_;
  size_t reopened_ = 0;
};

/// One request of a new client; its latency in ms, or -1 when it got no whole answer in 30 s.
double Sample(int port, const std::string& request) {
  auto start = Clock::now();
  int fd = Connect(port);
  if (fd < 0) return -1;
  std::string in;
  bool whole = false;
  if (SendAll(fd, request)) {
    while (!whole && Clock::now() - start < std::chrono::seconds(30)) {
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, 1000) != 1) continue;
      char buffer[16384];
      ssize_t n = recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      in.append(buffer, static_cast<size_t>(n));
      size_t head = in.find("\r\n\r\n");
      size_t at = in.find("ontent-Length: ");
      if (head != std::string::npos && at != std::string::npos && at < head) {
        whole = in.size() >= head + 4 + std::stoul(in.substr(at + 15));
      }
    }
  }
  close(fd);
  if (!whole || !in.starts_with("HTTP/1.1 2")) return -1;
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double Percentile(std::vector<double> sorted, double p) {
  size_t at = static_cast<size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(at, sorted.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Latency of a new client while idle and slow clients are held"};
  int port = 0;
  std::string path = "/";
  std::vector<std::string> headers;
  size_t idle = 2000, slow = 1000, samples = 500;
  double hold_seconds = 1;
  int interval_ms = 20;
  app.add_option("--port", port)->required();
  app.add_option("--path", path);
  app.add_option("--header", headers);
  app.add_option("--idle", idle);
  app.add_option("--slow", slow);
  app.add_option("--samples", samples);
  app.add_option("--hold-seconds", hold_seconds, "How long they are held before sampling");
  app.add_option("--interval-ms", interval_ms,
                 "Between samples, so they span the server's idle and head timeouts");
  CLI11_PARSE(app, argc, argv);

  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);

  Attacker attacker(port, path);
  if (!attacker.Open(idle, slow)) {
    fmt::print(stderr, "idle_attack: cannot open {} connections\n", idle + slow);
    return 1;
  }
  std::atomic<bool> done{false};
  std::thread holding([&] { attacker.Run(done); });
  std::this_thread::sleep_for(std::chrono::duration<double>(hold_seconds));

  std::string request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (const std::string& h : headers) request += h + "\r\n";
  request += "Connection: close\r\n\r\n";
  std::vector<double> latencies;
  size_t failed = 0;
  for (size_t i = 0; i < samples; ++i) {
    if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(interval_ms));
    double ms = Sample(port, request);
    if (ms < 0) {
      ++failed;
    } else {
      latencies.push_back(ms);
    }
  }
  done = true;
  holding.join();
  if (latencies.empty()) {
    fmt::print("samples 0 failed {} reopened {}\n", failed, attacker.reopened());
    return 1;
  }
  std::sort(latencies.begin(), latencies.end());
  // One line for the script: samples, median, p99, max (ms), failed samples, reopened held ones.
  fmt::print("samples {} median {:.2f} p99 {:.2f} max {:.2f} failed {} reopened {}\n",
             latencies.size(), Percentile(latencies, 0.5), Percentile(latencies, 0.99),
             latencies.back(), failed, attacker.reopened());
  return failed == 0 ? 0 : 1;
}
