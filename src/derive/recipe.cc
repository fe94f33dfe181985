#include "derive/recipe.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "base/strings.h"
#include "derive/collections.h"
#include "derive/deriver.h"
#include "derive/recipe_parts.h"
#include "derive/shapes.h"
#include "doc/naming.h"
#include "doc/scaffold.h"
#include "spec/sample.h"

namespace verity::derive {

Result<DerivedRecipe> Deriver::Derive() {
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
  for (const PlannedProducer& p : producers_) {
    out.producer_steps.push_back(ProducerStepId(p));
    if (!p.producer.other_id.empty())
      out.id_choices.push_back({p.variable, p.producer.id_field, p.producer.other_id});
  }
  out.use_fallback = options_.use_fallback;
  return out;
}

const spec::Parameter* Deriver::FindParameter(const std::string& name, std::string_view in) const {
  for (const spec::Parameter& p : op_.parameters)
    if (p.name == name && p.in == in) return &p;
  return nullptr;
}

std::optional<std::string> Deriver::EnvironmentAlias(const std::string& name) const {
  for (const std::string& alias : ParameterAliases(name))
    if (options_.params.count(alias)) return alias;
  return std::nullopt;
}

// The value the spec gives a parameter itself: example, default, first enum value.
std::optional<Json> Deriver::Documented(const spec::Parameter& p) const {
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
Result<std::string> Deriver::ResolvePathParameter(const std::string& name,
                                                  const std::string& prefix,
                                                  const std::vector<Segment>& segments,
                                                  size_t index, DerivedRecipe* out) {
  std::string variable = VariableName(name);
  if (std::optional<std::string> alias = EnvironmentAlias(name)) {
    out->sources.push_back({name, "path", "param", "{{" + *alias + "}}"});
    return "{{" + *alias + "}}";
  }
  std::vector<std::string> tried;
  std::optional<Producer> producer;
  if (static_cast<int>(producers_.size()) < options_.max_producer_depth) {
    // A DELETE removes what it names for good: it gets a resource of the run's own making, never
    // the first one an API lists, which somebody else may need. A link is the spec's own word on
    // where a value comes from, so it goes before anything inferred from names.
    bool removes = op_.method == "DELETE";
    producer = Unless(ConfiguredFor(name, &tried), &tried);
    if (!producer && removes && options_.allow_writes)
      producer = Unless(LinkProducer(name, prefix, segments, index, true, &tried), &tried);
    if (!producer && removes && options_.allow_writes)
      producer = Unless(CreateProducer(name, prefix, segments, index, &tried), &tried);
    if (!producer && !removes)
      producer = Unless(LinkProducer(name, prefix, segments, index, false, &tried), &tried);
    if (!producer) producer = Unless(ListProducer(name, prefix, segments, index, &tried), &tried);
    if (!producer) producer = Unless(NamedProducer(name, segments, index, &tried), &tried);
    if (!producer && options_.allow_writes && !removes)
      producer = Unless(CreateProducer(name, prefix, segments, index, &tried), &tried);
  }
  if (producer) {
    out->sources.push_back({name, "path", "producer",
                            fmt::format("{} → {}", producer->endpoint, ExtractPath(*producer))});
    return "{{" + Plan(variable, std::move(*producer)) + "}}";
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

Json Deriver::RequiredParams(const spec::Operation& op, std::string_view in) const {
  std::vector<ValueSource> ignored;
  return RequiredParams(op, in, &ignored);
}

// A JSON body for `op` from its request schema, required members only unless `all_members`;
// nullopt when it takes none in JSON. Dates are relative to the run. The operation under
// test's made-up strings end in a unique value when a heal asked for fresh values.
std::optional<Json> Deriver::RequestBody(const spec::Operation& op, bool all_members) const {
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

Json Deriver::SampleOf(const spec::SchemaRef& schema, std::string_view name) const {
  spec::SampleOptions sample;
  sample.direction = spec::Direction::kRequest;
  sample.fill_maps = true;
  sample.name = name;
  Result<Json> value = spec::SampleValue(catalog_.specs(), schema, sample);
  return value.ok() ? std::move(value).value() : Json();
}

void Deriver::AddQueryAndHeaders(DerivedRecipe* out) {
  query_ = RequiredParams(op_, "query", &out->sources);
  headers_ = RequiredParams(op_, "header", &out->sources);
}

// Values for the required parameters of `op` that are `in` query or header (credentials
// aside): the environment's, the spec's, else generated.
Json Deriver::RequiredParams(const spec::Operation& op, std::string_view in,
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

void Deriver::AddBody(DerivedRecipe* out) {
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
  CoerceMembers(&*body_, options_.coerce);
}

std::vector<int> Deriver::SuccessStatuses() const {
  std::vector<int> out;
  for (const std::string& code : op_.StatusCodes()) {
    if (code.size() == 3 && code[0] == '2' && std::isdigit(static_cast<unsigned char>(code[1])))
      out.push_back(std::stoi(code));
  }
  if (out.empty()) out = {200, 201, 202, 204};
  return out;
}

RecipeParts Deriver::Parts() const {
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
void Deriver::AddOwnCleanup() {
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

// Adds `producer` to the recipe's prerequisites for `variable`; returns the variable its value
// is in. Two values from one answer (a link's `username` and `slug` of the same repository)
// come from one request: a second create would make a second resource, whose values do not
// belong together.
std::string Deriver::Plan(const std::string& variable, Producer producer) {
  for (PlannedProducer& planned : producers_) {
    const Producer& p = planned.producer;
    if (p.endpoint != producer.endpoint || p.path != producer.path || p.query != producer.query)
      continue;
    if (ExtractPath(p) == ExtractPath(producer)) return planned.variable;
    planned.also.emplace_back(variable, ExtractPath(producer));
    return variable;
  }
  // What a create refers to is produced before it.
  if (producer.body) ResolveBodyReferences(&*producer.body, nullptr);
  producer_endpoints_.push_back(producer.endpoint);
  producers_.push_back({variable, std::move(producer), {}});
  return variable;
}

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
