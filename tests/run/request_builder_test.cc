// What PrepareRequest puts on the wire: query arrays in the form the operation's spec describes,
// raw characters a URL may not hold encoded, and blank step headers left out rather than sent as
// something the report does not show. The last two are also checked through libcurl against a
// server on 127.0.0.1, since it is libcurl that refused or dropped them.
#include "run/request_builder.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <optional>
#include <thread>

#include "base/json.h"
#include "base/strings.h"
#include "http/curl_transport.h"
#include "http/local_server.h"
#include "run/query_encoding.h"
#include "run/step_eval.h"

namespace verity::run {
namespace {

constexpr const char* kSecret = "staff-secret-0123456789abcdef";

bool HasMember(const Json& headers, std::string_view name) {
  for (const auto& [key, value] : headers.items())
    if (ToLower(key) == ToLower(name)) return true;
  return false;
}

class RequestBuilderTest : public ::testing::Test {
 protected:
  RequestBuilderTest() {
    settings.base_url = "https://api.test";
    settings.tokens["staff"].value = kSecret;
    settings.tokens["staff"].scheme = AuthScheme::kBearer;
    document.frontmatter.tokens = {"staff"};
    step.id = "list";
    step.method = "GET";
    step.path = "/items";
  }

  /// Declares one query parameter of GET /items, as the spec object `parameter` (name "ids").
  void Declare(const Json& parameter) {
    parameters.push_back(std::make_unique<Json>(parameter));
    spec::Parameter p;
    p.name = parameter.value("name", "ids");
    p.in = "query";
    p.node.node = parameters.back().get();
    operation.parameters.push_back(p);
  }

  std::variant<PreparedRequest, PrepareFailure> Prepare() {
    RequestContext context;
    context.settings = &settings;
    context.document = &document;
    context.find_operation = [this](std::string_view method,
                                    std::string_view path) -> const spec::Operation* {
      return method == "GET" && path == "/items" ? &operation : nullptr;
    };
    return PrepareRequest(step, scope, context);
  }

  PreparedRequest Prepared() {
    auto prepared = Prepare();
    if (auto* failure = std::get_if<PrepareFailure>(&prepared))
      ADD_FAILURE() << failure->reason << ": " << failure->message;
    return std::get_if<PreparedRequest>(&prepared) ? std::get<PreparedRequest>(prepared)
                                                   : PreparedRequest{};
  }

  std::string Url() { return Prepared().request.url; }

