// The mock over real HTTP on 127.0.0.1: the stateful round trip, request validation, every kind of
// behaviour rule as a client sees it (refused tokens, forced answers, latency, dropped connections,
// rate limits, every/times), keep-alive, concurrent clients and a graceful stop.
#include "mock/server.h"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <set>
#include <thread>

#include "base/json.h"
#include "mock/service.h"
#include "support/memory_file_system.h"

namespace verity::mock {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Millis = std::chrono::milliseconds;

constexpr std::string_view kSpec = R"(openapi: 3.0.3
info: {title: shop, version: '1'}
servers: [{url: 'https://api.example.com/platform/v1'}]
paths:
  /clients:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [data]
                properties:
                  data:
                    type: object
                    required: [clients]
                    properties:
                      clients: {type: array, items: {$ref: '#/components/schemas/Client'}}
    post:
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/NewClient'}}}
      responses:
        '201': {description: created, content: {application/json: {schema: {$ref: '#/components/schemas/OneClient'}}}}
        '400': {description: bad}
  /clients/{client_id}:
    parameters: [{name: client_id, in: path, required: true, schema: {type: string}}]
    get:
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/OneClient'}}}}
    put:
      requestBody:
        content: {application/json: {schema: {$ref: '#/components/schemas/NewClient'}}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/OneClient'}}}}
    delete:
      responses:
        '204': {description: gone}
components:
  schemas:
    Client:
      type: object
      required: [id, first_name, status]
      properties:
        id: {type: string}
        first_name: {type: string}
        email: {type: string, format: email}
        status: {type: string, enum: [lead, customer]}
    OneClient:
      type: object
      required: [data]
      properties:
        data: {type: object, required: [client], properties: {client: {$ref: '#/components/schemas/Client'}}}
    NewClient:
      type: object
      required: [first_name]
      properties:
        first_name: {type: string}
        email: {type: string, format: email}
        status: {type: string, enum: [lead, customer]}
)";

constexpr std::string_view kRules = R"(tokens:
  staff-secret-1: staff
  directory-secret-2: directory
rules:
  - name: staff-only-writes
    match: {method: [POST, PUT], path: "/platform/v1/clients*"}
    accept_tokens: [staff]
  - name: teapot
    match: {path: "/platform/v1/clients/teapot"}
    respond: {status: 418, body: {error: short and stout}, headers: {X-Kettle: "on"}}
  - name: slow
    match: {path: "/platform/v1/clients/slow"}
    latency: 150ms
    respond: {status: 200, body: {slow: true}}
  - name: held
    match: {path: "/platform/v1/clients/held"}
    latency: 2s
    respond: {status: 200, body: {held: true}}
  - name: ranged
    match: {path: "/platform/v1/clients/ranged"}
    latency: {min: 40ms, max: 60ms}
    respond: {status: 200, body: {}}
  - name: hang-up
    match: {path: "/platform/v1/clients/hang-up"}
    drop_connection: true
  - name: budget
    match: {path: "/platform/v1/clients/limited"}
    rate_limit: {requests: 2, per: 1m}
    respond: {status: 200, body: {ok: true}}
  - name: flaky
    match: {path: "/platform/v1/clients/flaky"}
    every: 2
    respond: {status: 503, body: {error: try again}, headers: {Retry-After: "0"}}
  - name: flaky-otherwise
    match: {path: "/platform/v1/clients/flaky"}
    respond: {status: 200, body: {fine: true}}
  - name: warm-up
    match: {path: "/platform/v1/clients/warm-up"}
    times: 1
    respond: {status: 500, body: {error: warming up}}
  - name: warmed
    match: {path: "/platform/v1/clients/warm-up"}
    respond: {status: 200, body: {warm: true}}
  - name: no-robots
    match:
      method: POST
      path: "/platform/v1/clients"
      body: [{path: "$.first_name", matches: "^(?i)robot"}]
      query: {source: import}
      headers: {X-Tenant: acme}
    respond: {status: 422, body: {error: no robots}}
)";

