#include "run/seed_world_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>

#include "base/json.h"

namespace verity::run::testing {
namespace {

void ReplyJson(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

// The readiness probe: the socket already listens, so this waits in the accept queue until the
// server loop takes it, and its answer proves the loop runs; no sleeping.
void WaitUntilServing(int port) {
  httplib::Client probe("127.0.0.1", port);
  auto ready = probe.Get("/ready");
  EXPECT_TRUE(ready && ready->status == 200);
}

}  // namespace

SeedWorldServer::SeedWorldServer(std::string staff_token, std::string directory_token)
    : staff_token_(std::move(staff_token)), directory_token_(std::move(directory_token)) {
  primary_ = std::make_unique<Api>();
  primary_->role = "primary";
  fallback_ = std::make_unique<Api>();
  fallback_->role = "fallback";
  Start(*primary_);
  Start(*fallback_);
}

void SeedWorldServer::Release() {
  {
    std::lock_guard lock(mu_);
    released_ = true;
  }
  released_cv_.notify_all();
}

void SeedWorldServer::HoldAfter(const std::string& path, int answered) {
  std::lock_guard lock(mu_);
  hold_path_ = path;
  hold_after_ = answered;
}

bool SeedWorldServer::AwaitWaiting(int count, std::chrono::milliseconds within) {
  std::unique_lock lock(mu_);
  return waiting_cv_.wait_for(lock, within, [&] { return waiting_ >= count; });
}

void SeedWorldServer::WaitForRelease(std::unique_lock<std::mutex>& lock) {
  ++waiting_;
  waiting_cv_.notify_all();
  released_cv_.wait_for(lock, std::chrono::seconds(5), [this] { return released_; });
  --waiting_;
}

SeedWorldServer::~SeedWorldServer() {
  Release();
  for (Api* api : {primary_.get(), fallback_.get()}) {
    api->server.stop();
    api->thread.join();
  }
}

void SeedWorldServer::Start(Api& api) {
  api.server.new_task_queue = [] { return new httplib::ThreadPool(16); };
  api.server.set_keep_alive_timeout(1);
  // httplib writes headers and body apart; with Nagle on, every answer on a reused connection
  // waits ~40 ms for the client's delayed ACK.
  api.server.set_tcp_nodelay(true);
  Routes(api);
  int port = api.server.bind_to_any_port("127.0.0.1");
  ASSERT_GT(port, 0);
  api.url = "http://127.0.0.1:" + std::to_string(port);
  api.thread = std::thread([&api] { api.server.listen_after_bind(); });
  WaitUntilServing(port);
}

bool SeedWorldServer::Authorized(const Api& api, const httplib::Request& req) const {
  std::string auth = req.get_header_value("Authorization");
  bool staff = auth == "Bearer " + staff_token_;
  bool directory = auth == "Bearer " + directory_token_;
  if (api.role == "primary") {
    // The gateway quirk of the seed: this family is only reachable through the fallback.
    if (req.path.starts_with("/business/payments/v1/")) return false;
    return staff || directory;
  }
  return staff;
}

void SeedWorldServer::Routes(Api& api) {
  httplib::Server& s = api.server;
  // Logged after the handler, when httplib has read the body; handlers answer at once, so the
  // time is the arrival time to well under a millisecond (except /hold's, which no test times).
  s.set_post_routing_handler([this, &api](const httplib::Request& req, httplib::Response&) {
    if (req.path == "/ready") return;
    SeenRequest seen{api.role,
                     req.method,
                     req.path,
                     {req.params.begin(), req.params.end()},
                     req.body,
                     req.get_header_value("Content-Type"),
                     req.get_header_value("Authorization"),
                     req.get_header_value("X-On-Behalf-Of"),
                     std::chrono::steady_clock::now()};
    std::lock_guard lock(mu_);
    seen_.push_back(std::move(seen));
  });
  s.set_pre_routing_handler([this, &api](const httplib::Request& req, httplib::Response& res) {
    if (req.path == "/ready" || req.path.starts_with("/open/"))
      return httplib::Server::HandlerResponse::Unhandled;
    if (!Authorized(api, req)) {
      ReplyJson(res, 401, {{"success", false}, {"error", "Unauthorized"}});
      return httplib::Server::HandlerResponse::Handled;
    }
    std::unique_lock lock(mu_);
    if (!hold_path_.empty() && req.path == hold_path_ && hold_after_-- <= 0) WaitForRelease(lock);
    return httplib::Server::HandlerResponse::Unhandled;
  });

  s.Get("/ready", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok", "text/plain");
  });

