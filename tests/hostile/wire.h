// The hostile table's network side: raw bytes to a server on 127.0.0.1, the answer read back as
// sent, and connections held open the way idle clients and slowloris attackers hold them.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "hostile/hostile_case.h"

namespace verity::hostile {

/// Connections opened before a case's request and closed by the destructor.
class HeldConnections {
 public:
  HeldConnections(int port, const Hold& hold);
  ~HeldConnections();
  HeldConnections(const HeldConnections&) = delete;
  HeldConnections& operator=(const HeldConnections&) = delete;
  /// How many are still open (the server may close some: that is its right).
  int open() const;
  const std::string& error() const { return error_; }

 private:
  std::vector<int> fds_;
  std::string error_;
};

struct Exchange {
  std::string answer;     // every byte the server sent, interim 1xx answers included
  int status = 0;         // of the final answer; 0 when none came
  bool complete = false;  // a whole final answer (its head and, by its framing, its body) arrived
  bool closed = false;    // the server closed the connection (seen within `close_wait`)
  std::chrono::milliseconds elapsed{0};  // from connecting to the complete answer
  std::string error;
};

/// A stand-in for the API a case's command talks to: on 127.0.0.1 and a free port, it reads each
/// request (its head, and a body framed by Content-Length) and answers every one with the same
/// raw bytes, then closes the connection. Stops and joins in the destructor.
class RawUpstream {
 public:
  explicit RawUpstream(const Payload& answer);
  ~RawUpstream();
  RawUpstream(const RawUpstream&) = delete;
  RawUpstream& operator=(const RawUpstream&) = delete;
  /// "http://127.0.0.1:PORT", or "" when it could not listen.
  std::string url() const;
  int requests() const { return requests_.load(); }

 private:
  void Serve();
  void Answer(int fd);

  std::string answer_;
  int listen_fd_ = -1;
  int stop_pipe_[2] = {-1, -1};
  int port_ = 0;
  std::atomic<int> requests_{0};
  std::thread thread_;
};

/// Connects to 127.0.0.1:`port`, sends `request` (its `{port}` replaced) while reading, and stops
/// sending as soon as a final answer is complete: a server may answer before taking the whole
/// body (413), and must not have to read it. Then waits up to `close_wait` for the connection to
/// close.
Exchange Send(int port, const Payload& request, std::chrono::milliseconds timeout,
              std::chrono::milliseconds close_wait);

}  // namespace verity::hostile
