// CurlTransport against a real server on 127.0.0.1. No assertion here is about speed: waits are
// outcomes (a timeout happened), never measurements.
#include "http/curl_transport.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <vector>

#include "base/json.h"
#include "http/local_server.h"

namespace verity::http {
namespace {

class CurlTransportTest : public ::testing::Test {
 protected:
  void SetUp() override { transport_ = MakeTransport(8); }
  // The transport first: closing its idle keep-alive connections lets the server stop at once.
  void TearDown() override { transport_.reset(); }

  static std::unique_ptr<CurlTransport> MakeTransport(size_t max_in_flight) {
    auto created = CurlTransport::Create({.max_in_flight = max_in_flight});
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return std::move(created).value();
  }

  HttpRequest Request(std::string method, const std::string& path) {
    HttpRequest r;
    r.method = std::move(method);
    r.url = server_.Url(path);
    r.timeout = std::chrono::seconds(10);
    return r;
  }

  // Sends one request and runs the loop until it completes.
  HttpOutcome Send(HttpRequest request) {
    std::optional<HttpOutcome> got;
    transport_->Submit(std::move(request), [&](HttpOutcome o) { got = std::move(o); });
    EXPECT_EQ(0u, transport_->RunUntilIdle());
    EXPECT_TRUE(got.has_value());
    return got ? std::move(*got) : HttpOutcome(TransportError{});
  }

