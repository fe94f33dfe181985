// How a recipe is built from the spec (derive/recipe.h): one Deriver per operation, which finds
// each value of the request and the producers run first, then writes the text. recipe.cc finds
// the request's own values and writes it; producers.cc finds where the values other operations
// give come from. Internal to derive/.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/status.h"
#include "derive/links.h"
#include "derive/recipe.h"
#include "derive/recipe_parts.h"
#include "derive/shapes.h"
#include "spec/catalog.h"
#include "spec/operation.h"

namespace verity::derive {

class Deriver {
 public:
  Deriver(const spec::Operation& op, spec::Catalog& catalog, const DeriveOptions& options)
      : op_(op), catalog_(catalog), options_(options) {}
  Result<DerivedRecipe> Derive();

 private:
  const spec::Parameter* FindParameter(const std::string& name, std::string_view in) const;
  std::optional<std::string> EnvironmentAlias(const std::string& name) const;

  // The value the spec gives a parameter itself: example, default, first enum value.
  std::optional<Json> Documented(const spec::Parameter& p) const;

  // What the path segment of parameter `name` becomes: a variable, or the spec's value.
  Result<std::string> ResolvePathParameter(const std::string& name, const std::string& prefix,
                                           const std::vector<Segment>& segments, size_t index,
                                           DerivedRecipe* out);

  // The producer the configuration names for `name` or one of its aliases, its path's parameters
  // from the environment; nullopt when none is named, or when its path needs a value no param
  // gives (said in `tried`).
  std::optional<Producer> ConfiguredFor(const std::string& name,
                                        std::vector<std::string>* tried) const;

  // Adds `producer` for `variable` to the prerequisites, or another variable to an equal one;
  // returns the variable the value is in.
  std::string Plan(const std::string& variable, Producer producer);

  // The value a link of the spec (derive/links.h) gives parameter `name`: the linking
  // operation's answer, read where the link says. A link from a write is followed only with
  // writes allowed; `creates_only` keeps only links from a POST (for a DELETE).
  std::optional<Producer> LinkProducer(const std::string& name, const std::string& prefix,
                                       const std::vector<Segment>& segments, size_t index,
                                       bool creates_only, std::vector<std::string>* tried);

  // The DELETE that removes what `create` made, its id in `variable`: the item the consumer's
  // path names up to the parameter (`/silence/{silenceID}` for an id from `POST /silences`),
  // else an item of the create's own collection at `path`; empty when the spec has neither.
  std::string CreateCleanup(const spec::Operation& create, const std::string& path,
                            const std::string& variable, const std::string& prefix,
                            const std::vector<Segment>& segments, size_t index) const;

  // `candidate`, unless an earlier try showed it gives no value.
  std::optional<Producer> Unless(std::optional<Producer> candidate,
                                 std::vector<std::string>* tried) const;

  // The list operation of the collection the parameter indexes, when its answer shows items.
  std::optional<Producer> ListProducer(const std::string& name, const std::string& prefix,
                                       const std::vector<Segment>& segments, size_t index,
                                       std::vector<std::string>* tried);

  // A collection elsewhere named after the parameter (`client_uid` → `GET …/clients`), whose own
  // path needs nothing but the environment's params: the same description first, then the
  // shortest path. Sets `path` to its request path.
  const spec::Operation* NamedCollection(const std::string& name,
                                         const std::vector<Segment>& segments, size_t index,
                                         std::string_view method, std::string* path) const;

  // "client" for `client_uid`, and for a bare `uid` the collection it indexes.
  static std::string ResourceName(const std::string& name, const std::vector<Segment>& segments,
                                  size_t index);
  std::optional<Producer> NamedProducer(const std::string& name,
                                        const std::vector<Segment>& segments, size_t index,
                                        std::vector<std::string>* tried);

