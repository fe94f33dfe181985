#include "mock/recording.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/strings.h"
#include "expr/filters.h"
#include "mock/request_check.h"
#include "mock/security_check.h"

namespace verity::mock {
namespace {

// RFC 6750's b64token characters: what may follow "Bearer ".
bool IsTokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' ||
         c == '~' || c == '+' || c == '/' || c == '=';
}

bool IsBase64UrlChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
}

// Whether what follows "Bearer " is a credential rather than prose ("Bearer authentication"): a
// token has digits, or is longer than words are.
bool LooksLikeToken(std::string_view word) {
  bool digit = std::any_of(word.begin(), word.end(),
                           [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  return (word.size() >= 8 && digit) || word.size() >= 20;
}

// The end of a JWT starting at `at` ("eyJ" header, '.', payload, '.', signature), or `at` when
// the text there is not one.
size_t JwtEnd(std::string_view text, size_t at) {
  size_t i = at;
  for (int part = 0; part < 3; ++part) {
    size_t start = i;
    while (i < text.size() && IsBase64UrlChar(text[i])) ++i;
    if (part < 2 && (i == start || i >= text.size() || text[i] != '.')) return at;
    if (part < 2) ++i;
  }
  return i;
}

// The text with every run of digits written "0": two bodies that differ only in their timestamps
// are the same request sent at another time.
std::string WithoutDigits(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    bool digit = std::isdigit(static_cast<unsigned char>(text[i]));
    if (!digit || i == 0 || !std::isdigit(static_cast<unsigned char>(text[i - 1])))
      out.push_back(digit ? '0' : text[i]);
  }
  return out;
}

std::string Key(std::string_view method, std::string_view path, std::string_view query) {
  return fmt::format("{} {}?{}", method, path, query);
}

// The credential part of an Authorization value: what follows the scheme, or all of it.
std::string_view Credential(std::string_view value) {
  value = Trim(value);
  size_t space = value.find(' ');
  return space == std::string_view::npos ? value : Trim(value.substr(space + 1));
}

}  // namespace

CredentialNames CredentialNamesOf(const spec::Catalog& catalog) {
  CredentialNames names{.headers = {"X-Api-Key", "X-Auth-Token"}, .query = {}};
  for (std::string_view name : kConventionalCredentialParams) names.query.emplace_back(name);
  auto add = [](std::vector<std::string>& list, const std::string& name) {
    if (!name.empty() && std::find(list.begin(), list.end(), name) == list.end())
      list.push_back(name);
  };
  for (const spec::Operation& operation : catalog.operations()) {
    for (const spec::SecurityAlternative& alternative : operation.auth.alternatives) {
      for (const spec::SecurityUse& use : alternative) {
        if (!use.scheme || use.scheme->kind != spec::SecurityKind::kApiKey) continue;
        if (use.scheme->in == "header") add(names.headers, use.scheme->param_name);
        if (use.scheme->in == "query") add(names.query, use.scheme->param_name);
      }
    }
  }
  return names;
}

http::SecretRedactor RequestSecrets(std::span<const net::Header> headers, std::string_view query,
                                    const CredentialNames& names) {
  http::SecretRedactor secrets;
  for (const net::Header& header : headers) {
    if (IEquals(header.name, "Authorization") || IEquals(header.name, "Proxy-Authorization")) {
      secrets.Add(Credential(header.value));
    } else if (IEquals(header.name, "Cookie")) {
      for (std::string_view rest = header.value; !rest.empty();) {
        size_t semi = rest.find(';');
        std::string_view pair = rest.substr(0, semi);
        size_t equals = pair.find('=');
        if (equals != std::string_view::npos) secrets.Add(Trim(pair.substr(equals + 1)));
        rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      }
    } else {
      for (const std::string& name : names.headers)
        if (IEquals(header.name, name)) secrets.Add(Trim(header.value));
    }
  }
  for (const auto& [name, value] : ParseQuery(query)) {
    if (std::find(names.query.begin(), names.query.end(), name) != names.query.end())
      secrets.Add(value);
  }
  return secrets;
}

