#include "canary/echo_api.h"

#include <gtest/gtest.h>

#include <cctype>

#include "base/json.h"

namespace verity::testing {

std::string Base64(std::string_view bytes, bool url, bool pad) {
  const char* alphabet = url ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                             : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  uint32_t bits = 0;
  int pending = 0;
  for (unsigned char c : bytes) {
    bits = (bits << 8) | c;
    pending += 8;
    while (pending >= 6) {
      pending -= 6;
      out += alphabet[(bits >> pending) & 63];
    }
  }
  if (pending > 0) out += alphabet[(bits << (6 - pending)) & 63];
  while (pad && out.size() % 4 != 0) out += '=';
  return out;
}

std::string PercentEncode(std::string_view text, bool lower_hex) {
  const char* hex = lower_hex ? "0123456789abcdef" : "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string FormEncode(std::string_view text) {
  std::string out;
  for (char c : text) out += c == ' ' ? std::string("+") : PercentEncode(std::string(1, c), false);
  return out;
}

std::string JsonSlashEscaped(std::string_view text) {
  std::string out;
  for (char c : text) out += c == '/' ? std::string("\\/") : std::string(1, c);
  return out;
}

std::string JsonUnicodeEscaped(std::string_view text) {
  const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : text) {
    out += "\\u00";
    out += hex[c >> 4];
    out += hex[c & 15];
  }
  return out;
}

std::string HtmlReferences(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    out += std::isalnum(c) ? std::string(1, static_cast<char>(c))
                           : "&#" + std::to_string(static_cast<int>(c)) + ";";
  }
  return out;
}

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

namespace {

using httplib::Request;
using httplib::Response;

std::string TokenOf(const Request& req) {
  std::string auth = req.get_header_value("Authorization");
  return auth.starts_with("Bearer ") ? auth.substr(7) : "";
}

void Json200(Response& res, const Json& body, int status = 200) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

// A JSON text whose string holds `raw_string` as written (already escaped as the route wants).
void RawJson(Response& res, int status, const std::string& text) {
  res.status = status;
  res.set_content(text, "application/json");
}

}  // namespace

EchoApi::EchoApi(size_t big_cut) : big_cut_(big_cut) {
  server_.new_task_queue = [] { return new httplib::ThreadPool(8); };
  server_.set_keep_alive_timeout(1);
  Routes();
  port_ = server_.bind_to_any_port("127.0.0.1");
  EXPECT_GT(port_, 0);
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  httplib::Client probe("127.0.0.1", port_);
  auto ready = probe.Get("/ready");  // waits in the accept queue until the loop runs
  EXPECT_TRUE(ready && ready->status == 200);
}

EchoApi::~EchoApi() {
  server_.stop();
  thread_.join();
}

void EchoApi::Routes() {
  server_.Get("/ready", [](const Request&, Response& res) { res.set_content("ok", "text/plain"); });
  server_.set_pre_routing_handler([this](const Request& req, Response&) {
    if (req.path != "/ready") ++requests_;
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server_.Get("/echo/raw", [](const Request& req, Response& res) {
    Json200(res, {{"id", "c1"}, {"token", TokenOf(req)}});
  });
  server_.Get("/echo/json-escaped", [](const Request& req, Response& res) {
    RawJson(res, 401, R"({"error":"invalid token )" + JsonSlashEscaped(TokenOf(req)) + R"("})");
  });
  server_.Get("/echo/unicode", [](const Request& req, Response& res) {
    std::string t = TokenOf(req);
    std::string first = t.empty() ? "" : JsonUnicodeEscaped(t.substr(0, 1)) + t.substr(1);
    RawJson(res, 401,
            R"({"error":")" + JsonUnicodeEscaped(t) + R"(","first":")" + JsonSlashEscaped(first) +
                R"("})");
  });
  server_.Get("/echo/percent", [](const Request& req, Response& res) {
    std::string t = TokenOf(req);
    res.set_content("upper=" + PercentEncode(t, false) + "&lower=" + PercentEncode(t, true) +
                        "&form=" + FormEncode(t) + "\n",
                    "text/plain");
  });
  server_.Get("/echo/base64", [](const Request& req, Response& res) {
    std::string t = TokenOf(req);
    Json200(res, {{"b64", Base64(t)},
                  {"b64url", Base64(t, true)},
                  {"b64nopad", Base64(t, true, false)},
                  {"basic", Base64("canary-user:" + t)},
                  {"basicUrl", Base64("me:" + t, true, false)}});
  });
  server_.Get("/echo/html", [](const Request& req, Response& res) {
    std::string t = TokenOf(req);
    res.set_content("<html><body><p>YOUR TOKEN: " + Upper(t) + "</p><p>" + Lower(t) + "</p><p>" +
                        HtmlReferences(t) + "</p></body></html>",
                    "text/html");
  });
  server_.Get("/echo/headers", [](const Request& req, Response& res) {
    std::string t = TokenOf(req);
    res.set_header("X-Echo", t);
    res.set_header("X-Echo-Upper", Upper(t));
    res.set_header("X-Echo-B64", Base64(t));
    res.set_header("X-Echo-Basic", "Basic " + Base64("canary-user:" + t));
    res.set_header("Set-Cookie", "session=" + t + "; Path=/; HttpOnly");
    res.set_header(
        "WWW-Authenticate",
        R"(Bearer realm="api", error="invalid_token", error_description="bad )" + t + "\"");
    res.set_header("Link", "<https://docs.example/t?token=" + PercentEncode(t, true) + ">");
    Json200(res, Json::object());
  });
  server_.Get("/echo/redirect", [this](const Request& req, Response& res) {
    std::string t = TokenOf(req);
    std::string to = url() + "/landing?token=" + PercentEncode(t, false) + "&raw=" + t;
    res.status = 302;
    res.set_header("Location", to);
    res.set_content("Redirecting to " + to, "text/plain");
  });
  server_.Post("/echo/error", [](const Request& req, Response& res) {
    res.status = 500;
    res.set_content(R"(<html><script type="application/json">{"auth":")" +
                        JsonSlashEscaped(TokenOf(req)) + R"("}</script>Internal error</html>)",
                    "text/html");
  });
  server_.Get("/echo/long-message", [](const Request& req, Response& res) {
    // Characters 186.. hold the token: a cut at 200 keeps its first 14.
    std::string message = std::string(172, 'x') + "invalid token " + TokenOf(req);
    Json200(res, {{"message", message}}, 404);
  });
  server_.Get("/echo/excerpt", [](const Request& req, Response& res) {
    // Compact JSON: {"pad":"<131>","t":"<token>"}: the token starts at character 146, so a
    // 160-character excerpt keeps its first 14.
    Json200(res, {{"pad", std::string(131, 'p')}, {"t", TokenOf(req)}});
  });
  server_.Get("/echo/big", [this](const Request& req, Response& res) {
    std::string body(big_cut_ - 16, 'b');
    body += TokenOf(req);
    body += std::string(4096, 'b');
    res.set_content(body, "text/plain");
  });
  server_.Post(R"(/echo/sent/(.*))", [](const Request& req, Response& res) {
    Json query = Json::object();
    for (const auto& [k, v] : req.params) query[k] = v;
    Json headers = Json::object();
    for (const auto& [k, v] : req.headers) headers[k] = v;
    Json received = Json::parse(req.body, nullptr, false);
    if (received.is_discarded()) received = req.body;
    Json200(res,
            {{"path", req.path}, {"query", query}, {"headers", headers}, {"received", received}});
  });
}

}  // namespace verity::testing
