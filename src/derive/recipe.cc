#include "derive/recipe.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "base/strings.h"
#include "derive/collections.h"
#include "derive/recipe_parts.h"
#include "derive/shapes.h"
#include "doc/naming.h"
#include "doc/scaffold.h"
#include "spec/sample.h"

namespace verity::derive {
namespace {

class Deriver {
 public:
  Deriver(const spec::Operation& op, spec::Catalog& catalog, const DeriveOptions& options)
      : op_(op), catalog_(catalog), options_(options) {}

  Result<DerivedRecipe> Derive() {
    DerivedRecipe out;
    out.endpoint = op_.Key();
    out.domain = op_.domain;
    out.variant = options_.variant;
    out.file = (op_.domain.empty() ? "" : op_.domain + "/") +
               doc::ConventionalFileName(op_.Key(), options_.variant);
    std::string path;
    std::vector<Segment> segments = Segments(op_.path);
    for (size_t i = 0; i < segments.size(); ++i) {
      const Segment& s = segments[i];
      if (s.param.empty()) {
        path += "/" + s.text;
        continue;
      }
      Result<std::string> piece = ResolvePathParameter(s.param, path, segments, i, &out);
      if (!piece.ok()) return piece.status();
      path += "/" + *piece;
    }
    if (path.empty()) path = "/";
    request_path_ = path;
    AddQueryAndHeaders(&out);
    AddBody(&out);
    AddOwnCleanup();
    out.text = RecipeText(Parts());
    out.producers = producer_endpoints_;
    for (const PlannedProducer& p : producers_) out.producer_steps.push_back(ProducerStepId(p));
    out.use_fallback = options_.use_fallback;
    return out;
  }

 private:
  const spec::Parameter* FindParameter(const std::string& name, std::string_view in) const {
    for (const spec::Parameter& p : op_.parameters)
      if (p.name == name && p.in == in) return &p;
    return nullptr;
  }

  std::optional<std::string> EnvironmentAlias(const std::string& name) const {
    for (const std::string& alias : ParameterAliases(name))
      if (options_.params.count(alias)) return alias;
    return std::nullopt;
  }

  // The value the spec gives a parameter itself: example, default, first enum value.
  std::optional<Json> Documented(const spec::Parameter& p) const {
    for (const spec::SchemaRef& ref : {p.node, p.schema}) {
      if (!ref || !ref->is_object()) continue;
      const Json& node = *ref.node;
      for (const char* key : {"example", "default"})
        if (node.contains(key)) return node[key];
      if (node.contains("enum") && node["enum"].is_array() && !node["enum"].empty())
        return node["enum"][0];
    }
    return std::nullopt;
  }

  // What the path segment of parameter `name` becomes: a variable, or the spec's value.
  Result<std::string> ResolvePathParameter(const std::string& name, const std::string& prefix,
                                           const std::vector<Segment>& segments, size_t index,
                                           DerivedRecipe* out) {
    std::string variable = VariableName(name);
    if (std::optional<std::string> alias = EnvironmentAlias(name)) {
      out->sources.push_back({name, "path", "param", "{{" + *alias + "}}"});
      return "{{" + *alias + "}}";
    }
    std::vector<std::string> tried;
    std::optional<Producer> producer;
    if (static_cast<int>(producers_.size()) < options_.max_producer_depth) {
      // A DELETE removes what it names for good: it gets a resource of the run's own making, never
      // the first one an API lists, which somebody else may need.
      producer = Unless(ConfiguredFor(name, &tried), &tried);
      if (!producer && op_.method == "DELETE" && options_.allow_writes)
        producer = Unless(CreateProducer(name, prefix, segments, index, &tried), &tried);
      if (!producer) producer = Unless(ListProducer(name, prefix, segments, index, &tried), &tried);
      if (!producer) producer = Unless(NamedProducer(name, segments, index, &tried), &tried);
      if (!producer && options_.allow_writes && op_.method != "DELETE")
        producer = Unless(CreateProducer(name, prefix, segments, index, &tried), &tried);
    }
    if (producer) {
      // What a create refers to is produced before it.
      if (producer->body) ResolveBodyReferences(&*producer->body, nullptr);
      producers_.push_back({variable, *producer});
      producer_endpoints_.push_back(producer->endpoint);
      out->sources.push_back({name, "path", "producer",
                              fmt::format("{} → {}", producer->endpoint, ExtractPath(*producer))});
      return "{{" + variable + "}}";
    }
    const spec::Parameter* p = FindParameter(name, "path");
    if (p != nullptr) {
      if (std::optional<Json> value = Documented(*p)) {
        out->sources.push_back({name, "path", "example", value->dump()});
        return PathText(*value);
      }
    }
    std::vector<std::string> aliases = ParameterAliases(name);
    // Two descriptions of one API often list the same collection: say each attempt once.
    std::vector<std::string> distinct;
    for (const std::string& t : tried)
      if (std::find(distinct.begin(), distinct.end(), t) == distinct.end()) distinct.push_back(t);
    return Status::NotFound(fmt::format(
        "{}: no value for path parameter `{}` of {}: no environment param ({}), {}, and the spec "
        "gives it no example, default or enum{}",
        kNoProducer, name, op_.Key(), Join(aliases, ", "),
        distinct.empty() ? std::string("no list operation of its collection")
                         : "tried " + Join(distinct, "; "),
        options_.allow_writes ? "" : " (creating one is tried only when writes are allowed)"));
  }

