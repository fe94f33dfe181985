#include "serve/server.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <httplib.h>
#include <unistd.h>

#include <chrono>

#include "base/json.h"
#include "base/strings.h"
#include "net/server.h"
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
    case StatusCode::kOutsideRoot:
      return SendError(res, 403, "PATH_OUTSIDE_ROOT", status.message());
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
  // ParseJson: nesting is bounded as for every JSON read, and a parse error says where.
  Result<Json> body = ParseJson(req.body);
  if (!body.ok()) {
    return Status::InvalidArgument("the body is not valid JSON: " + body.status().message());
  }
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

// A validated request as httplib reads it, and the exchange it writes its answer to.
class ExchangeStream : public httplib::Stream {
 public:
  explicit ExchangeStream(net::Exchange& exchange) : exchange_(exchange) {
    const net::Request& r = exchange.request();
    in_ = fmt::format("{} {} HTTP/1.{}\r\n", r.method, r.target, r.minor_version);
    for (const net::Header& h : r.headers) in_ += fmt::format("{}: {}\r\n", h.name, h.value);
    if (!r.body.empty()) in_ += fmt::format("Content-Length: {}\r\n", r.body.size());
    in_ += "\r\n";
    in_ += r.body;
  }
  bool is_readable() const override { return offset_ < in_.size(); }
  bool is_writable() const override { return !broken_; }
  ssize_t read(char* ptr, size_t size) override {
    size_t n = std::min(size, in_.size() - offset_);
    std::copy_n(in_.data() + offset_, n, ptr);
    offset_ += n;
    return static_cast<ssize_t>(n);
  }
  ssize_t write(const char* ptr, size_t size) override {
    if (broken_ || !exchange_.Write({ptr, size})) return broken_ = true, -1;
    return static_cast<ssize_t>(size);
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = exchange_.request().peer;
    port = 0;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip.clear();
    port = 0;
  }
  socket_t socket() const override { return INVALID_SOCKET; }

 private:
  net::Exchange& exchange_;
  std::string in_;
  size_t offset_ = 0;
  bool broken_ = false;
};

net::ServerOptions NetOptions(const ServerOptions& options) {
  net::ServerOptions out;
  out.host = options.host;
  out.port = options.port;
  out.max_threads = options.max_threads;
  // httplib reads at most 8 KiB in a request line or header line; the dashboard's requests are
  // small JSON documents.
  out.limits.max_head_bytes = 8 * 1024;
  out.limits.max_body_bytes = 1u << 20;
  return out;
}

using httplib::Request;
using httplib::Response;
using Handled = httplib::Server::HandlerResponse;

// The dashboard's resources, a handler each; kRoutes (below) says which method and path each
// answers, and Gate runs before any of them.
class Api {
 public:
  Api(Dashboard& dashboard, const ServerOptions& options, SessionStore& sessions,
      const std::atomic<bool>& stopping, const int& port)
      : dashboard_(dashboard),
        options_(options),
        sessions_(sessions),
        stopping_(stopping),
        port_(port) {}

  /// The security rules of serve/access.h, for every /api/ request before its route.
  Handled Gate(const Request& req, Response& res);

  void SignIn(const Request& req, Response& res);
  void SignOut(const Request& req, Response& res);
  void Health(const Request& req, Response& res);
  void Reload(const Request& req, Response& res);
  void Operations(const Request& req, Response& res);
  void Document(const Request& req, Response& res);
  void StartRun(const Request& req, Response& res);
  void StopRun(const Request& req, Response& res);
  void CurrentRun(const Request& req, Response& res);
  void StartScan(const Request& req, Response& res);
  void FixFallback(const Request& req, Response& res);
  void Events(const Request& req, Response& res);
  void HistoryList(const Request& req, Response& res);
  void HistoryDiff(const Request& req, Response& res);
  void HistoryRun(const Request& req, Response& res);
  /// The page: the assets built into the binary. Anything else under /api/ is an unknown route.
  void Page(const Request& req, Response& res);

 private:
  bool auth_required() const { return !options_.auth_token.empty(); }

  Dashboard& dashboard_;
  const ServerOptions& options_;
  SessionStore& sessions_;
  const std::atomic<bool>& stopping_;
  const int& port_;  // set by Bind, before any request
};

enum class Method { kGet, kPost, kDelete };

struct Route {
  Method method;
  const char* path;  // a regular expression over the whole path
  void (Api::*handle)(const Request&, Response&);
};

// Within a method the first match wins: /api/history/diff before a run's id, and the page last.
constexpr Route kRoutes[] = {
    {Method::kPost, "/api/session", &Api::SignIn},
    {Method::kDelete, "/api/session", &Api::SignOut},
    {Method::kGet, "/api/health", &Api::Health},
    {Method::kPost, "/api/reload", &Api::Reload},
    {Method::kGet, "/api/operations", &Api::Operations},
    {Method::kGet, "/api/documents", &Api::Document},
    {Method::kPost, "/api/runs", &Api::StartRun},
    {Method::kPost, "/api/runs/stop", &Api::StopRun},
    {Method::kGet, "/api/runs/current", &Api::CurrentRun},
    {Method::kPost, "/api/scan-fallback", &Api::StartScan},
    {Method::kPost, "/api/scan-fallback/fix", &Api::FixFallback},
    {Method::kGet, "/api/events", &Api::Events},
    {Method::kGet, "/api/history", &Api::HistoryList},
    {Method::kGet, "/api/history/diff", &Api::HistoryDiff},
    {Method::kGet, R"(/api/history/([^/]+))", &Api::HistoryRun},
    {Method::kGet, R"(/.*)", &Api::Page},
};

