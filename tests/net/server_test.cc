// The servers' HTTP core over real sockets on 127.0.0.1: framing attacks refused before any
// handler runs (counted), limits answered at once, pipelining, 100-continue, keep-alive, a
// graceful stop, and clients that are idle, slow to send or slow to read costing no thread.
#include "net/server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "net/raw_client.h"
#include "net/serving.h"

namespace verity::net {
namespace {

using Millis = std::chrono::milliseconds;
using testing::RawClient;

class NetServerTest : public ::testing::Test {
 protected:
  ~NetServerTest() override { StopServer(); }

  void Start(ServerOptions options = {}) {
    options.limits.max_body_bytes =
        options.limits.max_body_bytes == (16u << 20) ? 1u << 20 : options.limits.max_body_bytes;
    server_ = std::make_unique<Server>([this](Exchange& e) { Handle(e); }, std::move(options));
    Result<int> port = server_->Bind();
    ASSERT_TRUE(port.ok()) << port.status().message();
    port_ = *port;
    Server* server = server_.get();
    serving_.Start([server] { return server->Serve(); }, [server] { server->Stop(); });
  }
  void StopServer() {
    if (!server_) return;
    (void)serving_.Stop();
    server_.reset();
  }

  // /echo answers the body; /slow waits 300 ms; /big answers 8 MiB; /drop drops; /inject tries
  // to smuggle headers into the answer; /interim answers 101.
  void Handle(Exchange& e) {
    handled_.fetch_add(1);
    const Request& r = e.request();
    if (r.path() == "/slow") std::this_thread::sleep_for(Millis(300));
    if (r.path() == "/wait") {  // says it waits, then holds its thread until the gate opens
      e.WillWait();
      waiting_.fetch_add(1);
      std::unique_lock lock(gate_mutex_);
      gate_.wait(lock, [this] { return gate_open_; });
    }
    if (r.path() == "/drop") return e.Drop();
    Response answer;
    answer.headers.push_back({"Content-Type", "text/plain"});
    if (r.path() == "/big") answer.body.assign(8u << 20, 'b');
    if (r.path() == "/inject") {
      answer.headers.push_back({"X-A", "1\r\nSet-Cookie: stolen=1"});
      answer.headers.push_back({"Bad Name", "x"});
      answer.headers.push_back({"Content-Length", "0"});
      answer.headers.push_back({"Transfer-Encoding", "chunked"});
      answer.body = "safe";
    }
    if (r.path() == "/interim") answer.status = 101;
    if (answer.body.empty()) answer.body = r.method + " " + r.target + " " + r.body;
    e.Answer(answer);
  }

  RawClient Connect() const { return RawClient(port_); }

