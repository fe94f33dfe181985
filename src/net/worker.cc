#include "net/worker.h"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace verity::net::internal {

namespace {

// Answers of pipelined requests are gathered and sent together; past this they go out before the
// next request is answered (and the connection waits for the client if it does not take them).
constexpr size_t kGatherLimit = 256 * 1024;
// What a refused client may still send, read and thrown away, before the connection is cut.
constexpr size_t kMaxLinger = 1u << 20;
constexpr size_t kReadSize = 64 * 1024;

char* ReadBuffer() {
  static thread_local char buffer[kReadSize];
  return buffer;
}

size_t Pending(const Connection* c) { return c->output.size() - c->output_sent; }

}  // namespace

void Worker::OnEvent(Connection* c) {
  if (!context_.table.Take(c)) return Close(c);
  if (c->phase == Phase::kLinger) return Drain(c);
  Drive(c);
}

void Worker::Close(Connection* c) {
  UncountBody(c);
  context_.table.Forget(c);
  close(c->fd);
  delete c;
}

void Worker::Drive(Connection* c) {
  RequestReader& reader = c->reader;
  while (true) {
    if (c->close_after_output) return FinishClosing(c);
    if (Pending(c) > kGatherLimit) {
      if (!Send(c)) return Close(c);
      if (Pending(c) > 0) return Park(c, Phase::kWrite, EPOLLOUT);
    }
    bool reading = reader.state() == RequestReader::State::kHead ||
                   reader.state() == RequestReader::State::kBody;
    if (reading && !c->input.empty()) c->input.erase(0, reader.Consume(c->input));
    if (reading && !CountBody(c)) {
      Refuse(c, 503, "the server is receiving as many request bodies as it can hold; try again");
      continue;
    }
    if (reader.state() == RequestReader::State::kDone) {
      if (!Handle(c)) return;
      continue;
    }
    if (reader.state() == RequestReader::State::kFailed) {
      Refuse(c, reader.error_status(), reader.error());
      continue;
    }
    if (reader.wants_continue() && !c->continue_sent) {
      c->output += "HTTP/1.1 100 Continue\r\n\r\n";
      c->continue_sent = true;
    }
    // Everything buffered is taken: what is owed goes out before waiting for more.
    if (Pending(c) > 0) {
      if (!Send(c)) return Close(c);
      if (Pending(c) > 0) return Park(c, Phase::kWrite, EPOLLOUT);
    }
    if (context_.stopping.load() && !reader.started()) return Close(c);
    char* buffer = ReadBuffer();
    ssize_t got = recv(c->fd, buffer, kReadSize, MSG_DONTWAIT);
    if (got > 0) {
      auto size = static_cast<size_t>(got);
      size_t taken = reader.Consume({buffer, size});
      if (taken < size) c->input.append(buffer + taken, size - taken);
      if (!CountBody(c)) {
        Refuse(c, 503, "the server is receiving as many request bodies as it can hold; try again");
      }
    } else if (got < 0 && errno == EINTR) {
      continue;
    } else if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      Phase phase = !reader.started()                               ? Phase::kIdle
                    : reader.state() == RequestReader::State::kHead ? Phase::kHead
                                                                    : Phase::kBody;
      return Park(c, phase, EPOLLIN);
    } else {
      return Close(c);  // the client hung up (mid-request or not) or the socket broke
    }
  }
}

bool Worker::Handle(Connection* c) {
  UncountBody(c);
  Request request = std::move(c->reader.request());
  c->reader.Reset();
  c->continue_sent = false;
  c->phase = Phase::kBusy;  // the next wait starts its own timeout
  request.peer = c->peer;
  context_.before_handler();
  Exchange exchange(*c, std::move(request), context_.limits, context_.stopping, context_.will_wait);
  context_.handler(exchange);
  if (exchange.failed_ || (exchange.dropped_ && Pending(c) == 0)) {
    Close(c);
    return false;
  }
  if (exchange.dropped_) {  // the answers of earlier pipelined requests go out first
    c->close_after_output = true;
    c->input.clear();
    return true;
  }
  if (!exchange.answered_) {
    exchange.Answer(ErrorResponse(500, "the server found no answer for this request"));
  }
  if (exchange.closes()) c->close_after_output = true;
  return true;
}

void Worker::Refuse(Connection* c, int status, std::string_view why) {
  AppendAnswer(ErrorResponse(status, why), {.close = true}, c->output);
  c->close_after_output = true;
  c->input.clear();
  UncountBody(c);
}

bool Worker::CountBody(Connection* c) {
  size_t now = c->reader.request().body.size();
  if (now <= c->body_counted) return true;
  size_t total =
      context_.buffered_body_bytes.fetch_add(now - c->body_counted) + (now - c->body_counted);
  c->body_counted = now;
  size_t cap = context_.limits.max_buffered_body_bytes;
  if (cap == 0) cap = std::max<size_t>(16 * context_.limits.max_body_bytes, 256u << 20);
  return total <= cap;
}

void Worker::UncountBody(Connection* c) {
  context_.buffered_body_bytes.fetch_sub(c->body_counted);
  c->body_counted = 0;
}

bool Worker::Send(Connection* c) {
  while (Pending(c) > 0) {
    ssize_t sent =
        send(c->fd, c->output.data() + c->output_sent, Pending(c), MSG_DONTWAIT | MSG_NOSIGNAL);
    if (sent > 0) {
      c->output_sent += static_cast<size_t>(sent);
      c->phase = Phase::kBusy;  // progress: the write timeout starts again
    } else if (sent < 0 && errno == EINTR) {
      continue;
    } else {
      return sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
  }
  c->output.clear();
  c->output_sent = 0;
  return true;
}

void Worker::Park(Connection* c, Phase phase, uint32_t events) {
  int fd = c->fd;  // read while this thread owns `c`: the table's lock orders it before a close
  if (!context_.table.Park(c, phase, Clock::now())) return Close(c);
  epoll_event event{};
  event.events = events | EPOLLONESHOT | EPOLLRDHUP;
  event.data.ptr = c;
  // From here another thread may own it: `c` is not touched again.
  epoll_ctl(context_.epoll_fd, EPOLL_CTL_MOD, fd, &event);
}

void Worker::FinishClosing(Connection* c) {
  if (!Send(c)) return Close(c);
  if (Pending(c) > 0) return Park(c, Phase::kWrite, EPOLLOUT);
  // The client reads the end of the stream after the answer; what it still sends is drained, so
  // closing on unread bytes does not reset the connection before it has read the answer.
  shutdown(c->fd, SHUT_WR);
  c->input.clear();
  Park(c, Phase::kLinger, EPOLLIN);
}

void Worker::Drain(Connection* c) {
  char* buffer = ReadBuffer();
  while (true) {
    ssize_t got = recv(c->fd, buffer, kReadSize, MSG_DONTWAIT);
    if (got > 0) {
      c->lingered += static_cast<size_t>(got);
      if (c->lingered > kMaxLinger) return Close(c);
    } else if (got < 0 && errno == EINTR) {
      continue;
    } else if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return Park(c, Phase::kLinger, EPOLLIN);
    } else {
      return Close(c);
    }
  }
}

}  // namespace verity::net::internal
