// The mock's answers: given the loaded specs and a request, the response the API would give.
//
// Everything that depends only on the specs is done once, at construction: a route tree of every
// operation, what each does to the store (list, create, read, replace, merge, delete or nothing),
// the response it starts from (the spec's example when it validates, else a generated body) and
// where in it the resource goes (mock/placement.h). A request then costs a route lookup, the
// request's validation, a store operation, a copy of the template with the stored data placed in
// it, one validation of the result and its serialization; a read of unchanged data costs a cache
// lookup instead (mock/answer_cache.h).
//
// Statuses: the lowest documented 2xx (201 for a create when documented); 400 for an invalid
// request (422 when the operation documents 422 and not 400) with every issue; 404 for a path no
// operation serves and for an unknown id; 405 with Allow for a path served under other methods.
// Error bodies are `{"errors": [{"code", "message", …}]}`; request issues add `location` (body,
// query, path) and `pointer`. An invalid request's answer takes the operation's documented error
// body instead when there is one (mock/error_answer.h). With `check_security`, a request that
// carries none of the credentials its operation's `security` asks for is 401 with
// `WWW-Authenticate` before it is checked further (mock/security_check.h).
//
// Thread-safe: Respond may be called from any number of threads at once.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/json.h"
#include "http/request.h"
#include "mock/answer_cache.h"
#include "mock/answer_hints.h"
#include "mock/paging.h"
#include "mock/placement.h"
#include "mock/recording.h"
#include "mock/request_check.h"
#include "mock/resource_rules.h"
#include "mock/routes.h"
#include "mock/security_check.h"
#include "mock/store.h"
#include "net/request.h"
#include "spec/catalog.h"

namespace verity::mock {

struct MockRequest {
  std::string_view method = {};
  std::string_view path = {};  // as on the request line: a query string may follow
  /// Query parameters already decoded by the server; added to those in `path`.
  std::vector<std::pair<std::string, std::string>> query = {};
  std::string_view body = {};
  /// The request's headers, for the spec's security (mock/security_check.h).
  std::span<const net::Header> headers = {};
  /// A behaviour rule has already decided who may call (mock/rules.h `accept_tokens`): the
  /// operation's security is not checked again.
  bool caller_decided = false;
};

struct MockResponse {
  int status = 200;
  http::Headers headers = {};  // Content-Type when there is a body; Allow for a 405
  std::string body = {};
  const spec::Operation* operation = nullptr;  // null when no operation matched
  /// What a lenient responder accepted though the spec refuses it (DriftLine), credentials the
  /// request carried masked.
  std::vector<std::string> drift = {};
};

struct ResponderOptions {
  uint64_t seed = 0;      // ids and store seeding: the same seed and requests, the same answers
  size_t seed_items = 2;  // resources each collection starts with
  /// Refuse with 401 a request that carries none of the credentials its operation's `security`
  /// asks for. Off unless asked for: a caller that passes no headers (the answers' own tests, the
  /// conformance test) has nothing to show; mock::Service turns it on.
  bool check_security = false;
  /// The one value each listed scheme accepts (the rules' `credentials`); others accept any.
  AcceptedCredentials credentials = {};
  /// Serve a request the spec refuses (a missing required field, a wrong type) instead of
  /// answering 400, and say what was wrong in MockResponse::drift: a real API often accepts more
  /// than its description allows, and a mock standing in for it should too.
  bool lenient = false;
  /// Where a knowledge base's verified recipes read their answers (mock/answer_hints.h): each
  /// answer of the operation a hint names holds a value there too.
  std::vector<AnswerHint> answer_hints = {};
  /// What the rules file says of collections beyond the spec (mock/resource_rules.h).
  std::vector<ResourceRule> resources = {};
};

class Responder {
 public:
  /// `catalog` must outlive the responder and not change while it lives.
  explicit Responder(spec::Catalog& catalog, ResponderOptions options = {});
  Responder(const Responder&) = delete;
  Responder& operator=(const Responder&) = delete;
  ~Responder();

  MockResponse Respond(const MockRequest& request);

  /// What the proxy and the replay need of a request without serving it: its operation (null when
  /// none matches) and the issues request validation finds, security left to the real API.
  struct Inspection {
    const spec::Operation* operation = nullptr;
    std::vector<RequestIssue> issues;
  };
  Inspection Inspect(std::string_view method, std::string_view target, std::string_view body);

