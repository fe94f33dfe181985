#include "net/request_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <limits>
#include <optional>

#include "base/strings.h"

namespace verity::net {

namespace {

// A chunk-size line holds a size and extensions nobody here uses; 4 KiB is plenty.
constexpr size_t kMaxChunkLine = 4096;

bool IsTchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsToken(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), IsTchar); }

// field-value characters: HTAB, SP, VCHAR and obs-text; never CR, LF, NUL or another control.
bool IsFieldValueChar(char c) {
  auto u = static_cast<unsigned char>(c);
  return u == '\t' || (u >= 0x20 && u != 0x7f);
}

bool IsWhitespace(char c) { return c == ' ' || c == '\t'; }

std::string_view TrimWhitespace(std::string_view s) {
  while (!s.empty() && IsWhitespace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsWhitespace(s.back())) s.remove_suffix(1);
  return s;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// 1*DIGIT that fits in 64 bits; nothing else (no sign, no space, no list).
std::optional<uint64_t> ParseLength(std::string_view s) {
  if (s.empty()) return std::nullopt;
  uint64_t value = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    auto digit = static_cast<uint64_t>(c - '0');
    if (value > (std::numeric_limits<uint64_t>::max() - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

/// A quoted-string at the start of `s`; returns its length with the quotes, 0 if malformed.
size_t QuotedStringLength(std::string_view s) {
  if (s.empty() || s[0] != '"') return 0;
  for (size_t i = 1; i < s.size(); ++i) {
    auto u = static_cast<unsigned char>(s[i]);
    if (s[i] == '"') return i + 1;
    if (s[i] == '\\') {
      if (++i == s.size() || !IsFieldValueChar(s[i])) return 0;
    } else if (!IsFieldValueChar(s[i]) || u == 0x7f) {
      return 0;
    }
  }
  return 0;
}

bool RemovedFromRequest(std::string_view name) {
  return IEquals(name, "Content-Length") || IEquals(name, "Transfer-Encoding") ||
         IEquals(name, "Expect");
}

}  // namespace

std::string_view Request::header(std::string_view name) const {
  for (const Header& h : headers) {
    if (IEquals(h.name, name)) return h.value;
  }
  return {};
}

bool Request::has_header(std::string_view name) const {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const Header& h) { return IEquals(h.name, name); });
}

void RequestReader::Reset() {
  state_ = State::kHead;
  body_ = Body::kNone;
  request_ = Request();
  head_.clear();
  line_.clear();
  line_begin_ = skipped_ = 0;
  remaining_ = 0;
  trailer_bytes_ = trailer_count_ = 0;
  chunked_ = expect_continue_ = body_seen_ = false;
  error_status_ = 0;
  error_.clear();
}

size_t RequestReader::Fail(int status, std::string why, size_t consumed) {
  state_ = State::kFailed;
  error_status_ = status;
  error_ = std::move(why);
  return consumed;
}

size_t RequestReader::Consume(std::string_view data) {
  size_t taken = 0;
  while (taken < data.size() && (state_ == State::kHead || state_ == State::kBody)) {
    std::string_view rest = data.substr(taken);
    taken += state_ == State::kHead ? ConsumeHead(rest) : ConsumeBody(rest);
  }
  return taken;
}

size_t RequestReader::ConsumeHead(std::string_view data) {
  for (size_t i = 0; i < data.size(); ++i) {
    if (head_.size() + skipped_ >= limits_.max_head_bytes) {
      return Fail(
          431, fmt::format("the request head is larger than {} bytes", limits_.max_head_bytes), i);
    }
    char c = data[i];
    char previous = head_.empty() ? '\0' : head_.back();
    if (previous == '\r' && c != '\n') return Fail(400, "a CR that does not end a line", i);
    head_.push_back(c);
    if (c != '\n') continue;
    if (previous != '\r') return Fail(400, "a line ended by a bare LF (lines end with CRLF)", i);
    if (head_.size() - line_begin_ > 2) {
      line_begin_ = head_.size();
      continue;
    }
    if (line_begin_ == 0) {  // an empty line before the request line is ignored (RFC 9112 §2.2)
      skipped_ += 2;
      head_.clear();
      continue;
    }
    head_.resize(head_.size() - 2);  // the empty line that ends the head
    if (ParseHead()) BeginBody();
    return i + 1;
  }
  return data.size();
}

bool RequestReader::ParseHead() {
  std::string_view head = head_;
  size_t end = head.find("\r\n");
  if (!ParseRequestLine(head.substr(0, end))) return false;
  for (size_t begin = end + 2; begin < head.size(); begin = end + 2) {
    end = head.find("\r\n", begin);
    if (request_.headers.size() == limits_.max_headers) {
      Fail(431, fmt::format("the request has more than {} header fields", limits_.max_headers), 0);
      return false;
    }
    Header field;
    if (!ParseField(head.substr(begin, end - begin), field)) return false;
    request_.headers.push_back(std::move(field));
  }
  return ParseFraming();
}

bool RequestReader::ParseRequestLine(std::string_view line) {
  size_t first = line.find(' ');
  size_t second = first == std::string_view::npos ? first : line.find(' ', first + 1);
  if (second == std::string_view::npos || line.find(' ', second + 1) != std::string_view::npos) {
    Fail(400, "the request line is not METHOD TARGET HTTP/1.1", 0);
    return false;
  }
  std::string_view method = line.substr(0, first);
  std::string_view target = line.substr(first + 1, second - first - 1);
  std::string_view version = line.substr(second + 1);
  if (!IsToken(method)) {
    Fail(400, "the request method is not a token", 0);
    return false;
  }
  bool visible = std::all_of(target.begin(), target.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f;
  });
  bool origin_form = !target.empty() && target[0] == '/';
  if (!visible || !(origin_form || (target == "*" && method == "OPTIONS"))) {
    Fail(400, "the request target is not a path (/path?query) of visible ASCII characters", 0);
    return false;
  }
  if (version == "HTTP/1.1" || version == "HTTP/1.0") {
    request_.minor_version = version.back() - '0';
  } else if (version.size() == 8 && version.starts_with("HTTP/") &&
             std::isdigit(static_cast<unsigned char>(version[5])) && version[6] == '.' &&
             std::isdigit(static_cast<unsigned char>(version[7]))) {
    Fail(505, "only HTTP/1.1 and HTTP/1.0 are served", 0);
    return false;
  } else {
    Fail(400, "the request line does not end with HTTP/1.1", 0);
    return false;
  }
  request_.method = method;
  request_.target = target;
  return true;
}