  // With writes allowed: the create operation of the collection the parameter indexes, or of
  // one named after it; the new resource's id comes from its answer, and it is deleted again
  // in the cleanup when the spec has a DELETE for it.
  std::optional<Producer> CreateProducer(const std::string& name, const std::string& prefix,
                                         const std::vector<Segment>& segments, size_t index,
                                         std::vector<std::string>* tried);

  // The request path of a list whose parameters all come from the environment, or nullopt.
  std::optional<std::string> EnvironmentPath(const std::vector<Segment>& parts) const;
  // Whether a 2xx answer of `op` documents `header` (any case).
  bool DocumentsHeader(const spec::Operation& op, std::string_view header) const;
  // The same, with `produced_too` its parameters also from the values produced so far
  // (`{{username}}`).
  std::optional<std::string> KnownPath(const std::vector<Segment>& parts,
                                       bool produced_too = true) const;
  Json RequiredParams(const spec::Operation& op, std::string_view in) const;

  // A JSON body for `op` from its request schema, required members only unless `all_members`;
  // nullopt when it takes none in JSON. Dates are relative to the run. The operation under
  // test's made-up strings end in a unique value when a heal asked for fresh values.
  std::optional<Json> RequestBody(const spec::Operation& op, bool all_members = false) const;

  // What a list needs in its query (a required `filter`); where it comes from is the list's
  // business, not the recipe's, so it is not listed among the sources.
  Json ListQuery(const spec::Operation& list) const;

  // The first item's id in `list`'s documented answer.
  std::optional<Producer> FromList(const spec::Operation& list, const std::string& path,
                                   const std::string& name, const std::string& singular,
                                   std::vector<std::string>* tried) const;

  // What a list operation's 200 answer looks like: its example (a Swagger 2.0 description may
  // give only that), else a value generated from its schema with every optional member.
  std::optional<Json> DocumentedAnswer(const spec::Operation& list,
                                       std::initializer_list<int> statuses = {200}) const;
  Json SampleOf(const spec::SchemaRef& schema, std::string_view name = {}) const;
  void AddQueryAndHeaders(DerivedRecipe* out);

  // Values for the required parameters of `op` that are `in` query or header (credentials
  // aside): the environment's, the spec's, else generated.
  Json RequiredParams(const spec::Operation& op, std::string_view in,
                      std::vector<ValueSource>* sources) const;
  void AddBody(DerivedRecipe* out);

  // Members of a generated body, at any depth, that name another resource (`client_id`,
  // `package_uid`, `appointment.client_id`): a made-up id there is one a real API refuses, so
  // each gets the environment's param, or an id produced first from a list named after it, as a
  // path parameter would. A member nothing produces (or that a failed try showed a producer
  // cannot give) keeps its generated value. `sources` may be null (a producer's own body).
  void ResolveBodyReferences(Json* body, std::vector<ValueSource>* sources);
  void ResolveReferencesIn(Json& value, const std::string& at, std::vector<ValueSource>* sources);
  // Whether a prerequisite already gives `variable`.
  bool Produced(const std::string& variable) const;
  std::vector<int> SuccessStatuses() const;
  RecipeParts Parts() const;

  // A create under test leaves what it made behind unless the recipe deletes it: with writes
  // allowed and a DELETE in the spec for an item of its collection (`/clients/{id}`, or
  // `/silence/{silenceID}` for `POST /silences`), the new id is read from its answer where the
  // documented answer shows it, optionally (an answer that differs must not fail the create),
  // and the item is deleted in the cleanup.
  void AddOwnCleanup();

  const spec::Operation& op_;
  spec::Catalog& catalog_;
  const DeriveOptions& options_;
  std::string request_path_;
  std::vector<PlannedProducer> producers_;
  std::optional<LinkIndex> own_links_;  // when the options bring none
  std::vector<std::string> producer_endpoints_;
  Json query_ = Json::object();
  Json headers_ = Json::object();
  std::optional<Json> body_;
  std::string own_variable_, own_extract_, own_delete_;  // AddOwnCleanup's
};

}  // namespace verity::derive