  std::unique_ptr<Server> server_;
  ServingThread serving_;
  int port_ = 0;
  std::atomic<int> handled_{0};
  std::atomic<int> waiting_{0};
  std::mutex gate_mutex_;
  std::condition_variable gate_;
  bool gate_open_ = false;
  void OpenGate() {
    {
      std::lock_guard lock(gate_mutex_);
      gate_open_ = true;
    }
    gate_.notify_all();
  }
};

TEST_F(NetServerTest, EverySmugglingVariantIs400ThenCloseAndTheSmuggledRequestNeverRuns) {
  Start();
  const std::string smuggled = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::vector<std::string> heads = {
      "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
      "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n",
      "Transfer-Encoding: xchunked\r\n",
      "Transfer-Encoding: chunked, gzip\r\n",
      "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n",
      "Transfer-Encoding : chunked\r\n",
      "Content-Length: 5\r\nContent-Length: 6\r\n",
      "Content-Length: 5, 5\r\n",
      "Content-Length: -5\r\n",
      "Content-Length: 99999999999999999999\r\n",
      "X-A: 1\r\n Transfer-Encoding: chunked\r\n",
      "X-A: 1\rTransfer-Encoding: chunked\r\n",
  };
  for (const std::string& head : heads) {
    RawClient client = Connect();
    ASSERT_TRUE(client.Send("POST /a HTTP/1.1\r\nHost: x\r\n" + head + "\r\n0\r\n\r\n" + smuggled));
    std::string answer = client.ReadAll();
    EXPECT_TRUE(answer.starts_with("HTTP/1.1 400 ")) << head << "\n" << answer;
    EXPECT_NE(answer.find("Connection: close"), std::string::npos) << head;
    EXPECT_EQ(answer.find("HTTP/1.1", 1), std::string::npos) << head << ": a second answer";
    EXPECT_TRUE(client.ServerClosed()) << head;
  }
  EXPECT_EQ(handled_.load(), 0) << "no handler ran for any of them";
}

TEST_F(NetServerTest, ABadChunkIs400AndWhatFollowsIsNeverRead) {
  Start();
  for (const std::string& body :
       {std::string("5x\r\nhello\r\n0\r\n\r\n"), std::string("5\r\nhelloXX0\r\n\r\n"),
        std::string("0\r\nbad trailer\r\n\r\n")}) {
    RawClient client = Connect();
    client.Send("POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + body +
                "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n");
    std::string answer = client.ReadAll();
    EXPECT_TRUE(answer.starts_with("HTTP/1.1 400 ")) << body << "\n" << answer;
    EXPECT_TRUE(client.ServerClosed());
  }
  EXPECT_EQ(handled_.load(), 0);
}

TEST_F(NetServerTest, AGibibyteDeclaredIs413AtOnceWithoutContinue) {
  Start();
  RawClient client = Connect();
  auto start = std::chrono::steady_clock::now();
  client.Send(
      "POST /a HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 1073741824\r\n\r\n");
  std::string answer = client.ReadAnswer();
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 413 ")) << answer;
  EXPECT_EQ(answer.find("100 Continue"), std::string::npos);
  EXPECT_LT(took, std::chrono::seconds(2)) << "answered without waiting for the body";
  EXPECT_TRUE(client.ServerClosed());
  EXPECT_EQ(handled_.load(), 0);
}

TEST_F(NetServerTest, AChunkedBodyPastTheLimitIs413BeforeItEnds) {
  Start();  // limit: 1 MiB
  RawClient client = Connect();
  client.Send("POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
  std::string chunk = "10000\r\n" + std::string(0x10000, 'c') + "\r\n";  // 64 KiB each
  bool refused_midway = false;
  for (int i = 0; i < 64 && !refused_midway; ++i) {  // up to 4 MiB, never ended
    refused_midway = !client.Send(chunk);
  }
  std::string answer = client.ReadAll();
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 413 ")) << answer.substr(0, 200);
  EXPECT_TRUE(client.ServerClosed());
  EXPECT_EQ(handled_.load(), 0);
}

TEST_F(NetServerTest, PipelinedRequestsAreAnsweredInOrderOnOneConnection) {
  Start();
  RawClient client = Connect();
  client.Send(
      "GET /1 HTTP/1.1\r\nHost: x\r\n\r\n"
      "POST /2 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
      "POST /3 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nxy\r\n0\r\n\r\n");
  EXPECT_TRUE(client.ReadAnswer().ends_with("GET /1 "));
  EXPECT_TRUE(client.ReadAnswer().ends_with("POST /2 abc"));
  EXPECT_TRUE(client.ReadAnswer().ends_with("POST /3 xy"));
  client.Send("GET /4 HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(client.ReadAnswer().ends_with("GET /4 ")) << "kept alive";
}

TEST_F(NetServerTest, ExpectContinueGetsTheInterimAnswerThenTheFinalOne) {
  Start();
  RawClient client = Connect();
  client.Send("PUT /c HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
  EXPECT_EQ(client.ReadAnswer(), "HTTP/1.1 100 Continue\r\n\r\n");
  client.Send("body");
  EXPECT_TRUE(client.ReadAnswer().ends_with("PUT /c body"));
}

TEST_F(NetServerTest, HeadAnnouncesTheLengthWithoutTheBodyAndHttp10Closes) {
  Start();
  RawClient head = Connect();
  head.Send("HEAD /h HTTP/1.1\r\nHost: x\r\n\r\nGET /after HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string answer = head.ReadAll(Millis(500));
  EXPECT_NE(answer.find("Content-Length: 8\r\n\r\nHTTP/1.1 200"), std::string::npos) << answer;
  RawClient old = Connect();
  old.Send("GET /old HTTP/1.0\r\n\r\n");
  EXPECT_NE(old.ReadAll().find("Connection: close"), std::string::npos);
  EXPECT_TRUE(old.ServerClosed());
}

TEST_F(NetServerTest, AHandlersHeadersCannotInjectOrReframeAndAnInterimStatusIsNotFinal) {
  Start();
  RawClient client = Connect();
  client.Send("GET /inject HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string answer = client.ReadAnswer();
  EXPECT_EQ(answer.find("Set-Cookie"), std::string::npos) << answer;
  EXPECT_EQ(answer.find("Bad Name"), std::string::npos);
  EXPECT_EQ(answer.find("chunked"), std::string::npos);
  EXPECT_NE(answer.find("Content-Length: 4\r\n"), std::string::npos);
  EXPECT_TRUE(answer.ends_with("\r\n\r\nsafe"));
  client.Send("GET /interim HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(client.ReadAnswer().starts_with("HTTP/1.1 500 "));
}

TEST_F(NetServerTest, ADropClosesWithoutAnAnswer) {
  Start();
  RawClient client = Connect();
  client.Send("GET /drop HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(client.ReadAll(), "");
  EXPECT_TRUE(client.ServerClosed());
}

TEST_F(NetServerTest, ADropAfterPipelinedRequestsStillSendsTheirAnswers) {
  Start();
  RawClient client = Connect();
  client.Send(
      "GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /drop HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /never HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string answers = client.ReadAll();
  EXPECT_TRUE(answers.ends_with("GET /1 ")) << answers;
  EXPECT_EQ(answers.find("HTTP/1.1", 1), std::string::npos) << "nothing for the dropped one";
  EXPECT_TRUE(client.ServerClosed());
  EXPECT_EQ(handled_.load(), 2) << "nothing after the drop is read";
}

TEST_F(NetServerTest, StopFinishesTheRequestInProgressWithCloseThenRefusesNewClients) {
  Start();
  RawClient client = Connect();
  RawClient idle = Connect();
  client.Send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
  while (handled_.load() == 0) std::this_thread::sleep_for(Millis(5));
  auto stopped = std::async(std::launch::async, [this] { StopServer(); });
  std::string answer = client.ReadAll();
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 200 ")) << answer;
  EXPECT_NE(answer.find("Connection: close"), std::string::npos);
  EXPECT_TRUE(idle.ServerClosed(Millis(2000))) << "an idle connection closes at once";
  stopped.get();
  EXPECT_FALSE(Connect().connected());
}

TEST_F(NetServerTest, StopBeforeServeReturnsAtOnce) {
  Server server([](Exchange&) {}, {});
  ASSERT_TRUE(server.Bind().ok());
  server.Stop();
  EXPECT_TRUE(server.Serve().ok());
}

TEST_F(NetServerTest, IdleAndSlowClientsHoldNoThreadAndANewClientIsAnsweredPromptly) {
  Start();
  std::vector<RawClient> held;
  for (int i = 0; i < 2000; ++i) held.emplace_back(port_);
  for (int i = 0; i < 300; ++i) {
    held.emplace_back(port_);
    held.back().Send("GET /slowloris HTTP/1.1\r\nHost: x\r\nX-A: ");
  }
  // Another byte for each slow client, as a slowloris keeps its connections alive.
  for (size_t i = 2000; i < held.size(); ++i) held[i].Send("a");
  for (int sample = 0; sample < 5; ++sample) {
    RawClient client = Connect();
    auto start = std::chrono::steady_clock::now();
    client.Send("GET /new HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_TRUE(client.ReadAnswer().ends_with("GET /new "));
    // A generous bound: this is not a timing test, it fails only when the client starves.
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  }
  Server::Stats stats = server_->stats();
  EXPECT_GE(stats.connections, 2300u);
  EXPECT_LE(stats.threads, 8u) << "waiting connections cost no thread";
  EXPECT_EQ(stats.reclaimed, 0u) << "the caps had no part in it";
  EXPECT_EQ(stats.refused, 0u);
}

TEST_F(NetServerTest, HandlersThatAnswerAtOnceShareTheCoreThreads) {
  ServerOptions options;
  options.core_threads = 1;
  Start(options);
  std::vector<std::future<std::string>> answers;
  for (int i = 0; i < 8; ++i) {
    answers.push_back(std::async(std::launch::async, [this] {
      RawClient client = Connect();
      std::string last;
      for (int n = 0; n < 50; ++n) {
        client.Send("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n");
        last = client.ReadAnswer();
      }
      return last;
    }));
  }
  for (auto& answer : answers) EXPECT_TRUE(answer.get().ends_with("GET /echo ")) << "answered";
  EXPECT_EQ(server_->stats().threads, 1u) << "no thread more than the core's";
}

TEST_F(NetServerTest, AHandlerThatSaysItWaitsLeavesAnotherThreadForTheRest) {
  ServerOptions options;
  options.core_threads = 1;
  Start(options);
  std::vector<RawClient> waiting;
  for (int i = 0; i < 3; ++i) {
    waiting.emplace_back(port_);
    waiting.back().Send("GET /wait HTTP/1.1\r\nHost: x\r\n\r\n");
  }
  while (waiting_.load() < 3) std::this_thread::sleep_for(Millis(5));
  // Every core thread holds a waiting handler; a new client is still answered.
  RawClient client = Connect();
  client.Send("GET /new HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(client.ReadAnswer().ends_with("GET /new "));
  EXPECT_GE(server_->stats().threads, 4u);
  OpenGate();
  for (RawClient& w : waiting) EXPECT_TRUE(w.ReadAnswer().ends_with("GET /wait "));
}

TEST_F(NetServerTest, AtTheAddressCapTheOldestIdleConnectionMakesRoom) {
  ServerOptions options;
  options.max_per_address = 3;
  Start(options);
  RawClient oldest = Connect();
  RawClient second = Connect();
  RawClient third = Connect();
  while (server_->stats().idle < 3) std::this_thread::sleep_for(Millis(5));
  RawClient newcomer = Connect();
  newcomer.Send("GET /n HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(newcomer.ReadAnswer().ends_with("GET /n "));
  EXPECT_TRUE(oldest.ServerClosed(Millis(2000)));
  EXPECT_FALSE(third.ServerClosed(Millis(100)));
  EXPECT_EQ(server_->stats().reclaimed, 1u);
}

TEST_F(NetServerTest, AtTheCapWithNothingToReclaimANewcomerGets503) {
  ServerOptions options;
  options.max_per_address = 2;
  Start(options);
  RawClient a = Connect();
  RawClient b = Connect();
  a.Send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
  b.Send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
  while (handled_.load() < 2) std::this_thread::sleep_for(Millis(5));
  RawClient refused = Connect();
  EXPECT_TRUE(refused.ReadAll().starts_with("HTTP/1.1 503 "));
  EXPECT_TRUE(a.ReadAnswer().starts_with("HTTP/1.1 200 ")) << "the busy ones finish";
}

TEST_F(NetServerTest, BodiesBeingReceivedTogetherAreCappedAndTheOneOverTheCapGets503) {
  ServerOptions options;
  options.limits.max_body_bytes = 64 * 1024;
  options.limits.max_buffered_body_bytes = 100 * 1024;
  Start(options);
  std::string head = "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 65536\r\n\r\n";
  RawClient first = Connect();
  first.Send(head + std::string(60 * 1024, 'a'));
  while (server_->stats().body < 1) std::this_thread::sleep_for(Millis(5));
  RawClient second = Connect();
  second.Send(head + std::string(60 * 1024, 'b'));
  EXPECT_TRUE(second.ReadAll().starts_with("HTTP/1.1 503 "));
  first.Send(std::string(4 * 1024, 'a'));
  EXPECT_TRUE(first.ReadAnswer().starts_with("HTTP/1.1 200 ")) << "the first one is served";
  RawClient third = Connect();
  third.Send(head + std::string(64 * 1024, 'c'));
  EXPECT_TRUE(third.ReadAnswer().starts_with("HTTP/1.1 200 ")) << "its place was given back";
}

TEST_F(NetServerTest, HeadIdleAndBodyTimeoutsCloseTheirConnections) {
  ServerOptions options;
  options.limits.head_timeout = Millis(200);
  options.limits.idle_timeout = Millis(200);
  options.limits.body_timeout = Millis(200);
  Start(options);
  RawClient idle = Connect();
  RawClient slow_head = Connect();
  slow_head.Send("GET / HTTP/1.1\r\nHo");
  RawClient slow_body = Connect();
  slow_body.Send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
  for (RawClient* c : {&idle, &slow_head, &slow_body}) EXPECT_TRUE(c->ServerClosed(Millis(3000)));
  EXPECT_EQ(handled_.load(), 0);
}

TEST_F(NetServerTest, AClientThatNeverReadsItsAnswerHoldsNoThreadAndIsCutOff) {
  ServerOptions options;
  options.limits.write_timeout = Millis(300);
  options.max_threads = 1;
  Start(options);
  RawClient reader_less(port_, 4096);
  reader_less.Send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
  while (server_->stats().writing == 0 && handled_.load() < 2) {
    std::this_thread::sleep_for(Millis(5));
  }
  RawClient other = Connect();  // with one thread: served only because none is held
  other.Send("GET /other HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(other.ReadAnswer().ends_with("GET /other "));
  std::this_thread::sleep_for(Millis(600));
  EXPECT_EQ(server_->stats().writing, 0u) << "cut off after the write timeout";
}

}  // namespace
}  // namespace verity::net