bool RequestReader::ParseField(std::string_view line, Header& out) {
  if (!line.empty() && IsWhitespace(line[0])) {
    Fail(400, "a folded header line (obs-fold) is not accepted", 0);
    return false;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || !IsToken(line.substr(0, colon))) {
    Fail(400, "a header line is not NAME: VALUE with a token name and no space before the colon",
         0);
    return false;
  }
  std::string_view value = TrimWhitespace(line.substr(colon + 1));
  if (!std::all_of(value.begin(), value.end(), IsFieldValueChar)) {
    Fail(400, "a header value holds a control character", 0);
    return false;
  }
  out.name = line.substr(0, colon);
  out.value = value;
  return true;
}

bool RequestReader::ParseFraming() {
  std::optional<uint64_t> length;
  size_t transfer_encodings = 0, hosts = 0;
  bool close = false, keep_alive = false;
  for (const Header& h : request_.headers) {
    if (IEquals(h.name, "Content-Length")) {
      std::optional<uint64_t> value = ParseLength(h.value);
      if (!value) return Fail(400, "Content-Length is not a single whole number", 0), false;
      if (length && *length != *value) {
        return Fail(400, "two Content-Length headers that differ", 0), false;
      }
      length = value;
    } else if (IEquals(h.name, "Transfer-Encoding")) {
      if (++transfer_encodings > 1 || !IEquals(h.value, "chunked")) {
        return Fail(400, "the only Transfer-Encoding accepted is a single `chunked`", 0), false;
      }
    } else if (IEquals(h.name, "Host")) {
      ++hosts;
    } else if (IEquals(h.name, "Connection")) {
      for (std::string_view option : Split(h.value, ',')) {
        option = TrimWhitespace(option);
        close = close || IEquals(option, "close");
        keep_alive = keep_alive || IEquals(option, "keep-alive");
      }
    } else if (IEquals(h.name, "Expect")) {
      if (!IEquals(h.value, "100-continue") || expect_continue_) {
        return Fail(417, "the only expectation served is a single 100-continue", 0), false;
      }
      expect_continue_ = true;
    }
  }
  chunked_ = transfer_encodings > 0;
  if (chunked_ && length) {
    return Fail(400, "both Content-Length and Transfer-Encoding (request smuggling)", 0), false;
  }
  if (chunked_ && request_.minor_version == 0) {
    return Fail(400, "Transfer-Encoding in an HTTP/1.0 request", 0), false;
  }
  if (hosts > 1 || (hosts == 0 && request_.minor_version == 1)) {
    return Fail(400, "an HTTP/1.1 request needs exactly one Host header", 0), false;
  }
  if (length && *length > limits_.max_body_bytes) {
    return Fail(413,
                fmt::format("the body ({} bytes) is larger than the limit of {} bytes", *length,
                            limits_.max_body_bytes),
                0),
           false;
  }
  request_.keep_alive = request_.minor_version == 1 ? !close : keep_alive && !close;
  remaining_ = length.value_or(0);
  std::erase_if(request_.headers, [](const Header& h) { return RemovedFromRequest(h.name); });
  return true;
}

