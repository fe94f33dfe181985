// `verity mock --lenient`: a request the spec refuses is served as a valid one would be, and what
// was wrong comes back as drift lines (masked as the proxy masks them) instead of a 400.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/json.h"
#include "mock/responder.h"
#include "spec/catalog.h"
#include "support/memory_file_system.h"

namespace verity::mock {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kThings[] = R"(openapi: 3.0.3
info: {title: things, version: "1"}
paths:
  /things:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [name, size]
              properties: {id: {type: string}, name: {type: string}, size: {type: integer}}
      responses:
        "201":
          description: made
          content:
            application/json:
              schema:
                type: object
                properties: {id: {type: string}, name: {type: string}, size: {type: integer}}
)";

MockResponse Post(bool lenient, std::string_view body, std::span<const net::Header> headers = {}) {
  verity::testing::MemoryFileSystem fs;
  spec::Catalog catalog(fs);
  EXPECT_TRUE(catalog.AddText("api.yaml", kThings, "test"));
  ResponderOptions options;
  options.lenient = lenient;
  Responder responder(catalog, options);
  MockRequest request;
  request.method = "POST";
  request.path = "/things";
  request.body = body;
  request.headers = headers;
  return responder.Respond(request);
}

TEST(MockLenient, ARequestTheSpecRefusesIs400UnlessLenient) {
  MockResponse strict = Post(false, R"({"name": "box"})");
  EXPECT_EQ(400, strict.status) << strict.body;
  EXPECT_TRUE(strict.drift.empty());
}

TEST(MockLenient, ALenientMockServesItAndSaysWhatWasWrongAsDrift) {
  MockResponse served = Post(true, R"({"name": "box"})");
  ASSERT_EQ(201, served.status) << served.body;
  EXPECT_EQ("box", Json::parse(served.body)["name"]) << served.body;
  ASSERT_EQ(1u, served.drift.size());
  EXPECT_THAT(served.drift[0], HasSubstr("POST /things request body"));
  EXPECT_THAT(served.drift[0], HasSubstr("[MISSING_REQUIRED_FIELD]"));
}

TEST(MockLenient, AValidRequestHasNoDrift) {
  MockResponse served = Post(true, R"({"name": "box", "size": 3})");
  EXPECT_EQ(201, served.status);
  EXPECT_TRUE(served.drift.empty());
}

TEST(MockLenient, ACredentialTheDriftWouldQuoteIsMasked) {
  std::vector<net::Header> headers = {{"Authorization", "Bearer lenient-canary-5c1e9a7d"}};
  MockResponse served =
      Post(true, R"({"name": "box", "size": "lenient-canary-5c1e9a7d"})", headers);
  ASSERT_EQ(201, served.status) << served.body;
  ASSERT_FALSE(served.drift.empty());
  for (const std::string& line : served.drift) {
    EXPECT_THAT(line, Not(HasSubstr("lenient-canary-5c1e9a7d"))) << line;
  }
}

}  // namespace
}  // namespace verity::mock
