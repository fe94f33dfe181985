// Generating a value that is valid for an OpenAPI schema: mock responses, request bodies derived
// from a spec, and large realistic bodies for benchmarks.
//
// The generator is deterministic (no seed, no clock): the same schema and options give the same
// value. It reads schemas the way SchemaValidator does (`$ref` across files, allOf, oneOf/anyOf
// with discriminators, nullable and x-nullable, 3.1 type arrays, readOnly/writeOnly by direction)
// and asks the validator wherever a guess could be wrong: an `example` or `default` is used only
// if it validates, and a oneOf branch whose value also matches another branch is swapped for the
// next one. Made-up strings and numbers look real where a name or format says what they hold
// (spec/sample_names.h): "billing_city" is "New York", a `phone` is E.164.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/status.h"
#include "spec/spec_set.h"
#include "spec/validate.h"

namespace verity::spec {

struct SampleOptions {
  /// kRequest leaves out readOnly properties, kResponse writeOnly ones.
  Direction direction = Direction::kResponse;
  /// Prefer the schema's own `example` (then `default`) to a made-up value.
  bool use_examples = true;
  /// Optional properties too, not only `required` ones.
  bool all_properties = false;
  /// An object with no declared properties, only `additionalProperties` (a map: labels,
  /// metadata), gets one made-up member even without all_properties: an API that requires a map
  /// seldom accepts it empty.
  bool fill_maps = false;
  /// Items per array, raised to minItems and capped by maxItems.
  size_t array_items = 1;
  /// When non-zero, the item count of the value itself if it is an array, nested arrays keeping
  /// array_items: a page of 500 results, each with one tag.
  size_t root_array_items = 0;
  /// Gives every array item its own values (another person's name, address and email, ids
  /// counting up from the example, "label-2" where no table knows the name, distinct uuids and
  /// timestamps) where the schema allows, so that a large sample looks like real data instead of
  /// one item repeated.
  bool vary_items = false;
  /// The name of the value itself (a parameter's): it picks a realistic value the way a
  /// property's name does for its members ("currency" → "USD", see spec/sample_names.h).
  std::string_view name;
  /// How many times one schema is expanded in full on a path before its smallest valid value is
  /// used instead: a recursive Tree gets children, whose own children are empty.
  int recursion_limit = 1;
  /// Nesting depth of the generated value; deeper objects and arrays are left empty.
  int max_depth = 64;
  /// Values generated in all (including tries that were discarded): LIMIT_EXCEEDED past it.
  size_t max_nodes = 1'000'000;
  /// Longest string generated (minLength beyond it is LIMIT_EXCEEDED).
  size_t max_string_length = 1 << 20;
  /// When set, appended to every made-up string a server may hold unique (a name, a title, a
  /// handle; not a code such as a currency) that has no pattern, and put in an email's local
  /// part, where the schema's maxLength leaves room for it plus 21 characters: a request derived
  /// from the spec passes "{{unique_id}}" so that what it creates is new on every run. Turn
  /// use_examples off too, or an example is sent as it is.
  std::string unique_suffix;
  /// When set, one line per place where no valid value could be found (a pattern this generator
  /// cannot satisfy, an unresolvable `$ref`, required recursion without end); the value is still
  /// produced, but may not validate there.
  std::vector<std::string>* notes = nullptr;
};

/// A value valid for `schema` (which may be a `$ref` node). Errors: kInvalidArgument for an empty
/// ref, kLimitExceeded when the value would exceed options.max_nodes or max_string_length.
Result<Json> SampleValue(SpecSet& specs, const SchemaRef& schema,
                         const SampleOptions& options = {});

}  // namespace verity::spec
