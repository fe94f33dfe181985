#include "http/request.h"

#include <curl/curl.h>
#include <gtest/gtest.h>

#include "http/curl_transport.h"

namespace verity::http {
namespace {

HttpRequest Valid() {
  HttpRequest r;
  r.url = "http://127.0.0.1/";
  return r;
}

TEST(HttpRequestValidation, AcceptsAPlainRequest) { EXPECT_FALSE(ValidateRequest(Valid())); }

TEST(HttpRequestValidation, RefusesWhatCannotBeSentSafely) {
  struct Case {
    const char* what;
    void (*spoil)(HttpRequest&);
  };
  const Case cases[] = {
      {"no url", [](HttpRequest& r) { r.url.clear(); }},
      {"no method", [](HttpRequest& r) { r.method.clear(); }},
      {"lower-case method", [](HttpRequest& r) { r.method = "get"; }},
      {"method with a space", [](HttpRequest& r) { r.method = "GET /x HTTP/1.1\r\nX:"; }},
      {"header name with colon",
       [](HttpRequest& r) {
         r.headers = {{"X:Y", "v"}};
       }},
      {"empty header name",
       [](HttpRequest& r) {
         r.headers = {{"", "v"}};
       }},
      {"line feed in value",
       [](HttpRequest& r) {
         r.headers = {{"X", "a\nInjected: 1"}};
       }},
      {"body and multipart",
       [](HttpRequest& r) {
         r.body = "{}";
         r.multipart = {{.name = "a", .value = "b"}};
       }},
      {"zero timeout", [](HttpRequest& r) { r.timeout = Duration(0); }},
  };
  for (const Case& c : cases) {
    HttpRequest r = Valid();
    c.spoil(r);
    auto error = ValidateRequest(r);
    ASSERT_TRUE(error.has_value()) << c.what;
    EXPECT_EQ(TransportErrorCode::kInvalidRequest, error->code) << c.what;
  }
}

TEST(HttpRequestValidation, MessagesNameTheHeaderButNeverItsValue) {
  HttpRequest r = Valid();
  r.headers = {{"Authorization", "Bearer secret-token\r\n"}};
  auto error = ValidateRequest(r);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ("INVALID_REQUEST: the value of header 'Authorization' holds a line break",
            error->ToString());
}

TEST(HttpResponseHeader, FindsTheFirstValueByLowerCaseName) {
  HttpResponse r;
  r.headers = {{"set-cookie", "a=1"}, {"set-cookie", "b=2"}};
  EXPECT_EQ("a=1", r.Header("set-cookie").value_or(""));
  EXPECT_FALSE(r.Header("Set-Cookie").has_value());
}

TEST(CurlErrorMapping, EachCurlFailureHasTheRunnersReasonCode) {
  const std::pair<CURLcode, TransportErrorCode> table[] = {
      {CURLE_OPERATION_TIMEDOUT, TransportErrorCode::kTimeout},
      {CURLE_COULDNT_RESOLVE_HOST, TransportErrorCode::kDnsError},
      {CURLE_COULDNT_RESOLVE_PROXY, TransportErrorCode::kDnsError},
      {CURLE_COULDNT_CONNECT, TransportErrorCode::kNetworkError},
      {CURLE_RECV_ERROR, TransportErrorCode::kNetworkError},
      {CURLE_SEND_ERROR, TransportErrorCode::kNetworkError},
      {CURLE_GOT_NOTHING, TransportErrorCode::kNetworkError},
      {CURLE_HTTP2_STREAM, TransportErrorCode::kNetworkError},
      {CURLE_PEER_FAILED_VERIFICATION, TransportErrorCode::kTlsError},
      {CURLE_SSL_CONNECT_ERROR, TransportErrorCode::kTlsError},
      {CURLE_SSL_CACERT_BADFILE, TransportErrorCode::kTlsError},
      {CURLE_FILESIZE_EXCEEDED, TransportErrorCode::kTooLarge},
      {CURLE_ABORTED_BY_CALLBACK, TransportErrorCode::kCancelled},
      {CURLE_URL_MALFORMAT, TransportErrorCode::kInvalidRequest},
      {CURLE_UNSUPPORTED_PROTOCOL, TransportErrorCode::kInvalidRequest},
  };
  for (const auto& [curl, expected] : table) {
    EXPECT_EQ(TransportErrorCodeName(expected),
              std::string(TransportErrorCodeName(TransportErrorCodeForCurl(curl))))
        << curl_easy_strerror(curl);
  }
}

}  // namespace
}  // namespace verity::http