  RunSettings settings;
  doc::Document document;
  doc::Step step;
  expr::Scope scope;
  spec::Operation operation;
  std::vector<std::unique_ptr<Json>> parameters;
};

// ---- query arrays ------------------------------------------------------------------------------

TEST_F(RequestBuilderTest, AnArrayTheSpecDoesNotDescribeKeepsBracketsByDefault) {
  step.params = {{"ids", {"a", "b"}}};
  EXPECT_EQ(Url(), "https://api.test/items?ids[]=a&ids[]=b");
}

TEST_F(RequestBuilderTest, TheEnvironmentsArrayFormatDecidesForAnUndescribedArray) {
  step.params = {{"ids", {"a", "b"}}};
  settings.array_format = ArrayFormat::kRepeat;
  EXPECT_EQ(Url(), "https://api.test/items?ids=a&ids=b");
  settings.array_format = ArrayFormat::kComma;
  EXPECT_EQ(Url(), "https://api.test/items?ids=a,b");
}

TEST_F(RequestBuilderTest, SwaggerCollectionFormatsAreFollowed) {
  step.params = {{"ids", {"a", "b c"}}};
  struct Case {
    const char* format;
    const char* query;
  };
  for (const Case& c :
       {Case{"multi", "ids=a&ids=b%20c"}, Case{"csv", "ids=a,b%20c"}, Case{"ssv", "ids=a%20b%20c"},
        Case{"tsv", "ids=a%09b%20c"}, Case{"pipes", "ids=a%7Cb%20c"}}) {
    operation.parameters.clear();
    Declare({{"name", "ids"}, {"in", "query"}, {"type", "array"}, {"collectionFormat", c.format}});
    EXPECT_EQ(Url(), std::string("https://api.test/items?") + c.query) << c.format;
  }
}

TEST_F(RequestBuilderTest, ASwaggerArrayWithoutCollectionFormatIsCommaSeparatedAsSwaggerSays) {
  Declare({{"name", "ids"}, {"in", "query"}, {"type", "array"}, {"items", {{"type", "string"}}}});
  step.params = {{"ids", {"a", "b"}}};
  EXPECT_EQ(Url(), "https://api.test/items?ids=a,b");
}

TEST_F(RequestBuilderTest, OpenApiFormStyleRepeatsTheKeyUnlessExplodeIsFalse) {
  Declare({{"name", "ids"}, {"in", "query"}, {"schema", {{"type", "array"}}}});
  step.params = {{"ids", {"a", "b"}}};
  EXPECT_EQ(Url(), "https://api.test/items?ids=a&ids=b");
  operation.parameters.clear();
  Declare({{"name", "ids"}, {"in", "query"}, {"explode", false}, {"schema", {{"type", "array"}}}});
  EXPECT_EQ(Url(), "https://api.test/items?ids=a,b");
}

TEST_F(RequestBuilderTest, OpenApiDelimitedStylesJoinWithTheirDelimiter) {
  step.params = {{"ids", {"a", "b"}}};
  Declare({{"name", "ids"}, {"in", "query"}, {"style", "spaceDelimited"}});
  EXPECT_EQ(Url(), "https://api.test/items?ids=a%20b");
  operation.parameters.clear();
  Declare({{"name", "ids"}, {"in", "query"}, {"style", "pipeDelimited"}});
  EXPECT_EQ(Url(), "https://api.test/items?ids=a%7Cb");
}

TEST_F(RequestBuilderTest, OpenApiObjectsFollowDeepObjectAndForm) {
  step.params = {{"filter", {{"status", "open"}, {"owner", "me"}}}};
  Declare({{"name", "filter"}, {"in", "query"}, {"style", "deepObject"}, {"explode", true}});
  EXPECT_EQ(Url(), "https://api.test/items?filter[status]=open&filter[owner]=me");
  operation.parameters.clear();
  Declare({{"name", "filter"}, {"in", "query"}, {"schema", {{"type", "object"}}}});
  EXPECT_EQ(Url(), "https://api.test/items?status=open&owner=me");
  operation.parameters.clear();
  Declare({{"name", "filter"}, {"in", "query"}, {"explode", false}});
  EXPECT_EQ(Url(), "https://api.test/items?filter=status,open,owner,me");
}

TEST_F(RequestBuilderTest, OnlyTheDescribedParameterFollowsTheSpec) {
  Declare({{"name", "ids"}, {"in", "query"}, {"type", "array"}, {"collectionFormat", "multi"}});
  step.params = {{"ids", {"a", "b"}}, {"tags", {"x", "y"}}};
  EXPECT_EQ(Url(), "https://api.test/items?ids=a&ids=b&tags[]=x&tags[]=y");
}

// ---- raw characters in the path ---------------------------------------------------------------

TEST(EscapeUrlText, EncodesWhatAUrlMayNotHoldAndKeepsExistingEscapes) {
  EXPECT_EQ(EscapeUrlText(R"(/items?q=a b&name="x"&p=50%&ok=%2F)"),
            "/items?q=a%20b&name=%22x%22&p=50%25&ok=%2F");
  EXPECT_EQ(EscapeUrlText("/caf\xc3\xa9?x=1|2"), "/caf%C3%A9?x=1%7C2");
  EXPECT_EQ(EscapeUrlText("/items?a=1&b=[2]"), "/items?a=1&b=[2]");
}

// ---- blank headers ----------------------------------------------------------------------------

TEST_F(RequestBuilderTest, ABlankAuthorizationSendsNoneAndUsesNoToken) {
  step.headers = {{"Authorization", " "}};
  settings.tokens.clear();  // nothing is needed, so nothing is missing
  PreparedRequest p = Prepared();
  for (const auto& [name, value] : p.request.headers)
    EXPECT_NE(verity::ToLower(name), "authorization");
  EXPECT_EQ(p.token_type, "");
  RequestRecord record = RecordRequest(p.request, p.base, http::SecretRedactor());
  for (const auto& [name, value] : record.headers)
    EXPECT_NE(verity::ToLower(name), "authorization");
}

TEST_F(RequestBuilderTest, ABlankHeaderIsNotReplacedByTheDefault) {
  step.headers = {{"Accept", ""}};
  PreparedRequest p = Prepared();
  for (const auto& [name, value] : p.request.headers) EXPECT_NE(verity::ToLower(name), "accept");
  EXPECT_EQ(p.token_type, "staff");
}

// ---- on the wire ------------------------------------------------------------------------------

class RequestOnTheWireTest : public RequestBuilderTest {
 protected:
  void SetUp() override {
    auto created = http::CurlTransport::Create({.max_in_flight = 2});
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    transport = std::move(created).value();
    settings.base_url = server.Url("");
  }
  void TearDown() override { transport.reset(); }