  s.Get("/platform/v1/clients", [](const httplib::Request& req, httplib::Response& res) {
    if (req.get_param_value("business_id").empty()) {
      ReplyJson(res, 422, {{"errors", {{{"message", "business_id is required"}}}}});
      return;
    }
    ReplyJson(res, 200, {{"data", {{"clients", {{{"id", "client-1"}, {"first_name", "Ada"}}}}}}});
  });
  s.Get("/platform/v1/payment/packages", [](const httplib::Request&, httplib::Response& res) {
    ReplyJson(res, 200, {{"data", {{"packages", {{{"id", "package-1"}, {"price", 1}}}}}}});
  });
  s.Post("/platform/v1/payment/client_packages",
         [this](const httplib::Request& req, httplib::Response& res) {
           Json body = Json::parse(req.body, nullptr, false);
           if (!body.is_object() || body.value("client_id", "") != "client-1" ||
               body.value("package_id", "") != "package-1") {
             ReplyJson(res, 422, {{"errors", {{{"message", "unknown client or package"}}}}});
             return;
           }
           std::string id;
           {
             std::lock_guard lock(mu_);
             id = "cp-" + std::to_string(next_id_++);
             client_packages_[id] = body["client_id"];
           }
           ReplyJson(res, 201, {{"data", {{"client_package", {{"id", id}, {"price", 1}}}}}});
         });
  auto find_package = [this](const httplib::Request& req, httplib::Response& res, bool erase) {
    std::string id = req.matches[1];
    std::lock_guard lock(mu_);
    auto it = client_packages_.find(id);
    if (it == client_packages_.end()) {
      ReplyJson(res, 404, {{"errors", {{{"message", "no such client package"}}}}});
      return;
    }
    ReplyJson(res, 200, {{"data", {{"client_package", {{"id", id}, {"client_id", it->second}}}}}});
    if (erase) client_packages_.erase(it);
  };
  s.Get(R"(/business/payments/v1/client_packages/([^/]+))",
        [find_package](const httplib::Request& req, httplib::Response& res) {
          find_package(req, res, false);
        });
  s.Delete(R"(/platform/v1/payment/client_packages/([^/]+))",
           [find_package](const httplib::Request& req, httplib::Response& res) {
             find_package(req, res, true);
           });

  // Echoes what arrived, for every method.
  auto echo = [](const httplib::Request& req, httplib::Response& res) {
    Json query = Json::object();
    for (const auto& [k, v] : req.params) query[k] = v;
    ReplyJson(res, 200, {{"method", req.method}, {"query", query}, {"body", req.body}});
  };
  for (const char* path : {"/echo", "/open/echo"}) {
    s.Get(path, echo);
    s.Post(path, echo);
    s.Put(path, echo);
    s.Delete(path, echo);
  }

  s.Post("/upload", [this](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mu_);
    upload_.field = req.get_file_value("note").content;
    auto file = req.get_file_value("attachment");
    upload_.file_name = file.filename;
    upload_.file_content = file.content;
    ReplyJson(res, 201, {{"stored", file.filename}, {"bytes", file.content.size()}});
  });

  s.Get("/limited", [this](const httplib::Request&, httplib::Response& res) {
    std::lock_guard lock(mu_);
    if (limited_remaining_ > 0) {
      --limited_remaining_;
      res.set_header("Retry-After", std::to_string(limited_retry_after_));
      ReplyJson(res, 429, {{"error", "slow down"}});
      return;
    }
    ReplyJson(res, 200, {{"ok", true}});
  });