class MockServerTest : public ::testing::Test {
 protected:
  void StartMock(bool with_rules = true, int keep_alive_seconds = 5) {
    fs_.Add("/specs/shop.yaml", std::string(kSpec));
    fs_.Add("/rules.yaml", std::string(kRules));
    ServiceOptions options;
    options.spec_paths = {"/specs/shop.yaml"};
    if (with_rules) options.rules_path = "/rules.yaml";
    options.seed = 7;
    options.server.keep_alive_seconds = keep_alive_seconds;
    options.access_log = [this](const AccessEntry& entry) {
      std::lock_guard lock(log_mutex_);
      log_.push_back(std::string(entry.method) + " " + std::string(entry.target) + " " +
                     std::to_string(entry.status) + " " + std::string(entry.token_type));
    };
    Result<std::unique_ptr<Service>> started = Service::Start(fs_, clock_, std::move(options));
    ASSERT_TRUE(started.ok()) << started.status().message();
    service_ = std::move(*started);
  }

  httplib::Client Client() const {
    httplib::Client client("127.0.0.1", service_->port());
    client.set_read_timeout(5, 0);
    return client;
  }
  static httplib::Headers Staff() { return {{"Authorization", "Bearer staff-secret-1"}}; }

  /// A plain TCP connection to the mock, for what an HTTP client library would hide; reads on it
  /// give up after 5 s.
  int RawConnect() const {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(service_->port()));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      close(fd);
      return -1;
    }
    timeval timeout{5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    return fd;
  }
  /// Reads until `text` has been seen `count` times in all that was read, the stream ends or a
  /// read times out; returns all that was read.
  static std::string ReadUntil(int fd, std::string_view text, size_t count = 1) {
    std::string received;
    auto seen = [&] {
      size_t n = 0;
      for (size_t at = received.find(text); at != std::string::npos;
           at = received.find(text, at + 1))
        ++n;
      return n;
    };
    while (seen() < count) {
      char buffer[4096];
      ssize_t n = read(fd, buffer, sizeof buffer);
      if (n <= 0) break;
      received.append(buffer, static_cast<size_t>(n));
    }
    return received;
  }

  /// The access log's lines once `line` is among them (the server logs after it answers, so a
  /// client can be ahead of the log), or after 5 s without it.
  std::vector<std::string> LogWith(const std::string& line) {
    for (int i = 0; i < 500; ++i) {
      {
        std::lock_guard lock(log_mutex_);
        if (std::find(log_.begin(), log_.end(), line) != log_.end()) return log_;
      }
      std::this_thread::sleep_for(Millis(10));
    }
    std::lock_guard lock(log_mutex_);
    return log_;
  }

  SystemClock clock_;
  testing::MemoryFileSystem fs_;
  std::mutex log_mutex_;
  std::vector<std::string> log_;
  // Last, so it is destroyed first: its serving threads write to the log until it stops.
  std::unique_ptr<Service> service_;
};

Json BodyOf(const httplib::Result& result) { return Json::parse(result->body); }

TEST_F(MockServerTest, CreatedClientCanBeReadListedReplacedAndDeletedOverHttp) {
  StartMock();
  httplib::Client client = Client();
  auto created =
      client.Post("/platform/v1/clients", Staff(),
                  R"({"first_name": "Ada", "email": "ada@example.com"})", "application/json");
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  EXPECT_EQ(created->get_header_value("Content-Type"), "application/json");
  std::string id = BodyOf(created)["data"]["client"]["id"];
  EXPECT_EQ(BodyOf(created)["data"]["client"]["first_name"], "Ada");

  auto read = client.Get("/platform/v1/clients/" + id);
  ASSERT_TRUE(read);
  ASSERT_EQ(read->status, 200);
  EXPECT_EQ(BodyOf(read)["data"]["client"]["email"], "ada@example.com");

  auto listed = client.Get("/platform/v1/clients");
  ASSERT_TRUE(listed);
  std::set<std::string> ids;
  Json list = BodyOf(listed);
  for (const Json& c : list["data"]["clients"]) ids.insert(c["id"].get<std::string>());
  EXPECT_EQ(ids.size(), 3u) << "two seed items and the created client";
  EXPECT_TRUE(ids.count(id));

  auto replaced = client.Put("/platform/v1/clients/" + id, Staff(), R"({"first_name": "Grace"})",
                             "application/json");
  ASSERT_TRUE(replaced);
  EXPECT_EQ(replaced->status, 200);
  EXPECT_EQ(BodyOf(client.Get("/platform/v1/clients/" + id))["data"]["client"]["first_name"],
            "Grace");

  auto deleted = client.Delete("/platform/v1/clients/" + id);
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->status, 204);
  EXPECT_EQ(deleted->body, "");
  auto gone = client.Get("/platform/v1/clients/" + id);
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->status, 404);
  EXPECT_THAT(gone->body, HasSubstr("NOT_FOUND"));
}