  Json Send() {
    http::HttpRequest request = Prepared().request;
    request.timeout = std::chrono::seconds(10);
    std::optional<http::HttpOutcome> got;
    transport->Submit(std::move(request), [&](http::HttpOutcome o) { got = std::move(o); });
    transport->RunUntilIdle();
    if (!got || !got->ok()) {
      ADD_FAILURE() << (got ? got->error().message : "no outcome");
      return Json();
    }
    auto parsed = ParseJson(got->response().body);
    return parsed.ok() ? *parsed : Json();
  }

  http::testing::LocalServer server;
  std::unique_ptr<http::CurlTransport> transport;
};

TEST_F(RequestOnTheWireTest, ARawSpaceAndQuoteInTheQueryStringArriveAsWritten) {
  step.path = R"(/echo?q=two words&name="quoted")";
  Json echo = Send();
  EXPECT_EQ(echo["query"].value("q", ""), "two words");
  EXPECT_EQ(echo["query"].value("name", ""), "\"quoted\"");
}

TEST_F(RequestOnTheWireTest, ABlankAuthorizationReachesTheServerAsNoAuthorization) {
  step.path = "/echo";
  step.headers = {{"Authorization", " "}, {"X-Empty", ""}};
  Json echo = Send();
  EXPECT_FALSE(HasMember(echo["headers"], "Authorization")) << echo.dump();
  EXPECT_FALSE(HasMember(echo["headers"], "X-Empty")) << echo.dump();
}

// The test server drops a header without a value, so this one reads the request's bytes.
TEST_F(RequestOnTheWireTest, TheTransportSendsAWhitespaceValueAsAnEmptyHeader) {
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(listener, 1), 0);
  socklen_t len = sizeof addr;
  getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
  std::string received;
  std::thread server_thread([&] {
    int conn = accept(listener, nullptr, nullptr);
    if (conn < 0) return;
    char buffer[4096];
    while (received.find("\r\n\r\n") == std::string::npos) {
      ssize_t n = read(conn, buffer, sizeof buffer);
      if (n <= 0) break;
      received.append(buffer, static_cast<size_t>(n));
    }
    const char reply[] = "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n";
    (void)!write(conn, reply, sizeof reply - 1);
    close(conn);
  });
  http::HttpRequest request;
  request.method = "GET";
  request.url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/raw";
  request.headers = {{"X-Blank", "  "}};
  request.timeout = std::chrono::seconds(10);
  std::optional<http::HttpOutcome> got;
  transport->Submit(std::move(request), [&](http::HttpOutcome o) { got = std::move(o); });
  transport->RunUntilIdle();
  server_thread.join();
  close(listener);
  ASSERT_TRUE(got && got->ok());
  EXPECT_NE(received.find("\r\nX-Blank:\r\n"), std::string::npos) << received;
}

}  // namespace
}  // namespace verity::run
