#include "http/curl_transport.h"

#include <curl/curl.h>

#include <algorithm>
#include <deque>
#include <mutex>
#include <utility>
#include <vector>

#include "http/curl_options.h"

namespace verity::http {

using curl_detail::Transfer;

TransportErrorCode TransportErrorCodeForCurl(int curl_code) {
  switch (static_cast<CURLcode>(curl_code)) {
    case CURLE_OPERATION_TIMEDOUT:
      return TransportErrorCode::kTimeout;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return TransportErrorCode::kDnsError;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CLIENTCERT:
    case CURLE_USE_SSL_FAILED:
      return TransportErrorCode::kTlsError;
    case CURLE_FILESIZE_EXCEEDED:
      return TransportErrorCode::kTooLarge;
    case CURLE_ABORTED_BY_CALLBACK:
      return TransportErrorCode::kCancelled;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_BAD_FUNCTION_ARGUMENT:
    case CURLE_READ_ERROR:  // a multipart file vanished after the request was built
      return TransportErrorCode::kInvalidRequest;
    default:
      // Refused, reset, unreachable, an empty or broken reply, an HTTP/2 stream error: the network
      // or the server failed, which is what the runner retries for idempotent methods.
      return TransportErrorCode::kNetworkError;
  }
}

struct CurlTransport::Impl {
  CurlTransportOptions options;
  CURLM* multi = nullptr;
  std::deque<std::unique_ptr<Transfer>> queued;
  std::vector<std::unique_ptr<Transfer>> active;  // at most options.max_in_flight
  // The running Run()'s deadline; ShortenDeadline may pull it in from a callback.
  TimePoint deadline = TimePoint::max();
  // Outcomes whose callbacks have not fired yet. Callbacks fire only from Run(), never from inside
  // libcurl or from Submit/Cancel, so a callback may freely submit and cancel.
  std::vector<std::pair<Callback, HttpOutcome>> completed;
  // Easy handles of finished transfers, reset and kept for the next ones: creating one per request
  // showed in profiles of many small requests. Connections live in the multi handle either way.
  std::vector<CURL*> idle_easy;

  ~Impl() {
    for (auto& t : active) curl_multi_remove_handle(multi, t->easy);
    active.clear();  // the easy handles must go before the multi handle
    for (CURL* easy : idle_easy) curl_easy_cleanup(easy);
    if (multi != nullptr) curl_multi_cleanup(multi);
  }

  CURL* TakeEasy() {
    if (idle_easy.empty()) return curl_easy_init();
    CURL* easy = idle_easy.back();
    idle_easy.pop_back();
    return easy;
  }

  // Only for a handle outside the multi handle. curl_easy_reset drops every option, so nothing of
  // this request (headers, credentials, callbacks into the Transfer) carries over; the handle
  // keeps only caches (DNS, TLS sessions), and no cookie engine is ever enabled.
  void Recycle(Transfer& t) {
    if (t.easy == nullptr) return;
    curl_easy_reset(t.easy);
    if (idle_easy.size() < options.max_in_flight) {
      idle_easy.push_back(t.easy);
    } else {
      curl_easy_cleanup(t.easy);
    }
    t.easy = nullptr;
  }

  void Complete(std::unique_ptr<Transfer> t, HttpOutcome outcome) {
    Recycle(*t);
    completed.emplace_back(std::move(t->done), std::move(outcome));
  }

  void Start(std::unique_ptr<Transfer> t) {
    if (auto invalid = ValidateRequest(t->request)) return Complete(std::move(t), *invalid);
    t->easy = TakeEasy();
    if (t->easy == nullptr) {
      return Complete(std::move(t), TransportError{TransportErrorCode::kNetworkError,
                                                   "libcurl could not create a transfer"});
    }
    if (auto invalid = curl_detail::ConfigureEasy(*t, options)) {
      return Complete(std::move(t), *invalid);
    }
    if (CURLMcode rc = curl_multi_add_handle(multi, t->easy); rc != CURLM_OK) {
      return Complete(std::move(t),
                      TransportError{TransportErrorCode::kNetworkError, curl_multi_strerror(rc)});
    }
    active.push_back(std::move(t));
  }

