#include "net/connection.h"

#include <sys/socket.h>

#include <algorithm>

namespace verity::net::internal {

namespace {

// After a refusal the server reads (and throws away) what the client still sends for this long,
// so the refusal is not lost to a TCP reset from closing on unread bytes.
constexpr std::chrono::milliseconds kLinger{2000};

int Index(Phase phase) { return static_cast<int>(phase); }

}  // namespace

std::chrono::milliseconds ConnectionTable::Timeout(Phase phase) const {
  switch (phase) {
    case Phase::kIdle:
      return limits_.idle_timeout;
    case Phase::kHead:
      return limits_.head_timeout;
    case Phase::kBody:
      return limits_.body_timeout;
    case Phase::kWrite:
      return limits_.write_timeout;
    case Phase::kLinger:
      return kLinger;
    case Phase::kBusy:
      break;
  }
  return limits_.idle_timeout;
}

void ConnectionTable::Link(Connection* c, Phase phase) {
  List& list = lists_[Index(phase)];
  c->prev = list.tail;
  c->next = nullptr;
  (list.tail != nullptr ? list.tail->next : list.head) = c;
  list.tail = c;
  ++list.size;
  c->linked = true;
}

void ConnectionTable::Unlink(Connection* c) {
  if (!c->linked) return;
  List& list = lists_[Index(c->phase)];
  (c->prev != nullptr ? c->prev->next : list.head) = c->next;
  (c->next != nullptr ? c->next->prev : list.tail) = c->prev;
  c->prev = c->next = nullptr;
  --list.size;
  c->linked = false;
}

void ConnectionTable::Uncount(Connection* c) {
  if (!c->counted) return;
  c->counted = false;
  --counted_;
  auto it = per_address_.find(c->peer);
  if (it != per_address_.end() && --it->second == 0) per_address_.erase(it);
}

// The owner learns of it from the event the shutdown raises; only the owner closes and deletes.
void ConnectionTable::Expire(Connection* c) {
  Unlink(c);
  Uncount(c);
  c->expired = true;
  shutdown(c->fd, SHUT_RDWR);
}

Connection* ConnectionTable::Oldest(Phase phase, const std::string& peer) {
  for (Connection* c = lists_[Index(phase)].head; c != nullptr; c = c->next) {
    if (peer.empty() || c->peer == peer) return c;
  }
  return nullptr;
}

bool ConnectionTable::Reclaim(const std::string& peer) {
  for (Phase phase : {Phase::kIdle, Phase::kHead}) {
    if (Connection* victim = Oldest(phase, peer)) {
      Expire(victim);
      ++reclaimed_;
      return true;
    }
  }
  return false;
}

bool ConnectionTable::Admit(Connection* c) {
  std::lock_guard lock(mutex_);
  auto mine = [&] {
    auto it = per_address_.find(c->peer);
    return it == per_address_.end() ? size_t{0} : it->second;
  };
  bool room = mine() < caps_.max_per_address || Reclaim(c->peer);
  room = room && (counted_ < caps_.max_connections || Reclaim(c->peer) || Reclaim(""));
  if (!room) {
    ++refused_;
    return false;
  }
  ++per_address_[c->peer];
  ++counted_;
  c->counted = true;
  return true;
}

void ConnectionTable::Added() {
  std::lock_guard lock(mutex_);
  ++live_;
}

bool ConnectionTable::Park(Connection* c, Phase phase, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (stopping_ && phase != Phase::kWrite) return false;
  if (c->phase != phase) c->deadline = now + Timeout(phase);
  c->phase = phase;
  Link(c, phase);
  return true;
}

bool ConnectionTable::Take(Connection* c) {
  std::lock_guard lock(mutex_);
  if (c->expired) return false;
  Unlink(c);
  return true;
}

void ConnectionTable::Forget(Connection* c) {
  std::lock_guard lock(mutex_);
  Unlink(c);
  Uncount(c);
  if (--live_ == 0) empty_.notify_all();
}

std::chrono::milliseconds ConnectionTable::Sweep(Clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto next = now + std::chrono::seconds(1);
  for (List& list : lists_) {
    // Each list holds one phase, whose timeout is the same for all: oldest first is soonest first.
    while (list.head != nullptr && list.head->deadline <= now) Expire(list.head);
    if (list.head != nullptr) next = std::min(next, list.head->deadline);
  }
  return std::chrono::ceil<std::chrono::milliseconds>(next - now);
}

void ConnectionTable::ExpireWaiting() {
  std::lock_guard lock(mutex_);
  stopping_ = true;
  for (Phase phase : {Phase::kIdle, Phase::kHead, Phase::kBody, Phase::kLinger}) {
    while (Connection* c = lists_[Index(phase)].head) Expire(c);
  }
}

bool ConnectionTable::WaitEmpty(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return empty_.wait_for(lock, timeout, [this] { return live_ == 0; });
}

ConnectionTable::Counts ConnectionTable::counts() {
  std::lock_guard lock(mutex_);
  return {.live = live_,
          .idle = lists_[Index(Phase::kIdle)].size,
          .head = lists_[Index(Phase::kHead)].size,
          .body = lists_[Index(Phase::kBody)].size,
          .write = lists_[Index(Phase::kWrite)].size,
          .linger = lists_[Index(Phase::kLinger)].size,
          .reclaimed = reclaimed_,
          .refused = refused_};
}

void ConnectionTable::CountRefused() {
  std::lock_guard lock(mutex_);
  ++refused_;
}

}  // namespace verity::net::internal
