// The strict request reader on its own: what it accepts (fed whole, and split at every byte), and
// the exact status of every refusal — the framing attacks of request smuggling, limits, bad heads.
#include "net/request_reader.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

namespace verity::net {
namespace {

struct Outcome {
  RequestReader::State state = RequestReader::State::kHead;
  int status = 0;
  std::string error;
  size_t consumed = 0;
  Request request;
};

/// Feeds `bytes` in pieces of `piece` bytes (0: whole) until the request ends or is refused.
Outcome Read(const std::string& bytes, const Limits& limits = {}, size_t piece = 0) {
  RequestReader reader(limits);
  Outcome out;
  size_t step = piece == 0 ? bytes.size() : piece;
  for (size_t at = 0; at < bytes.size(); at += step) {
    std::string_view part = std::string_view(bytes).substr(at, step);
    size_t taken = reader.Consume(part);
    out.consumed += taken;
    if (taken < part.size() || reader.state() == RequestReader::State::kDone ||
        reader.state() == RequestReader::State::kFailed) {
      break;
    }
  }
  out.state = reader.state();
  out.status = reader.error_status();
  out.error = reader.error();
  out.request = reader.request();
  return out;
}

TEST(RequestReader, AGetIsReadWholeWithItsHeadersAndNothingBeyondIt) {
  std::string first = "GET /clients?page=2 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\n\r\n";
  Outcome out = Read(first + "GET /next HTTP/1.1\r\n");
  ASSERT_EQ(out.state, RequestReader::State::kDone) << out.error;
  EXPECT_EQ(out.consumed, first.size()) << "the pipelined next request is left for later";
  EXPECT_EQ(out.request.method, "GET");
  EXPECT_EQ(out.request.target, "/clients?page=2");
  EXPECT_EQ(out.request.path(), "/clients");
  EXPECT_EQ(out.request.header("authorization"), "Bearer t");
  EXPECT_TRUE(out.request.keep_alive);
}

TEST(RequestReader, EveryWayOfSplittingTheBytesGivesTheSameRequest) {
  std::string chunked =
      "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5;name=\"q\\\"v\"\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: ok\r\n\r\n";
  std::string fixed = "PUT /c/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello world";
  for (const std::string& bytes : {chunked, fixed}) {
    for (size_t piece = 1; piece <= 7; ++piece) {
      Outcome out = Read(bytes, {}, piece);
      ASSERT_EQ(out.state, RequestReader::State::kDone) << piece << ": " << out.error;
      EXPECT_EQ(out.request.body, "hello world") << piece;
      EXPECT_EQ(out.consumed, bytes.size()) << piece;
      EXPECT_FALSE(out.request.has_header("Transfer-Encoding"));
      EXPECT_FALSE(out.request.has_header("Content-Length"));
    }
  }
}

TEST(RequestReader, HttpOneZeroClosesUnlessItAsksToKeepAliveAndCloseIsHonoured) {
  EXPECT_FALSE(Read("GET / HTTP/1.0\r\n\r\n").request.keep_alive);
  EXPECT_TRUE(Read("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").request.keep_alive);
  EXPECT_FALSE(
      Read("GET / HTTP/1.1\r\nHost: x\r\nConnection: te, close\r\n\r\n").request.keep_alive);
}

TEST(RequestReader, AnEmptyLineBeforeTheRequestLineIsIgnored) {
  Outcome out = Read("\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(out.state, RequestReader::State::kDone) << out.error;
}

TEST(RequestReader, ExpectContinueIsAskedForOnlyBeforeTheBody) {
  RequestReader reader(Limits{});
  reader.Consume("POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
  EXPECT_TRUE(reader.wants_continue());
  reader.Consume("{");
  EXPECT_FALSE(reader.wants_continue());
  reader.Consume("}");
  EXPECT_EQ(reader.state(), RequestReader::State::kDone);
  EXPECT_FALSE(reader.request().has_header("Expect"));
}

struct Refusal {
  const char* name;
  std::string bytes;
  int status;
};

// ctest lists each case by its name and status, not by the struct's bytes.
void PrintTo(const Refusal& refusal, std::ostream* out) {
  *out << refusal.name << " -> " << refusal.status;
}

class RequestReaderRefuses : public ::testing::TestWithParam<Refusal> {};

TEST_P(RequestReaderRefuses, WithItsStatusWholeAndSplitByteByByte) {
  const Refusal& refusal = GetParam();
  Limits limits;
  limits.max_body_bytes = 100;
  limits.max_head_bytes = 512;
  limits.max_headers = 8;
  for (size_t piece : {size_t{0}, size_t{1}}) {
    Outcome out = Read(refusal.bytes, limits, piece);
    EXPECT_EQ(out.state, RequestReader::State::kFailed) << refusal.name << " piece " << piece;
    EXPECT_EQ(out.status, refusal.status) << refusal.name << ": " << out.error;
    EXPECT_FALSE(out.error.empty());
  }
}

const std::string kHost = "Host: x\r\n";
std::string Repeat(const std::string& s, size_t times) {
  std::string out;
  for (size_t i = 0; i < times; ++i) out += s;
  return out;
}
std::string NameOf(const ::testing::TestParamInfo<Refusal>& info) { return info.param.name; }
std::string Post(const std::string& headers, const std::string& rest = "") {
  return "POST /c HTTP/1.1\r\n" + kHost + headers + "\r\n" + rest;
}

INSTANTIATE_TEST_SUITE_P(
    Smuggling, RequestReaderRefuses,
    ::testing::Values(
        Refusal{"ContentLengthAndTransferEncoding",
                Post("Content-Length: 4\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"), 400},
        Refusal{"TransferEncodingAndContentLength",
                Post("Transfer-Encoding: chunked\r\nContent-Length: 4\r\n", "0\r\n\r\n"), 400},
        Refusal{"XChunked", Post("Transfer-Encoding: xchunked\r\n"), 400},
        Refusal{"ChunkedThenGzip", Post("Transfer-Encoding: chunked, gzip\r\n"), 400},
        Refusal{"GzipThenChunked", Post("Transfer-Encoding: gzip, chunked\r\n"), 400},
        Refusal{"TwoTransferEncodings",
                Post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"), 400},
        Refusal{"ChunkedWithTrailingJunk", Post("Transfer-Encoding: chunked;q=1\r\n"), 400},
        Refusal{"TransferEncodingInHttp10",
                "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400},
        Refusal{"TwoDifferentLengths", Post("Content-Length: 4\r\nContent-Length: 5\r\n"), 400},
        Refusal{"LengthList", Post("Content-Length: 4, 4\r\n"), 400},
        Refusal{"NegativeLength", Post("Content-Length: -1\r\n"), 400},
        Refusal{"SignedLength", Post("Content-Length: +4\r\n"), 400},
        Refusal{"HexLength", Post("Content-Length: 0x4\r\n"), 400},
        Refusal{"EmptyLength", Post("Content-Length: \r\n"), 400},
        Refusal{"OverflowingLength", Post("Content-Length: 18446744073709551616\r\n"), 400},
        Refusal{"SpaceBeforeColon", Post("Content-Length : 4\r\n"), 400},
        Refusal{"TabBeforeColon", Post("Transfer-Encoding\t: chunked\r\n"), 400},
        Refusal{"ObsFold", Post("X-A: 1\r\n Content-Length: 4\r\n"), 400},
        Refusal{"InvalidHeaderName", Post("X[A]: 1\r\n"), 400},
        Refusal{"NoColon", Post("Content-Length 4\r\n"), 400},
        Refusal{"BareCrInHeader", Post("X-A: 1\rContent-Length: 4\r\n"), 400},
        Refusal{"BareLfEndsAHeader", "GET / HTTP/1.1\r\nHost: x\nX-A: 1\r\n\r\n", 400},
        Refusal{"NulInValue", Post(std::string("X-A: a\0b\r\n", 10)), 400},
        Refusal{"MissingHost", "GET / HTTP/1.1\r\n\r\n", 400},
        Refusal{"TwoHosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},
        Refusal{"BadChunkSize", Post("Transfer-Encoding: chunked\r\n", "z\r\n"), 400},
        Refusal{"NegativeChunkSize", Post("Transfer-Encoding: chunked\r\n", "-5\r\n"), 400},
        Refusal{"ChunkSizeWithTrailingSpace", Post("Transfer-Encoding: chunked\r\n", "5 \r\n"),
                400},
        Refusal{"OverflowingChunkSize",
                Post("Transfer-Encoding: chunked\r\n", "10000000000000000\r\n"), 400},
        Refusal{"BadChunkExtension", Post("Transfer-Encoding: chunked\r\n", "5;=x\r\n"), 400},
        Refusal{"UnterminatedQuotedExtension",
                Post("Transfer-Encoding: chunked\r\n", "5;a=\"x\r\n"), 400},
        Refusal{"ChunkDataLongerThanItsSize",
                Post("Transfer-Encoding: chunked\r\n", "2\r\nabc\r\n0\r\n\r\n"), 400},
        Refusal{"ChunkSizeEndedByBareLf", Post("Transfer-Encoding: chunked\r\n", "2\nab\r\n"), 400},
        Refusal{"FoldedTrailer",
                Post("Transfer-Encoding: chunked\r\n", "0\r\nX-A: 1\r\n folded\r\n\r\n"), 400},
        Refusal{"TrailerWithoutColon", Post("Transfer-Encoding: chunked\r\n", "0\r\nbad\r\n\r\n"),
                400}),
    NameOf);

INSTANTIATE_TEST_SUITE_P(
    Heads, RequestReaderRefuses,
    ::testing::Values(Refusal{"NoVersion", "GET /\r\n\r\n", 400},
                      Refusal{"LowercaseVersion", "GET / http/1.1\r\nHost: x\r\n\r\n", 400},
                      Refusal{"HttpTwo", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505},
                      Refusal{"TwoSpaces", "GET  / HTTP/1.1\r\nHost: x\r\n\r\n", 400},
                      Refusal{"SpaceInTarget", "GET /a b HTTP/1.1\r\nHost: x\r\n\r\n", 400},
                      Refusal{"AbsoluteForm", "GET http://x/ HTTP/1.1\r\nHost: x\r\n\r\n", 400},
                      Refusal{"MethodNotAToken", "G(T / HTTP/1.1\r\nHost: x\r\n\r\n", 400},
                      Refusal{"UnknownExpectation", Post("Expect: 200-ok\r\nContent-Length: 1\r\n"),
                              417}),
    NameOf);

INSTANTIATE_TEST_SUITE_P(
    Limits, RequestReaderRefuses,
    ::testing::Values(
        Refusal{"DeclaredBodyOverTheLimit", Post("Content-Length: 101\r\n"), 413},
        Refusal{"GibibyteDeclared", Post("Content-Length: 1073741824\r\n"), 413},
        Refusal{"ChunkOverTheLimit", Post("Transfer-Encoding: chunked\r\n", "65\r\n"), 413},
        Refusal{
            "ChunksAddingUpOverTheLimit",
            Post("Transfer-Encoding: chunked\r\n", "32\r\n" + std::string(50, 'a') + "\r\n33\r\n"),
            413},
        Refusal{"HugeChunkSize", Post("Transfer-Encoding: chunked\r\n", "ffffffffffffffff\r\n"),
                413},
        Refusal{"HeadOverTheLimit", "GET /" + std::string(600, 'a') + " HTTP/1.1\r\n\r\n", 431},
        Refusal{"TooManyHeaders",
                "GET / HTTP/1.1\r\nHost: x\r\nA: 1\r\nB: 1\r\nC: 1\r\nD: 1\r\nE: 1\r\nF: 1\r\n"
                "G: 1\r\nH: 1\r\n\r\n",
                431},
        Refusal{"EndlessEmptyLines", Repeat("\r\n", 300), 431},
        Refusal{"CrCrLf", "GET / HTTP/1.1\r\r\n", 400},
        Refusal{"TrailersOverTheLimit",
                Post("Transfer-Encoding: chunked\r\n", "0\r\nX-A: " + std::string(600, 'a')), 431}),
    NameOf);

TEST(RequestReader, AChunkedBodyIsRefusedTheMomentItPassesTheLimitNotWhenItEnds) {
  Limits limits;
  limits.max_body_bytes = 1000;
  RequestReader reader(limits);
  reader.Consume(Post("Transfer-Encoding: chunked\r\n"));
  std::string chunk = "64\r\n" + std::string(100, 'x') + "\r\n";  // 100 bytes each
  for (int i = 0; i < 10; ++i) reader.Consume(chunk);
  EXPECT_EQ(reader.state(), RequestReader::State::kBody);
  reader.Consume("1\r\n");
  EXPECT_EQ(reader.state(), RequestReader::State::kFailed);
  EXPECT_EQ(reader.error_status(), 413);
  EXPECT_EQ(reader.request().body.size(), 1000u) << "never more than the limit is kept";
}

TEST(RequestReader, AfterARefusalNoMoreBytesAreTaken) {
  RequestReader reader(Limits{});
  std::string smuggle = Post("Content-Length: 4\r\nTransfer-Encoding: chunked\r\n",
                             "0\r\n\r\nGET /admin HTTP/1.1\r\nHost: x\r\n\r\n");
  size_t taken = reader.Consume(smuggle);
  EXPECT_EQ(reader.state(), RequestReader::State::kFailed);
  EXPECT_LT(taken, smuggle.size());
  EXPECT_EQ(reader.Consume("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), 0u);
}

}  // namespace
}  // namespace verity::net
