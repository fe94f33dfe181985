#include "net/exchange.h"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

#include "net/connection.h"

namespace verity::net {

bool Exchange::closes() const {
  return close_ || failed_ || !request_.keep_alive || stopping_.load(std::memory_order_relaxed);
}

void Exchange::Answer(const Response& response) {
  if (answered_ || dropped_) return;
  answered_ = true;
  AnswerFraming framing{.head_request = request_.method == "HEAD",
                        .close = closes(),
                        .keep_alive_1_0 = request_.minor_version == 0 && request_.keep_alive};
  AppendAnswer(response, framing, connection_.output);
}

size_t Exchange::PendingOutput() const {
  return connection_.output.size() - connection_.output_sent;
}

void Exchange::Drop() {
  dropped_ = true;
  connection_.output.resize(connection_.output_sent + std::min(earlier_answers_, PendingOutput()));
}

bool Exchange::Write(std::string_view bytes) {
  if (dropped_ || failed_) return false;
  answered_ = true;
  connection_.output.append(bytes);
  if (!Flush()) {
    failed_ = true;
    return false;
  }
  return true;
}

bool Exchange::Flush() {
  std::string& out = connection_.output;
  size_t& sent = connection_.output_sent;
  while (sent < out.size()) {
    ssize_t n =
        send(connection_.fd, out.data() + sent, out.size() - sent, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return false;
    pollfd fd{connection_.fd, POLLOUT, 0};
    int ready = poll(&fd, 1, static_cast<int>(limits_.write_timeout.count()));
    if (ready == 0 || (ready < 0 && errno != EINTR)) return false;
  }
  out.clear();
  sent = 0;
  return true;
}

}  // namespace verity::net
