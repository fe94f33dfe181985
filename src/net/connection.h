// Internal to src/net: one accepted connection, and the table of the connections waiting on their
// client (idle, sending a head or a body, taking an answer, or being closed), with their
// deadlines and the caps on how many there may be.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "net/request_reader.h"

namespace verity::net::internal {

using Clock = std::chrono::steady_clock;

/// Where a connection is. The first five are waits on the client, each with its own timeout;
/// kBusy is a request being answered (no timeout: the handler decides).
enum class Phase { kIdle, kHead, kBody, kWrite, kLinger, kBusy };
inline constexpr int kWaitPhases = 5;

struct Connection {
  Connection(int socket, std::string peer_address, const Limits& limits)
      : fd(socket), peer(std::move(peer_address)), reader(limits) {}

  const int fd;
  const std::string peer;
  RequestReader reader;
  std::string input;   // received, not yet taken by the reader (pipelined requests)
  std::string output;  // answer bytes not yet sent
  size_t output_sent = 0;
  bool close_after_output = false;
  bool continue_sent = false;
  size_t lingered = 0;      // bytes read and thrown away after a refusal
  size_t body_counted = 0;  // of the body being received, counted in the server's total

  // The table's, under its mutex.
  Phase phase = Phase::kBusy;
  Clock::time_point deadline;
  Connection* prev = nullptr;
  Connection* next = nullptr;
  bool linked = false;
  bool expired = false;  // timed out or reclaimed: its owner closes it
  bool counted = false;  // holds a place under the caps
};

struct Caps {
  size_t max_connections = 1024;
  size_t max_per_address = 1024;
};

class ConnectionTable {
 public:
  ConnectionTable(const Limits& limits, Caps caps) : limits_(limits), caps_(caps) {}

  /// Gives a newcomer its place under the caps, reclaiming a waiting connection (idle first, then
  /// the oldest still sending its head; of the same address first) when a cap is reached. False:
  /// nothing could be reclaimed, refuse it.
  bool Admit(Connection* c);
  /// Puts `c` to wait in `phase`: a new phase starts its timeout, the same phase keeps it. False
  /// once the server is stopping (only an answer still being sent may wait then): close it.
  bool Park(Connection* c, Phase phase, Clock::time_point now);
  /// Takes `c` back from its wait for the thread its event woke. False when it expired meanwhile
  /// (the caller closes it).
  bool Take(Connection* c);
  /// Before `c` is closed and deleted.
  void Forget(Connection* c);
  /// Expires every connection past its deadline; returns how long until the next deadline.
  std::chrono::milliseconds Sweep(Clock::time_point now);
  /// At stop: expires every waiting connection except those still taking an answer.
  void ExpireWaiting();
  /// Waits until no connection is left or `timeout` passes; true when none is.
  bool WaitEmpty(std::chrono::milliseconds timeout);
  void Added();

  struct Counts {
    size_t live = 0, idle = 0, head = 0, body = 0, write = 0, linger = 0;
    uint64_t reclaimed = 0, refused = 0;
  };
  Counts counts();
  void CountRefused();

 private:
  struct List {
    Connection* head = nullptr;
    Connection* tail = nullptr;
    size_t size = 0;
  };
  std::chrono::milliseconds Timeout(Phase phase) const;
  void Link(Connection* c, Phase phase);
  void Unlink(Connection* c);
  void Expire(Connection* c);
  void Uncount(Connection* c);
  /// The oldest connection waiting in `phase`, of `peer` unless it is empty.
  Connection* Oldest(Phase phase, const std::string& peer);
  bool Reclaim(const std::string& peer);

  const Limits& limits_;
  const Caps caps_;
  std::mutex mutex_;
  std::condition_variable empty_;
  List lists_[kWaitPhases];
  std::unordered_map<std::string, size_t> per_address_;
  bool stopping_ = false;
  size_t counted_ = 0;
  size_t live_ = 0;
  uint64_t reclaimed_ = 0;
  uint64_t refused_ = 0;
};

}  // namespace verity::net::internal
