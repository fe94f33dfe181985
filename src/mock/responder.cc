// Serving: locating the route, checking the request, acting on the store and shaping the answer.
#include "mock/responder.h"

#include <fmt/format.h>

#include "base/strings.h"
#include "mock/responder_internal.h"
#include "mock/security_check.h"

namespace verity::mock {
namespace {

const char kJson[] = "application/json";

bool IsItemKind(OpKind kind) {
  return kind == OpKind::kRead || kind == OpKind::kReplace || kind == OpKind::kMerge ||
         kind == OpKind::kDelete;
}

// The collection's bucket: the values of its own placeholders (all but an item's id).
std::string ParentKey(const std::vector<std::pair<std::string, std::string>>& values, bool item) {
  std::string key;
  size_t end = values.size() - (item && !values.empty() ? 1 : 0);
  for (size_t i = 0; i < end; ++i) {
    if (i) key += '/';
    key += values[i].second;
  }
  return key;
}

MockResponse JsonAnswer(int status, std::string body) {
  MockResponse out;
  out.status = status;
  out.headers.emplace_back("Content-Type", kJson);
  out.body = std::move(body);
  return out;
}

}  // namespace

std::string ErrorBody(std::string_view code, std::string_view message) {
  Json body = {{"errors", Json::array({Json{{"code", code}, {"message", message}}})}};
  return Serialize(body);
}

Responder::Located Responder::Locate(std::string_view method, std::string_view path) const {
  Located out;
  RouteIndex::Match match = index_.Find(method, path);
  size_t route_index = match.route;
  if (route_index == kNoRoute && !match.path_known) {
    // Placeholders inside a segment ("{id}.json") and GitHub's multi-segment refs are the
    // catalog's to match; they are rare enough for its slower lookup.
    if (const spec::Operation* op = catalog_.Find(method, path)) {
      auto it = by_operation_.find(op);
      if (it != by_operation_.end()) route_index = it->second;
    }
  }
  if (route_index == kNoRoute) {
    out.allowed = std::move(match.allowed);
    return out;
  }
  out.route = routes_[route_index].get();
  const std::vector<std::string>& names = out.route->param_names;
  if (match.route == route_index) {
    for (size_t i = 0; i < names.size() && i < match.params.size(); ++i) {
      out.path_values.emplace_back(names[i], PercentDecode(match.params[i], false));
    }
  } else {
    spec::PathTemplate concrete = spec::PathTemplate::Parse(path);
    size_t name = 0;
    const auto& segments = out.route->path.segments;
    for (size_t i = 0; i < segments.size() && i < concrete.segments.size(); ++i) {
      if (!segments[i].is_param) continue;
      out.path_values.emplace_back(names[name++], PercentDecode(concrete.segments[i].text, false));
    }
  }
  return out;
}

MockResponse Responder::Respond(const MockRequest& request) {
  std::string_view path = request.path;
  std::string_view query_text;
  if (size_t q = path.find('?'); q != std::string_view::npos) {
    query_text = path.substr(q + 1);
    path = path.substr(0, q);
  }
  if (size_t hash = query_text.find('#'); hash != std::string_view::npos) {
    query_text = query_text.substr(0, hash);
  }
  Located located = Locate(request.method, path);
  if (!located.route) {
    if (!located.allowed.empty()) {
      MockResponse out = JsonAnswer(
          405, ErrorBody("METHOD_NOT_ALLOWED", fmt::format("{} is served for {} only", path,
                                                           Join(located.allowed, ", "))));
      out.headers.emplace_back("Allow", Join(located.allowed, ", "));
      return out;
    }
    return JsonAnswer(
        404, ErrorBody("NO_OPERATION", fmt::format("no operation {} {} in the loaded specs",
                                                   ToUpper(request.method), path)));
  }
  const Route& route = *located.route;
  std::vector<std::pair<std::string, std::string>> query = ParseQuery(query_text);
  query.insert(query.end(), request.query.begin(), request.query.end());
  // A gateway asks who is calling before it reads what they sent.
  if (route.checks_security && !request.caller_decided) {
    SecurityVerdict verdict =
        CheckSecurity(route.operation->auth, request.headers, query, &options_.credentials);
    if (!verdict.admitted) {
      Json body = ErrorAnswerBody(route.unauthorized_shape ? &*route.unauthorized_shape : nullptr,
                                  response_validators_, verdict.issues);
      MockResponse out = JsonAnswer(401, Serialize(body));
      for (std::string& challenge : verdict.challenges)
        out.headers.emplace_back("WWW-Authenticate", std::move(challenge));
      out.operation = route.operation;
      return out;
    }
  }
  CheckedRequest checked = CheckRequest(catalog_.specs(), request_validators_, route.request,
                                        located.path_values, query, request.body);
  if (!checked.issues.empty() && options_.lenient) {
    MockResponse out = Serve(route, located, checked.body, query);
    out.operation = route.operation;
    http::SecretRedactor secrets = RequestSecrets(request.headers, query_text, credential_names_);
    for (const RequestIssue& issue : checked.issues)
      out.drift.push_back(MaskText(DriftLine(route.operation->Key(), issue), secrets));
    return out;
  }
  if (!checked.issues.empty()) {
    Json body = ErrorAnswerBody(route.error_shape ? &*route.error_shape : nullptr,
                                response_validators_, checked.issues);
    MockResponse out = JsonAnswer(route.error_status, Serialize(body));
    out.operation = route.operation;
    return out;
  }
  MockResponse out = Serve(route, located, checked.body, query);
  out.operation = route.operation;
  return out;
}

Responder::Inspection Responder::Inspect(std::string_view method, std::string_view target,
                                         std::string_view body) {
  Inspection out;
  size_t question = target.find('?');
  std::string_view path = target.substr(0, question);
  std::string_view query_text =
      question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
  query_text = query_text.substr(0, query_text.find('#'));
  Located located = Locate(method, path);
  if (!located.route) return out;
  out.operation = located.route->operation;
  out.issues = CheckRequest(catalog_.specs(), request_validators_, located.route->request,
                            located.path_values, ParseQuery(query_text), body)
                   .issues;
  return out;
}

namespace {

// (A template: the route is the responder's own type.)
template <typename RouteT>
bool DeclaresQueryParameter(const RouteT& route, const std::string& name) {
  for (const ParamSpec& param : route.request.params) {
    if (!param.in_path && param.name == name) return true;
  }
  return false;
}

}  // namespace

Responder::Query Responder::ItemFilters(const Route& route, const Query& query) const {
  Query filters;
  const Json& resource = store_.collection(route.collection).resource;
  if (!resource.is_object()) return filters;
  for (const auto& [name, value] : query) {
    auto member = resource.find(name);
    if (member == resource.end() || member->is_structured() || member->is_null()) continue;
    if (DeclaresQueryParameter(route, name)) filters.emplace_back(name, value);
  }
  return filters;
}

std::vector<AppliedFilter> Responder::RuleFilters(const Route& route, const Query& query) const {
  std::vector<AppliedFilter> applied;
  auto filters = rule_filters_.find(route.collection);
  if (filters == rule_filters_.end()) return applied;
  for (const QueryFilter* filter : filters->second) {
    AppliedFilter one{filter, {}, {}};
    for (const auto& [name, value] : query) {
      if (name != filter->param) continue;
      one.values.push_back(value);
      if (std::optional<BoundFilter> bound = BindFilter(*filter, value))
        one.bound.push_back(std::move(*bound));
    }
    if (!one.values.empty()) applied.push_back(std::move(one));
  }
  return applied;
}

PageRequest Responder::PageOf(const Route& route, const Query& query) const {
  return mock::PageOf(query,
                      [&](const std::string& name) { return DeclaresQueryParameter(route, name); });
}

namespace {

// Whether the item's member holds the filter's value, or one of its comma-separated values.
bool Holds(const Json& item, const std::string& name, std::string_view wanted) {
  auto member = item.find(name);
  if (member == item.end()) return false;
  std::string text = member->is_string() ? member->get<std::string>() : member->dump();
  for (std::string_view part : Split(wanted, ',')) {
    if (part == text || (member->is_boolean() && ToLower(part) == text)) return true;
  }
  return false;
}

// Whether the item holds every value of every filter of the rules.
bool RuleFiltersHold(const std::vector<AppliedFilter>& applied, const Json& item) {
  for (const AppliedFilter& one : applied) {
    for (const BoundFilter& bound : one.bound) {
      if (!FilterHolds(bound, item)) return false;
    }
  }
  return true;
}

}  // namespace

MockResponse Responder::Serve(const Route& route, const Located& located, const Json& body,
                              const Query& query) {
  OpKind kind = route.plan.kind;
  if (kind == OpKind::kOther || route.collection == kNoRoute) return CallAnswer(route, body);
  Query filters = kind == OpKind::kList ? ItemFilters(route, query) : Query();
  std::vector<AppliedFilter> rule_filters =
      kind == OpKind::kList ? RuleFilters(route, query) : std::vector<AppliedFilter>();
  PageRequest page = kind == OpKind::kList ? PageOf(route, query) : PageRequest();
  std::string parent = ParentKey(located.path_values, IsItemKind(kind));
  std::string id = IsItemKind(kind) && !located.path_values.empty()
                       ? located.path_values.back().second
                       : std::string();
  // Read before the store is: a change made meanwhile then only makes the cached answer unused.
  const uint64_t version = store_.version();
  std::string cache_key;
  if ((kind == OpKind::kList || kind == OpKind::kRead) && route.has_body && route.slot) {
    cache_key = fmt::format("{}\n{}\n{}", static_cast<const void*>(&route), parent, id);
    for (const auto& [name, value] : filters) cache_key += fmt::format("\n{}={}", name, value);
    for (const AppliedFilter& applied : rule_filters) {
      for (const std::string& value : applied.values)
        cache_key += fmt::format("\n~{}={}", applied.filter->param, value);
    }
    if (page.paged())
      cache_key += fmt::format("\n#{}/{}/{}", page.skip, page.size, page.after.value_or(""));
    if (auto cached = answers_.Find(cache_key, version)) {
      return JsonAnswer(route.plan.status, *cached);
    }
  }
  auto answer = [&](Json data, const PageFacts* facts = nullptr) {
    AddIdAlias(route, data);
    bool fell_back = false;
    MockResponse out = Body(route, route.plan.status, &data, &fell_back, facts);
    if (!cache_key.empty() && !fell_back) answers_.Put(cache_key, version, out.body);
    return out;
  };
  static const Json kEmpty = Json::object();
  const Json& patch = body.is_object() ? body : kEmpty;
  Result<StoredItem> item = Status::NotFound("");
  switch (kind) {
    case OpKind::kList: {
      Json items = Json::array();
      PageFacts facts;
      bool started = !page.after;  // a cursor: the page starts after the item it names
      std::string last_id;
      for (StoredItem& stored : store_.List(route.collection, parent)) {
        bool kept = std::all_of(filters.begin(), filters.end(), [&](const auto& filter) {
          return Holds(stored.value, filter.first, filter.second);
        });
        if (!kept || !RuleFiltersHold(rule_filters, stored.value)) continue;
        ++facts.total;
        if (!started) {
          started = stored.id == *page.after;
          continue;
        }
        if (page.skip > 0) {
          --page.skip;
          continue;
        }
        if (items.size() >= page.size) {
          facts.next_cursor = last_id;  // more follow
          continue;
        }
        last_id = stored.id;
        items.push_back(std::move(stored.value));
      }
      return answer(std::move(items), &facts);
    }
    case OpKind::kCreate: {
      // A body that is an array of resources (`POST /alerts` with `[{…}, {…}]`) makes each.
      if (!body.is_array()) {
        item = store_.Create(route.collection, parent, patch);
        break;
      }
      Json made = Json::array();
      for (const Json& one : body) {
        if (one.is_object()) made.push_back(store_.Create(route.collection, parent, one).value);
      }
      if (route.slot && route.slot->list) return answer(std::move(made));
      if (made.empty()) return Body(route, route.plan.status, nullptr);
      return answer(made.front());
    }
    case OpKind::kRead:
      item = store_.Get(route.collection, parent, id);
      break;
    case OpKind::kReplace:
      item = store_.Replace(route.collection, parent, id, patch);
      break;
    case OpKind::kMerge:
      item = store_.Merge(route.collection, parent, id, patch);
      break;
    case OpKind::kDelete:
      item = store_.Delete(route.collection, parent, id);
      break;
    case OpKind::kOther:
      break;
  }
  if (!item.ok()) {
    if (!route.not_found_shape)
      return JsonAnswer(404, ErrorBody("NOT_FOUND", item.status().message()));
    std::string param = route.param_names.empty() ? "" : "/" + route.param_names.back();
    RequestIssue issue{"path", param, "NOT_FOUND", item.status().message()};
    return JsonAnswer(
        404, Serialize(ErrorAnswerBody(&*route.not_found_shape, response_validators_, {issue})));
  }
  return answer(std::move(item->value));
}

void Responder::AddIdAlias(const Route& route, Json& data) const {
  if (route.id_alias.empty()) return;
  const std::string& id_field = store_.collection(route.collection).id_field;
  auto add = [&](Json& item) {
    if (item.is_object() && item.contains(id_field) && !item.contains(route.id_alias))
      item[route.id_alias] = item[id_field];
  };
  if (!data.is_array()) return add(data);
  for (Json& item : data) add(item);
}

namespace {

bool SameKind(const Json& a, const Json& b) {
  return (a.is_string() && b.is_string()) || (a.is_number() && b.is_number()) ||
         (a.is_boolean() && b.is_boolean());
}

}  // namespace

MockResponse Responder::CallAnswer(const Route& route, const Json& body) {
  if (!body.is_object() || !route.response.is_object() || !route.response_schema)
    return Body(route, route.plan.status, nullptr);
  // An RPC answer names what it was asked with as the request did (the TTL a lease was granted
  // for, the name of what was added): those members carry the values sent, where they are of the
  // same kind; what the schema then refuses (an enum, a format) goes back to the template's.
  Json answer = route.response;
  bool echoed = false;
  for (const auto& [name, value] : body.items()) {
    auto member = answer.find(name);
    if (member == answer.end() || !SameKind(*member, value) || *member == value) continue;
    *member = value;
    echoed = true;
  }
  if (!echoed) return Body(route, route.plan.status, nullptr);
  MockResponse out;
  out.status = route.plan.status;
  out.headers.emplace_back("Content-Type", kJson);
  bool template_shown = false;
  Json placed = PlaceAndConform(route.response, Slot{}, std::move(answer), route.response,
                                route.response_schema, response_validators_, &template_shown);
  ApplyAnswerHints(route, placed);
  out.body = Serialize(placed);
  return out;
}

void Responder::ApplyAnswerHints(const Route& route, Json& answer) const {
  if (route.hints.empty() || route.plan.status >= 300) return;
  std::string list = route.slot && route.slot->list ? route.slot->pointer : std::string();
  for (const HintPath& hint : route.hints) Materialize(answer, hint, list);
}

MockResponse Responder::Body(const Route& route, int status, const Json* data, bool* fell_back,
                             const PageFacts* page) {
  MockResponse out;
  out.status = status;
  if (!route.has_body) return out;
  out.headers.emplace_back("Content-Type", kJson);
  if (data && route.slot) {
    bool template_shown = false;
    Json placed = PlaceAndConform(route.response, *route.slot, *data, route.slot_item,
                                  route.response_schema, response_validators_, &template_shown);
    if (page != nullptr && !template_shown) DescribePage(placed, route.slot->pointer, *page);
    ApplyAnswerHints(route, placed);
    out.body = Serialize(placed);
    if (template_shown) template_fallbacks_.fetch_add(1, std::memory_order_relaxed);
    if (fell_back != nullptr) *fell_back = template_shown;
  } else if (!route.hints.empty()) {
    Json answer = route.response;
    ApplyAnswerHints(route, answer);
    out.body = Serialize(answer);
  } else {
    out.body = route.response_text;
  }
  return out;
}

std::vector<std::string> Responder::IdsBeside(std::string_view method, std::string_view item_path) {
  Located located = Locate(method, item_path);
  std::vector<std::string> ids;
  if (!located.route || !IsItemKind(located.route->plan.kind) ||
      located.route->collection == kNoRoute) {
    return ids;
  }
  for (const StoredItem& item :
       store_.List(located.route->collection, ParentKey(located.path_values, true))) {
    ids.push_back(item.id);
  }
  return ids;
}

const Responder::OperationPlan* Responder::Plan(std::string_view method,
                                                std::string_view path) const {
  Located located = Locate(method, spec::StripQuery(path));
  return located.route ? &located.route->plan : nullptr;
}

}  // namespace verity::mock