void RequestReader::BeginBody() {
  head_.clear();
  if (chunked_) {
    body_ = Body::kChunkSize;
  } else if (remaining_ > 0) {
    body_ = Body::kFixed;
    request_.body.reserve(std::min<uint64_t>(remaining_, 64 * 1024));
  } else {
    state_ = State::kDone;
    return;
  }
  state_ = State::kBody;
}

size_t RequestReader::ConsumeBody(std::string_view data) {
  body_seen_ = true;
  switch (body_) {
    case Body::kFixed:
    case Body::kChunkData: {
      size_t n = static_cast<size_t>(std::min<uint64_t>(remaining_, data.size()));
      request_.body.append(data.substr(0, n));
      remaining_ -= n;
      if (remaining_ == 0 && body_ == Body::kFixed) state_ = State::kDone;
      if (remaining_ == 0 && body_ == Body::kChunkData) body_ = Body::kChunkEnd;
      return n;
    }
    case Body::kChunkEnd:
      return ConsumeChunkEnd(data);
    case Body::kChunkSize:
    case Body::kTrailers:
      return ConsumeChunkLine(data);
    case Body::kNone:
      break;
  }
  return Fail(400, "no body was expected", 0);
}

size_t RequestReader::TakeLine(std::string_view data, size_t limit, int status, bool& complete) {
  complete = false;
  for (size_t i = 0; i < data.size(); ++i) {
    char c = data[i];
    bool after_cr = !line_.empty() && line_.back() == '\r';
    if (after_cr != (c == '\n')) {
      return Fail(400,
                  c == '\n' ? "a line ended by a bare LF (lines end with CRLF)"
                            : "a CR that does not end a line",
                  i);
    }
    if (c == '\n') {
      line_.pop_back();
      complete = true;
      return i + 1;
    }
    if (line_.size() >= limit) {
      return Fail(status,
                  status == 431 ? fmt::format("the trailers are larger than {} bytes", limit)
                                : "a chunk-size line is too long",
                  i);
    }
    line_.push_back(c);
  }
  return data.size();
}

