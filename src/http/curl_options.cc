// Every curl_easy_setopt and curl_multi_setopt call in Verity, each with its reason. Options not
// set here keep libcurl's default on purpose; the notable ones are listed at the end of
// ConfigureEasy.
#include "http/curl_options.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <string>
#include <string_view>

#include "base/file_system.h"
#include "base/posix_open.h"

namespace verity::http::curl_detail {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

bool HasHeader(const HttpRequest& r, std::string_view name) {
  for (const auto& [n, v] : r.headers) {
    if (EqualsIgnoreCase(n, name)) return true;
  }
  return false;
}

// libcurl's write callback: keeps the decoded body up to the cap. Returning less than it was
// given makes libcurl abort the transfer (CURLE_WRITE_ERROR), which is how the cap stops a
// download instead of merely discarding bytes.
size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t len = size * count;
  t->bytes_received += len;
  size_t room = t->request.max_response_bytes - t->response.body.size();
  if (len > room) {
    t->response.body.append(data, room);
    t->too_large = true;
    return 0;
  }
  t->response.body.append(data, len);
  return len;
}

// libcurl's header callback, called once per header line. A status line starts a new block:
// after a `100 Continue` or a proxy's CONNECT reply only the final response's headers count.
size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t len = size * count;
  t->header_bytes += len;
  if (t->header_bytes > kMaxResponseHeaderBytes) {
    t->headers_too_large = true;
    return 0;  // less than given: libcurl aborts the transfer
  }
  std::string_view line(data, len);
  Headers& headers = t->response.headers;
  if (line == "\r\n" || line == "\n") {
    // The blank line ends a block; a status line may still start the final one after a 1xx.
    t->headers_done = true;
  } else if (line.starts_with("HTTP/")) {
    headers.clear();
    t->headers_done = false;
  } else if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
    // An obsolete folded continuation (RFC 9112 §5.2) belongs to the previous header's value.
    if (!headers.empty()) {
      headers.back().second += ' ';
      headers.back().second += Trim(line);
    }
  } else if (size_t colon = line.find(':'); colon != std::string_view::npos) {
    std::string name(Trim(line.substr(0, colon)));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    headers.emplace_back(std::move(name), std::string(Trim(line.substr(colon + 1))));
  }
  return len;
}

std::optional<TransportError> Invalid(std::string what) {
  return TransportError{TransportErrorCode::kInvalidRequest, std::move(what)};
}

std::optional<TransportError> AppendHeader(Transfer& t, const std::string& line) {
  curl_slist* grown = curl_slist_append(t.header_list, line.c_str());
  if (grown == nullptr) return Invalid("out of memory building the header list");
  t.header_list = grown;
  return std::nullopt;
}

std::optional<TransportError> BuildHeaders(Transfer& t, bool sends_body) {
  const HttpRequest& r = t.request;
  for (const auto& [name, value] : r.headers) {
    // "Name:" (or "Name:  ", which libcurl trims to it) would make libcurl drop the header while
    // the request still lists it; "Name;" is libcurl's spelling for an empty value.
    std::string line = Trim(value).empty() ? name + ";" : name + ": " + value;
    if (auto e = AppendHeader(t, line)) return e;
  }
  // libcurl sends `Expect: 100-continue` before large bodies and waits up to a second for servers
  // that never answer it; API servers rarely do, so it would only add latency.
  if (!HasHeader(r, "Expect")) {
    if (auto e = AppendHeader(t, "Expect:")) return e;
  }
  // With CURLOPT_POSTFIELDS libcurl adds `Content-Type: application/x-www-form-urlencoded`. A
  // request without a content type must go out without one, or a test would check the wrong thing.
  if (sends_body && r.multipart.empty() && !HasHeader(r, "Content-Type")) {
    if (auto e = AppendHeader(t, "Content-Type:")) return e;
  }
  return std::nullopt;
}

// A file part is read from a descriptor opened without following any link: the caller gave the
// file's real path after checking where it is (run/request_builder.cc confines uploads to the
// knowledge base), so a link swapped in since is refused rather than sent. Read while sending, so
// an upload is never held in memory whole.
struct UploadFile {
  posix::UniqueFd fd;
};

size_t ReadUpload(char* buffer, size_t size, size_t items, void* arg) {
  int fd = static_cast<UploadFile*>(arg)->fd.get();
  ssize_t n;
  do {
    n = ::read(fd, buffer, size * items);
  } while (n < 0 && errno == EINTR);
  return n < 0 ? CURL_READFUNC_ABORT : static_cast<size_t>(n);
}

