#include "net/response.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/json.h"
#include "base/strings.h"

namespace verity::net {

namespace {

bool IsTchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsFramingHeader(std::string_view name) {
  return IEquals(name, "Content-Length") || IEquals(name, "Transfer-Encoding") ||
         IEquals(name, "Connection") || IEquals(name, "Keep-Alive") || IEquals(name, "Upgrade") ||
         IEquals(name, "Trailer");
}

std::string_view ErrorCode(int status) {
  switch (status) {
    case 400:
      return "BAD_REQUEST";
    case 408:
      return "REQUEST_TIMEOUT";
    case 413:
      return "PAYLOAD_TOO_LARGE";
    case 417:
      return "EXPECTATION_FAILED";
    case 431:
      return "HEADERS_TOO_LARGE";
    case 503:
      return "SERVER_BUSY";
    case 505:
      return "HTTP_VERSION_NOT_SUPPORTED";
    default:
      return "INTERNAL";
  }
}

}  // namespace

bool IsSendableHeader(const Header& header) {
  if (header.name.empty() || !std::all_of(header.name.begin(), header.name.end(), IsTchar)) {
    return false;
  }
  bool clean = std::all_of(header.value.begin(), header.value.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u == '\t' || (u >= 0x20 && u != 0x7f);
  });
  return clean && !IsFramingHeader(header.name);
}

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 203:
      return "Non-Authoritative Information";
    case 204:
      return "No Content";
    case 205:
      return "Reset Content";
    case 206:
      return "Partial Content";
    case 300:
      return "Multiple Choices";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 402:
      return "Payment Required";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 416:
      return "Range Not Satisfiable";
    case 417:
      return "Expectation Failed";
    case 418:
      return "I'm a teapot";
    case 422:
      return "Unprocessable Content";
    case 425:
      return "Too Early";
    case 426:
      return "Upgrade Required";
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 451:
      return "Unavailable For Legal Reasons";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Unknown";
  }
}

Response ErrorResponse(int status, std::string_view why) {
  Response out;
  out.status = status;
  out.headers.push_back({"Content-Type", "application/json"});
  out.body = Json{{"error", ErrorCode(status)}, {"message", why}}.dump(
      -1, ' ', false, Json::error_handler_t::replace);
  return out;
}

void AppendAnswer(const Response& response, AnswerFraming framing, std::string& out) {
  if (response.status < 200 || response.status > 599) {
    // An interim (1xx) status as the final answer would leave the client waiting for another
    // one; a status past 599 is not HTTP.
    return AppendAnswer(ErrorResponse(500, fmt::format("the answer's status {} is not a final "
                                                       "HTTP status (200-599)",
                                                       response.status)),
                        framing, out);
  }
  out += fmt::format("HTTP/1.1 {} {}\r\n", response.status, ReasonPhrase(response.status));
  for (const Header& header : response.headers) {
    if (!IsSendableHeader(header)) continue;
    out += header.name;
    out += ": ";
    out += header.value;
    out += "\r\n";
  }
  // 204 and 304 carry no body and no length (RFC 9110 §8.6).
  bool bodiless = response.status == 204 || response.status == 304;
  if (!bodiless) out += fmt::format("Content-Length: {}\r\n", response.body.size());
  if (framing.close) {
    out += "Connection: close\r\n";
  } else if (framing.keep_alive_1_0) {
    out += "Connection: keep-alive\r\n";
  }
  out += "\r\n";
  if (!bodiless && !framing.head_request) out += response.body;
}

}  // namespace verity::net