Handled Api::Gate(const Request& req, Response& res) {
  if (!req.path.starts_with("/api/")) return Handled::Unhandled;
  if (!auth_required() && !AddressedTo(req, port_)) {
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
  if (!auth_required() || req.path == "/api/session") return Handled::Unhandled;
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
}

void Api::SignIn(const Request& req, Response& res) {
  if (!auth_required()) return SendJson(res, 200, Json{{"authRequired", false}});
  Result<Json> body = ParseBody(req);
  if (!body.ok()) return SendStatus(res, body.status());
  std::string token = body->is_object() ? body->value("token", "") : "";
  if (!SameSecret(token, options_.auth_token)) {
    return SendError(res, 401, "AUTH_INVALID", "the access token is not this dashboard's");
  }
  // A new id at every sign-in, and the one the browser held (if any) ends: an id planted in the
  // browser before sign-in is never the one that gets signed in.
  sessions_.End(CookieValue(req.get_header_value("Cookie"), kSessionCookie));
  res.set_header("Set-Cookie",
                 fmt::format("{}={}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}", kSessionCookie,
                             sessions_.Create(), sessions_.lifetime().count()));
  SendJson(res, 200, Json{{"authRequired", true}, {"authenticated", true}});
}

void Api::SignOut(const Request& req, Response& res) {
  sessions_.End(CookieValue(req.get_header_value("Cookie"), kSessionCookie));
  res.set_header("Set-Cookie",
                 fmt::format("{}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0", kSessionCookie));
  SendJson(res, 200, Json{{"authenticated", false}});
}

void Api::Health(const Request&, Response& res) {
  SendJson(res, 200, HealthJson(dashboard_, auth_required()));
}

void Api::Reload(const Request&, Response& res) {
  Status s = dashboard_.Reload();
  if (!s.ok()) return SendStatus(res, s);
  SendJson(res, 200, HealthJson(dashboard_, auth_required()));
}

void Api::Operations(const Request& req, Response& res) {
  Result<Json> out = OperationsJson(dashboard_, ParseOperationFilter(req.params));
  if (!out.ok()) return SendStatus(res, out.status());
  SendJson(res, 200, *out);
}

void Api::Document(const Request& req, Response& res) {
  if (!req.has_param("file")) return SendError(res, 400, "BAD_REQUEST", "file= is required");
  Result<Json> out = DocumentJson(dashboard_, req.get_param_value("file"));
  if (!out.ok()) return SendStatus(res, out.status());
  SendJson(res, 200, *out);
}

void Api::StartRun(const Request& req, Response& res) {
  Result<Json> body = ParseBody(req);
  if (!body.ok()) return SendStatus(res, body.status());
  Result<RunRequest> request = ParseRunRequest(*body, dashboard_.config().settings.rate_limit);
  if (!request.ok()) return SendStatus(res, request.status());
  Result<std::string> run_id = dashboard_.StartRun(*request);
  if (!run_id.ok()) return SendStatus(res, run_id.status());
  SendJson(res, 202, Json{{"runId", *run_id}});
}

void Api::StopRun(const Request&, Response& res) {
  if (!dashboard_.StopRun()) return SendError(res, 404, "NOT_FOUND", "no run is in progress");
  SendJson(res, 200, Json{{"stopping", true}});
}

void Api::CurrentRun(const Request&, Response& res) {
  SendJson(res, 200, RunStateJson(dashboard_.run_state()));
}

void Api::StartScan(const Request& req, Response& res) {
  Result<Json> body = ParseBody(req);
  if (!body.ok()) return SendStatus(res, body.status());
  Result<std::vector<std::string>> targets = StringList(*body, "targets");
  if (!targets.ok()) return SendStatus(res, targets.status());
  Result<std::string> scan_id = dashboard_.StartScan(*targets);
  if (!scan_id.ok()) return SendStatus(res, scan_id.status());
  SendJson(res, 202, Json{{"scanId", *scan_id}});
}

void Api::FixFallback(const Request& req, Response& res) {
  Result<Json> body = ParseBody(req);
  if (!body.ok()) return SendStatus(res, body.status());
  Result<std::vector<std::string>> files = StringList(*body, "files");
  if (!files.ok()) return SendStatus(res, files.status());
  if (files->empty()) return SendError(res, 400, "BAD_REQUEST", "files: name the documents");
  run::FallbackFix fix = dashboard_.FixFallback(*files);
  Json out = Json{{"fixed", Json::array()}, {"skipped", Json::array()}, {"failed", Json::array()}};
  for (const run::FixedDocument& f : fix.fixed) {
    out["fixed"].push_back(Json{{"file", f.file}, {"removed", f.removed}});
  }
  for (const run::SkippedDocument& s : fix.skipped) {
    out["skipped"].push_back(Json{{"file", s.file}, {"reason", s.reason}});
  }
  for (const run::WriteBackFailure& f : fix.failed) {
    out["failed"].push_back(
        Json{{"file", f.file}, {"reason", run::reason::kWriteBackFailed}, {"error", f.error}});
  }
  SendJson(res, 200, out);
}

void Api::Events(const Request& req, Response& res) {
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
        // The first write goes out at once, so a browser sees the stream open before any event
        // (and knows how soon to reconnect).
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
}

void Api::HistoryList(const Request& req, Response& res) {
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
}

void Api::HistoryDiff(const Request& req, Response& res) {
  if (!req.has_param("from") || !req.has_param("to")) {
    return SendError(res, 400, "BAD_REQUEST", "from= and to= name the two runs");
  }
  Result<store::RunDiff> diff =
      store::DiffRuns(dashboard_.history(), req.get_param_value("from"), req.get_param_value("to"));
  if (!diff.ok()) return SendStatus(res, diff.status());
  SendJson(res, 200, store::RunDiffJson(*diff));
}

void Api::HistoryRun(const Request& req, Response& res) {
  Result<Json> out = store::RunDetailJson(dashboard_.history(), req.matches[1].str());
  if (!out.ok()) return SendStatus(res, out.status());
  SendJson(res, 200, *out);
}

void Api::Page(const Request& req, Response& res) {
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
}

// A method no route has, under /api/.
void UnknownRoute(const Request& req, Response& res) {
  if (req.path.starts_with("/api/") && res.body.empty()) {
    SendError(res, res.status, res.status == 404 ? "NOT_FOUND" : "BAD_REQUEST",
              "no such API route: " + req.method + " " + req.path);
  }
}

}  // namespace