  /// The ids a collection holds now, found from one of its item paths ("/clients/anything" for
  /// the collection under "GET /clients/{id}"): a demo or a test can name a resource that exists.
  std::vector<std::string> IdsBeside(std::string_view method, std::string_view item_path);

  /// How the responder reads one operation, for tests and the server's log.
  struct OperationPlan {
    OpKind kind = OpKind::kOther;
    int status = 200;
    std::string slot;  // JSON Pointer of the resource in the response; empty with no slot
    bool slot_found = false;
    bool from_example = false;
    std::string collection;  // the collection's shape for store operations
  };
  const OperationPlan* Plan(std::string_view method, std::string_view path) const;

  /// Answers that showed the template instead of the stored data, which could not be made to
  /// conform (for the server's log and the conformance test: each one is data a caller lost).
  uint64_t template_fallbacks() const { return template_fallbacks_.load(); }

  /// What could not be prepared (a response that could not be generated), one line each.
  const std::vector<std::string>& notes() const { return notes_; }

  /// The query parameters any operation takes an API key in, for the access log to hide.
  const std::vector<std::string>& query_credentials() const { return query_credentials_; }

 private:
  struct Route;
  struct Located {
    const Route* route = nullptr;
    std::vector<std::pair<std::string, std::string>> path_values;
    std::vector<std::string> allowed;
  };
  Located Locate(std::string_view method, std::string_view path) const;
  void Prepare(const spec::Operation& operation);
  /// Of two operations with the same method and path, whether `later` should serve rather than
  /// `first`: it has a body to answer with and `first` has none, or a whole one where `first`'s
  /// has holes.
  static bool ServesBetter(const Route& later, const Route& first);
  void BuildCollections();
  /// What tells a collection's seed items apart (CollectionSpec::seed_variants).
  std::vector<Json> SeedVariants(const std::vector<Route*>& group, const Json& resource);
  using Query = std::vector<std::pair<std::string, std::string>>;
  MockResponse Serve(const Route& route, const Located& located, const Json& body,
                     const Query& query);
  /// The query parameters of a list request that name a member of its items (`?active=true`):
  /// the list answers only the items that hold the value, as the API would.
  Query ItemFilters(const Route& route, const Query& query) const;
  /// The rules' filters of the route's collection that the query gives values to.
  std::vector<AppliedFilter> RuleFilters(const Route& route, const Query& query) const;
  /// Lays the rules' `resources` over the collection made of `group` (mock/resource_rules.h).
  void ApplyResourceRules(const std::vector<Route*>& group, CollectionSpec& collection,
                          size_t index);
  /// The page a list request asks for (mock/paging.h), through the parameters it declares.
  PageRequest PageOf(const Route& route, const Query& query) const;
  /// The answer of an operation that is no store operation (a call): the template, with the
  /// members the request body names as the answer does taking the values sent.
  MockResponse CallAnswer(const Route& route, const Json& body);
  /// `fell_back` (may be null) tells whether the template was shown instead of `data`.
  /// `page` (may be null): a list's paging facts, set in the answer's paging members.
  MockResponse Body(const Route& route, int status, const Json* data, bool* fell_back = nullptr,
                    const PageFacts* page = nullptr);
  /// Ties each of options_.answer_hints to the operation its step calls.
  void AttachAnswerHints();
  /// Lays the route's hints over a success answer (mock/answer_hints.h).
  void ApplyAnswerHints(const Route& route, Json& answer) const;
  /// Gives each resource of `data` the route's id alias (Route::id_alias), from its id.
  void AddIdAlias(const Route& route, Json& data) const;

  spec::Catalog& catalog_;
  ResponderOptions options_;
  Store store_;
  ValidatorPool request_validators_;
  ValidatorPool response_validators_;
  AnswerCache answers_;
  RouteIndex index_;
  std::vector<std::unique_ptr<Route>> routes_;
  std::unordered_map<const spec::Operation*, size_t> by_operation_;
  std::vector<std::string> notes_;
  std::vector<std::string> query_credentials_;
  CredentialNames credential_names_;  // to mask what a lenient answer's drift quotes
  /// The rules' list filters by collection index; pointers into options_.resources.
  std::unordered_map<size_t, std::vector<const QueryFilter*>> rule_filters_;
  std::vector<const ResourceRule*> used_resource_rules_;  // while the collections are built
  std::atomic<uint64_t> template_fallbacks_{0};
};

/// `{"errors": [{"code": code, "message": message}]}`
std::string ErrorBody(std::string_view code, std::string_view message);

}  // namespace verity::mock