size_t RequestReader::ConsumeChunkLine(std::string_view data) {
  bool trailers = body_ == Body::kTrailers;
  size_t limit = trailers
                     ? limits_.max_head_bytes - std::min(limits_.max_head_bytes, trailer_bytes_)
                     : kMaxChunkLine;
  bool complete = false;
  size_t taken = TakeLine(data, limit, trailers ? 431 : 400, complete);
  if (state_ == State::kFailed || !complete) return taken;
  std::string line = std::move(line_);
  line_.clear();
  if (!trailers) {
    ChunkSizeLine(line);
  } else if (line.empty()) {
    state_ = State::kDone;
  } else {
    trailer_bytes_ += line.size() + 2;
    TrailerLine(line);
  }
  return taken;
}

bool RequestReader::ChunkSizeLine(std::string_view line) {
  uint64_t size = 0;
  size_t digits = 0;
  for (; digits < line.size() && HexValue(line[digits]) >= 0; ++digits) {
    if (size > (std::numeric_limits<uint64_t>::max() >> 4)) {
      return Fail(400, "a chunk size does not fit in 64 bits", 0), false;
    }
    size = size * 16 + static_cast<uint64_t>(HexValue(line[digits]));
  }
  if (digits == 0) return Fail(400, "a chunk size is not hexadecimal", 0), false;
  if (!ChunkExtensions(line.substr(digits))) return false;
  if (size == 0) {
    body_ = Body::kTrailers;
  } else if (size > limits_.max_body_bytes - request_.body.size()) {
    return Fail(413,
                fmt::format("the chunked body is larger than the limit of {} bytes",
                            limits_.max_body_bytes),
                0),
           false;
  } else {
    remaining_ = size;
    body_ = Body::kChunkData;
  }
  return true;
}

// chunk-ext = *( BWS ";" BWS name [ BWS "=" BWS ( token / quoted-string ) ] ), RFC 9112 §7.1.1.
bool RequestReader::ChunkExtensions(std::string_view rest) {
  auto skip_whitespace = [&rest] {
    while (!rest.empty() && IsWhitespace(rest[0])) rest.remove_prefix(1);
  };
  auto take_token = [&rest] {
    size_t n = 0;
    while (n < rest.size() && IsTchar(rest[n])) ++n;
    rest.remove_prefix(n);
    return n > 0;
  };
  auto malformed = [this] { return Fail(400, "a chunk extension is malformed", 0), false; };
  while (!rest.empty()) {
    skip_whitespace();
    if (rest.empty() || rest[0] != ';') return malformed();
    rest.remove_prefix(1);
    skip_whitespace();
    if (!take_token()) return malformed();
    skip_whitespace();
    if (rest.empty() || rest[0] != '=') continue;
    rest.remove_prefix(1);
    skip_whitespace();
    if (size_t quoted = QuotedStringLength(rest); quoted > 0) {
      rest.remove_prefix(quoted);
    } else if (!take_token()) {
      return malformed();
    }
  }
  return true;
}

bool RequestReader::TrailerLine(std::string_view line) {
  if (++trailer_count_ > limits_.max_headers) {
    return Fail(431, fmt::format("more than {} trailer fields", limits_.max_headers), 0), false;
  }
  Header ignored;  // trailers are checked, never used: no handler here needs one
  return ParseField(line, ignored);
}

size_t RequestReader::ConsumeChunkEnd(std::string_view data) {
  char expected = line_.empty() ? '\r' : '\n';
  if (data[0] != expected) return Fail(400, "a chunk's data is not followed by CRLF", 0);
  if (expected == '\r') {
    line_ = "\r";
  } else {
    line_.clear();
    body_ = Body::kChunkSize;
  }
  return 1;
}

}  // namespace verity::net
