// What `verity mock --proxy URL --record DIR` keeps of each exchange with the real API, and what
// `verity mock --replay DIR` answers from: one JSON file per exchange, secrets masked before
// anything is written, so a recording can be committed beside the recipes that made it.
//
// Masking takes what a request carries as credentials (the Authorization and Proxy-Authorization
// credentials, cookies, the values of the spec's apiKey headers and query parameters) and removes
// them wherever they occur in the exchange, in any encoding http/mask.h knows; the spec's apiKey
// query values become "***"; Authorization, Cookie and Set-Cookie values are masked by name; and
// whatever looks like a bearer token or a JWT is masked even when nobody configured it, since an
// API may hand out tokens of its own.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/file_system.h"
#include "base/json.h"
#include "base/status.h"
#include "http/mask.h"
#include "http/request.h"
#include "net/request.h"
#include "spec/catalog.h"

namespace verity::mock {

struct Exchange {
  std::string operation = {};  // "GET /api/v2/silences"; empty when no operation matched
  std::string method = {};
  std::string path = {};
  std::string query = {};  // without '?'; masked
  std::string request_body = {};
  int status = 0;
  http::Headers response_headers = {};
  std::string response_body = {};
};

/// Query parameters that carry a credential by convention (OAuth 2's access_token, the usual API
/// key names), masked whatever the spec says: a client may send one the spec never mentions.
inline constexpr std::string_view kConventionalCredentialParams[] = {
    "access_token", "api_key",       "apikey",   "api-key", "auth_token",
    "token",        "client_secret", "password", "secret"};

/// The header and query parameter names the specs' apiKey schemes use, and the conventional ones
/// (X-Api-Key, X-Auth-Token; kConventionalCredentialParams).
struct CredentialNames {
  std::vector<std::string> headers;
  std::vector<std::string> query;
};
CredentialNames CredentialNamesOf(const spec::Catalog& catalog);

/// The credentials one request carries, to be cut out of everything recorded of its exchange.
http::SecretRedactor RequestSecrets(std::span<const net::Header> headers, std::string_view query,
                                    const CredentialNames& names);

/// `text` with the credential of every `Bearer …` (one of 8 characters or more with a digit, or of
/// 20 or more: not a word of prose) and every JWT-shaped word ("eyJ….….…") replaced by "****".
std::string MaskBearerLike(std::string_view text);

/// Every masking above applied to a text of the exchange.
std::string MaskText(std::string_view text, const http::SecretRedactor& secrets);

/// The query with the spec's apiKey parameters' values "***" and then MaskText.
std::string MaskQuery(std::string_view query, const http::SecretRedactor& secrets,
                      const CredentialNames& names);

Json ExchangeToJson(const Exchange& exchange);
Result<Exchange> ExchangeFromJson(const Json& json);

/// Writes exchanges into one folder, numbered in arrival order ("000001-GET.json"), each file
/// written atomically and confined to the folder. Thread-safe.
class Recorder {
 public:
  /// Creates `dir` when missing; numbering goes on after the files already there.
  static Result<std::unique_ptr<Recorder>> Open(FileSystem& fs, const std::string& dir);
  /// `exchange` must already be masked.
  Status Save(const Exchange& exchange);
  size_t saved() const;

 private:
  Recorder(FileSystem& fs, std::string dir, PathRoots roots, size_t next)
      : fs_(fs), dir_(std::move(dir)), roots_(std::move(roots)), next_(next) {}
  FileSystem& fs_;
  std::string dir_;
  PathRoots roots_;
  mutable std::mutex mutex_;
  size_t next_;
  size_t saved_ = 0;
};

/// The recorded exchanges of a folder, matched to new requests. Thread-safe.
class Replay {
 public:
  /// Reads every `*.json` of `dir` in name order; a file that is not an exchange is an error.
  static Result<std::unique_ptr<Replay>> Load(const FileSystem& fs, const std::string& dir);
  /// Builds from exchanges in recorded order (tests).
  explicit Replay(std::vector<Exchange> exchanges);

  /// The exchange that answers a request (its query and body masked as recorded): among those
  /// with the same method, path and query, the first not yet used whose body is the same, else
  /// the same but for its digits (a timestamp, a counter), else any; once all are used, the last
  /// again. None when none has that method, path and query, even with the values learned below.
  ///
  /// Values a client makes up afresh each run (a random tag, a timestamp) differ from the
  /// recorded ones. Where a matched request's JSON body holds a string of 8 characters or more
  /// that differs from the recorded one at the same place, the pair is learned: a later request
  /// whose path or query carries the new value finds the exchange recorded with the old one, and
  /// every answer shows the new value where the recording has the old, as the real API would
  /// have echoed what this client sent.
  std::optional<Exchange> Match(std::string_view method, std::string_view path,
                                std::string_view query, std::string_view body);
  size_t size() const { return exchanges_.size(); }

 private:
  std::vector<Exchange> exchanges_;
  std::unordered_map<std::string, std::vector<size_t>> by_key_;
  std::vector<bool> used_;
  /// (this run's value, the recorded one), in the order learned; under mutex_.
  std::vector<std::pair<std::string, std::string>> learned_;
  std::mutex mutex_;

  const std::vector<size_t>* Candidates(std::string_view method, std::string_view path,
                                        std::string_view query) const;
  void Learn(std::string_view recorded_body, std::string_view body);
};

}  // namespace verity::mock
