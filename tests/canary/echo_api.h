// An API on 127.0.0.1 that gives back the token it is sent, in every way an API has been seen
// to: raw, JSON-escaped (`\/`), `\u`-escaped, percent-encoded, base64 (and of `user:token`, as
// HTTP Basic would), upper- and lower-cased, HTML-escaped; in bodies (JSON, text, HTML), response
// headers, cookies, a redirect's Location, error statuses, a message long enough to be cut inside
// the token, and a body larger than the run takes, cut inside the token. The token is whatever
// the request's `Authorization: Bearer` carried, so the server holds no secret of its own.
#pragma once

#include <httplib.h>

#include <atomic>
#include <string>
#include <string_view>
#include <thread>

namespace verity::testing {

/// The routes, all under /echo/. GET unless said otherwise.
///   raw            200 {"id","token"}
///   json-escaped   401 {"error":"invalid token <token with / as \/>"}
///   unicode        401 {"error": every character \u-escaped, "first": the first one escaped}
///   percent        200 text: the token percent-encoded (both hex cases) and form-encoded
///   base64         200 {"b64","b64url","b64nopad","basic","basicUrl"}
///   html           200 HTML: upper-cased, lower-cased, character references
///   headers        200 the token in X-Echo*, Set-Cookie, WWW-Authenticate and Link headers
///   redirect       302 Location: /landing?token=<percent-encoded>&raw=<token>
///   error          POST 500 an HTML page with the token JSON-escaped in it
///   long-message   404 {"message"} whose first 200 characters end inside the token
///   excerpt        200 a body whose first 160 characters end inside the token
///   big            200 a text of `big_bytes` whose cut at `big_cut` falls inside the token
///   sent/…         POST the request itself: {"path","query","headers","received": JSON body}
class EchoApi {
 public:
  /// `big_cut`: where the run cuts a response (its max_response_bytes).
  explicit EchoApi(size_t big_cut);
  ~EchoApi();

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  /// Requests answered, the readiness probe aside.
  int requests() const { return requests_; }

 private:
  void Routes();

  httplib::Server server_;
  int port_ = -1;
  size_t big_cut_;
  std::thread thread_;
  std::atomic<int> requests_{0};
};

/// Encodings the echo uses, for the test's search too.
std::string Base64(std::string_view bytes, bool url = false, bool pad = true);
std::string PercentEncode(std::string_view text, bool lower_hex);
std::string FormEncode(std::string_view text);
std::string JsonSlashEscaped(std::string_view text);    // '/' as "\/"
std::string JsonUnicodeEscaped(std::string_view text);  // every character as \u00XX
std::string HtmlReferences(std::string_view text);      // non-alphanumerics as &#NN;
std::string Upper(std::string_view text);
std::string Lower(std::string_view text);

}  // namespace verity::testing
