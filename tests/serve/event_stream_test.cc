// The event stream: frames kept per run with ids that keep growing, readers woken as frames
// arrive, and 50 browsers on one run each receiving every event.
#include <future>

#include "serve/event_log.h"
#include "serve/serve_fixture.h"

namespace verity::serve::testing {
namespace {

using Millis = std::chrono::milliseconds;

TEST(EventLog, ReadersGetTheFramesAfterTheirLastIdAndIdsOutliveARun) {
  EventLog log;
  EXPECT_TRUE(log.After(0, Millis(0)).empty());
  log.Append("a", Json{{"n", 1}});
  log.Append("b", Json{{"n", 2}});
  std::vector<EventFrame> all = log.After(0, Millis(0));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, 1u);
  EXPECT_EQ(all[1].Wire(), "id: 2\nevent: b\ndata: {\"n\":2}\n\n");
  EXPECT_EQ(log.After(1, Millis(0)).size(), 1u);
  log.StartOver();
  EXPECT_EQ(log.Append("c", Json::object()), 3u) << "a reconnecting browser never sees an old id";
  std::vector<EventFrame> next = log.After(2, Millis(0));
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].name, "c");
  EXPECT_EQ(log.After(1, Millis(0)).size(), 1u) << "an id from the last run gets the new one";
}

TEST(EventLog, AWaitingReaderWakesOnANewFrameAndOnClose) {
  EventLog log;
  auto waiting = std::async(std::launch::async, [&log] { return log.After(0, Millis(60000)); });
  log.Append("hello", Json::object());
  std::vector<EventFrame> got = waiting.get();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].name, "hello");
  auto closed = std::async(std::launch::async, [&log] { return log.After(1, Millis(60000)); });
  log.Close();
  EXPECT_TRUE(closed.get().empty());
  EXPECT_TRUE(log.closed());
}

TEST_F(ServeTest, FiftyBrowsersOnOneRunEachReceiveEveryEvent) {
  Start();
  constexpr int kBrowsers = 50;
  std::vector<std::future<std::vector<Frame>>> browsers;
  for (int i = 0; i < kBrowsers; ++i) {
    browsers.push_back(
        std::async(std::launch::async, [this] { return ReadEvents("run_finished"); }));
  }
  std::string run_id = RunToTheEnd();
  ASSERT_FALSE(run_id.empty());
  std::vector<Frame> reference = ReadEvents("run_finished");
  ASSERT_GE(reference.size(), 4u);
  for (auto& browser : browsers) {
    std::vector<Frame> frames = browser.get();
    ASSERT_EQ(frames.size(), reference.size());
    for (size_t i = 0; i < frames.size(); ++i) {
      EXPECT_EQ(frames[i].id, reference[i].id);
      EXPECT_EQ(frames[i].name, reference[i].name);
      EXPECT_EQ(frames[i].data, reference[i].data);
    }
  }
}

}  // namespace
}  // namespace verity::serve::testing