std::string MaskBearerLike(std::string_view text) {
  static constexpr std::string_view kBearer = "bearer ";
  static constexpr std::string_view kMask = "****";
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (text.size() - i > kBearer.size() && IEquals(text.substr(i, kBearer.size()), kBearer)) {
      size_t end = i + kBearer.size();
      while (end < text.size() && IsTokenChar(text[end])) ++end;
      if (LooksLikeToken(text.substr(i + kBearer.size(), end - i - kBearer.size()))) {
        out.append(text.substr(i, kBearer.size()));
        out.append(kMask);
        i = end;
        continue;
      }
    }
    bool word_start = i == 0 || !IsBase64UrlChar(text[i - 1]);
    if (word_start && text.compare(i, 3, "eyJ") == 0) {
      size_t end = JwtEnd(text, i);
      if (end > i) {
        out.append(kMask);
        i = end;
        continue;
      }
    }
    out.push_back(text[i++]);
  }
  return out;
}

std::string MaskText(std::string_view text, const http::SecretRedactor& secrets) {
  return MaskBearerLike(secrets.empty() ? std::string(text) : secrets.Redact(text));
}

std::string MaskQuery(std::string_view query, const http::SecretRedactor& secrets,
                      const CredentialNames& names) {
  if (query.empty()) return {};
  // RedactQuery works on a whole target; a leading '?' makes the query one.
  std::string redacted = RedactQuery(fmt::format("?{}", query), names.query).substr(1);
  return MaskText(redacted, secrets);
}

Json ExchangeToJson(const Exchange& exchange) {
  Json headers = Json::array();
  for (const auto& [name, value] : exchange.response_headers) headers.push_back({name, value});
  return Json{{"operation", exchange.operation},
              {"method", exchange.method},
              {"path", exchange.path},
              {"query", exchange.query},
              {"requestBody", exchange.request_body},
              {"status", exchange.status},
              {"responseHeaders", std::move(headers)},
              {"responseBody", exchange.response_body}};
}

Result<Exchange> ExchangeFromJson(const Json& json) {
  auto text = [&json](const char* name) -> const Json* {
    auto it = json.find(name);
    return it != json.end() && it->is_string() ? &*it : nullptr;
  };
  if (!json.is_object()) return Status::InvalidArgument("not a JSON object");
  for (const char* name : {"operation", "method", "path", "query", "requestBody", "responseBody"}) {
    if (!text(name)) return Status::InvalidArgument(fmt::format("\"{}\" is not a string", name));
  }
  auto status = json.find("status");
  if (status == json.end() || !status->is_number_integer() || *status < 100 || *status > 599)
    return Status::InvalidArgument("\"status\" is not an HTTP status");
  Exchange out{.operation = *text("operation"),
               .method = *text("method"),
               .path = *text("path"),
               .query = *text("query"),
               .request_body = *text("requestBody"),
               .status = status->get<int>(),
               .response_headers = {},
               .response_body = *text("responseBody")};
  auto headers = json.find("responseHeaders");
  if (headers == json.end() || !headers->is_array())
    return Status::InvalidArgument("\"responseHeaders\" is not an array");
  for (const Json& header : *headers) {
    if (!header.is_array() || header.size() != 2 || !header[0].is_string() ||
        !header[1].is_string())
      return Status::InvalidArgument("a response header is not a [name, value] pair");
    out.response_headers.emplace_back(header[0].get<std::string>(), header[1].get<std::string>());
  }
  return out;
}