TEST_F(MockServerTest, InvalidBodyGets400ListingEveryIssueWithItsPointer) {
  StartMock();
  auto answer = Client().Post("/platform/v1/clients", Staff(), R"({"email": 42, "status": "vip"})",
                              "application/json");
  ASSERT_TRUE(answer);
  ASSERT_EQ(answer->status, 400);
  std::set<std::string> pointers;
  Json body = BodyOf(answer);
  for (const Json& issue : body["errors"]) pointers.insert(issue["pointer"].get<std::string>());
  EXPECT_TRUE(pointers.count("/email")) << answer->body;
  EXPECT_TRUE(pointers.count("/status")) << answer->body;
  EXPECT_TRUE(pointers.count("/first_name")) << "missing, and required: " << answer->body;
}

TEST_F(MockServerTest, UnknownPathIs404AndUnservedMethodIs405WithAllow) {
  StartMock();
  httplib::Client client = Client();
  auto missing = client.Get("/platform/v1/nothing");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  auto patch = client.Patch("/platform/v1/clients", "{}", "application/json");
  ASSERT_TRUE(patch);
  EXPECT_EQ(patch->status, 405);
  EXPECT_THAT(patch->get_header_value("Allow"), HasSubstr("GET"));
}

TEST_F(MockServerTest, TokenTypesOutsideAcceptTokensGet401AndTheRuleIsNamed) {
  StartMock();
  httplib::Client client = Client();
  const std::string body = R"({"first_name": "Ada"})";
  auto anonymous = client.Post("/platform/v1/clients", body, "application/json");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  EXPECT_EQ(anonymous->get_header_value("X-Mock-Rules"), "staff-only-writes");
  auto directory =
      client.Post("/platform/v1/clients", {{"Authorization", "Bearer directory-secret-2"}}, body,
                  "application/json");
  ASSERT_TRUE(directory);
  EXPECT_EQ(directory->status, 401);
  auto staff = client.Post("/platform/v1/clients", Staff(), body, "application/json");
  ASSERT_TRUE(staff);
  EXPECT_EQ(staff->status, 201);
  // Reads are not covered by the rule: anyone may.
  auto read = client.Get("/platform/v1/clients");
  ASSERT_TRUE(read);
  EXPECT_EQ(read->status, 200);

  std::vector<std::string> log = LogWith("GET /platform/v1/clients 200 ");
  for (const std::string& line : log) {
    EXPECT_THAT(line, ::testing::Not(HasSubstr("secret"))) << "the log shows types, not tokens";
  }
  EXPECT_THAT(log, ::testing::Contains("POST /platform/v1/clients 401 directory"));
}

TEST_F(MockServerTest, ForcedAnswerHasItsStatusBodyAndHeaders) {
  StartMock();
  auto answer = Client().Get("/platform/v1/clients/teapot");
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 418);
  EXPECT_EQ(BodyOf(answer)["error"], "short and stout");
  EXPECT_EQ(answer->get_header_value("X-Kettle"), "on");
  EXPECT_EQ(answer->get_header_value("Content-Type"), "application/json");
}

TEST_F(MockServerTest, AConditionalRuleAnswersOnlyTheRequestWhoseBodyQueryAndHeadersItDescribes) {
  StartMock();
  httplib::Headers headers = Staff();
  headers.emplace("X-Tenant", "acme");
  auto robot = Client().Post("/platform/v1/clients?source=import", headers,
                             R"({"first_name":"Robot","last_name":"R"})", "application/json");
  ASSERT_TRUE(robot);
  EXPECT_EQ(robot->status, 422);
  EXPECT_EQ(BodyOf(robot)["error"], "no robots");
  // The same body without the query parameter is served as the spec says.
  auto served = Client().Post("/platform/v1/clients", headers,
                              R"({"first_name":"Robot","last_name":"R"})", "application/json");
  ASSERT_TRUE(served);
  EXPECT_EQ(served->status, 201) << served->body;
  auto human = Client().Post("/platform/v1/clients?source=import", headers,
                             R"({"first_name":"Ada","last_name":"L"})", "application/json");
  ASSERT_TRUE(human);
  EXPECT_EQ(human->status, 201) << human->body;
}

