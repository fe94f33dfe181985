// The serving thread both servers run on: a request sent right after Bind is answered with no
// wait for the thread, Stop returns what Serve returned, and a Serve that ends on its own is seen.
#include "net/serving.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "net/raw_client.h"
#include "net/server.h"

namespace verity::net {
namespace {

using Millis = std::chrono::milliseconds;

TEST(ServingThread, ARequestSentRightAfterBindIsAnswered) {
  Server server(
      [](Exchange& e) {
        Response answer;
        answer.body = "hello";
        e.Answer(answer);
      },
      {});
  Result<int> port = server.Bind();
  ASSERT_TRUE(port.ok()) << port.status().message();
  // Connected and sent before the serving thread exists: the listening socket queues it.
  testing::RawClient client(*port);
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.Send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  ServingThread serving;
  serving.Start([&server] { return server.Serve(); }, [&server] { server.Stop(); });
  std::string answer = client.ReadAll();
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 200 ")) << answer;
  EXPECT_TRUE(answer.ends_with("hello")) << answer;
  EXPECT_FALSE(serving.ended());
  EXPECT_TRUE(serving.Stop().ok());
  EXPECT_TRUE(serving.ended());
}

TEST(ServingThread, StopReturnsWhatServeReturnedAndIsIdempotent) {
  std::atomic<bool> stop{false};
  ServingThread serving;
  serving.Start(
      [&stop] {
        while (!stop.load()) std::this_thread::yield();
        return Status::IoError("the listening socket broke");
      },
      [&stop] { stop = true; });
  EXPECT_EQ("the listening socket broke", serving.Stop().message());
  EXPECT_EQ("the listening socket broke", serving.Stop().message());
}

TEST(ServingThread, AServeThatEndsOnItsOwnIsSeenWithoutAStop) {
  ServingThread serving;
  serving.Start([] { return Status::IoError("gone"); }, [] {});
  EXPECT_TRUE(serving.WaitEnded(Millis(10000)));
  EXPECT_TRUE(serving.ended());
  EXPECT_EQ("gone", serving.Stop().message());
}

TEST(ServingThread, StopBeforeStartIsANoOp) {
  ServingThread serving;
  EXPECT_TRUE(serving.Stop().ok());
  EXPECT_FALSE(serving.WaitEnded(Millis(1)));
}

TEST(ServingThread, ABindErrorNamesTheAddress) {
  Server first([](Exchange&) {}, {});
  Result<int> port = first.Bind();
  ASSERT_TRUE(port.ok());
  Server second([](Exchange&) {}, {.port = *port});
  Result<int> again = second.Bind();
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(again.status().message().starts_with(
      "cannot listen on 127.0.0.1:" + std::to_string(*port) + ": "))
      << again.status().message();
}

}  // namespace
}  // namespace verity::net