  testing::LocalServer server_;
  std::unique_ptr<CurlTransport> transport_;
};

Json BodyJson(const HttpOutcome& outcome) {
  auto parsed = ParseJson(outcome.response().body);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  return parsed.ok() ? *parsed : Json();
}

TEST_F(CurlTransportTest, SendsEveryMethodWithItsQueryAndJsonBody) {
  for (std::string method : {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
    SCOPED_TRACE(method);
    HttpRequest r = Request(method, "/echo?business_id=b1&page=2");
    if (method != "GET") {
      r.headers = {{"Content-Type", "application/json"}};
      r.body = R"({"name":"Ada"})";
    }
    HttpOutcome outcome = Send(r);
    ASSERT_TRUE(outcome.ok()) << outcome.error().ToString();
    EXPECT_EQ(200, outcome.response().status);
    Json echo = BodyJson(outcome);
    EXPECT_EQ(method, echo["method"]);
    EXPECT_EQ("/echo", echo["path"]);
    EXPECT_EQ((Json{{"business_id", "b1"}, {"page", "2"}}), echo["query"]);
    EXPECT_EQ(r.body, echo["body"]);
    EXPECT_EQ(method == "GET" ? "" : "application/json", echo["content_type"]);
  }
}

TEST_F(CurlTransportTest, PostWithoutContentTypeSendsNoneRatherThanCurlsFormDefault) {
  HttpRequest r = Request("POST", "/echo");
  r.body = "plain";
  HttpOutcome outcome = Send(r);
  ASSERT_TRUE(outcome.ok()) << outcome.error().ToString();
  EXPECT_EQ("", BodyJson(outcome)["content_type"]);
  EXPECT_EQ("plain", BodyJson(outcome)["body"]);
}

TEST_F(CurlTransportTest, ResponseHeadersAreLowerCasedInOrderWithEveryValue) {
  HttpOutcome outcome = Send(Request("GET", "/echo"));
  ASSERT_TRUE(outcome.ok()) << outcome.error().ToString();
  const HttpResponse& r = outcome.response();
  EXPECT_EQ("Some Value", r.Header("x-custom-header").value_or("<none>"));
  EXPECT_EQ("application/json", r.Header("content-type").value_or("<none>"));
  std::vector<std::string> repeated;
  for (const auto& [name, value] : r.headers) {
    for (char c : name) EXPECT_FALSE(std::isupper(static_cast<unsigned char>(c))) << name;
    if (name == "x-repeated") repeated.push_back(value);
  }
  EXPECT_EQ((std::vector<std::string>{"one", "two"}), repeated);
  EXPECT_EQ("1.1", r.http_version);
  EXPECT_EQ(server_.Url("/echo"), r.effective_url);
  EXPECT_GT(r.timings.total_ms, 0);
  EXPECT_GE(r.timings.total_ms, r.timings.ttfb_ms);
  EXPECT_FALSE(r.truncated);
}

TEST_F(CurlTransportTest, FiftyRequestsAllCompleteWithNeverMoreThanEightInFlight) {
  int done = 0;
  for (int i = 0; i < 50; ++i) {
    transport_->Submit(Request("GET", "/count"), [&](HttpOutcome o) {
      EXPECT_TRUE(o.ok() && o.response().status == 200);
      ++done;
    });
  }
  EXPECT_EQ(50u, transport_->Pending());
  EXPECT_EQ(0u, transport_->RunUntilIdle());
  EXPECT_EQ(50, done);
  EXPECT_EQ(50, server_.count_requests());
  EXPECT_LE(server_.max_concurrent(), 8);
  EXPECT_GE(server_.max_concurrent(), 2) << "requests never overlapped";
}

TEST_F(CurlTransportTest, ASilentServerIsATimeout) {
  HttpRequest r = Request("GET", "/hold");
  r.timeout = std::chrono::milliseconds(200);
  HttpOutcome outcome = Send(r);
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(TransportErrorCode::kTimeout, outcome.error().code) << outcome.error().ToString();
}

TEST_F(CurlTransportTest, AClosedPortIsANetworkError) {
  HttpRequest r = Request("GET", "/");
  r.url = "http://127.0.0.1:" + std::to_string(testing::ClosedPort()) + "/";
  HttpOutcome outcome = Send(r);
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(TransportErrorCode::kNetworkError, outcome.error().code) << outcome.error().ToString();
}

TEST_F(CurlTransportTest, ABodyOverTheCapIsTooLargeWithTheBytesReceived) {
  for (const char* path : {"/big", "/big-chunked"}) {
    SCOPED_TRACE(path);
    HttpRequest r = Request("GET", path);
    r.max_response_bytes = 1000;
    HttpOutcome outcome = Send(r);
    ASSERT_FALSE(outcome.ok());
    const TransportError& e = outcome.error();
    EXPECT_EQ(TransportErrorCode::kTooLarge, e.code) << e.ToString();
    ASSERT_TRUE(e.partial.has_value());
    EXPECT_TRUE(e.partial->truncated);
    EXPECT_EQ(200, e.partial->status);
    EXPECT_LE(e.partial->body.size(), 1000u);
    // With Content-Length the cap stops the transfer before the body; chunked, at the cap.
    if (std::string(path) == "/big-chunked") {
      EXPECT_EQ(1000u, e.partial->body.size());
      EXPECT_GT(e.bytes_received, 1000u);
    }
  }
}

TEST_F(CurlTransportTest, OversizedResponseHeadersAreTooLargeAndSaySo) {
  // libcurl reports a header line past its limit as "Out of memory", which points a reader at
  // their own machine; the transport says what the server did.
  HttpOutcome huge = Send(Request("GET", "/huge-header"));
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(TransportErrorCode::kTooLarge, huge.error().code) << huge.error().ToString();
  EXPECT_NE(huge.error().message.find("header line is longer than"), std::string::npos)
      << huge.error().message;
  EXPECT_EQ(huge.error().message.find("memory"), std::string::npos) << huge.error().message;
  EXPECT_TRUE(huge.error().in_headers);

  HttpOutcome many = Send(Request("GET", "/many-headers"));
  ASSERT_FALSE(many.ok());
  EXPECT_EQ(TransportErrorCode::kTooLarge, many.error().code) << many.error().ToString();
  EXPECT_NE(many.error().message.find("headers exceed"), std::string::npos) << many.error().message;
}

TEST_F(CurlTransportTest, AMultipartFilePartArrivesIntact) {
  std::filesystem::path file =
      std::filesystem::temp_directory_path() / ("verity_upload_" + std::to_string(::getpid()));
  std::string content;
  for (int i = 0; i < 3000; ++i) content += static_cast<char>(i % 256);  // every byte, NUL too
  std::ofstream(file, std::ios::binary) << content;

  HttpRequest r = Request("POST", "/upload");
  r.multipart = {{.name = "note", .value = "hello"},
                 {.name = "doc",
                  .file_path = file.string(),
                  .filename = "report.bin",
                  .content_type = "application/octet-stream"}};
  HttpOutcome outcome = Send(r);
  std::filesystem::remove(file);
  ASSERT_TRUE(outcome.ok()) << outcome.error().ToString();
  EXPECT_EQ("stored", outcome.response().body);
  auto upload = server_.last_upload();
  EXPECT_EQ("hello", upload.field);
  EXPECT_EQ("report.bin", upload.file_name);
  EXPECT_EQ("application/octet-stream", upload.file_type);
  EXPECT_EQ(content, upload.file_content);
}

TEST_F(CurlTransportTest, AMissingMultipartFileIsAnInvalidRequestAndNothingIsSent) {
  HttpRequest r = Request("POST", "/upload");
  r.multipart = {{.name = "doc", .file_path = "/nonexistent/verity/file.bin"}};
  HttpOutcome outcome = Send(r);
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(TransportErrorCode::kInvalidRequest, outcome.error().code);
  EXPECT_EQ(0, server_.requests_seen());
}

TEST_F(CurlTransportTest, AGzipResponseIsDecoded) {
  HttpOutcome outcome = Send(Request("GET", "/gzip"));
  ASSERT_TRUE(outcome.ok()) << outcome.error().ToString();
  EXPECT_NE(std::string::npos, server_.last_accept_encoding().find("gzip"));
  Json body = BodyJson(outcome);
  EXPECT_EQ(true, body["compressed"]);
  EXPECT_EQ(std::string(200, 'a'), body["padding"]);
}

TEST_F(CurlTransportTest, ACallbackCanCancelARequestInFlight) {
  std::optional<HttpOutcome> held, echoed;
  HttpRequest hold = Request("GET", "/hold");
  hold.tag = "doc-1";
  transport_->Submit(hold, [&](HttpOutcome o) { held = std::move(o); });
  transport_->Submit(Request("GET", "/echo"), [&](HttpOutcome o) {
    echoed = std::move(o);
    transport_->Cancel("doc-1");
  });
  EXPECT_EQ(0u, transport_->RunUntilIdle());
  ASSERT_TRUE(echoed && echoed->ok());
  ASSERT_TRUE(held && !held->ok());
  EXPECT_EQ(TransportErrorCode::kCancelled, held->error().code);
}

TEST_F(CurlTransportTest, CancelAllStopsQueuedRequestsBeforeTheyAreSent) {
  transport_ = MakeTransport(1);
  std::vector<TransportErrorCode> codes;
  for (int i = 0; i < 3; ++i) {
    transport_->Submit(Request("GET", "/echo"), [&](HttpOutcome o) {
      codes.push_back(o.ok() ? TransportErrorCode{} : o.error().code);
    });
  }
  transport_->CancelAll();
  EXPECT_EQ(0u, transport_->RunUntilIdle());
  EXPECT_EQ(std::vector<TransportErrorCode>(3, TransportErrorCode::kCancelled), codes);
  EXPECT_EQ(0, server_.requests_seen());
}

TEST_F(CurlTransportTest, RunReturnsAtTheDeadlineWithTheRequestStillPending) {
  std::optional<HttpOutcome> held;
  transport_->Submit(Request("GET", "/hold"), [&](HttpOutcome o) { held = std::move(o); });
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(100);
  EXPECT_EQ(1u, transport_->Run(deadline));
  EXPECT_FALSE(held.has_value());
  transport_->CancelAll();
  EXPECT_EQ(0u, transport_->RunUntilIdle());
  ASSERT_TRUE(held.has_value());
  EXPECT_EQ(TransportErrorCode::kCancelled, held->error().code);
}

TEST_F(CurlTransportTest, CallbacksMaySubmitTheNextStep) {
  std::vector<int> statuses;
  transport_->Submit(Request("POST", "/echo"), [&](HttpOutcome first) {
    statuses.push_back(first.response().status);
    transport_->Submit(Request("GET", "/echo?id=1"),
                       [&](HttpOutcome second) { statuses.push_back(second.response().status); });
  });
  EXPECT_EQ(0u, transport_->RunUntilIdle());
  EXPECT_EQ((std::vector<int>{200, 200}), statuses);
}

TEST_F(CurlTransportTest, OnlyHttpAndHttpsUrlsAreFetched) {
  HttpRequest r = Request("GET", "/");
  r.url = "file:///etc/passwd";
  HttpOutcome outcome = Send(r);
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(TransportErrorCode::kInvalidRequest, outcome.error().code);
}

TEST_F(CurlTransportTest, AHeaderValueWithALineBreakIsRefusedBeforeSending) {
  HttpRequest r = Request("GET", "/echo");
  r.headers = {{"X-Test", "a\r\nX-Injected: 1"}};
  HttpOutcome outcome = Send(r);
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(TransportErrorCode::kInvalidRequest, outcome.error().code);
  EXPECT_EQ(0, server_.requests_seen());
}

}  // namespace
}  // namespace verity::http
