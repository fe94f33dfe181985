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
#include "spec/catalog.h"
#include "spec/operation.h"

namespace verity::derive {

struct DeriveOptions {
  /// The environment's `params` names: a parameter with one of these names (or aliases) is
  /// templated, not produced.
  std::set<std::string> params;
  /// How many producers one recipe may run first (`/a/{a}/b/{b}` needs two).
  int max_producer_depth = 3;
  /// A value no list gives may come from creating a resource (`POST` of its collection), which
  /// the recipe then deletes in its cleanup when the spec can.
  bool allow_writes = false;
  /// The recipe's variant name, for a draft whose conventional file name is taken already.
  std::string variant;
};

/// Where one value of the request comes from, for a dry run's plan and a draft's summary.
struct ValueSource {
  std::string name;    // the parameter ("client_id") or "body"
  std::string in;      // path, query, header, body
  std::string source;  // param, producer, example, generated
  std::string detail;  // "{{business_id}}", "GET /clients → $.data.clients[0].id", the value
};

struct DerivedRecipe {
  std::string endpoint;  // "GET /platform/v1/clients/{client_id}"
  std::string domain;    // the operation's, the folder its draft goes in
  std::string variant;   // empty, or kFromSpecVariant when the conventional file is taken
  /// Where it would be drafted, relative to the knowledge base: `<domain>/<conventional name>`.
  std::string file;
  std::string text;  // the whole document
  std::vector<ValueSource> sources;
  std::vector<std::string> producers;  // endpoints run first, in order
};

/// Names of the reasons a recipe cannot be derived (Status messages start with one).
inline constexpr const char* kNoProducer = "NO_PRODUCER";

/// The recipe for `operation`, or kNotFound whose message starts with NO_PRODUCER and says which
/// value and which candidates were tried.
Result<DerivedRecipe> DeriveRecipe(const spec::Operation& operation, spec::Catalog& catalog,
                                   const DeriveOptions& options = {});

/// The names a parameter may be known by in the environment: itself, then `<base>_id`,
/// `<base>_uid`, `<base>Id`, `<base>` where base is the name without such a suffix.
std::vector<std::string> ParameterAliases(const std::string& name);

}  // namespace verity::derive