Result<std::unique_ptr<Recorder>> Recorder::Open(FileSystem& fs, const std::string& dir) {
  if (Status made = fs.CreateDirectories(dir); !made.ok()) return made;
  Result<PathRoots> roots = PathRoots::Resolve(fs, {dir});
  if (!roots.ok()) return roots.status();
  Result<std::vector<std::string>> files = fs.ListFiles(dir);
  if (!files.ok()) return files.status();
  size_t next = 1;
  for (const std::string& file : *files) {
    std::string_view name = std::string_view(file).substr(file.rfind('/') + 1);
    size_t number = 0;
    size_t digits = 0;
    while (digits < name.size() && std::isdigit(static_cast<unsigned char>(name[digits])))
      number = number * 10 + static_cast<size_t>(name[digits++] - '0');
    if (digits > 0 && digits < 10) next = std::max(next, number + 1);
  }
  return std::unique_ptr<Recorder>(new Recorder(fs, dir, std::move(*roots), next));
}

Status Recorder::Save(const Exchange& exchange) {
  // The name holds nothing the request chose but its method, and only when it is a plain token.
  std::string method =
      std::all_of(exchange.method.begin(), exchange.method.end(),
                  [](char c) { return std::isalpha(static_cast<unsigned char>(c)); })
          ? exchange.method
          : std::string("OTHER");
  std::string text = ExchangeToJson(exchange).dump(2, ' ', false, Json::error_handler_t::replace);
  text += '\n';
  size_t number;
  {
    // Only the number is taken under the lock: the writes (a temporary file, a rename) of
    // different exchanges go on side by side.
    std::lock_guard lock(mutex_);
    number = next_++;
  }
  std::string path = JoinPath(dir_, fmt::format("{:06}-{}.json", number, method));
  Status written = fs_.WriteFileAtomicInside(path, text, roots_);
  if (!written.ok()) return written;
  std::lock_guard lock(mutex_);
  ++saved_;
  return Status::Ok();
}

size_t Recorder::saved() const {
  std::lock_guard lock(mutex_);
  return saved_;
}

Result<std::unique_ptr<Replay>> Replay::Load(const FileSystem& fs, const std::string& dir) {
  Result<PathRoots> roots = PathRoots::Resolve(fs, {dir});
  if (!roots.ok()) return roots.status();
  Result<std::vector<std::string>> files = fs.ListFiles(dir);
  if (!files.ok()) return files.status();
  std::vector<std::string> names = *files;
  std::sort(names.begin(), names.end());
  std::vector<Exchange> exchanges;
  for (const std::string& name : names) {
    if (!EndsWith(name, ".json")) continue;
    const std::string& path = name;  // ListFiles gives `dir`-prefixed paths
    Result<std::string> text = fs.ReadFileInside(path, *roots);
    if (!text.ok()) return text.status();
    Result<Json> json = ParseJson(*text);
    if (!json.ok())
      return Status::InvalidArgument(fmt::format("{}: {}", path, json.status().message()));
    Result<Exchange> exchange = ExchangeFromJson(*json);
    if (!exchange.ok())
      return Status::InvalidArgument(fmt::format("{}: {}", path, exchange.status().message()));
    exchanges.push_back(std::move(*exchange));
  }
  return std::make_unique<Replay>(std::move(exchanges));
}

Replay::Replay(std::vector<Exchange> exchanges)
    : exchanges_(std::move(exchanges)), used_(exchanges_.size(), false) {
  for (size_t i = 0; i < exchanges_.size(); ++i) {
    const Exchange& e = exchanges_[i];
    by_key_[Key(e.method, e.path, e.query)].push_back(i);
  }
}