// httplib's routing, handlers and event streams, fed only requests net/ has read and checked
// (one framing check for both servers): each arrives re-written with its decoded body and a
// Content-Length, and its answer goes out through the exchange.
class Server::Impl : public httplib::Server {
 public:
  explicit Impl(verity::serve::Server& owner);
  ~Impl() override;

  void Answer(net::Exchange& exchange);
  /// httplib's chunked answers (the event stream) go on only while its listening socket looks
  /// open; the real one is net's.
  void SetServing(bool serving) { svr_sock_ = serving ? serving_marker_ : INVALID_SOCKET; }

  Api api;
  net::Server net;

 private:
  const int serving_marker_ = open("/dev/null", O_RDONLY | O_CLOEXEC);
};

Server::Impl::Impl(verity::serve::Server& owner)
    : api(owner.dashboard_, owner.options_, owner.sessions_, owner.stopping_, owner.port_),
      net([this](net::Exchange& e) { Answer(e); }, NetOptions(owner.options_)) {
  set_payload_max_length(1u << 20);
  set_default_headers({{"Content-Security-Policy", kContentSecurityPolicy},
                       {"X-Content-Type-Options", "nosniff"},
                       {"Referrer-Policy", "no-referrer"},
                       {"X-Frame-Options", "DENY"}});
  set_pre_routing_handler([this](const Request& req, Response& res) { return api.Gate(req, res); });
  for (const Route& route : kRoutes) {
    auto handler = [this, handle = route.handle](const Request& req, Response& res) {
      (api.*handle)(req, res);
    };
    switch (route.method) {
      case Method::kGet:
        Get(route.path, handler);
        break;
      case Method::kPost:
        Post(route.path, handler);
        break;
      case Method::kDelete:
        Delete(route.path, handler);
        break;
    }
  }
  set_error_handler(UnknownRoute);
}

Server::Impl::~Impl() {
  SetServing(false);
  if (serving_marker_ >= 0) close(serving_marker_);
}

void Server::Impl::Answer(net::Exchange& exchange) {
  ExchangeStream stream(exchange);
  bool closed = false;
  process_request(stream, exchange.closes(), closed, nullptr);
  if (closed) exchange.CloseAfterAnswer();
}

Server::Server(Dashboard& dashboard, ServerOptions options)
    : dashboard_(dashboard),
      options_(std::move(options)),
      sessions_(options_.clock ? *options_.clock : system_clock_),
      impl_(std::make_unique<Impl>(*this)) {}

Server::~Server() { Stop(); }

Result<int> Server::Bind() {
  Result<int> port = impl_->net.Bind();
  if (port.ok()) port_ = *port;
  return port;
}

Status Server::Serve() {
  if (stopping_) return Status::Ok();
  impl_->SetServing(true);
  if (stopping_) impl_->SetServing(false);  // a Stop that came in between
  return impl_->net.Serve();
}

void Server::Stop() {
  if (stopping_.exchange(true)) return;
  // The event streams end (their threads return), then the connections close.
  impl_->SetServing(false);
  dashboard_.events().Close();
  impl_->net.Stop();
}

}  // namespace verity::serve