int SeekUpload(void* arg, curl_off_t offset, int origin) {
  int fd = static_cast<UploadFile*>(arg)->fd.get();
  return ::lseek(fd, static_cast<off_t>(offset), origin) < 0 ? CURL_SEEKFUNC_FAIL
                                                             : CURL_SEEKFUNC_OK;
}

void FreeUpload(void* arg) { delete static_cast<UploadFile*>(arg); }

std::optional<TransportError> AttachFile(curl_mimepart* p, const MultipartPart& part) {
  std::string unreadable = "multipart part '" + part.name + "': cannot read " + part.file_path;
  Result<posix::UniqueFd> fd = posix::OpenWithoutLinks(part.file_path, O_RDONLY, part.file_path);
  if (!fd.ok()) return Invalid(unreadable);
  struct stat st;
  if (::fstat(fd->get(), &st) != 0 || !S_ISREG(st.st_mode)) return Invalid(unreadable);
  auto* upload = new UploadFile{std::move(*fd)};
  if (curl_mime_data_cb(p, static_cast<curl_off_t>(st.st_size), ReadUpload, SeekUpload, FreeUpload,
                        upload) != CURLE_OK) {
    delete upload;
    return Invalid("out of memory building the multipart body");
  }
  std::string filename =
      part.filename.empty() ? std::string(BaseName(part.file_path)) : part.filename;
  if (curl_mime_filename(p, filename.c_str()) != CURLE_OK) {
    return Invalid("multipart part '" + part.name + "': bad filename");
  }
  return std::nullopt;
}

std::optional<TransportError> BuildMime(Transfer& t) {
  t.mime = curl_mime_init(t.easy);
  if (t.mime == nullptr) return Invalid("out of memory building the multipart body");
  for (const MultipartPart& part : t.request.multipart) {
    curl_mimepart* p = curl_mime_addpart(t.mime);
    if (p == nullptr || curl_mime_name(p, part.name.c_str()) != CURLE_OK) {
      return Invalid("out of memory building the multipart body");
    }
    if (!part.file_path.empty()) {
      if (auto e = AttachFile(p, part)) return e;
    } else if (curl_mime_data(p, part.value.data(), part.value.size()) != CURLE_OK) {
      return Invalid("out of memory building the multipart body");
    }
    if (!part.content_type.empty() && curl_mime_type(p, part.content_type.c_str()) != CURLE_OK) {
      return Invalid("multipart part '" + part.name + "': bad content type");
    }
  }
  return std::nullopt;
}

}  // namespace

Transfer::~Transfer() {
  // The easy handle goes first: its options point into the list and the mime structure.
  if (easy != nullptr) curl_easy_cleanup(easy);
  if (mime != nullptr) curl_mime_free(mime);
  if (header_list != nullptr) curl_slist_free_all(header_list);
}