  // Answers after 5 s or when the server shuts down, whichever is first.
  auto hold = [this](const httplib::Request&, httplib::Response& res) {
    std::unique_lock lock(mu_);
    WaitForRelease(lock);
    ReplyJson(res, 200, {{"late", true}});
  };
  s.Get("/hold", hold);
  s.Post("/hold", hold);

  // A careless API that repeats the caller's credentials in its answer, header and body: whatever
  // it sends back, Verity must not repeat it.
  s.Get("/reflect", [](const httplib::Request& req, httplib::Response& res) {
    std::string auth = req.get_header_value("Authorization");
    res.set_header("X-Seen-Authorization", auth);
    ReplyJson(res, 200, {{"authorization", auth}, {"data", {{"id", auth.substr(7)}}}});
  });
}

std::vector<SeenRequest> SeedWorldServer::requests() const {
  std::lock_guard lock(mu_);
  return seen_;
}

std::vector<SeenRequest> SeedWorldServer::requests_to(const std::string& prefix) const {
  std::vector<SeenRequest> out;
  for (SeenRequest& r : requests()) {
    if (r.path.starts_with(prefix)) out.push_back(std::move(r));
  }
  return out;
}

size_t SeedWorldServer::live_client_packages() const {
  std::lock_guard lock(mu_);
  return client_packages_.size();
}

SeenUpload SeedWorldServer::last_upload() const {
  std::lock_guard lock(mu_);
  return upload_;
}

void SeedWorldServer::RateLimitNext(int times, int retry_after_seconds) {
  std::lock_guard lock(mu_);
  limited_remaining_ = times;
  limited_retry_after_ = retry_after_seconds;
}

ResettingServer::ResettingServer() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(0, ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr));
  EXPECT_EQ(0, ::listen(listen_fd_, 16));
  socklen_t len = sizeof addr;
  EXPECT_EQ(0, ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len));
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] {
    while (!stopping_) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) continue;
      ++connections_;
      // Wait for the request so the reset hits a request in flight, not an idle connection.
      pollfd c{fd, POLLIN, 0};
      if (::poll(&c, 1, 2000) > 0) {
        char buffer[4096];
        [[maybe_unused]] ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      }
      linger reset{1, 0};  // close with RST instead of FIN
      ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
      ::close(fd);
    }
  });
}

ResettingServer::~ResettingServer() {
  stopping_ = true;
  thread_.join();
  ::close(listen_fd_);
}

namespace {

// A P-256 key and a one-hour certificate for 127.0.0.1 signed by itself, written as PEM files.
void WriteSelfSignedCertificate(const std::string& cert_path, const std::string& key_path) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  ASSERT_NE(key, nullptr);
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  EXPECT_GT(X509_sign(cert, key, EVP_sha256()), 0);
  FILE* c = std::fopen(cert_path.c_str(), "w");
  FILE* k = std::fopen(key_path.c_str(), "w");
  ASSERT_TRUE(c && k);
  PEM_write_X509(c, cert);
  PEM_write_PrivateKey(k, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(c);
  std::fclose(k);
  X509_free(cert);
  EVP_PKEY_free(key);
}

}  // namespace

SelfSignedTlsServer::SelfSignedTlsServer(const std::string& folder) {
  std::string cert = folder + "/cert.pem", key = folder + "/key.pem";
  WriteSelfSignedCertificate(cert, key);
  server_ = std::make_unique<httplib::SSLServer>(cert.c_str(), key.c_str());
  EXPECT_TRUE(server_->is_valid());
  server_->Get("/tls", [this](const httplib::Request&, httplib::Response& res) {
    ++requests_;
    res.set_content(R"({"tls":true})", "application/json");
  });
  port_ = server_->bind_to_any_port("127.0.0.1");
  EXPECT_GT(port_, 0);
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  httplib::SSLClient probe("127.0.0.1", port_);
  probe.enable_server_certificate_verification(false);
  auto ready = probe.Get("/tls");
  EXPECT_TRUE(ready && ready->status == 200);
  --requests_;  // the probe is not the test's
}

SelfSignedTlsServer::~SelfSignedTlsServer() {
  server_->stop();
  thread_.join();
}

}  // namespace verity::run::testing
