#include "http/fake_transport.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace verity::http {
namespace {

HttpResponse Reply(int status, std::string body = "") {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

HttpRequest Get(std::string url, std::string tag = "") {
  HttpRequest r;
  r.url = std::move(url);
  r.tag = std::move(tag);
  return r;
}

// "200", "404" or the error code name: one string per outcome, so a sequence reads at a glance.
std::string Describe(const HttpOutcome& o) {
  return o.ok() ? std::to_string(o.response().status) : TransportErrorCodeName(o.error().code);
}

TEST(FakeTransport, AnswersByMethodAndUrlGlobAndRecordsRequests) {
  FakeTransport fake;
  fake.Script("GET", "https://api.test/clients/*", Reply(200, R"({"id":"c1"})"));
  fake.Script("*", "https://api.test/clients", Reply(201));
  std::vector<std::string> seen;
  auto record = [&](HttpOutcome o) { seen.push_back(Describe(o)); };
  fake.Submit(Get("https://api.test/clients/c1?x=1"), record);
  HttpRequest post = Get("https://api.test/clients");
  post.method = "POST";
  post.body = "{}";
  fake.Submit(post, record);
  fake.Submit(Get("https://api.test/other"), record);
  EXPECT_EQ(3u, fake.Pending());
  EXPECT_TRUE(seen.empty()) << "Submit must not answer";

  EXPECT_EQ(0u, fake.RunUntilIdle());
  EXPECT_EQ((std::vector<std::string>{"200", "201", "NETWORK_ERROR"}), seen);
  ASSERT_EQ(3u, fake.requests().size());
  EXPECT_EQ("POST", fake.requests()[1].method);
  EXPECT_EQ("{}", fake.requests()[1].body);
}

TEST(FakeTransport, ARuleWithTimesRetiresSoTheNextRuleAnswers) {
  FakeTransport fake;
  fake.Script("GET", "*", Reply(429), 1);
  fake.Script("GET", "*", Reply(200));
  std::vector<std::string> seen;
  for (int i = 0; i < 3; ++i) {
    fake.Submit(Get("https://api.test/x"), [&](HttpOutcome o) { seen.push_back(Describe(o)); });
  }
  fake.RunUntilIdle();
  EXPECT_EQ((std::vector<std::string>{"429", "200", "200"}), seen);
}

TEST(FakeTransport, RequestsSubmittedByCallbacksCompleteInTheSameRun) {
  FakeTransport fake;
  fake.SetDefault(Reply(204));
  std::vector<std::string> order;
  fake.Submit(Get("https://api.test/1"), [&](HttpOutcome) {
    order.push_back("1");
    fake.Submit(Get("https://api.test/3"), [&](HttpOutcome) { order.push_back("3"); });
  });
  fake.Submit(Get("https://api.test/2"), [&](HttpOutcome) { order.push_back("2"); });
  EXPECT_EQ(0u, fake.RunUntilIdle());
  EXPECT_EQ((std::vector<std::string>{"1", "2", "3"}), order);
}

TEST(FakeTransport, CancelByTagAndCancelAllCompleteAsCancelled) {
  FakeTransport fake;
  fake.SetDefault(Reply(200));
  std::vector<std::string> seen;
  auto record = [&](HttpOutcome o) { seen.push_back(Describe(o)); };
  fake.Submit(Get("https://api.test/a", "doc-a"), record);
  fake.Submit(Get("https://api.test/b", "doc-b"), record);
  fake.Cancel("doc-a");
  fake.RunUntilIdle();
  fake.Submit(Get("https://api.test/c", "doc-c"), record);
  fake.CancelAll();
  fake.RunUntilIdle();
  EXPECT_EQ((std::vector<std::string>{"CANCELLED", "200", "CANCELLED"}), seen);
}

TEST(FakeTransport, ScriptedErrorsAndTheSizeCapBehaveLikeTheRealTransport) {
  FakeTransport fake;
  fake.Script("GET", "*/slow", TransportError{TransportErrorCode::kTimeout, "timed out"});
  fake.Script("GET", "*/big", Reply(200, std::string(50, 'x')));
  std::vector<HttpOutcome> got;
  fake.Submit(Get("https://api.test/slow"), [&](HttpOutcome o) { got.push_back(o); });
  HttpRequest big = Get("https://api.test/big");
  big.max_response_bytes = 10;
  fake.Submit(big, [&](HttpOutcome o) { got.push_back(o); });
  HttpRequest invalid = Get("");
  fake.Submit(invalid, [&](HttpOutcome o) { got.push_back(o); });
  fake.RunUntilIdle();
  ASSERT_EQ(3u, got.size());
  EXPECT_EQ(TransportErrorCode::kTimeout, got[0].error().code);
  EXPECT_EQ(TransportErrorCode::kTooLarge, got[1].error().code);
  EXPECT_EQ(50u, got[1].error().bytes_received);
  ASSERT_TRUE(got[1].error().partial.has_value());
  EXPECT_EQ(std::string(10, 'x'), got[1].error().partial->body);
  EXPECT_TRUE(got[1].error().partial->truncated);
  EXPECT_EQ(TransportErrorCode::kInvalidRequest, got[2].error().code);
}

TEST(FakeTransport, AnUnmatchedRequestsErrorNeverQuotesItsUrl) {
  FakeTransport fake;
  std::string message;
  fake.Submit(Get("https://api.test/x?token=s3cr3t"),
              [&](HttpOutcome o) { message = o.error().message; });
  fake.RunUntilIdle();
  EXPECT_EQ("fake transport: no scripted response for GET", message);
}

TEST(FakeTransport, ScriptedUrlGlobsMatchTheWholeUrlQueryIncluded) {
  FakeTransport fake;
  fake.Script("GET", "*/clients/*/packages", Reply(200));
  fake.Script("GET", "https://a/x?page=*", Reply(201));
  std::vector<std::string> seen;
  for (const char* url : {"https://a/clients/c1/packages", "https://a/clients/c1/packages/p1",
                          "https://a/x?page=2", "https://a/x"}) {
    fake.Submit(Get(url), [&](HttpOutcome o) { seen.push_back(Describe(o)); });
  }
  fake.RunUntilIdle();
  EXPECT_EQ((std::vector<std::string>{"200", "NETWORK_ERROR", "201", "NETWORK_ERROR"}), seen);
}

}  // namespace
}  // namespace verity::http