// A macro, not a function, so that curl_easy_setopt stays a direct call with a constant option:
// that is what lets curl's typecheck-gcc.h reject a value of the wrong type at compile time (an
// int where a long is expected is the classic libcurl bug).
#define VERITY_SETOPT(option, value)                                              \
  do {                                                                            \
    if (CURLcode rc = curl_easy_setopt(e, option, value); rc != CURLE_OK)         \
      return Invalid(std::string(#option " refused: ") + curl_easy_strerror(rc)); \
  } while (0)

std::optional<TransportError> ConfigureEasy(Transfer& t, const CurlTransportOptions& options) {
  CURL* e = t.easy;
  const HttpRequest& r = t.request;

  // libcurl otherwise uses signals for DNS timeouts, which are unsafe in a threaded program.
  VERITY_SETOPT(CURLOPT_NOSIGNAL, 1L);
  // Messages land here rather than in a fixed string, so errors say which host or certificate.
  VERITY_SETOPT(CURLOPT_ERRORBUFFER, t.error);
  VERITY_SETOPT(CURLOPT_URL, r.url.c_str());
  // A URL comes from a rendered template: it must never make Verity read file:// or speak another
  // protocol.
  VERITY_SETOPT(CURLOPT_PROTOCOLS_STR, "http,https");
  // Not following redirects: a recipe checks the status it gets, and a 3xx is an answer.
  VERITY_SETOPT(CURLOPT_FOLLOWLOCATION, 0L);
  // The whole transfer, so a silent server cannot stall a run.
  VERITY_SETOPT(CURLOPT_TIMEOUT_MS, static_cast<long>(r.timeout.count()));
  // HTTP/2 when the server offers it in the TLS handshake, HTTP/1.1 otherwise; with the multi
  // handle's multiplexing, many requests to one API share a connection.
  VERITY_SETOPT(CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
  // "" advertises every encoding this libcurl can decode (gzip, deflate, ...) and decodes the
  // body, so checks and the size cap see the JSON itself.
  VERITY_SETOPT(CURLOPT_ACCEPT_ENCODING, "");
  // Verification is on unless a request (--insecure) asks otherwise; both checks go together,
  // since a verified certificate for another host proves nothing.
  VERITY_SETOPT(CURLOPT_SSL_VERIFYPEER, r.verify_tls ? 1L : 0L);
  VERITY_SETOPT(CURLOPT_SSL_VERIFYHOST, r.verify_tls ? 2L : 0L);
  // Servers and their logs can tell Verity's traffic apart.
  VERITY_SETOPT(CURLOPT_USERAGENT, options.user_agent.c_str());
  // The cap, early: a Content-Length above it fails before any body byte arrives. The write
  // callback enforces it for chunked and compressed bodies.
  VERITY_SETOPT(CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(r.max_response_bytes));
  VERITY_SETOPT(CURLOPT_WRITEFUNCTION, OnBody);
  VERITY_SETOPT(CURLOPT_WRITEDATA, static_cast<void*>(&t));
  VERITY_SETOPT(CURLOPT_HEADERFUNCTION, OnHeader);
  VERITY_SETOPT(CURLOPT_HEADERDATA, static_cast<void*>(&t));

  // The method. HEAD must not wait for a body; any request with a body (GET included, which some
  // search APIs use) sends it as given; POST, PUT and PATCH always send one, so an empty body
  // still goes out with `Content-Length: 0`, which many servers require.
  bool sends_body = !r.body.empty() || !r.multipart.empty() || r.method == "POST" ||
                    r.method == "PUT" || r.method == "PATCH";
  if (r.method == "HEAD") {
    VERITY_SETOPT(CURLOPT_NOBODY, 1L);
  } else if (r.method == "GET" && !sends_body) {
    VERITY_SETOPT(CURLOPT_HTTPGET, 1L);
  } else {
    // Sets the request line's method; the body options below decide what follows it.
    VERITY_SETOPT(CURLOPT_CUSTOMREQUEST, r.method.c_str());
  }
  if (!r.multipart.empty()) {
    if (auto error = BuildMime(t)) return error;
    VERITY_SETOPT(CURLOPT_MIMEPOST, t.mime);
  } else if (sends_body) {
    // The size first, so a body holding NUL bytes is sent whole; the data is not copied, since
    // the request outlives the transfer.
    VERITY_SETOPT(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
    VERITY_SETOPT(CURLOPT_POSTFIELDS, r.body.data());
  }
  if (auto error = BuildHeaders(t, sends_body)) return error;
  VERITY_SETOPT(CURLOPT_HTTPHEADER, t.header_list);

  // Deliberately left at libcurl's default:
  // - proxies: libcurl reads http_proxy, https_proxy and no_proxy from the environment;
  // - CURLOPT_VERBOSE stays off: it prints headers, and so tokens, to stderr;
  // - the CA bundle is the system's, so a company CA installed there is trusted.
  return std::nullopt;
}

#undef VERITY_SETOPT

Status ConfigureMulti(CURLM* multi, const CurlTransportOptions& options) {
  auto set = [](CURLMcode rc, const char* what) {
    return rc == CURLM_OK ? Status::Ok()
                          : Status::InvalidArgument(std::string(what) +
                                                    " refused: " + curl_multi_strerror(rc));
  };
  // Several requests to one HTTP/2 server share a connection instead of each opening one.
  if (Status s = set(curl_multi_setopt(multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX),
                     "CURLMOPT_PIPELINING");
      !s.ok()) {
    return s;
  }
  // Keeps idle connections for the next requests: a document's steps run one after another, and
  // without a cache each would pay for a new TCP and TLS handshake.
  long cache = static_cast<long>(options.max_in_flight < 4 ? 8 : options.max_in_flight * 2);
  return set(curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, cache), "CURLMOPT_MAXCONNECTS");
}

}  // namespace verity::http::curl_detail
