// One accepted connection of the mock server, as the httplib::Stream its requests are read from
// and answered on. Internal to src/mock (server.cc): it includes httplib.h.
//
// httplib's own stream polls before every read and every write and writes an answer's head and
// body separately: about ten system calls and two TCP segments per request, which cost the mock
// more than everything else it does. This one reads ahead into a buffer, gathers an answer and
// sends it in one call when the request is done (or before its next read, so an interim
// "100 Continue" reaches the client before its body is awaited): a poll, a recv and a send.
//
// Waits watch a stop descriptor as well, so an idle kept-alive connection ends as soon as the
// server stops instead of at the end of its keep-alive timeout.
#pragma once

#include <httplib.h>

#include <chrono>
#include <string>

namespace verity::mock {

class Connection : public httplib::Stream {
 public:
  struct Timeouts {
    std::chrono::milliseconds read{5000};   // for the rest of a request once it has begun
    std::chrono::milliseconds write{5000};  // for the client to take an answer
  };
  /// `fd` stays the caller's to close; `stop_fd` becomes readable when the server stops.
  Connection(int fd, int stop_fd, Timeouts timeouts);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Waits up to `idle` for the next request's first bytes (true; also at end of stream, which
  /// the request's read then reports). False on timeout, on stop, after a drop or an error.
  bool WaitForRequest(std::chrono::milliseconds idle);
  /// Sends what the answer gathered; false when the client could not take it.
  bool Flush();
  /// Closes the connection without sending what was gathered or anything more.
  void Drop();
  bool dropped() const { return dropped_; }

  // httplib::Stream
  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override { return fd_; }

 private:
  enum class Ready { kYes, kTimeout, kStopped, kError };
  /// Polls the socket for `events` and the stop descriptor (unless `ignore_stop`).
  Ready Await(short events, std::chrono::milliseconds timeout, bool ignore_stop) const;
  /// Reads what the socket has into the buffer, waiting up to `timeout` for the first byte.
  /// Returns the bytes read, 0 at end of stream, -1 on timeout, stop or error.
  ssize_t Fill(std::chrono::milliseconds timeout);

  const int fd_;
  const int stop_fd_;
  const Timeouts timeouts_;
  std::string remote_ip_, local_ip_;
  int remote_port_ = -1, local_port_ = -1;
  char in_[16 * 1024];
  size_t in_begin_ = 0, in_end_ = 0;
  std::string out_;
  bool dropped_ = false;
  bool failed_ = false;
};

}  // namespace verity::mock