  void StartQueued() {
    while (active.size() < options.max_in_flight && !queued.empty()) {
      std::unique_ptr<Transfer> t = std::move(queued.front());
      queued.pop_front();
      Start(std::move(t));
    }
  }

  std::unique_ptr<Transfer> Detach(CURL* easy) {
    auto it = std::find_if(active.begin(), active.end(), [&](auto& t) { return t->easy == easy; });
    std::unique_ptr<Transfer> t = std::move(*it);
    active.erase(it);
    curl_multi_remove_handle(multi, easy);
    return t;
  }

  static double Millis(CURL* easy, CURLINFO info) {
    curl_off_t micros = 0;
    curl_easy_getinfo(easy, info, &micros);
    return static_cast<double>(micros) / 1000.0;
  }

  static HttpOutcome Outcome(Transfer& t, CURLcode code) {
    HttpResponse& r = t.response;
    long status = 0;
    curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &status);
    r.status = static_cast<int>(status);
    long version = 0;
    curl_easy_getinfo(t.easy, CURLINFO_HTTP_VERSION, &version);
    switch (version) {
      case CURL_HTTP_VERSION_1_0:
        r.http_version = "1.0";
        break;
      case CURL_HTTP_VERSION_1_1:
        r.http_version = "1.1";
        break;
      case CURL_HTTP_VERSION_2_0:
        r.http_version = "2";
        break;
      case CURL_HTTP_VERSION_3:
        r.http_version = "3";
        break;
      default:
        break;
    }
    char* url = nullptr;
    curl_easy_getinfo(t.easy, CURLINFO_EFFECTIVE_URL, &url);
    if (url != nullptr) r.effective_url = url;
    r.timings.connect_ms = Millis(t.easy, CURLINFO_CONNECT_TIME_T);
    r.timings.tls_ms = Millis(t.easy, CURLINFO_APPCONNECT_TIME_T);
    r.timings.ttfb_ms = Millis(t.easy, CURLINFO_STARTTRANSFER_TIME_T);
    r.timings.total_ms = Millis(t.easy, CURLINFO_TOTAL_TIME_T);

    if (t.too_large || code == CURLE_FILESIZE_EXCEEDED) {
      r.truncated = true;
      return TransportError{
          TransportErrorCode::kTooLarge,
          "response body exceeds " + std::to_string(t.request.max_response_bytes) + " bytes",
          t.bytes_received, std::move(r)};
    }
    if (t.headers_too_large) {
      return TransportError{TransportErrorCode::kTooLarge,
                            "the response's headers exceed " +
                                std::to_string(curl_detail::kMaxResponseHeaderBytes) + " bytes",
                            t.bytes_received, std::nullopt, /*in_headers=*/true};
    }
    if (code == CURLE_OUT_OF_MEMORY && !t.headers_done) {
      // libcurl buffers each header line whole and gives up on one longer than its limit
      // (CURL_MAX_HTTP_HEADER, 100 KiB) with this code and the message "Out of memory", which
      // sends a reader looking for a memory problem on their own machine.
      return TransportError{TransportErrorCode::kTooLarge,
                            "a response header line is longer than " +
                                std::to_string(CURL_MAX_HTTP_HEADER) +
                                " bytes, the most libcurl accepts",
                            t.bytes_received, std::nullopt, /*in_headers=*/true};
    }
    if (code != CURLE_OK) {
      std::string message = t.error[0] != '\0' ? t.error : curl_easy_strerror(code);
      return TransportError{TransportErrorCodeForCurl(code), std::move(message), t.bytes_received};
    }
    return std::move(r);
  }

