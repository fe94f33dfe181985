// One HTTP/1.1 request as the servers' handlers see it: read whole, its framing already checked
// (net/request_reader.h) and its body decoded, so no handler ever looks at Content-Length or
// Transfer-Encoding again.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace verity::net {

struct Header {
  std::string name;   // as sent; compare without case
  std::string value;  // without surrounding whitespace
};

struct Request {
  std::string method;  // as sent (methods are case-sensitive)
  std::string target;  // path and query as sent
  int minor_version = 1;
  std::vector<Header> headers;  // in order; Content-Length, Transfer-Encoding and Expect removed
  std::string body;             // decoded
  bool keep_alive = true;       // the client may send another request on this connection
  std::string peer;             // the client's address, "127.0.0.1"

  /// The first header of that name ("" when absent).
  std::string_view header(std::string_view name) const;
  bool has_header(std::string_view name) const;
  /// The target without its query.
  std::string_view path() const { return std::string_view(target).substr(0, target.find('?')); }
};

/// What a request may cost before it is refused. Defaults suit the mock; the dashboard's are
/// smaller (serve/server.cc).
struct Limits {
  size_t max_head_bytes = 64 * 1024;  // request line + headers (and a chunked body's trailers)
  size_t max_headers = 100;
  size_t max_body_bytes = 16u << 20;  // declared or decoded; 413 past it
  // Request bodies being received on all connections together: past it the request whose body
  // pushes the total over gets 503 (many connections each sending almost max_body_bytes and never
  // finishing would otherwise hold that much memory each). 0: 16 × max_body_bytes, at least
  // 256 MiB.
  size_t max_buffered_body_bytes = 0;
  // A request's head must arrive whole within this of its first byte (a slowloris sends it a
  // byte at a time).
  std::chrono::milliseconds head_timeout{10'000};
  // A kept-alive connection waits this long for the next request's first byte.
  std::chrono::milliseconds idle_timeout{5'000};
  // A body must arrive whole within this of the end of its head.
  std::chrono::milliseconds body_timeout{30'000};
  // A client that takes no byte of its answer for this long is cut off.
  std::chrono::milliseconds write_timeout{10'000};
};

}  // namespace verity::net
