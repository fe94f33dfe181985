#include "serve/server.h"

#include <fmt/format.h>
#include <httplib.h>

#include <chrono>
#include <thread>

#include "base/strings.h"
#include "mock/growing_pool.h"
#include "serve/access.h"
#include "serve/assets.h"
#include "serve/views.h"
#include "store/history_diff.h"
#include "store/history_json.h"

namespace verity::serve {

namespace {

constexpr char kContentSecurityPolicy[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
constexpr char kCsrfHeader[] = "X-Verity-CSRF";
constexpr char kSessionCookie[] = "verity_session";
constexpr auto kKeepAliveComment = std::chrono::seconds(15);

void SendJson(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(body.dump(-1, ' ', false, Json::error_handler_t::replace), "application/json");
}

void SendError(httplib::Response& res, int status, std::string_view code,
               std::string_view message) {
  SendJson(res, status, Json{{"error", code}, {"message", message}});
}

void SendStatus(httplib::Response& res, const Status& status) {
  switch (status.code()) {
    case StatusCode::kNotFound:
      return SendError(res, 404, "NOT_FOUND", status.message());
    case StatusCode::kInvalidArgument:
      return SendError(res, 400, "BAD_REQUEST", status.message());
    case StatusCode::kAlreadyExists:
      return SendError(res, 409, "RUN_IN_PROGRESS", status.message());
    default:
      return SendError(res, 500, "INTERNAL", status.message());
  }
}

std::string CookieValue(const std::string& header, std::string_view name) {
  for (std::string_view part : Split(header, ';')) {
    part = Trim(part);
    if (part.size() > name.size() && part.substr(0, name.size()) == name &&
        part[name.size()] == '=') {
      return std::string(part.substr(name.size() + 1));
    }
  }
  return "";
}

// One Host header naming this dashboard on loopback; two could be read differently by a proxy in
// front and by us.
bool AddressedTo(const httplib::Request& req, int port) {
  return req.get_header_value_count("Host") == 1 &&
         IsOwnLoopbackHostHeader(req.get_header_value("Host"), port);
}

Result<Json> ParseBody(const httplib::Request& req) {
  if (req.body.empty()) return Json::object();
  Json body = Json::parse(req.body, nullptr, false);
  if (body.is_discarded()) return Status::InvalidArgument("the body is not valid JSON");
  return body;
}

Result<std::vector<std::string>> StringList(const Json& body, const char* key) {
  std::vector<std::string> out;
  if (!body.is_object()) return Status::InvalidArgument("the body must be a JSON object");
  if (!body.contains(key)) return out;
  if (!body[key].is_array()) {
    return Status::InvalidArgument(fmt::format("{}: expected an array of strings", key));
  }
  for (const Json& item : body[key]) {
    if (!item.is_string()) {
      return Status::InvalidArgument(fmt::format("{}: every entry must be a string", key));
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

}  // namespace

class Server::Impl {
 public:
  httplib::Server http;
};

Server::Server(Dashboard& dashboard, ServerOptions options)
    : dashboard_(dashboard),
      options_(std::move(options)),
      impl_(std::make_unique<Impl>()),
      sessions_(options_.clock ? *options_.clock : system_clock_) {
  httplib::Server& http = impl_->http;
  size_t max_threads = options_.max_threads;
  http.new_task_queue = [max_threads] { return new mock::GrowingPool(max_threads); };
  http.set_tcp_nodelay(true);
  http.set_payload_max_length(1u << 20);
  http.set_default_headers({{"Content-Security-Policy", kContentSecurityPolicy},
                            {"X-Content-Type-Options", "nosniff"},
                            {"Referrer-Policy", "no-referrer"},
                            {"X-Frame-Options", "DENY"}});
  Route();
}

Server::~Server() { Stop(); }

void Server::Route() {
  httplib::Server& http = impl_->http;
  using httplib::Request;
  using httplib::Response;
  using Handled = httplib::Server::HandlerResponse;

  http.set_pre_routing_handler([this](const Request& req, Response& res) {
    if (!req.path.starts_with("/api/")) return Handled::Unhandled;
    if (options_.auth_token.empty() && !AddressedTo(req, port_)) {
      SendError(res, 403, "HOST_NOT_ALLOWED",
                "this dashboard answers only requests addressed to it on loopback "
                "(Host: localhost, 127.0.0.1 or [::1], with its own port)");
      return Handled::Handled;
    }
    bool changes = req.method != "GET" && req.method != "HEAD" && req.method != "OPTIONS";
    if (changes && req.get_header_value(kCsrfHeader) != "1") {
      SendError(res, 403, "CSRF_HEADER_MISSING",
                fmt::format("requests that change something must carry {}: 1", kCsrfHeader));
      return Handled::Handled;
    }
    if (options_.auth_token.empty() || req.path == "/api/session") return Handled::Unhandled;
    std::string bearer = BearerCredential(req.get_header_value("Authorization"));
    std::string session = CookieValue(req.get_header_value("Cookie"), kSessionCookie);
    if (bearer.empty() && session.empty()) {
      SendError(res, 401, "AUTH_REQUIRED", "this dashboard needs its access token");
      return Handled::Handled;
    }
    if (!bearer.empty() ? !SameSecret(bearer, options_.auth_token) : !sessions_.Valid(session)) {
      SendError(res, 401, "AUTH_INVALID",
                bearer.empty() ? "the session has expired or ended: sign in again"
                               : "the access token is not this dashboard's");
      return Handled::Handled;
    }
    return Handled::Unhandled;
  });

  http.Post("/api/session", [this](const Request& req, Response& res) {
    if (options_.auth_token.empty()) return SendJson(res, 200, Json{{"authRequired", false}});
    Result<Json> body = ParseBody(req);
    if (!body.ok()) return SendStatus(res, body.status());
    std::string token = body->is_object() ? body->value("token", "") : "";
    if (!SameSecret(token, options_.auth_token)) {
      return SendError(res, 401, "AUTH_INVALID", "the access token is not this dashboard's");
    }
    // A new id at every sign-in, and the one the browser held (if any) ends: an id planted in
    // the browser before sign-in is never the one that gets signed in.
    sessions_.End(CookieValue(req.get_header_value("Cookie"), kSessionCookie));
    res.set_header("Set-Cookie",
                   fmt::format("{}={}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}",
                               kSessionCookie, sessions_.Create(), sessions_.lifetime().count()));
    SendJson(res, 200, Json{{"authRequired", true}, {"authenticated", true}});
  });
  http.Delete("/api/session", [this](const Request& req, Response& res) {
    sessions_.End(CookieValue(req.get_header_value("Cookie"), kSessionCookie));
    res.set_header("Set-Cookie", fmt::format("{}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0",
                                             kSessionCookie));
    SendJson(res, 200, Json{{"authenticated", false}});
  });

  http.Get("/api/health", [this](const Request&, Response& res) {
    SendJson(res, 200, HealthJson(dashboard_, !options_.auth_token.empty()));
  });
  http.Post("/api/reload", [this](const Request&, Response& res) {
    Status s = dashboard_.Reload();
    if (!s.ok()) return SendStatus(res, s);
    SendJson(res, 200, HealthJson(dashboard_, !options_.auth_token.empty()));
  });
  http.Get("/api/operations", [this](const Request& req, Response& res) {
    Result<Json> out = OperationsJson(dashboard_, ParseOperationFilter(req.params));
    if (!out.ok()) return SendStatus(res, out.status());
    SendJson(res, 200, *out);
  });
  http.Get("/api/documents", [this](const Request& req, Response& res) {
    if (!req.has_param("file")) return SendError(res, 400, "BAD_REQUEST", "file= is required");
    Result<Json> out = DocumentJson(dashboard_, req.get_param_value("file"));
    if (!out.ok()) return SendStatus(res, out.status());
    SendJson(res, 200, *out);
  });

  http.Post("/api/runs", [this](const Request& req, Response& res) {
    Result<Json> body = ParseBody(req);
    if (!body.ok()) return SendStatus(res, body.status());
    Result<RunRequest> request = ParseRunRequest(*body, dashboard_.config().settings.rate_limit);
    if (!request.ok()) return SendStatus(res, request.status());
    Result<std::string> run_id = dashboard_.StartRun(*request);
    if (!run_id.ok()) return SendStatus(res, run_id.status());
    SendJson(res, 202, Json{{"runId", *run_id}});
  });
  http.Post("/api/runs/stop", [this](const Request&, Response& res) {
    if (!dashboard_.StopRun()) return SendError(res, 404, "NOT_FOUND", "no run is in progress");
    SendJson(res, 200, Json{{"stopping", true}});
  });
  http.Get("/api/runs/current", [this](const Request&, Response& res) {
    SendJson(res, 200, RunStateJson(dashboard_.run_state()));
  });

  http.Post("/api/scan-fallback", [this](const Request& req, Response& res) {
    Result<Json> body = ParseBody(req);
    if (!body.ok()) return SendStatus(res, body.status());
    Result<std::vector<std::string>> targets = StringList(*body, "targets");
    if (!targets.ok()) return SendStatus(res, targets.status());
    Result<std::string> scan_id = dashboard_.StartScan(*targets);
    if (!scan_id.ok()) return SendStatus(res, scan_id.status());
    SendJson(res, 202, Json{{"scanId", *scan_id}});
  });
  http.Post("/api/scan-fallback/fix", [this](const Request& req, Response& res) {
    Result<Json> body = ParseBody(req);
    if (!body.ok()) return SendStatus(res, body.status());
    Result<std::vector<std::string>> files = StringList(*body, "files");
    if (!files.ok()) return SendStatus(res, files.status());
    if (files->empty()) return SendError(res, 400, "BAD_REQUEST", "files: name the documents");
    run::FallbackFix fix = dashboard_.FixFallback(*files);
    Json out = Json{{"fixed", Json::array()}, {"skipped", Json::array()}};
    for (const run::FixedDocument& f : fix.fixed) {
      out["fixed"].push_back(Json{{"file", f.file}, {"removed", f.removed}});
    }
    for (const run::SkippedDocument& s : fix.skipped) {
      out["skipped"].push_back(Json{{"file", s.file}, {"reason", s.reason}});
    }
    SendJson(res, 200, out);
  });

  http.Get("/api/events", [this](const Request& req, Response& res) {
    std::string last = req.get_header_value("Last-Event-ID");
    if (last.empty()) last = req.get_param_value("lastEventId");
    auto cursor = std::make_shared<uint64_t>(0);
    if (!last.empty() && last.find_first_not_of("0123456789") == std::string::npos &&
        last.size() < 20) {
      *cursor = std::stoull(last);
    }
    res.set_header("Cache-Control", "no-store");
    res.set_header("X-Accel-Buffering", "no");
    res.set_chunked_content_provider(
        "text/event-stream", [this, cursor](size_t offset, httplib::DataSink& sink) {
          // The first write goes out at once, so a browser sees the stream open before any
          // event (and knows how soon to reconnect).
          if (offset == 0) return sink.write("retry: 2000\n\n", 13);
          std::string out;
          std::vector<EventFrame> frames = dashboard_.events().After(*cursor, kKeepAliveComment);
          if (stopping_ || dashboard_.events().closed()) {
            sink.done();
            return true;
          }
          for (const EventFrame& frame : frames) {
            out += frame.Wire();
            *cursor = frame.id;
          }
          if (out.empty()) out = ": keep-alive\n\n";
          return sink.write(out.data(), out.size());
        });
  });

  http.Get("/api/history", [this](const Request& req, Response& res) {
    size_t limit = 20, window = 10;
    try {
      if (req.has_param("limit")) limit = std::stoul(req.get_param_value("limit"));
      if (req.has_param("flakyWindow")) window = std::stoul(req.get_param_value("flakyWindow"));
    } catch (const std::exception&) {
      return SendError(res, 400, "BAD_REQUEST", "limit and flakyWindow are whole numbers");
    }
    Result<Json> out = store::HistoryListJson(dashboard_.history(), limit, window);
    if (!out.ok()) return SendStatus(res, out.status());
    SendJson(res, 200, *out);
  });
  http.Get("/api/history/diff", [this](const Request& req, Response& res) {
    if (!req.has_param("from") || !req.has_param("to")) {
      return SendError(res, 400, "BAD_REQUEST", "from= and to= name the two runs");
    }
    Result<store::RunDiff> diff = store::DiffRuns(dashboard_.history(), req.get_param_value("from"),
                                                  req.get_param_value("to"));
    if (!diff.ok()) return SendStatus(res, diff.status());
    SendJson(res, 200, store::RunDiffJson(*diff));
  });
  http.Get(R"(/api/history/([^/]+))", [this](const Request& req, Response& res) {
    Result<Json> out = store::RunDetailJson(dashboard_.history(), req.matches[1].str());
    if (!out.ok()) return SendStatus(res, out.status());
    SendJson(res, 200, *out);
  });

  // The page. Anything else under /api/ is an unknown route.
  http.Get(R"(/.*)", [](const Request& req, Response& res) {
    if (req.path.starts_with("/api/")) {
      return SendError(res, 404, "NOT_FOUND", "no such API route: " + req.path);
    }
    std::string_view path = req.path == "/" ? "/index.html" : std::string_view(req.path);
    for (const Asset& asset : Assets()) {
      if (asset.path != path) continue;
      res.set_header("Cache-Control", "no-cache");
      res.set_content(std::string(asset.data), std::string(asset.content_type));
      return;
    }
    res.status = 404;
    res.set_content("not found", "text/plain; charset=utf-8");
  });
  // A method no route has, under /api/.
  http.set_error_handler([](const Request& req, Response& res) {
    if (req.path.starts_with("/api/") && res.body.empty()) {
      SendError(res, res.status, res.status == 404 ? "NOT_FOUND" : "BAD_REQUEST",
                "no such API route: " + req.method + " " + req.path);
    }
  });
}

Result<int> Server::Bind() {
  httplib::Server& http = impl_->http;
  int port = options_.port == 0
                 ? http.bind_to_any_port(options_.host)
                 : (http.bind_to_port(options_.host, options_.port) ? options_.port : -1);
  if (port <= 0) {
    return Status::IoError(fmt::format("cannot listen on {}:{}", options_.host, options_.port));
  }
  port_ = port;
  return port;
}

Status Server::Serve() {
  if (stopping_) return Status::Ok();
  serving_ = true;
  bool listened = impl_->http.listen_after_bind();
  serving_ = false;
  if (!listened && !stopping_) return Status::IoError("the dashboard stopped listening");
  return Status::Ok();
}

void Server::Stop() {
  if (stopping_.exchange(true)) return;
  dashboard_.events().Close();
  // httplib's stop() does nothing until its accept loop runs.
  while (serving_ && !impl_->http.is_running())
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  impl_->http.stop();
}

}  // namespace verity::serve