TEST_F(MockServerTest, LatencyRulesDelayTheAnswerByTheirDuration) {
  StartMock();
  httplib::Client client = Client();
  auto start = std::chrono::steady_clock::now();
  auto slow = client.Get("/platform/v1/clients/slow");
  auto slow_took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(slow);
  EXPECT_EQ(slow->status, 200);
  EXPECT_GE(slow_took, Millis(150));

  for (int i = 0; i < 3; ++i) {
    start = std::chrono::steady_clock::now();
    auto ranged = client.Get("/platform/v1/clients/ranged");
    auto took = std::chrono::steady_clock::now() - start;
    ASSERT_TRUE(ranged);
    EXPECT_GE(took, Millis(40));
  }
}

TEST_F(MockServerTest, RequestsHeldByALatencyRuleLeaveTheServerAnsweringOthers) {
  StartMock();
  // More held requests than the server keeps threads for answers that take no time.
  std::vector<std::future<int>> held;
  for (int i = 0; i < 6; ++i) {
    held.push_back(std::async(std::launch::async, [this] {
      auto answer = Client().Get("/platform/v1/clients/held");
      return answer ? answer->status : 0;
    }));
  }
  std::this_thread::sleep_for(Millis(200));  // every held request is inside its latency
  auto start = std::chrono::steady_clock::now();
  auto other = Client().Get("/platform/v1/clients/c1");
  ASSERT_TRUE(other);
  // A generous bound: it fails only when the held requests starve the others (2 s each).
  EXPECT_LT(std::chrono::steady_clock::now() - start, Millis(1500));
  for (auto& answer : held) EXPECT_EQ(200, answer.get());
}

TEST_F(MockServerTest, DroppedConnectionGivesTheClientNoAnswerAndTheServerKeepsServing) {
  StartMock();
  httplib::Client client = Client();
  auto dropped = client.Get("/platform/v1/clients/hang-up");
  EXPECT_FALSE(dropped) << "status " << (dropped ? dropped->status : 0);
  auto after = Client().Get("/platform/v1/clients");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 200);
  EXPECT_THAT(LogWith("GET /platform/v1/clients/hang-up 0 "),
              ::testing::Contains("GET /platform/v1/clients/hang-up 0 "));
}

TEST_F(MockServerTest, RateLimitAnswers429WithRetryAfterOverItsBudget) {
  StartMock();
  httplib::Client client = Client();
  std::vector<int> statuses;
  std::string retry_after;
  for (int i = 0; i < 4; ++i) {
    auto answer = client.Get("/platform/v1/clients/limited");
    ASSERT_TRUE(answer);
    statuses.push_back(answer->status);
    if (answer->status == 429) retry_after = answer->get_header_value("Retry-After");
  }
  EXPECT_THAT(statuses, ElementsAre(200, 200, 429, 429));
  ASSERT_FALSE(retry_after.empty());
  EXPECT_GT(std::stoi(retry_after), 0);
  EXPECT_LE(std::stoi(retry_after), 60);
}

TEST_F(MockServerTest, EveryAndTimesPickWhichRequestsARuleAnswers) {
  StartMock();
  httplib::Client client = Client();
  std::vector<int> flaky, warm_up;
  for (int i = 0; i < 4; ++i) flaky.push_back(client.Get("/platform/v1/clients/flaky")->status);
  for (int i = 0; i < 3; ++i) warm_up.push_back(client.Get("/platform/v1/clients/warm-up")->status);
  EXPECT_THAT(flaky, ElementsAre(200, 503, 200, 503));
  EXPECT_THAT(warm_up, ElementsAre(500, 200, 200));
}

