// The mock's connection stream over a socket pair: what reaches the client and when.
#include "mock/connection.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <future>
#include <string>

namespace verity::mock {
namespace {

using Millis = std::chrono::milliseconds;

class ConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    int fds[2];
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    server_fd_ = fds[0];
    client_fd_ = fds[1];
    // A broken stream must fail the test, not hang it.
    timeval timeout{5, 0};
    setsockopt(client_fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    stop_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    ASSERT_GE(stop_fd_, 0);
  }
  void TearDown() override {
    close(server_fd_);
    if (client_fd_ >= 0) close(client_fd_);
    close(stop_fd_);
  }

  /// What the client can read without waiting.
  std::string Pending() const {
    std::string out;
    char buffer[4096];
    while (true) {
      ssize_t n = recv(client_fd_, buffer, sizeof buffer, MSG_DONTWAIT);
      if (n <= 0) return out;
      out.append(buffer, static_cast<size_t>(n));
    }
  }
  void Send(const std::string& text) const {
    ASSERT_EQ(send(client_fd_, text.data(), text.size(), 0), static_cast<ssize_t>(text.size()));
  }
  /// Whether the client sees the end of the stream (the server hung up).
  bool ClientSeesEnd() const {
    pollfd fd{client_fd_, POLLIN, 0};
    if (poll(&fd, 1, 5000) != 1) return false;
    char byte;
    return recv(client_fd_, &byte, 1, MSG_DONTWAIT) == 0;
  }

  int server_fd_ = -1, client_fd_ = -1, stop_fd_ = -1;
  Connection::Timeouts timeouts_;
};

TEST_F(ConnectionTest, AnAnswerIsGatheredAndSentWholeByFlush) {
  Connection connection(server_fd_, stop_fd_, timeouts_);
  connection.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n", 38);
  connection.write("{}", 2);
  EXPECT_EQ(Pending(), "") << "nothing leaves before the answer is complete";
  EXPECT_TRUE(connection.Flush());
  EXPECT_EQ(Pending(), "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
}

TEST_F(ConnectionTest, ReadingSendsWhatWasGatheredFirstSoAnInterimAnswerIsNotHeldBack) {
  Connection connection(server_fd_, stop_fd_, timeouts_);
  connection.write("HTTP/1.1 100 Continue\r\n\r\n", 25);
  // The client sends its body only once it has seen the interim answer.
  auto client = std::async(std::launch::async, [this] {
    std::string seen;
    char buffer[64];
    while (seen.find("\r\n\r\n") == std::string::npos) {
      ssize_t n = recv(client_fd_, buffer, sizeof buffer, 0);
      if (n <= 0) return seen;
      seen.append(buffer, static_cast<size_t>(n));
    }
    send(client_fd_, "body", 4, 0);
    return seen;
  });
  char body[4] = {};
  ASSERT_EQ(connection.read(body, sizeof body), 4);
  EXPECT_EQ(std::string(body, 4), "body");
  EXPECT_EQ(client.get(), "HTTP/1.1 100 Continue\r\n\r\n");
}

TEST_F(ConnectionTest, ReadsComeFromOneBufferedReceiveInOrder) {
  Connection connection(server_fd_, stop_fd_, timeouts_);
  Send("GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n");
  ASSERT_TRUE(connection.WaitForRequest(Millis(1000)));
  char buffer[19];
  ASSERT_EQ(connection.read(buffer, sizeof buffer), 19);
  EXPECT_EQ(std::string(buffer, 19), "GET /a HTTP/1.1\r\n\r\n");
  EXPECT_TRUE(connection.WaitForRequest(Millis(0))) << "the second request is already here";
  ASSERT_EQ(connection.read(buffer, sizeof buffer), 19);
  EXPECT_EQ(std::string(buffer, 19), "GET /b HTTP/1.1\r\n\r\n");
}

TEST_F(ConnectionTest, WaitingForTheNextRequestEndsWhenTheServerStops) {
  Connection connection(server_fd_, stop_fd_, timeouts_);
  auto waiting = std::async(std::launch::async,
                            [&connection] { return connection.WaitForRequest(Millis(60000)); });
  uint64_t one = 1;
  ASSERT_EQ(write(stop_fd_, &one, sizeof one), static_cast<ssize_t>(sizeof one));
  // Without the stop this would wait for its minute; the test's timeout would end it first.
  EXPECT_FALSE(waiting.get());
}

TEST_F(ConnectionTest, AnIdleClientIsLetGoAfterTheKeepAliveTimeout) {
  Connection connection(server_fd_, stop_fd_, timeouts_);
  EXPECT_FALSE(connection.WaitForRequest(Millis(20)));
}

TEST_F(ConnectionTest, AClientThatHungUpEndsTheReadWithEndOfStream) {
  Connection connection(server_fd_, stop_fd_, timeouts_);
  close(client_fd_);
  client_fd_ = -1;
  EXPECT_TRUE(connection.WaitForRequest(Millis(1000))) << "the read reports it";
  char buffer[8];
  EXPECT_EQ(connection.read(buffer, sizeof buffer), 0);
}

TEST_F(ConnectionTest, AStalledRequestTimesOutInsteadOfHangingTheThread) {
  timeouts_.read = Millis(20);
  Connection connection(server_fd_, stop_fd_, timeouts_);
  char buffer[8];
  EXPECT_EQ(connection.read(buffer, sizeof buffer), -1);
}

TEST_F(ConnectionTest, ADroppedConnectionSendsNothingOfTheAnswerAndHangsUp) {
  Connection connection(server_fd_, stop_fd_, timeouts_);
  connection.write("HTTP/1.1 500\r\n\r\n", 16);
  connection.Drop();
  EXPECT_TRUE(connection.dropped());
  EXPECT_FALSE(connection.Flush());
  EXPECT_EQ(connection.write("more", 4), -1);
  EXPECT_TRUE(ClientSeesEnd()) << "the first thing the client sees is the end";
}

TEST_F(ConnectionTest, AnAnswerLargerThanTheSocketBufferArrivesWhole) {
  Connection connection(server_fd_, stop_fd_, timeouts_);
  const std::string big(3 << 20, 'x');
  auto client = std::async(std::launch::async, [this, size = big.size()] {
    std::string got;
    char buffer[65536];
    while (got.size() < size) {
      ssize_t n = recv(client_fd_, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      got.append(buffer, static_cast<size_t>(n));
    }
    return got;
  });
  for (size_t at = 0; at < big.size(); at += 100000) {
    size_t n = std::min<size_t>(100000, big.size() - at);
    ASSERT_EQ(connection.write(big.data() + at, n), static_cast<ssize_t>(n));
  }
  EXPECT_TRUE(connection.Flush());
  EXPECT_EQ(client.get(), big);
}

}  // namespace
}  // namespace verity::mock
