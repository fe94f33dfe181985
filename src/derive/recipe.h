// A recipe built from the spec for an operation that has none, so that a run can call every
// operation of a spec and not only those someone wrote down.
//
// The recipe is written as a knowledge-base document (markdown, YAML steps) and read back by the
// same parser as any other: what runs is exactly what `verity draft` would write, so a draft that
// passed is a draft that passes unchanged. Its values come, in this order, from:
// - the environment's `params`, by the parameter's name or an alias (`client_id`, `client_uid`,
//   `clientId`, `client`): `{{name}}`;
// - a producer, run first as a prerequisite: for a path parameter, the list operation of the
//   collection it indexes (`GET /clients` for `/clients/{client_id}`), else a list named after it
//   elsewhere (`client_uid` → `GET /platform/v1/clients`), its first item's id extracted (the
//   parameter's own name, else `id`, `uid`, `<singular>_id`, `<singular>_uid`); with writes
//   allowed, else the collection's create (`POST`), the new id read from its answer and the
//   resource deleted again in the cleanup (a DELETE takes the create first: it removes only what
//   it made);
// - the spec: the parameter's or body's `example`, `default`, first `enum` value, else a value
//   generated to fit its schema (spec/sample.h), only required members, a required map with one
//   member, date-times as the run's time ahead (shapes.h, DateTimesFromNow).
// A path parameter that none of these gives is NO_PRODUCER: the recipe is not built, and the
// reason names the parameter and what was tried.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "base/status.h"
#include "run/config.h"
#include "run/outcome.h"
#include "spec/catalog.h"
#include "spec/operation.h"

namespace verity::derive {

class CollectionIndex;
class LinkIndex;

struct DeriveOptions {
  /// The environment's `params` names: a parameter with one of these names (or aliases) is
  /// templated, not produced.
  std::set<std::string> params;
  /// The catalog's collections by name (derive/collections.h), shared by the recipes of one
  /// planning; unset: each lookup reads every operation.
  const CollectionIndex* collections = nullptr;
  /// The catalog's OpenAPI links (derive/links.h), shared the same way; unset: read per recipe.
  const LinkIndex* links = nullptr;
  /// How many producers one recipe may run first (`/a/{a}/b/{b}` needs two).
  int max_producer_depth = 3;
  /// A value no list gives may come from creating a resource (`POST` of its collection), which
  /// the recipe then deletes in its cleanup when the spec can.
  bool allow_writes = false;
  /// The recipe's variant name, for a draft whose conventional file name is taken already.
  std::string variant;

  // What heals change (derive/heal.h), each written into the recipe so that it passes as written.
  /// The credential every step sends (`tokens: [name]`); empty: the operation's security decides.
  std::string credential;
  /// Sent to the fallback base URL (`useFallbackApi: true`).
  bool use_fallback = false;
  /// Optional query or header parameters and top-level body members to send as well: those a
  /// server's refusal named.
  std::set<std::string> include;
  /// Made-up strings of the body end in `{{unique_id}}`, so that a create the server refused as
  /// "already exists" (409) sends new values on every run.
  bool fresh_values = false;
  /// By parameter name (`producers:` in verity.yaml): the producer to use for a parameter of
  /// that name or one of its aliases, before any inferred one.
  std::map<std::string, run::ConfiguredProducer> producers;
  /// Body members (at any depth) by name, and the JSON type to send them as: what a server's
  /// refusal said they must be ("amount must be an integer"), whatever the spec says.
  std::map<std::string, std::string> coerce;
  /// Variables whose producer reads the item's other id (`uid` for `id`, and back): an API that
  /// refused or did not find the id read first may know the item by the other one.
  std::set<std::string> swap_ids;
  /// Producer endpoints ("GET /v1/clients") a failed try showed give no value (an empty list):
  /// the next candidate is used instead (a list named after the parameter, a create).
  std::set<std::string> avoid_producers;
};

/// Where one value of the request comes from, for a dry run's plan and a draft's summary.
struct ValueSource {
  std::string name;    // the parameter ("client_id") or "body"
  std::string in;      // path, query, header, body
  std::string source;  // param, producer, example, generated
  std::string detail;  // "{{business_id}}", "GET /clients → $.data.clients[0].id", the value
};

/// An id a producer reads where its item has two (`id` and `uid`).
struct IdChoice {
  std::string variable;
  std::string field;  // read
  std::string other;  // the other one
};

struct DerivedRecipe {
  std::string endpoint;  // "GET /platform/v1/clients/{client_id}"
  std::string domain;    // the operation's, the folder its draft goes in
  std::string variant;   // empty, or kFromSpecVariant when the conventional file is taken
  /// Where it would be drafted, relative to the knowledge base: `<domain>/<conventional name>`.
  std::string file;
  std::string text;  // the whole document
  std::vector<ValueSource> sources;
  std::vector<std::string> producers;       // endpoints run first, in order
  std::vector<std::string> producer_steps;  // the step id of each, in the same order
  bool use_fallback = false;  // sent to the fallback base URL (`useFallbackApi: true`)
  std::vector<IdChoice> id_choices;
};

/// Names of the reasons a recipe cannot be derived (Status messages start with one).
inline constexpr std::string_view kNoProducer = run::reason::kNoProducer;

/// The recipe for `operation`, or kNotFound whose message starts with NO_PRODUCER and says which
/// value and which candidates were tried.
Result<DerivedRecipe> DeriveRecipe(const spec::Operation& operation, spec::Catalog& catalog,
                                   const DeriveOptions& options = {});

/// The optional query and header parameters (credentials aside) and top-level JSON body members
/// of `operation`: what a heal may add when the server refuses a request for one of them.
std::vector<std::string> OptionalFields(const spec::Operation& operation, spec::Catalog& catalog);

/// The names a parameter may be known by in the environment: itself, then `<base>_id`,
/// `<base>_uid`, `<base>Id`, `<base>` where base is the name without such a suffix.
std::vector<std::string> ParameterAliases(const std::string& name);

}  // namespace verity::derive
