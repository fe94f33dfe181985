// Internal to http/: the state of one libcurl transfer, and the only two functions that set
// libcurl options. Keeping every option in one file (as curl's own tool does in config2setopts.c)
// means an option is set once, for a stated reason, and checked.
#pragma once

#include <curl/curl.h>

#include <cstddef>
#include <optional>

#include "base/status.h"
#include "http/curl_transport.h"
#include "http/request.h"
#include "http/transport.h"

namespace verity::http::curl_detail {

/// One request on its way. Owns its easy handle and everything the handle's options point into,
/// so it must not move while the handle is in use (it lives behind a unique_ptr).
struct Transfer {
  HttpRequest request;
  Transport::Callback done;
  CURL* easy = nullptr;
  curl_slist* header_list = nullptr;
  curl_mime* mime = nullptr;
  char error[CURL_ERROR_SIZE] = {};
  HttpResponse response;           // filled by the write and header callbacks
  size_t bytes_received = 0;       // decoded body bytes, including those past the cap
  bool too_large = false;          // the write callback stopped the transfer at the cap
  size_t header_bytes = 0;         // of every header block received, interim ones included
  bool headers_done = false;       // the final header block has ended
  bool headers_too_large = false;  // the header callback stopped the transfer at its cap

  Transfer() = default;
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;
  ~Transfer();
};

/// Sets every option of `t.easy` for `t.request`. An error is INVALID_REQUEST naming what libcurl
/// refused (an option, an unreadable multipart file); the request's values are never quoted.
std::optional<TransportError> ConfigureEasy(Transfer& t, const CurlTransportOptions& options);

/// The most header bytes a response may send (every block, interim ones included). Real APIs send
/// a few KiB. libcurl 7.88 refuses more than 300 KiB itself, with a message about its own limits
/// and a network error's code; stopping first, at 256 KiB, lets the run say what happened.
inline constexpr size_t kMaxResponseHeaderBytes = 256 * 1024;

/// Sets the multi handle's options.
Status ConfigureMulti(CURLM* multi, const CurlTransportOptions& options);

}  // namespace verity::http::curl_detail