  // The producer the configuration names for `name` or one of its aliases, its path's parameters
  // from the environment; nullopt when none is named, or when its path needs a value no param
  // gives (said in `tried`).
  std::optional<Producer> ConfiguredFor(const std::string& name,
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
  std::optional<Producer> Unless(std::optional<Producer> candidate,
                                 std::vector<std::string>* tried) const {
    if (candidate && options_.avoid_producers.count(candidate->endpoint)) {
      tried->push_back(candidate->endpoint + " gave no value in an earlier try");
      return std::nullopt;
    }
    return candidate;
  }

  // The list operation of the collection the parameter indexes, when its answer shows items.
  std::optional<Producer> ListProducer(const std::string& name, const std::string& prefix,
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
  const spec::Operation* NamedCollection(const std::string& name,
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
  static std::string ResourceName(const std::string& name, const std::vector<Segment>& segments,
                                  size_t index) {
    std::string base = StripIdSuffix(name);
    if (base != name && !base.empty()) return base;
    if (index == 0 || !segments[index - 1].param.empty()) return "";
    return Singular(segments[index - 1].text);
  }

  std::optional<Producer> NamedProducer(const std::string& name,
                                        const std::vector<Segment>& segments, size_t index,
                                        std::vector<std::string>* tried) {
    std::string path;
    const spec::Operation* list = NamedCollection(name, segments, index, "GET", &path);
    if (list == nullptr) {
      tried->push_back(
          fmt::format("no list named after `{}`", ResourceName(name, segments, index)));
      return std::nullopt;
    }
    return FromList(*list, path, name, ResourceName(name, segments, index), tried);
  }

  // With writes allowed: the create operation of the collection the parameter indexes, or of
  // one named after it; the new resource's id comes from its answer, and it is deleted again
  // in the cleanup when the spec has a DELETE for it.
  std::optional<Producer> CreateProducer(const std::string& name, const std::string& prefix,
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
      tried->push_back(endpoint + " documents no id in its answer");
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
    // The DELETE of the item the id names where it is used (`/silence/{silenceID}` for an id
    // from `POST /silences`), else of an item of the create's own collection.
    std::string used;
    for (size_t i = 0; i <= index; ++i) used += "/" + segments[i].text;
    std::string variable = "/{{" + VariableName(name) + "}}";
    if (catalog_.Find("DELETE", used) != nullptr) producer.cleanup = prefix + variable;
    std::string item = create->path + "/{";
    for (const spec::Operation& candidate : catalog_.operations()) {
      if (producer.cleanup.empty() && candidate.method == "DELETE" &&
          candidate.path.starts_with(item) && candidate.path.back() == '}' &&
          candidate.path.find('/', item.size()) == std::string::npos)
        producer.cleanup = path + variable;
    }
    return producer;
  }

  // The request path of a list whose parameters all come from the environment, or nullopt.
  std::optional<std::string> EnvironmentPath(const std::vector<Segment>& parts) const {
    std::string path;
    for (const Segment& part : parts) {
      if (part.param.empty()) {
        path += "/" + part.text;
        continue;
      }
      std::optional<std::string> alias = EnvironmentAlias(part.param);
      if (!alias) return std::nullopt;
      path += "/{{" + *alias + "}}";
    }
    return path;
  }

  Json RequiredParams(const spec::Operation& op, std::string_view in) const {
    std::vector<ValueSource> ignored;
    return RequiredParams(op, in, &ignored);
  }

  // A JSON body for `op` from its request schema, required members only unless `all_members`;
  // nullopt when it takes none in JSON. Dates are relative to the run. The operation under
  // test's made-up strings end in a unique value when a heal asked for fresh values.
  std::optional<Json> RequestBody(const spec::Operation& op, bool all_members = false) const {
    const spec::MediaSchema* media = JsonRequestMedia(op);
    if (media == nullptr) return std::nullopt;
    spec::SampleOptions sample;
    sample.direction = spec::Direction::kRequest;
    sample.all_properties = all_members;
    sample.fill_maps = true;
    if (&op == &op_ && options_.fresh_values) {
      sample.use_examples = false;
      sample.unique_suffix = "{{unique_id}}";
    }
    Result<Json> value = spec::SampleValue(catalog_.specs(), media->schema, sample);
    if (!value.ok()) return Json();
    DateTimesFromNow(&*value);
    return std::move(value).value();
  }

  // What a list needs in its query (a required `filter`); where it comes from is the list's
  // business, not the recipe's, so it is not listed among the sources.
  Json ListQuery(const spec::Operation& list) const { return RequiredParams(list, "query"); }

  // The first item's id in `list`'s documented answer.
  std::optional<Producer> FromList(const spec::Operation& list, const std::string& path,
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
    for (const std::string& field : IdCandidates(name, singular)) {
      if (item->second->contains(field))
        return Producer{endpoint, path, item->first, field, ListQuery(list), "GET", {}, {}};
    }
    // Items whose schema could not be read (a `$ref` to a URL) show no members: the likeliest
    // fields are guessed, and only a passing consumer will confirm them.
    // An extract takes the first value a path selects, so a union tries both spellings.
    if (item->second->empty()) {
      std::string guess = name == "uid" || EndsWith(name, "_uid") ? "['uid','id']" : "['id','uid']";
      return Producer{endpoint, path, item->first, guess, ListQuery(list), "GET", {}, {}};
    }
    tried->push_back(
        fmt::format("{}: its items ({}) have no `{}`, `id` or `uid`", endpoint, item->first, name));
    return std::nullopt;
  }

  // What a list operation's 200 answer looks like: its example (a Swagger 2.0 description may
  // give only that), else a value generated from its schema with every optional member.
  std::optional<Json> DocumentedAnswer(const spec::Operation& list,
                                       std::initializer_list<int> statuses = {200}) const {
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

  Json SampleOf(const spec::SchemaRef& schema, std::string_view name = {}) const {
    spec::SampleOptions sample;
    sample.direction = spec::Direction::kRequest;
    sample.fill_maps = true;
    sample.name = name;
    Result<Json> value = spec::SampleValue(catalog_.specs(), schema, sample);
    return value.ok() ? std::move(value).value() : Json();
  }

  void AddQueryAndHeaders(DerivedRecipe* out) {
    query_ = RequiredParams(op_, "query", &out->sources);
    headers_ = RequiredParams(op_, "header", &out->sources);
  }

  // Values for the required parameters of `op` that are `in` query or header (credentials
  // aside): the environment's, the spec's, else generated.
  Json RequiredParams(const spec::Operation& op, std::string_view in,
                      std::vector<ValueSource>* sources) const {
    Json out = Json::object();
    for (const spec::Parameter& p : op.parameters) {
      bool wanted = p.required || (&op == &op_ && options_.include.count(p.name) > 0);
      if (!wanted || p.in != in) continue;
      if (p.in == "header" && IsCredentialHeader(op, p.name)) continue;
      Json value;
      if (std::optional<std::string> alias = EnvironmentAlias(p.name)) {
        value = "{{" + *alias + "}}";
        sources->push_back({p.name, p.in, "param", value.get<std::string>()});
      } else if (std::optional<Json> documented = Documented(p)) {
        value = *documented;
        sources->push_back({p.name, p.in, "example", value.dump()});
      } else {
        value = SampleOf(p.schema ? p.schema : p.node, p.name);
        sources->push_back({p.name, p.in, "generated", value.dump()});
      }
      out[p.name] = value;
    }
    return out;
  }

  void AddBody(DerivedRecipe* out) {
    body_ = RequestBody(op_);
    if (!body_) return;
    out->sources.push_back({"body", "body", "generated", "the request schema"});
    if (!options_.include.empty() && body_->is_object()) {
      std::optional<Json> full = RequestBody(op_, true);
      for (const std::string& name : options_.include) {
        if (!full || !full->is_object() || !full->contains(name) || body_->contains(name)) continue;
        (*body_)[name] = (*full)[name];
        out->sources.push_back({name, "body", "generated", "asked for by the server"});
      }
    }
    ResolveBodyReferences(&*body_, &out->sources);
  }

  // Top-level members of a generated body that name another resource (`client_id`,
  // `package_uid`): a made-up id there is one a real API refuses, so each gets the environment's
  // param, or an id produced first from a list named after it, as a path parameter would. A
  // member nothing produces (or that a failed try showed a producer cannot give) keeps its
  // generated value. `sources` may be null (a producer's own body).
  void ResolveBodyReferences(Json* body, std::vector<ValueSource>* sources) {
    if (body == nullptr || !body->is_object()) return;
    for (auto& [key, value] : body->items()) {
      std::string base = StripIdSuffix(key);
      if (!value.is_string() || base == key || base.empty()) continue;
      auto note = [&](std::string source, std::string detail) {
        if (sources != nullptr) sources->push_back({key, "body", source, std::move(detail)});
      };
      if (std::optional<std::string> alias = EnvironmentAlias(key)) {
        value = "{{" + *alias + "}}";
        note("param", value.get<std::string>());
        continue;
      }
      std::string variable = VariableName(key);
      auto known = std::find_if(producers_.begin(), producers_.end(),
                                [&](const PlannedProducer& p) { return p.variable == variable; });
      if (known != producers_.end()) {
        value = "{{" + variable + "}}";
        continue;
      }
      if (static_cast<int>(producers_.size()) >= options_.max_producer_depth) continue;
      std::vector<std::string> tried;
      std::optional<Producer> producer = Unless(ConfiguredFor(key, &tried), &tried);
      if (!producer) producer = Unless(NamedProducer(key, {}, 0, &tried), &tried);
      if (!producer) continue;
      producers_.push_back({variable, *producer});
      producer_endpoints_.push_back(producer->endpoint);
      value = "{{" + variable + "}}";
      note("producer", fmt::format("{} → {}", producer->endpoint, ExtractPath(*producer)));
    }
  }

  std::vector<int> SuccessStatuses() const {
    std::vector<int> out;
    for (const std::string& code : op_.StatusCodes()) {
      if (code.size() == 3 && code[0] == '2' && std::isdigit(static_cast<unsigned char>(code[1])))
        out.push_back(std::stoi(code));
    }
    if (out.empty()) out = {200, 201, 202, 204};
    return out;
  }

  RecipeParts Parts() const {
    RecipeParts parts;
    parts.op = &op_;
    parts.options = &options_;
    parts.producers = producers_;
    parts.request_path = request_path_;
    parts.query = query_;
    parts.headers = headers_;
    parts.body = body_;
    parts.statuses = SuccessStatuses();
    parts.own_variable = own_variable_;
    parts.own_extract = own_extract_;
    parts.own_delete = own_delete_;
    return parts;
  }

  // A create under test leaves what it made behind unless the recipe deletes it: with writes
  // allowed and a DELETE in the spec for an item of its collection (`/clients/{id}`, or
  // `/silence/{silenceID}` for `POST /silences`), the new id is read from its answer where the
  // documented answer shows it, optionally (an answer that differs must not fail the create),
  // and the item is deleted in the cleanup.
  void AddOwnCleanup() {
    std::vector<Segment> segments = Segments(op_.path);
    if (op_.method != "POST" || !options_.allow_writes || segments.empty() ||
        !segments.back().param.empty())
      return;
    std::string parent = op_.path.substr(0, op_.path.size() - segments.back().text.size() - 1);
    std::string request_parent =
        request_path_.substr(0, request_path_.size() - segments.back().text.size() - 1);
    std::string singular = Singular(segments.back().text);
    std::vector<std::pair<std::string, std::string>> bases = {
        {op_.path, request_path_}, {parent + "/" + singular, request_parent + "/" + singular}};
    for (const auto& [base, request_base] : bases) {
      std::string item = base + "/{";
      for (const spec::Operation& candidate : catalog_.operations()) {
        if (candidate.method != "DELETE" || !candidate.path.starts_with(item) ||
            candidate.path.back() != '}' ||
            candidate.path.find('/', item.size()) != std::string::npos)
          continue;
        std::string param =
            candidate.path.substr(item.size(), candidate.path.size() - item.size() - 1);
        std::optional<Json> answer = DocumentedAnswer(op_, {201, 200});
        std::optional<std::pair<std::string, std::string>> id =
            answer ? FindId(*answer, IdCandidates(param, singular)) : std::nullopt;
        if (!id) return;
        own_variable_ = VariableName(param);
        Producer own;
        own.item_path = id->first;
        own.id_field = id->second;
        own_extract_ = ExtractPath(own);
        own_delete_ = request_base + "/{{" + own_variable_ + "}}";
        return;
      }
    }
  }

  const spec::Operation& op_;
  spec::Catalog& catalog_;
  const DeriveOptions& options_;
  std::string request_path_;
  std::vector<PlannedProducer> producers_;
  std::vector<std::string> producer_endpoints_;
  Json query_ = Json::object();
  Json headers_ = Json::object();
  std::optional<Json> body_;
  std::string own_variable_, own_extract_, own_delete_;  // AddOwnCleanup's
};

}  // namespace

std::vector<std::string> ParameterAliases(const std::string& name) {
  std::vector<std::string> out{name};
  std::string base = StripIdSuffix(name);
  if (IEquals(name, "id") || IEquals(name, "uid")) return out;  // no resource to name
  for (std::string alias : {base + "_id", base + "_uid", base + "Id", base}) {
    if (std::find(out.begin(), out.end(), alias) == out.end()) out.push_back(alias);
  }
  return out;
}

std::vector<std::string> OptionalFields(const spec::Operation& operation, spec::Catalog& catalog) {
  std::vector<std::string> out;
  for (const spec::Parameter& p : operation.parameters) {
    if (p.required || (p.in != "query" && p.in != "header")) continue;
    if (p.in == "header" && IsCredentialHeader(operation, p.name)) continue;
    out.push_back(p.name);
  }
  const spec::MediaSchema* media = JsonRequestMedia(operation);
  if (media == nullptr) return out;
  spec::SampleOptions sample;
  sample.direction = spec::Direction::kRequest;
  Result<Json> required = spec::SampleValue(catalog.specs(), media->schema, sample);
  sample.all_properties = true;
  Result<Json> all = spec::SampleValue(catalog.specs(), media->schema, sample);
  if (!required.ok() || !all.ok() || !all->is_object()) return out;
  for (const auto& [name, value] : all->items())
    if (!required->is_object() || !required->contains(name)) out.push_back(name);
  return out;
}

Result<DerivedRecipe> DeriveRecipe(const spec::Operation& operation, spec::Catalog& catalog,
                                   const DeriveOptions& options) {
  return Deriver(operation, catalog, options).Derive();
}

}  // namespace verity::derive
