// The servers' strict, incremental HTTP/1.1 request reader (RFC 9112). Bytes go in as they arrive,
// split anywhere; out comes either a whole request with its body decoded, or the one status that
// refuses it. Every framing decision is made here, before any handler runs, so a request whose
// length two parsers could read differently (the root of request smuggling) never reaches one:
//
//   - Content-Length and Transfer-Encoding together, a Transfer-Encoding other than exactly
//     `chunked` (or sent twice), Content-Lengths that differ or hold a list, a length that is not
//     all digits or does not fit in 64 bits, a bad chunk size, extension or trailer: 400.
//   - Folded header lines (obs-fold), whitespace before a colon, an invalid header name, a bare CR
//     or LF, a control character in a value, a missing or repeated Host (HTTP/1.1): 400.
//   - A declared body over the limit: 413 at once, before a byte of it is read; a chunked body is
//     counted as it is decoded and refused the moment it passes the limit.
//   - A head (or a chunked body's trailers) over its byte or header-count limit: 431.
//
// After a refusal the reader takes no more bytes: the connection answers and closes, and nothing
// sent after the refused request is ever read as a request.
//
// Why our own reader and not a library: the head is where smuggling lives, and each refusal here
// must be exact (400 vs 413 vs 431, decided before the body is read, limits counted as the body is
// decoded). Debian's http-parser (2.9.4) is archived upstream and tolerant by design in places
// this reader must not be (see docs/mock.md, "The server"); llhttp is not packaged.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "net/request.h"

namespace verity::net {

class RequestReader {
 public:
  enum class State { kHead, kBody, kDone, kFailed };

  explicit RequestReader(const Limits& limits) : limits_(limits) {}

  /// Takes the bytes of `data` that belong to the current request and returns how many it took:
  /// all of them unless the request ended (kDone) or was refused (kFailed) within them.
  size_t Consume(std::string_view data);

  State state() const { return state_; }
  /// Whether any byte of a request has arrived (an idle connection has none).
  bool started() const { return state_ != State::kHead || !head_.empty() || skipped_ > 0; }
  /// The head is complete, the client asked for "100 Continue" and has sent no body yet.
  bool wants_continue() const { return state_ == State::kBody && expect_continue_ && !body_seen_; }
  /// The refusal: 400, 413, 417, 431 or 505, and why (one line, for the answer's body).
  int error_status() const { return error_status_; }
  const std::string& error() const { return error_; }

  /// The request, whole once state() is kDone.
  Request& request() { return request_; }
  /// Ready for the next request on the same connection.
  void Reset();

 private:
  enum class Body { kNone, kFixed, kChunkSize, kChunkData, kChunkEnd, kTrailers };

  size_t ConsumeHead(std::string_view data);
  size_t ConsumeBody(std::string_view data);
  size_t ConsumeChunkLine(std::string_view data);
  size_t ConsumeChunkEnd(std::string_view data);
  /// Parses head_ (without its final empty line); false after Fail.
  bool ParseHead();
  bool ParseRequestLine(std::string_view line);
  bool ParseFraming();
  bool ChunkSizeLine(std::string_view line);
  bool TrailerLine(std::string_view line);
  /// One `name: value` line of the head or the trailers into `out`; false after Fail.
  bool ParseField(std::string_view line, Header& out);
  bool ChunkExtensions(std::string_view rest);
  /// Appends bytes of a line (up to its CRLF) to line_; returns how many it took, and sets
  /// `complete` when the CRLF arrived. Fails on a bare CR or LF or a line past `limit`.
  size_t TakeLine(std::string_view data, size_t limit, int status, bool& complete);
  size_t Fail(int status, std::string why, size_t consumed);
  void BeginBody();

  const Limits limits_;
  State state_ = State::kHead;
  Body body_ = Body::kNone;
  Request request_;
  std::string head_;
  size_t line_begin_ = 0;     // where the head's current line starts in head_
  size_t skipped_ = 0;        // empty lines before the request line (they count against the limit)
  std::string line_;          // a chunk-size or trailer line being gathered
  uint64_t remaining_ = 0;    // of a fixed body or of the current chunk
  size_t trailer_bytes_ = 0;  // trailers count against the head's limits
  size_t trailer_count_ = 0;
  bool chunked_ = false;
  bool expect_continue_ = false;
  bool body_seen_ = false;
  int error_status_ = 0;
  std::string error_;
};

}  // namespace verity::net