// Requests written on one TCP connection, one after the other, each answered on it.
TEST_F(MockServerTest, OneConnectionCarriesManyRequests) {
  StartMock();
  int fd = RawConnect();
  ASSERT_GE(fd, 0);
  const std::string request = "GET /platform/v1/clients HTTP/1.1\r\nHost: x\r\n\r\n";
  std::string received;
  for (size_t i = 1; i <= 3; ++i) {
    ASSERT_EQ(write(fd, request.data(), request.size()), static_cast<ssize_t>(request.size()));
    // Until this answer's body (the list's closing braces) has arrived.
    received += ReadUntil(fd, "]}}", 1);
  }
  close(fd);
  size_t answers = 0;
  for (size_t at = received.find("HTTP/1.1 200"); at != std::string::npos;
       at = received.find("HTTP/1.1 200", at + 1)) {
    ++answers;
  }
  EXPECT_EQ(answers, 3u);
}

// A client may send its next requests before the answers (HTTP/1.1 pipelining): they arrive in
// one read and are answered in order.
TEST_F(MockServerTest, PipelinedRequestsAreAnsweredInTheOrderSent) {
  StartMock();
  int fd = RawConnect();
  ASSERT_GE(fd, 0);
  const std::string requests =
      "GET /platform/v1/clients/teapot HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /platform/v1/nowhere HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /platform/v1/clients/flaky HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_EQ(write(fd, requests.data(), requests.size()), static_cast<ssize_t>(requests.size()));
  std::string received = ReadUntil(fd, "\"fine\":true", 1);
  close(fd);
  size_t teapot = received.find("HTTP/1.1 418");
  size_t missing = received.find("HTTP/1.1 404");
  size_t fine = received.find("HTTP/1.1 200");
  ASSERT_NE(teapot, std::string::npos) << received;
  ASSERT_NE(missing, std::string::npos) << received;
  ASSERT_NE(fine, std::string::npos) << received;
  EXPECT_LT(teapot, missing);
  EXPECT_LT(missing, fine);
}

// curl sends `Expect: 100-continue` before a large body and waits for the interim answer.
TEST_F(MockServerTest, ExpectContinueGetsTheInterimAnswerBeforeTheBodyIsSent) {
  StartMock(/*with_rules=*/false);
  int fd = RawConnect();
  ASSERT_GE(fd, 0);
  const std::string body = R"({"first_name": "Ada"})";
  const std::string head =
      "POST /platform/v1/clients HTTP/1.1\r\nHost: x\r\n"
      "Content-Type: application/json\r\nExpect: 100-continue\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n";
  ASSERT_EQ(write(fd, head.data(), head.size()), static_cast<ssize_t>(head.size()));
  std::string interim = ReadUntil(fd, "\r\n\r\n");
  EXPECT_EQ(interim.rfind("HTTP/1.1 100 Continue\r\n", 0), 0u) << interim;
  ASSERT_EQ(write(fd, body.data(), body.size()), static_cast<ssize_t>(body.size()));
  std::string answer = ReadUntil(fd, "\"Ada\"");
  close(fd);
  EXPECT_EQ(answer.rfind("HTTP/1.1 201", 0), 0u) << answer;
}

TEST_F(MockServerTest, ConcurrentClientsEachCreateAndReadTheirOwnClients) {
  StartMock(/*with_rules=*/false);
  constexpr int kClients = 16, kEach = 20;
  std::vector<std::future<std::vector<std::string>>> workers;
  for (int w = 0; w < kClients; ++w) {
    workers.push_back(std::async(std::launch::async, [this, w] {
      std::vector<std::string> ids;
      httplib::Client client = Client();
      for (int i = 0; i < kEach; ++i) {
        std::string name = "c" + std::to_string(w) + "-" + std::to_string(i);
        auto created = client.Post("/platform/v1/clients", R"({"first_name": ")" + name + R"("})",
                                   "application/json");
        if (!created || created->status != 201) {
          ADD_FAILURE() << (created ? std::to_string(created->status) + " " + created->body
                                    : httplib::to_string(created.error()));
          return std::vector<std::string>{};
        }
        std::string id = Json::parse(created->body)["data"]["client"]["id"];
        auto read = client.Get("/platform/v1/clients/" + id);
        if (!read || Json::parse(read->body)["data"]["client"]["first_name"] != name) return ids;
        ids.push_back(id);
      }
      return ids;
    }));
  }
  std::set<std::string> all;
  for (auto& worker : workers) {
    std::vector<std::string> ids = worker.get();
    EXPECT_EQ(ids.size(), static_cast<size_t>(kEach));
    all.insert(ids.begin(), ids.end());
  }
  EXPECT_EQ(all.size(), static_cast<size_t>(kClients * kEach)) << "every id is new";
  auto listed = Client().Get("/platform/v1/clients");
  ASSERT_TRUE(listed);
  EXPECT_EQ(BodyOf(listed)["data"]["clients"].size(), all.size() + 2);
}

