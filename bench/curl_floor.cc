// verity_curl_floor: the libcurl floor of the runner benchmark (bench/run/chain3.sh). It makes
// exactly the calls a chain3 document makes — GET the list and take the first id, POST a client
// and take its new id, GET the client by that id — N times, with nothing Verity does around them
// (no documents, templates, JSONPath, reports). What is left is the cost of libcurl and the
// server: the floor a runner cannot go below.
//  - --concurrency 1: one easy handle reused for every request (curl_easy_perform), so the one
//    connection and libcurl's state are reused, as a hand-written client would do it;
//  - --concurrency C: C chains at once on one multi handle, each with its own reused easy handle,
//    the shape of Verity's event loop with C documents in flight.
// Ids are taken by finding "id":" in the body: the responses are canned and tiny, and a JSON
// parser here would measure the parser, not libcurl. Every status and id is still checked, so a
// run that failed never passes for a fast one.
// --self-check runs a short chain against an in-process server (cpp-httplib), so the suite keeps
// this program working without nginx.
#include <curl/curl.h>
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#ifdef VERITY_HAVE_HTTPLIB
#include <httplib.h>

#include <atomic>
#include <thread>
#endif

namespace {

struct Options {
  std::string base_url;
  int iterations = 1000;
  int concurrency = 1;
  std::string token_env;
  std::string prefix = "/t/{:04}";  // the chain3 documents' distinct paths; "" for /clients
  bool self_check = false;
};

struct Tally {
  long requests = 0;
  long failures = 0;
  std::string first_error;