  void CollectFinished() {
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      CURLcode code = msg->data.result;  // read before Detach: msg dies with the handle
      std::unique_ptr<Transfer> t = Detach(msg->easy_handle);
      HttpOutcome outcome = Outcome(*t, code);
      Complete(std::move(t), std::move(outcome));
    }
  }

  void FireCompleted() {
    // Swapped out first: a callback may submit or cancel, which touches these containers.
    while (!completed.empty()) {
      std::vector<std::pair<Callback, HttpOutcome>> batch;
      batch.swap(completed);
      for (auto& [done, outcome] : batch) done(std::move(outcome));
    }
  }

  void CancelWhere(const std::function<bool(const HttpRequest&)>& match) {
    auto cancelled = [](const Transfer& t) {
      return TransportError{TransportErrorCode::kCancelled, "cancelled", t.bytes_received};
    };
    for (auto it = queued.begin(); it != queued.end();) {
      if (match((*it)->request)) {
        HttpOutcome outcome = cancelled(**it);
        Complete(std::move(*it), std::move(outcome));
        it = queued.erase(it);
      } else {
        ++it;
      }
    }
    std::vector<CURL*> stop;
    for (auto& t : active) {
      if (match(t->request)) stop.push_back(t->easy);
    }
    for (CURL* easy : stop) {
      std::unique_ptr<Transfer> t = Detach(easy);
      HttpOutcome outcome = cancelled(*t);
      Complete(std::move(t), std::move(outcome));
    }
  }
};

Result<std::unique_ptr<CurlTransport>> CurlTransport::Create(const CurlTransportOptions& options) {
  // curl_global_init is not safe to race with other libcurl calls; once per process, here, keeps
  // it out of every caller's main().
  static const CURLcode global = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (global != CURLE_OK) {
    return Status::IoError(std::string("libcurl failed to initialise: ") +
                           curl_easy_strerror(global));
  }
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->options.max_in_flight = std::max<size_t>(1, options.max_in_flight);
  impl->multi = curl_multi_init();
  if (impl->multi == nullptr) return Status::IoError("libcurl could not create a multi handle");
  if (Status s = curl_detail::ConfigureMulti(impl->multi, impl->options); !s.ok()) return s;
  return std::unique_ptr<CurlTransport>(new CurlTransport(std::move(impl)));
}

CurlTransport::CurlTransport(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CurlTransport::~CurlTransport() = default;

void CurlTransport::Submit(HttpRequest request, Callback done) {
  auto t = std::make_unique<Transfer>();
  t->request = std::move(request);
  t->done = std::move(done);
  impl_->queued.push_back(std::move(t));
}

size_t CurlTransport::Run(TimePoint deadline) {
  Impl& m = *impl_;
  m.deadline = deadline;
  for (;;) {
    m.FireCompleted();
    m.StartQueued();
    if (!m.completed.empty()) continue;  // requests that failed to start
    if (m.active.empty()) return 0;      // StartQueued leaves nothing queued when idle
    auto now = std::chrono::steady_clock::now();
    if (now >= m.deadline) return Pending();

    int running = 0;
    if (CURLMcode rc = curl_multi_perform(m.multi, &running); rc != CURLM_OK) {
      // The multi handle itself broke (out of memory): no transfer can finish normally.
      std::string message = curl_multi_strerror(rc);
      while (!m.active.empty()) {
        std::unique_ptr<Transfer> t = m.Detach(m.active.front()->easy);
        m.Complete(std::move(t), TransportError{TransportErrorCode::kNetworkError, message});
      }
      continue;
    }
    m.CollectFinished();
    if (!m.completed.empty()) continue;

    // Sleeps until a socket is ready or libcurl's next timer, whichever is first; the cap keeps
    // the deadline honoured even when libcurl has nothing to wake it.
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(m.deadline - now).count();
    int wait_ms = static_cast<int>(std::clamp<decltype(left)>(left, 0, 1000));
    curl_multi_poll(m.multi, nullptr, 0, wait_ms, nullptr);
  }
}

void CurlTransport::ShortenDeadline(TimePoint deadline) {
  impl_->deadline = std::min(impl_->deadline, deadline);
}

void CurlTransport::Cancel(std::string_view tag) {
  impl_->CancelWhere([&](const HttpRequest& r) { return r.tag == tag; });
}

void CurlTransport::CancelAll() {
  impl_->CancelWhere([](const HttpRequest&) { return true; });
}

size_t CurlTransport::Pending() const {
  return impl_->queued.size() + impl_->active.size() + impl_->completed.size();
}

}  // namespace verity::http
