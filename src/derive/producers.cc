// Where the values a request needs from other operations come from (derive/deriver.h): the
// configuration's producers, the list of the collection a parameter indexes, a list named after
// it, a create; and the ids a body refers to.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "base/strings.h"
#include "derive/collections.h"
#include "derive/deriver.h"
#include "spec/sample.h"

namespace verity::derive {

// The producer the configuration names for `name` or one of its aliases, its path's parameters
// from the environment; nullopt when none is named, or when its path needs a value no param
// gives (said in `tried`).
std::optional<Producer> Deriver::ConfiguredFor(const std::string& name,
                                               std::vector<std::string>* tried) const {
  for (const std::string& alias : ParameterAliases(name)) {
    auto it = options_.producers.find(alias);
    if (it == options_.producers.end()) continue;
    std::string method, path;
    if (!spec::SplitEndpoint(it->second.endpoint, &method, &path)) return std::nullopt;
    std::optional<std::string> request_path = EnvironmentPath(Segments(path));
    if (!request_path) {
      tried->push_back(
          fmt::format("the configured producer {} needs a value in its path that no param gives",
                      it->second.endpoint));
      return std::nullopt;
    }
    Producer p;
    p.endpoint = method + " " + path;
    p.path = *request_path;
    p.item_path = it->second.extract;
    p.query = it->second.query;
    p.method = method;
    const spec::Operation* op = catalog_.Find(method, path);
    if (method != "GET" && op != nullptr) p.body = RequestBody(*op);
    return p;
  }
  return std::nullopt;
}

// `candidate`, unless an earlier try showed it gives no value.
std::optional<Producer> Deriver::Unless(std::optional<Producer> candidate,
                                        std::vector<std::string>* tried) const {
  if (candidate && options_.avoid_producers.count(candidate->endpoint)) {
    tried->push_back(candidate->endpoint + " gave no value in an earlier try");
    return std::nullopt;
  }
  return candidate;
}

// The list operation of the collection the parameter indexes, when its answer shows items.
std::optional<Producer> Deriver::ListProducer(const std::string& name, const std::string& prefix,
                                              const std::vector<Segment>& segments, size_t index,
                                              std::vector<std::string>* tried) {
  if (index == 0 || !segments[index - 1].param.empty()) return std::nullopt;
  std::string collection;
  for (size_t i = 0; i < index; ++i) collection += "/" + segments[i].text;
  const spec::Operation* list = catalog_.Find("GET", collection);
  if (list == nullptr || list == &op_) {
    tried->push_back(fmt::format("no GET {}", collection));
    return std::nullopt;
  }
  return FromList(*list, prefix, name, Singular(segments[index - 1].text), tried);
}

// A collection elsewhere named after the parameter (`client_uid` → `GET …/clients`), whose own
// path needs nothing but the environment's params: the same description first, then the
// shortest path. Sets `path` to its request path.
const spec::Operation* Deriver::NamedCollection(const std::string& name,
                                                const std::vector<Segment>& segments, size_t index,
                                                std::string_view method, std::string* path) const {
  std::string base = ResourceName(name, segments, index);
  if (base.empty()) return nullptr;
  const spec::Operation* best = nullptr;
  auto consider = [&](const spec::Operation& candidate) {
    if (candidate.method != method || &candidate == &op_) return;
    std::vector<Segment> parts = Segments(candidate.path);
    if (parts.empty() || !parts.back().param.empty()) return;
    if (Singular(parts.back().text) != base && parts.back().text != base) return;
    std::optional<std::string> request_path = EnvironmentPath(parts);
    if (!request_path) return;
    bool same = candidate.file == op_.file;
    bool better = best == nullptr || same > (best->file == op_.file) ||
                  (same == (best->file == op_.file) && candidate.path.size() < best->path.size());
    if (better) {
      best = &candidate;
      *path = *request_path;
    }
  };
  if (options_.collections != nullptr) {
    for (const spec::Operation* candidate : options_.collections->Find(method, base))
      consider(*candidate);
  } else {
    for (const spec::Operation& candidate : catalog_.operations()) consider(candidate);
  }
  return best;
}

// "client" for `client_uid`, and for a bare `uid` the collection it indexes.
std::string Deriver::ResourceName(const std::string& name, const std::vector<Segment>& segments,
                                  size_t index) {
  std::string base = StripIdSuffix(name);
  if (base != name && !base.empty()) return base;
  if (index == 0 || !segments[index - 1].param.empty()) return "";
  return Singular(segments[index - 1].text);
}

std::optional<Producer> Deriver::NamedProducer(const std::string& name,
                                               const std::vector<Segment>& segments, size_t index,
                                               std::vector<std::string>* tried) {
  std::string path;
  const spec::Operation* list = NamedCollection(name, segments, index, "GET", &path);
  if (list == nullptr) {
    tried->push_back(fmt::format("no list named after `{}`", ResourceName(name, segments, index)));
    return std::nullopt;
  }
  return FromList(*list, path, name, ResourceName(name, segments, index), tried);
}

// With writes allowed: the create operation of the collection the parameter indexes, or of
// one named after it; the new resource's id comes from its answer, and it is deleted again
// in the cleanup when the spec has a DELETE for it.
std::optional<Producer> Deriver::CreateProducer(const std::string& name, const std::string& prefix,
                                                const std::vector<Segment>& segments, size_t index,
                                                std::vector<std::string>* tried) {
  const spec::Operation* create = nullptr;
  std::string path = prefix;
  if (index > 0 && segments[index - 1].param.empty()) {
    std::string collection;
    for (size_t i = 0; i < index; ++i) collection += "/" + segments[i].text;
    create = catalog_.Find("POST", collection);
    if (create == &op_) create = nullptr;
  }
  if (create == nullptr) create = NamedCollection(name, segments, index, "POST", &path);
  if (create == nullptr) {
    tried->push_back("no create operation");
    return std::nullopt;
  }
  std::string endpoint = "POST " + create->path;
  std::optional<Json> answer = DocumentedAnswer(*create, {201, 200});
  std::string singular = ResourceName(name, segments, index);
  std::optional<std::pair<std::string, std::string>> id =
      answer ? FindId(*answer, IdCandidates(name, singular)) : std::nullopt;
  if (!id) {
    // A create may answer with where the new resource is, not what it is.
    if (DocumentsHeader(*create, "Location")) {
      Producer producer{
          endpoint, path, "", "", RequiredParams(*create, "query"), "POST", RequestBody(*create),
          {}};
      producer.header = "Location";
      producer.match = kLastSegment;
      producer.cleanup = CreateCleanup(*create, path, VariableName(name), prefix, segments, index);
      return producer;
    }
    tried->push_back(endpoint + " documents no id in its answer, nor a Location header");
    return std::nullopt;
  }
  Producer producer{endpoint,
                    path,
                    id->first,
                    id->second,
                    RequiredParams(*create, "query"),
                    "POST",
                    RequestBody(*create),
                    {}};
  // The same object may hold the other spelling too.
  std::vector<std::string> others = IdCandidates(name, singular);
  std::erase(others, id->second);
  std::optional<std::pair<std::string, std::string>> other = FindId(*answer, others);
  if (other && other->first == id->first) {
    producer.other_id = other->second;
    if (options_.swap_ids.count(VariableName(name)))
      std::swap(producer.id_field, producer.other_id);
  }
  producer.cleanup = CreateCleanup(*create, path, VariableName(name), prefix, segments, index);
  return producer;
}

std::string Deriver::CreateCleanup(const spec::Operation& create, const std::string& path,
                                   const std::string& variable, const std::string& prefix,
                                   const std::vector<Segment>& segments, size_t index) const {
  std::string used;
  for (size_t i = 0; i <= index && i < segments.size(); ++i) used += "/" + segments[i].text;
  std::string item_path = "/{{" + variable + "}}";
  if (!used.empty() && catalog_.Find("DELETE", used) != nullptr) return prefix + item_path;
  std::string item = create.path + "/{";
  for (const spec::Operation& candidate : catalog_.operations()) {
    if (candidate.method == "DELETE" && candidate.path.starts_with(item) &&
        candidate.path.back() == '}' && candidate.path.find('/', item.size()) == std::string::npos)
      return path + item_path;
  }
  return "";
}

std::optional<Producer> Deriver::LinkProducer(const std::string& name, const std::string& prefix,
                                              const std::vector<Segment>& segments, size_t index,
                                              bool creates_only, std::vector<std::string>* tried) {
  const LinkIndex* links = options_.links;
  if (links == nullptr) {
    if (!own_links_) own_links_.emplace(catalog_);
    links = &*own_links_;
  }
  for (const LinkedValue& linked : links->To(op_, name)) {
    const spec::Operation& source = *linked.source;
    if (&source == &op_ || (creates_only && source.method != "POST")) continue;
    std::string from = fmt::format("the link `{}` from {}", linked.link, source.Key());
    bool writes = source.method != "GET";
    if (writes && !options_.allow_writes) {
      tried->push_back(from + " (a write, and writes are not allowed)");
      continue;
    }
    // `$response.header.Location` is read from the header; `$response.body#/id` by JSONPath.
    constexpr std::string_view kHeader = "$response.header.";
    std::string header, extract;
    if (linked.expression.starts_with(kHeader)) {
      header = linked.expression.substr(kHeader.size());
    } else {
      int status = std::isdigit(static_cast<unsigned char>(linked.status.back()))
                       ? std::stoi(linked.status)
                       : 200;
      std::optional<Json> answer = DocumentedAnswer(source, {status});
      extract = LinkExtractPath(linked.expression, answer && answer->is_array());
    }
    if (header.empty() && extract.empty()) {
      tried->push_back(fmt::format("{} gives it as `{}`, which an extract cannot read", from,
                                   linked.expression));
      continue;
    }
    std::optional<std::string> path = KnownPath(Segments(source.path));
    if (!path) {
      tried->push_back(from + " needs a value in its path that nothing gives");
      continue;
    }
    Producer producer{source.Key(),  *path,        extract, "", RequiredParams(source, "query"),
                      source.method, std::nullopt, ""};
    producer.header = header;
    if (writes) producer.body = RequestBody(source);
    if (source.method == "POST")
      producer.cleanup = CreateCleanup(source, *path, VariableName(name), prefix, segments, index);
    return producer;
  }
  return std::nullopt;
}

// The request path of a list whose parameters all come from the environment, or nullopt.
std::optional<std::string> Deriver::EnvironmentPath(const std::vector<Segment>& parts) const {
  return KnownPath(parts, false);
}

// What a list needs in its query (a required `filter`); where it comes from is the list's
// business, not the recipe's, so it is not listed among the sources.
bool Deriver::DocumentsHeader(const spec::Operation& op, std::string_view header) const {
  for (const spec::Response& response : op.responses) {
    if (response.status.empty() || response.status[0] != '2' || !response.node) continue;
    spec::SchemaRef headers = response.node.Child("headers");
    if (!headers || !headers->is_object()) continue;
    for (const auto& [name, value] : headers->items())
      if (IEquals(name, header)) return true;
  }
  return false;
}

std::optional<std::string> Deriver::KnownPath(const std::vector<Segment>& parts,
                                              bool produced_too) const {
  std::string path;
  for (const Segment& part : parts) {
    if (part.param.empty()) {
      path += "/" + part.text;
      continue;
    }
    if (std::optional<std::string> alias = EnvironmentAlias(part.param)) {
      path += "/{{" + *alias + "}}";
      continue;
    }
    std::string variable = VariableName(part.param);
    if (!produced_too || !Produced(variable)) return std::nullopt;
    path += "/{{" + variable + "}}";
  }
  return path;
}

Json Deriver::ListQuery(const spec::Operation& list) const { return RequiredParams(list, "query"); }

// The first item's id in `list`'s documented answer.
std::optional<Producer> Deriver::FromList(const spec::Operation& list, const std::string& path,
                                          const std::string& name, const std::string& singular,
                                          std::vector<std::string>* tried) const {
  std::string endpoint = "GET " + list.path;
  std::optional<Json> answer = DocumentedAnswer(list);
  std::optional<std::pair<std::string, const Json*>> item;
  std::vector<Segment> parts = Segments(list.path);
  if (answer) item = FirstItem(*answer, parts.empty() ? "" : parts.back().text);
  if (!item) {
    tried->push_back(endpoint +
                     (answer ? " answers no list of objects" : " documents no JSON answer"));
    return std::nullopt;
  }
  std::vector<std::string> present;
  for (const std::string& field : IdCandidates(name, singular))
    if (item->second->contains(field)) present.push_back(field);
  if (!present.empty()) {
    Producer producer{endpoint, path, item->first, present[0], ListQuery(list), "GET", {}, {}};
    if (present.size() > 1) producer.other_id = present[1];
    if (present.size() > 1 && options_.swap_ids.count(VariableName(name)))
      std::swap(producer.id_field, producer.other_id);
    return producer;
  }
  // Items whose schema could not be read (a `$ref` to a URL) show no members: the likeliest
  // fields are guessed, and only a passing consumer will confirm them.
  // An extract takes the first value a path selects, so a union tries both spellings.
  if (item->second->empty()) {
    bool uid_first = name == "uid" || EndsWith(name, "_uid");
    if (options_.swap_ids.count(VariableName(name))) uid_first = !uid_first;
    std::string guess = uid_first ? "['uid','id']" : "['id','uid']";
    Producer producer{endpoint, path, item->first, guess, ListQuery(list), "GET", {}, {}};
    producer.other_id = uid_first ? "['id','uid']" : "['uid','id']";
    return producer;
  }
  tried->push_back(
      fmt::format("{}: its items ({}) have no `{}`, `id` or `uid`", endpoint, item->first, name));
  return std::nullopt;
}

// What a list operation's 200 answer looks like: its example (a Swagger 2.0 description may
// give only that), else a value generated from its schema with every optional member.
std::optional<Json> Deriver::DocumentedAnswer(const spec::Operation& list,
                                              std::initializer_list<int> statuses) const {
  const spec::Response* ok = nullptr;
  for (int status : statuses)
    if (ok == nullptr) ok = list.FindResponse(status);
  // A Swagger 2.0 answer documented by its examples alone has a media entry without a schema.
  const spec::MediaSchema* media = ok != nullptr ? ok->JsonMedia() : nullptr;
  if (media == nullptr) return std::nullopt;
  if (media->example) return *media->example.node;
  if (!media->schema) return std::nullopt;
  spec::SampleOptions sample;
  sample.all_properties = true;
  Result<Json> value = spec::SampleValue(catalog_.specs(), media->schema, sample);
  if (!value.ok()) return std::nullopt;
  return std::move(value).value();
}

void Deriver::ResolveBodyReferences(Json* body, std::vector<ValueSource>* sources) {
  if (body != nullptr) ResolveReferencesIn(*body, "", sources);
}

void Deriver::ResolveReferencesIn(Json& value, const std::string& at,
                                  std::vector<ValueSource>* sources) {
  if (value.is_array()) {
    for (Json& item : value) ResolveReferencesIn(item, at, sources);
    return;
  }
  if (!value.is_object()) return;
  for (auto& [key, member] : value.items()) {
    std::string where = at.empty() ? key : at + "." + key;
    if (!member.is_string()) {
      ResolveReferencesIn(member, where, sources);
      continue;
    }
    std::string base = StripIdSuffix(key);
    if (base == key || base.empty()) continue;
    auto note = [&](std::string source, std::string detail) {
      if (sources != nullptr) sources->push_back({where, "body", source, std::move(detail)});
    };
    if (std::optional<std::string> alias = EnvironmentAlias(key)) {
      member = "{{" + *alias + "}}";
      note("param", member.get<std::string>());
      continue;
    }
    std::string variable = VariableName(key);
    if (Produced(variable)) {
      member = "{{" + variable + "}}";
      continue;
    }
    if (static_cast<int>(producers_.size()) >= options_.max_producer_depth) continue;
    std::vector<std::string> tried;
    std::optional<Producer> producer = Unless(ConfiguredFor(key, &tried), &tried);
    if (!producer) producer = Unless(NamedProducer(key, {}, 0, &tried), &tried);
    if (!producer) continue;
    note("producer", fmt::format("{} → {}", producer->endpoint, ExtractPath(*producer)));
    member = "{{" + Plan(variable, std::move(*producer)) + "}}";
  }
}

bool Deriver::Produced(const std::string& variable) const {
  for (const PlannedProducer& p : producers_) {
    if (p.variable == variable) return true;
    for (const auto& [also, extract] : p.also)
      if (also == variable) return true;
  }
  return false;
}

}  // namespace verity::derive