  void Fail(std::string what) {
    ++failures;
    if (first_error.empty()) first_error = std::move(what);
  }
};

// The value of the first "id":"…" in a body, or "".
std::string FirstId(std::string_view body) {
  constexpr std::string_view kKey = "\"id\":\"";
  size_t at = body.find(kKey);
  if (at == std::string_view::npos) return "";
  at += kKey.size();
  size_t end = body.find('"', at);
  return end == std::string_view::npos ? "" : std::string(body.substr(at, end - at));
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

// One chain in progress: an easy handle kept for all its requests, and where it is.
class Lane {
 public:
  Lane(const Options& o, curl_slist* get_headers, curl_slist* post_headers)
      : options_(o), get_headers_(get_headers), post_headers_(post_headers) {
    easy_ = curl_easy_init();
    curl_easy_setopt(easy_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy_, CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(easy_, CURLOPT_WRITEDATA, static_cast<void*>(&body_));
    curl_easy_setopt(easy_, CURLOPT_TIMEOUT_MS, 30000L);
  }
  ~Lane() { curl_easy_cleanup(easy_); }
  Lane(const Lane&) = delete;
  Lane& operator=(const Lane&) = delete;

  CURL* easy() const { return easy_; }
  bool idle() const { return iteration_ < 0; }

  void Begin(int iteration) {
    iteration_ = iteration;
    step_ = 0;
    Configure();
  }

  // Checks the finished request and sets up the next one; false when the chain is done.
  bool Finish(CURLcode code, Tally& tally) {
    ++tally.requests;
    long status = 0;
    curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &status);
    const long wanted = step_ == 1 ? 201 : 200;
    std::string id = FirstId(body_);
    std::string where = fmt::format("iteration {} step {}", iteration_, step_ + 1);
    if (code != CURLE_OK) {
      tally.Fail(fmt::format("{}: {}", where, curl_easy_strerror(code)));
    } else if (status != wanted) {
      tally.Fail(fmt::format("{}: status {}, expected {}", where, status, wanted));
    } else if (id.empty() || (step_ == 2 && id != new_id_)) {
      tally.Fail(fmt::format("{}: no matching id in {}", where, body_));
    } else {
      (step_ == 0 ? first_id_ : new_id_) = id;
      if (++step_ < 3) {
        Configure();
        return true;
      }
    }
    iteration_ = -1;  // done, or a failed step ended the chain as Verity's onFail: abort would
    return false;
  }

 private:
  void Configure() {
    body_.clear();
    std::string base = options_.base_url + fmt::format(fmt::runtime(options_.prefix), iteration_);
    if (step_ == 0) {
      url_ = base + "/clients?per_page=1";
    } else if (step_ == 1) {
      url_ = base + "/clients";
      post_ = fmt::format(R"({{"first_name":"Ada","referrer_id":"{}"}})", first_id_);
    } else {
      url_ = base + "/clients/" + new_id_;
    }
    curl_easy_setopt(easy_, CURLOPT_URL, url_.c_str());
    if (step_ == 1) {
      curl_easy_setopt(easy_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(post_.size()));
      curl_easy_setopt(easy_, CURLOPT_POSTFIELDS, post_.c_str());
      curl_easy_setopt(easy_, CURLOPT_HTTPHEADER, post_headers_);
    } else {
      curl_easy_setopt(easy_, CURLOPT_HTTPGET, 1L);
      curl_easy_setopt(easy_, CURLOPT_HTTPHEADER, get_headers_);
    }
  }

  const Options& options_;
  curl_slist* get_headers_;
  curl_slist* post_headers_;
  CURL* easy_ = nullptr;
  int iteration_ = -1;
  int step_ = 0;
  std::string body_, url_, post_, first_id_, new_id_;
};

Tally RunChains(const Options& o) {
  Tally tally;
  std::string auth = "Authorization: Bearer ";
  if (!o.token_env.empty()) {
    const char* token = std::getenv(o.token_env.c_str());
    auth += token != nullptr ? token : "";
  }
  curl_slist* get_headers = curl_slist_append(nullptr, auth.c_str());
  get_headers = curl_slist_append(get_headers, "Accept: application/json");
  curl_slist* post_headers = curl_slist_append(nullptr, auth.c_str());
  post_headers = curl_slist_append(post_headers, "Accept: application/json");
  post_headers = curl_slist_append(post_headers, "Content-Type: application/json");
  // Verity turns off `Expect: 100-continue` too; for bodies this small libcurl would not send it.
  post_headers = curl_slist_append(post_headers, "Expect:");

  int next = 0;
  if (o.concurrency <= 1) {
    Lane lane(o, get_headers, post_headers);
    for (; next < o.iterations; ++next) {
      lane.Begin(next);
      while (lane.Finish(curl_easy_perform(lane.easy()), tally)) {
      }
    }
  } else {
    CURLM* multi = curl_multi_init();
    std::vector<std::unique_ptr<Lane>> lanes;
    for (int i = 0; i < o.concurrency; ++i) {
      lanes.push_back(std::make_unique<Lane>(o, get_headers, post_headers));
    }
    int running = 0;
    for (auto& lane : lanes) {
      if (next < o.iterations) {
        lane->Begin(next++);
        curl_multi_add_handle(multi, lane->easy());
        ++running;
      }
    }
    while (running > 0) {
      int still = 0;
      curl_multi_perform(multi, &still);
      int left = 0;
      while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
        if (msg->msg != CURLMSG_DONE) continue;
        CURL* easy = msg->easy_handle;
        CURLcode code = msg->data.result;
        curl_multi_remove_handle(multi, easy);
        Lane* lane = nullptr;
        for (auto& l : lanes) {
          if (l->easy() == easy) lane = l.get();
        }
        bool more = lane->Finish(code, tally);
        if (!more && next < o.iterations) {
          lane->Begin(next++);
          more = true;
        }
        if (more) {
          curl_multi_add_handle(multi, easy);
        } else {
          --running;
        }
      }
      if (running > 0) curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
    }
    lanes.clear();
    curl_multi_cleanup(multi);
  }
  curl_slist_free_all(get_headers);
  curl_slist_free_all(post_headers);
  return tally;
}

int Report(const Options& o, const Tally& t, double seconds) {
  std::printf("requests=%ld failures=%ld iterations=%d concurrency=%d seconds=%.3f\n", t.requests,
              t.failures, o.iterations, o.concurrency, seconds);
  if (t.failures > 0) std::fprintf(stderr, "first failure: %s\n", t.first_error.c_str());
  bool complete = t.requests == 3L * o.iterations;
  return t.failures == 0 && complete ? 0 : 1;
}

#ifdef VERITY_HAVE_HTTPLIB
// The nginx configuration's canned answers, in process: a short serial and a parallel run must
// both make every request and check every id.
int SelfCheck() {
  httplib::Server server;
  std::atomic<int> created = 0;  // the server answers from a thread pool
  server.Get(R"(/t/\d+/clients)", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"data":{"clients":[{"id":"c-1"}]}})", "application/json");
  });
  server.Post(R"(/t/\d+/clients)", [&](const httplib::Request& req, httplib::Response& res) {
    bool ok = req.body.find("\"referrer_id\":\"c-1\"") != std::string::npos;
    res.status = ok ? 201 : 400;
    res.set_content(fmt::format(R"({{"data":{{"client":{{"id":"n-{}"}}}}}})", ++created),
                    "application/json");
  });
  server.Get(R"(/t/\d+/clients/([\w-]+))", [](const httplib::Request& req, httplib::Response& res) {
    res.set_content(fmt::format(R"({{"data":{{"client":{{"id":"{}"}}}}}})", req.matches[1].str()),
                    "application/json");
  });
  int port = server.bind_to_any_port("127.0.0.1");
  std::thread loop([&] { server.listen_after_bind(); });
  // No wait for the loop: the socket already listens, so early requests queue until it accepts.
  int failed = 0;
  for (int concurrency : {1, 4}) {
    Options o;
    o.base_url = fmt::format("http://127.0.0.1:{}", port);
    o.iterations = 20;
    o.concurrency = concurrency;
    Tally t = RunChains(o);
    failed += Report(o, t, 0);
  }
  server.stop();
  loop.join();
  std::printf("self-check %s\n", failed == 0 ? "passed" : "FAILED");
  return failed == 0 ? 0 : 1;
}
#endif

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app("verity_curl_floor: the chain3 calls through bare libcurl", "verity_curl_floor");
  app.add_option("--base-url", o.base_url, "http://127.0.0.1:PORT");
  app.add_option("--iterations", o.iterations, "Chains to run (3 requests each)")
      ->check(CLI::PositiveNumber);
  app.add_option("--concurrency", o.concurrency, "Chains in flight at once")
      ->check(CLI::PositiveNumber);
  app.add_option("--token-env", o.token_env, "Environment variable holding the bearer token");
  app.add_option("--prefix", o.prefix, "Path prefix per iteration, fmt style ({:04} = index)");
  app.add_flag("--self-check", o.self_check, "Run against an in-process server and exit");
  CLI11_PARSE(app, argc, argv);
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) return 3;
  if (o.self_check) {
#ifdef VERITY_HAVE_HTTPLIB
    return SelfCheck();
#else
    std::fprintf(stderr, "built without cpp-httplib: no self-check\n");
    return 2;
#endif
  }
  if (o.base_url.empty()) {
    std::fprintf(stderr, "--base-url is required\n");
    return 2;
  }
  auto start = std::chrono::steady_clock::now();
  Tally t = RunChains(o);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return Report(o, t, seconds);
}