namespace {

// Strings shorter than this are too likely to occur by chance (a state, a small count) to be
// taken for a value the client made up.
constexpr size_t kLearnedMinLength = 8;
// A bound on what a long replay learns, so a client that sends a fresh value with every request
// cannot make each lookup slower without end.
constexpr size_t kLearnedMax = 4096;

void DifferingStrings(const Json& recorded, const Json& now,
                      std::vector<std::pair<std::string, std::string>>& out) {
  if (recorded.is_string() && now.is_string()) {
    const std::string& a = recorded.get_ref<const std::string&>();
    const std::string& b = now.get_ref<const std::string&>();
    if (a != b && a.size() >= kLearnedMinLength && b.size() >= kLearnedMinLength)
      out.emplace_back(b, a);
  } else if (recorded.is_object() && now.is_object()) {
    for (const auto& [key, value] : now.items()) {
      auto it = recorded.find(key);
      if (it != recorded.end()) DifferingStrings(*it, value, out);
    }
  } else if (recorded.is_array() && now.is_array()) {
    for (size_t i = 0; i < std::min(recorded.size(), now.size()); ++i)
      DifferingStrings(recorded[i], now[i], out);
  }
}

std::string ReplaceAll(std::string text, std::string_view from, std::string_view to) {
  if (from.empty()) return text;
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

// A value as it appears inside a JSON string.
std::string JsonEscaped(const std::string& value) {
  std::string quoted = Json(value).dump();
  return quoted.substr(1, quoted.size() - 2);
}

}  // namespace

const std::vector<size_t>* Replay::Candidates(std::string_view method, std::string_view path,
                                              std::string_view query) const {
  auto it = by_key_.find(Key(method, path, query));
  if (it != by_key_.end()) return &it->second;
  if (learned_.empty()) return nullptr;
  std::string recorded_path(path), recorded_query(query);
  for (const auto& [now, recorded] : learned_) {
    recorded_path = ReplaceAll(std::move(recorded_path), now, recorded);
    recorded_query = ReplaceAll(std::move(recorded_query), now, recorded);
    recorded_path = ReplaceAll(std::move(recorded_path), expr::PercentEncode(now),
                               expr::PercentEncode(recorded));
    recorded_query = ReplaceAll(std::move(recorded_query), expr::PercentEncode(now),
                                expr::PercentEncode(recorded));
  }
  it = by_key_.find(Key(method, recorded_path, recorded_query));
  return it == by_key_.end() ? nullptr : &it->second;
}

void Replay::Learn(std::string_view recorded_body, std::string_view body) {
  if (recorded_body == body || learned_.size() >= kLearnedMax) return;
  Result<Json> recorded = ParseJson(recorded_body);
  Result<Json> now = ParseJson(body);
  if (!recorded.ok() || !now.ok()) return;
  std::vector<std::pair<std::string, std::string>> pairs;
  DifferingStrings(*recorded, *now, pairs);
  for (auto& pair : pairs) {
    bool known = std::any_of(learned_.begin(), learned_.end(),
                             [&](const auto& learned) { return learned.first == pair.first; });
    if (!known && learned_.size() < kLearnedMax) learned_.push_back(std::move(pair));
  }
}

std::optional<Exchange> Replay::Match(std::string_view method, std::string_view path,
                                      std::string_view query, std::string_view body) {
  std::lock_guard lock(mutex_);
  const std::vector<size_t>* found = Candidates(method, path, query);
  if (found == nullptr) return std::nullopt;
  const std::vector<size_t>& candidates = *found;
  // A repeated request (the same list read twice around a create) gets its answers in order.
  enum class Body { kSame, kSameButDigits, kAny };
  std::string loose_body;
  auto first_unused = [&](Body want) -> const size_t* {
    for (const size_t& index : candidates) {
      if (used_[index]) continue;
      const std::string& recorded = exchanges_[index].request_body;
      if (want == Body::kSame && recorded != body) continue;
      if (want == Body::kSameButDigits && WithoutDigits(recorded) != loose_body) continue;
      return &index;
    }
    return nullptr;
  };
  const size_t* pick = first_unused(Body::kSame);
  if (pick == nullptr) {
    loose_body = WithoutDigits(body);
    pick = first_unused(Body::kSameButDigits);
  }
  if (pick == nullptr) pick = first_unused(Body::kAny);
  size_t chosen = pick != nullptr ? *pick : candidates.back();
  used_[chosen] = true;
  Exchange answer = exchanges_[chosen];
  Learn(answer.request_body, body);
  for (const auto& [now, recorded] : learned_) {
    answer.response_body =
        ReplaceAll(std::move(answer.response_body), JsonEscaped(recorded), JsonEscaped(now));
  }
  return answer;
}

}  // namespace verity::mock
