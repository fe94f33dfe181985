// Construction: reading every operation once into a Route and grouping the store's collections.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "base/strings.h"
#include "expr/template.h"
#include "mock/responder_internal.h"
#include "spec/sample.h"

namespace verity::mock {
namespace {

bool IsThreeDigit2xx(const std::string& code) {
  return code.size() == 3 && code[0] == '2' && std::isdigit(static_cast<unsigned char>(code[1])) &&
         std::isdigit(static_cast<unsigned char>(code[2]));
}

// The lowest documented 2xx; a create answers 201 when the spec says it can.
int SuccessStatus(const spec::Operation& operation, OpKind kind) {
  int lowest = 0;
  bool has_201 = false;
  for (const spec::Response& response : operation.responses) {
    if (!IsThreeDigit2xx(response.status)) continue;
    int code = std::stoi(response.status);
    has_201 |= code == 201;
    if (lowest == 0 || code < lowest) lowest = code;
  }
  if (kind == OpKind::kCreate && has_201) return 201;
  if (lowest != 0) return lowest;
  return kind == OpKind::kCreate ? 201 : 200;
}

int ErrorStatus(const spec::Operation& operation) {
  bool has_400 = false, has_422 = false;
  for (const spec::Response& response : operation.responses) {
    has_400 |= response.status == "400";
    has_422 |= response.status == "422";
  }
  return has_422 && !has_400 ? 422 : 400;
}

bool LooksLikeUuid(const std::string& s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

// The member an item is known by when its schema shows none: the one its path parameter names
// (`{uid}`), else what a parameter such as `{client_uid}` or `{clientId}` implies.
std::string ImpliedIdField(const std::string& item_param) {
  std::string lower = ToLower(item_param);
  if (lower == "id" || lower == "uid") return item_param;
  if (EndsWith(lower, "_uid") || EndsWith(lower, "uid")) return "uid";
  return "id";
}

// Whether an item path names its item by another resource's id (`/reviews_settings/{business_uid}`,
// the settings of a business): one item per owner, which exists as soon as the owner does.
bool KeyedByOwner(const std::string& item_param, const std::string& singular) {
  std::string lower = ToLower(item_param);
  if (lower == "id" || lower == "uid") return false;
  std::string owner;
  for (std::string_view suffix : {"_uid", "_id", "uid", "id"}) {
    if (lower.size() > suffix.size() && EndsWith(lower, suffix)) {
      owner = lower.substr(0, lower.size() - suffix.size());
      break;
    }
  }
  if (owner.empty()) return false;
  std::string own = ToLower(singular);
  // `{client_id}` of /clients, `{silenceID}` of /silence, `{note_id}` of /client_notes.
  return owner != own && !EndsWith(own, "_" + owner) && !EndsWith(owner, "_" + own);
}

bool IsItemKind(OpKind kind) {
  return kind == OpKind::kRead || kind == OpKind::kReplace || kind == OpKind::kMerge ||
         kind == OpKind::kDelete;
}

// The members of `item` that `resource` has with the same type: what a seed item takes from a
// varied list item without leaving the shape the collection's template has.
Json SameShapedMembers(const Json& item, const Json& resource) {
  Json out = Json::object();
  if (!item.is_object() || !resource.is_object()) return out;
  for (const auto& [key, value] : item.items()) {
    auto it = resource.find(key);
    if (it != resource.end() && it->type() == value.type()) out[key] = value;
  }
  return out;
}

// An API may spell its item path in the singular beside a plural collection (`POST /silences`,
// `GET /silence/{silenceID}`): one resource behind both, or what a create made could never be
// read back, and the ids the list hands out would not fit the item path's parameter.
// (A template: the routes are the responder's own type.)
template <typename RouteT>
void JoinSingularItemPaths(std::map<std::string, std::vector<RouteT*>>& groups) {
  auto items_only = [](const std::vector<RouteT*>& group) {
    return std::all_of(group.begin(), group.end(), [](const RouteT* r) {
      return r->plan.kind == OpKind::kRead || r->plan.kind == OpKind::kReplace ||
             r->plan.kind == OpKind::kMerge || r->plan.kind == OpKind::kDelete;
    });
  };
  for (auto it = groups.begin(); it != groups.end();) {
    size_t slash = it->first.rfind('/');
    std::string prefix = it->first.substr(0, slash + 1);
    std::string_view singular = std::string_view(it->first).substr(slash + 1);
    auto target = groups.end();
    if (items_only(it->second) && !singular.empty() && singular != "{}") {
      for (auto other = groups.lower_bound(prefix);
           other != groups.end() && other->first.starts_with(prefix); ++other) {
        std::string_view plural = std::string_view(other->first).substr(prefix.size());
        if (plural.find('/') == std::string_view::npos && plural != singular &&
            Singular(plural) == singular && !items_only(other->second)) {
          target = other;
          break;
        }
      }
    }
    if (target == groups.end()) {
      ++it;
      continue;
    }
    for (RouteT* route : it->second) route->plan.collection = target->first;
    target->second.insert(target->second.end(), it->second.begin(), it->second.end());
    it = groups.erase(it);
  }
}

// A POST to a path in the singular that nothing lists, reads or deletes is a call, not a create:
// an RPC-style API (`POST /v3/kv/put`, `POST /v3/kv/range`) names a verb in every path, where a
// create-only collection has a plural name (`POST /refunds`, whose answer shows what was sent,
// from the store). Stored, each call would
// make a resource no other operation can see, and its answer would echo the request as if it
// were one; left out of the store, it answers its example or a generated body, and what it means
// is the rules' and the recordings' to say.
template <typename RouteT>
void LeaveCallsOutOfTheStore(std::map<std::string, std::vector<RouteT*>>& groups) {
  for (auto it = groups.begin(); it != groups.end();) {
    std::string_view last = std::string_view(it->first).substr(it->first.rfind('/') + 1);
    bool calls = Singular(last) == last &&
                 std::all_of(it->second.begin(), it->second.end(),
                             [](const RouteT* r) { return r->plan.kind == OpKind::kCreate; });
    if (!calls) {
      ++it;
      continue;
    }
    for (RouteT* route : it->second) {
      route->plan.kind = OpKind::kOther;
      route->plan.collection.clear();
    }
    it = groups.erase(it);
  }
}

}  // namespace

bool Responder::ServesBetter(const Route& later, const Route& first) {
  if (later.has_body != first.has_body) return later.has_body;
  return later.body_whole && !first.body_whole;
}

Responder::Responder(spec::Catalog& catalog, ResponderOptions options)
    : catalog_(catalog),
      options_(options),
      store_(options.seed),
      request_validators_(catalog.specs(),
                          [] {
                            spec::ValidationOptions o;
                            o.direction = spec::Direction::kRequest;
                            o.undocumented_fields = false;
                            return o;
                          }()),
      response_validators_(catalog.specs(), spec::ValidationOptions{}),
      credential_names_(CredentialNamesOf(catalog)) {
  for (const spec::Operation& operation : catalog_.operations()) Prepare(operation);
  BuildCollections();
  AttachAnswerHints();
}

void Responder::AttachAnswerHints() {
  size_t unmatched = 0;
  for (const AnswerHint& hint : options_.answer_hints) {
    // A filter or a wildcard names no one place to answer at.
    std::optional<HintPath> path = ParseHintPath(hint.jsonpath);
    if (!path) continue;
    // The step's placeholders stand for any value of the operation's parameters.
    std::string concrete;
    size_t at = 0;
    for (const expr::PlaceholderSpan& span : expr::ScanPlaceholders(hint.path)) {
      if (!span.terminated) break;
      concrete += hint.path.substr(at, span.begin - at) + "hint";
      at = span.end;
    }
    concrete += hint.path.substr(at);
    Located located = Locate(hint.method, concrete);
    auto route = std::find_if(routes_.begin(), routes_.end(),
                              [&](const auto& r) { return r.get() == located.route; });
    if (route == routes_.end()) {
      ++unmatched;
      continue;
    }
    std::vector<HintPath>& hints = (*route)->hints;
    bool known = std::any_of(hints.begin(), hints.end(),
                             [&](const HintPath& h) { return h.segments == path->segments; });
    if (!known) hints.push_back(std::move(*path));
  }
  if (unmatched > 0) {
    notes_.push_back(
        fmt::format("knowledge base: {} extracts of verified recipes name no "
                    "operation of the specs",
                    unmatched));
  }
}

Responder::~Responder() = default;

void Responder::Prepare(const spec::Operation& operation) {
  auto route = std::make_unique<Route>();
  route->operation = &operation;
  route->path = spec::PathTemplate::Parse(operation.path);
  for (const spec::PathTemplate::Segment& segment : route->path.segments) {
    if (segment.is_param)
      route->param_names.push_back(segment.text.substr(1, segment.text.size() - 2));
  }
  OpKind kind = ClassifyOperation(operation.method, route->path);
  route->plan.kind = kind;
  route->plan.status = SuccessStatus(operation, kind);
  route->error_status = ErrorStatus(operation);
  route->error_shape =
      DocumentedErrorShape(catalog_.specs(), response_validators_, operation, route->error_status);
  for (const spec::SecurityAlternative& alternative : operation.auth.alternatives) {
    for (const spec::SecurityUse& use : alternative) {
      if (!use.scheme || use.scheme->kind != spec::SecurityKind::kApiKey ||
          use.scheme->in != "query")
        continue;
      if (std::find(query_credentials_.begin(), query_credentials_.end(), use.scheme->param_name) ==
          query_credentials_.end())
        query_credentials_.push_back(use.scheme->param_name);
    }
  }
  route->checks_security =
      options_.check_security && operation.auth.declared && !operation.auth.AllowsAnonymous();
  if (route->checks_security) {
    route->unauthorized_shape =
        DocumentedErrorShape(catalog_.specs(), response_validators_, operation, 401);
  }
  // Found on every operation that names a resource: an unknown id answers as the spec says.
  if (!route->param_names.empty())
    route->not_found_shape =
        DocumentedErrorShape(catalog_.specs(), response_validators_, operation, 404);
  route->request = ReadRequestShape(operation);
  if (kind != OpKind::kOther) route->plan.collection = CollectionShape(route->path, kind);

  const spec::Response* response = operation.FindResponse(route->plan.status);
  const spec::MediaSchema* media = response ? response->JsonMedia() : nullptr;
  if (media && route->plan.status != 204) {
    route->response_schema = media->schema;
    // The spec's own example reads best, but only a valid one: a mock that answers what the
    // spec forbids would teach recipes the wrong thing.
    if (media->example) {
      bool valid = true;
      if (media->schema) {
        ValidatorPool::Lease validator = response_validators_.Acquire();
        valid = validator->Validate(media->schema, *media->example.node).valid();
      }
      if (valid) {
        route->response = *media->example.node;
        route->has_body = true;
        route->plan.from_example = true;
        route->body_whole = true;
      }
    }
    if (!route->has_body && media->schema) {
      spec::SampleOptions sample;
      sample.all_properties = true;
      sample.max_nodes = 200'000;
      std::vector<std::string> sample_notes;
      sample.notes = &sample_notes;
      Result<Json> value = spec::SampleValue(catalog_.specs(), media->schema, sample);
      // Every note the sampler leaves (a `$ref` it could not follow, a branch it could not
      // fill) is a hole in the body.
      route->body_whole = value.ok() && sample_notes.empty();
      for (const std::string& note : sample_notes) {
        // A `$ref` that cannot be followed (outside the spec root, dangling) leaves a hole in
        // every body served for the operation: the operator is told which and why. Remote refs
        // are common (specs published with URLs) and summed up once by the service instead.
        if (note.find("$ref '") != std::string::npos && !note.starts_with(spec::kRefRemote)) {
          notes_.push_back(fmt::format("{}: response body incomplete: {}", operation.Key(), note));
        }
      }
      if (value.ok()) {
        route->response = std::move(value).value();
        route->has_body = true;
      } else {
        notes_.push_back(
            fmt::format("{}: no response body: {}", operation.Key(), value.status().message()));
      }
    }
    if (route->has_body) route->response_text = Serialize(route->response);
  }
  by_operation_.emplace(&operation, routes_.size());
  // A legacy spec often lists an operation without documenting its answer while its successor
  // documents it: the one that has a body to answer with serves it (a recipe extracting from an
  // empty 200 would fail on the mock and pass on the API). Likewise a spec whose answer refers to
  // schemas published elsewhere (remote `$ref`s, a hole in every body) yields to a copy of the
  // operation whose schemas are all at hand, such as a bundled, self-contained edition.
  index_.Add(route->path, operation.method, routes_.size(),
             [&](size_t first) { return ServesBetter(*route, *routes_[first]); });
  routes_.push_back(std::move(route));
}

std::vector<Json> Responder::SeedVariants(const std::vector<Route*>& group, const Json& resource) {
  std::vector<Json> variants;
  size_t count = std::max<size_t>(options_.seed_items, 1);
  for (const Route* route : group) {
    if (route->plan.kind != OpKind::kList || !route->slot || !route->slot->list) continue;
    // The spec's example list, when it shows several items, is the best source; else a sampled
    // list whose every item has its own values.
    Json list = route->response;
    if (!route->plan.from_example || SlotItems(list, *route->slot).size() < 2) {
      if (!route->response_schema) continue;
      spec::SampleOptions sample;
      sample.all_properties = true;
      sample.vary_items = true;
      sample.array_items = count;
      sample.max_nodes = 200'000;
      Result<Json> value = spec::SampleValue(catalog_.specs(), route->response_schema, sample);
      if (!value.ok()) continue;
      list = std::move(value).value();
    }
    for (const Json& item : SlotItems(list, *route->slot)) {
      Json variant = SameShapedMembers(item, resource);
      if (!variant.empty()) variants.push_back(std::move(variant));
    }
    if (variants.size() >= 2) break;
    variants.clear();
  }
  return variants;
}

void Responder::BuildCollections() {
  std::map<std::string, std::vector<Route*>> groups;
  for (const auto& route : routes_) {
    if (route->plan.kind != OpKind::kOther) groups[route->plan.collection].push_back(route.get());
  }
  JoinSingularItemPaths(groups);
  LeaveCallsOutOfTheStore(groups);
  // Which operation's resource becomes the collection's: the read's is the fullest, unless it
  // is empty (an example that only says where the resource goes) and another shows members.
  static constexpr OpKind kPreference[] = {OpKind::kRead,    OpKind::kCreate, OpKind::kList,
                                           OpKind::kReplace, OpKind::kMerge,  OpKind::kDelete};
  for (auto& [shape, group] : groups) {
    SlotHints hints;
    spec::PathTemplate shape_path = spec::PathTemplate::Parse(shape);
    for (auto it = shape_path.segments.rbegin(); it != shape_path.segments.rend(); ++it) {
      if (it->text != "{}") {
        hints.plural = it->text;
        break;
      }
    }
    hints.singular = Singular(hints.plural);
    std::string item_param;
    spec::SchemaRef item_param_schema;
    const Route* create = nullptr;
    for (const Route* route : group) {
      if (IsItemKind(route->plan.kind) && item_param.empty()) {
        item_param = route->param_names.back();
        for (const ParamSpec& param : route->request.params) {
          if (param.in_path && param.name == item_param) item_param_schema = param.schema;
        }
      }
      if (route->plan.kind == OpKind::kCreate && !create) create = route;
    }
    Json create_body = Json::object();
    if (create && create->request.body_schema) {
      spec::SampleOptions sample;
      sample.direction = spec::Direction::kRequest;
      sample.all_properties = true;
      sample.max_nodes = 200'000;
      Result<Json> value = spec::SampleValue(catalog_.specs(), create->request.body_schema, sample);
      if (value.ok() && value->is_object()) create_body = std::move(value).value();
    }
    for (const auto& [key, value] : create_body.items()) hints.fields.push_back(key);
    hints.id_field = item_param.empty() ? "id" : item_param;

    for (Route* route : group) {
      if (!route->has_body) continue;
      route->slot = FindSlot(route->response, route->plan.kind == OpKind::kList, hints);
      if (!route->slot) continue;
      route->slot_item = SlotItem(route->response, *route->slot);
      if (!item_param.empty() && route->slot_item.is_object() &&
          route->slot_item.contains(item_param))
        route->id_alias = item_param;
      route->plan.slot = route->slot->pointer;
      route->plan.slot_found = true;
    }

    CollectionSpec collection;
    collection.key = shape;
    collection.seed_items = options_.seed_items;
    bool found = false;
    for (bool empty_too : {false, true}) {
      for (OpKind kind : kPreference) {
        for (const Route* route : group) {
          if (route->plan.kind == kind && route->slot && route->slot_item.is_object() &&
              (empty_too || !route->slot_item.empty())) {
            collection.resource = route->slot_item;
            found = true;
            break;
          }
        }
        if (found) break;
      }
      if (found) break;
    }
    if (!found) collection.resource = create_body;
    collection.seed_variants = SeedVariants(group, collection.resource);
    const Json& resource = collection.resource;
    for (const std::string& candidate : {item_param, std::string("id"), std::string("uid"),
                                         hints.singular + "_id", hints.singular + "_uid"}) {
      if (!candidate.empty() && resource.contains(candidate)) {
        collection.id_field = candidate;
        break;
      }
    }
    // A resource whose schema shows no id (behind a `$ref` that is never fetched, or an example
    // without one) is still addressed by its item path: its items carry the id that path implies,
    // so an item a list shows can be read back, as on the real API.
    if (collection.id_field.empty() && !item_param.empty())
      collection.id_field = ImpliedIdField(item_param);
    // The path parameter's schema says what an id must look like in a request (the mock checks
    // it), so it decides before the resource's member: a uuid there and a 16-character string in
    // the body would make every id the mock hands out one it then refuses.
    Json param_id;
    if (item_param_schema) {
      spec::SampleOptions sample;
      sample.direction = spec::Direction::kRequest;
      Result<Json> value = spec::SampleValue(catalog_.specs(), item_param_schema, sample);
      if (value.ok()) param_id = std::move(value).value();
    }
    const Json* id = param_id.is_number_integer() ||
                             (param_id.is_string() && LooksLikeUuid(param_id.get<std::string>()))
                         ? &param_id
                     : resource.is_object() && resource.contains(collection.id_field)
                         ? &resource[collection.id_field]
                         : &param_id;
    if (id->is_number_integer()) {
      collection.id_kind = IdKind::kInteger;
    } else if (id->is_string() && LooksLikeUuid(id->get<std::string>())) {
      collection.id_kind = IdKind::kUuid;
    } else if (id->is_string()) {
      collection.id_length = std::clamp<size_t>(id->get_ref<const std::string&>().size(), 6, 32);
    }
    // Only a collection whose create answer shows the new resource can hand out ids a caller
    // would use; elsewhere a made-up id must still be readable. So must an item keyed by its
    // owner's id: it came with the owner, which the mock never saw made.
    collection.strict =
        create && create->slot.has_value() && !KeyedByOwner(item_param, hints.singular);
    // An alias the collection names its ids by already is no alias.
    for (Route* route : group) {
      if (route->id_alias == collection.id_field) route->id_alias.clear();
    }
    ApplyResourceRules(group, collection, store_.collection_count());
    size_t index = store_.AddCollection(std::move(collection));
    for (Route* route : group) route->collection = index;
  }
  for (const ResourceRule& rule : options_.resources) {
    if (std::find(used_resource_rules_.begin(), used_resource_rules_.end(), &rule) !=
        used_resource_rules_.end())
      continue;
    notes_.push_back(
        fmt::format("{}:{}: resources: no collection of the specs has the path {} "
                    "(a list, create or item path as the spec spells it)",
                    rule.file, rule.line, rule.path));
  }
}

void Responder::ApplyResourceRules(const std::vector<Route*>& group, CollectionSpec& collection,
                                   size_t index) {
  for (const ResourceRule& rule : options_.resources) {
    std::string shape = spec::PathTemplate::Parse(rule.path).Shape();
    bool mine = std::any_of(group.begin(), group.end(),
                            [&](const Route* route) { return route->path.Shape() == shape; });
    if (!mine) continue;
    used_resource_rules_.push_back(&rule);
    if (!rule.on_create.is_null()) DeepMerge(collection.on_create, rule.on_create);
    if (!rule.on_delete.is_null()) DeepMerge(collection.on_delete, rule.on_delete);
    for (const QueryFilter& filter : rule.filters) rule_filters_[index].push_back(&filter);
  }
}

}  // namespace verity::mock