TEST_F(MockServerTest, StopLetsTheRequestInProgressFinishThenRefusesConnections) {
  StartMock();
  int port = service_->port();
  auto in_flight = std::async(std::launch::async, [port] {
    httplib::Client client("127.0.0.1", port);
    return client.Get("/platform/v1/clients/slow");
  });
  // The request is inside its latency once the server has counted it.
  while (service_->server().requests() == 0) std::this_thread::sleep_for(Millis(1));
  Status stopped = service_->Stop();
  EXPECT_TRUE(stopped.ok()) << stopped.message();
  httplib::Result answer = in_flight.get();
  ASSERT_TRUE(answer) << "the request in progress was answered";
  EXPECT_EQ(answer->status, 200);
  EXPECT_EQ(BodyOf(answer)["slow"], true);

  httplib::Client late("127.0.0.1", port);
  late.set_connection_timeout(1, 0);
  EXPECT_FALSE(late.Get("/platform/v1/clients")) << "nothing listens after the stop";
}

// A client that keeps its connection open between requests does not hold up a stop for the
// keep-alive timeout: the connection is closed as soon as the server stops.
TEST_F(MockServerTest, StopClosesIdleKeptAliveConnectionsAtOnce) {
  StartMock(/*with_rules=*/true, /*keep_alive_seconds=*/60);
  int fd = RawConnect();
  ASSERT_GE(fd, 0);
  const std::string request = "GET /platform/v1/clients/teapot HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_EQ(write(fd, request.data(), request.size()), static_cast<ssize_t>(request.size()));
  ASSERT_NE(ReadUntil(fd, "stout").find("HTTP/1.1 418"), std::string::npos);
  // The connection is now idle in its minute of keep-alive.
  auto start = std::chrono::steady_clock::now();
  Status stopped = service_->Stop();
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(stopped.ok()) << stopped.message();
  EXPECT_LT(took, Millis(30000)) << "the stop waited for the idle connection's timeout";
  char byte;
  EXPECT_EQ(read(fd, &byte, 1), 0) << "the server hung up";
  close(fd);
}

TEST(MockServiceTest, MissingSpecAndBrokenRulesAreErrorsNamingTheFile) {
  SystemClock clock;
  testing::MemoryFileSystem fs;
  fs.Add("/specs/shop.yaml", std::string(kSpec));
  fs.Add("/bad-rules.yaml", "rules:\n  - match: {path: /x}\n    latency: soon\n");
  ServiceOptions missing;
  missing.spec_paths = {"/specs/none.yaml"};
  Result<std::unique_ptr<Service>> no_spec = Service::Start(fs, clock, missing);
  ASSERT_FALSE(no_spec.ok());
  EXPECT_THAT(no_spec.status().message(), HasSubstr("/specs/none.yaml"));

  ServiceOptions bad;
  bad.spec_paths = {"/specs/shop.yaml"};
  bad.rules_path = "/bad-rules.yaml";
  Result<std::unique_ptr<Service>> bad_rules = Service::Start(fs, clock, bad);
  ASSERT_FALSE(bad_rules.ok());
  EXPECT_THAT(bad_rules.status().message(), HasSubstr("/bad-rules.yaml:3:"));
}

TEST(MockServiceTest, TakenPortIsAnErrorNamingIt) {
  SystemClock clock;
  testing::MemoryFileSystem fs;
  fs.Add("/specs/shop.yaml", std::string(kSpec));
  ServiceOptions first;
  first.spec_paths = {"/specs/shop.yaml"};
  Result<std::unique_ptr<Service>> one = Service::Start(fs, clock, first);
  ASSERT_TRUE(one.ok());
  ServiceOptions second = first;
  second.server.port = (*one)->port();
  Result<std::unique_ptr<Service>> two = Service::Start(fs, clock, second);
  ASSERT_FALSE(two.ok());
  EXPECT_THAT(two.status().message(), HasSubstr(std::to_string((*one)->port())));
}

}  // namespace
}  // namespace verity::mock
