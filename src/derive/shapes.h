// How a spec names resources and ids, and where they sit in documented answers: the small
// rules recipe derivation reads paths and examples by.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/json.h"

namespace verity::derive {

struct Segment {
  std::string text;   // as written: "clients" or "{client_id}"
  std::string param;  // "client_id" for a parameter segment, else empty
};

/// The non-empty segments of a path template.
std::vector<Segment> Segments(std::string_view path);

/// A template variable name for a parameter: the recipe language's names are identifiers.
std::string VariableName(std::string_view name);

/// `client_uid`, `clientId` → `client`; a name without such a suffix is returned as it is.
std::string StripIdSuffix(const std::string& name);

/// "clients" → "client", "categories" → "category", "addresses" → "address".
std::string Singular(std::string_view plural);

/// `.key`, or `['key']` for a key that is not a plain name.
std::string MemberPath(const std::string& key);

/// The list of objects in an answer that holds a collection's items: the one under the
/// collection's own name (`clients`) wherever it is, else the first breadth first (a page's
/// `data.items` before an item's nested `tags`). The JSONPath of its first item, and the item.
std::optional<std::pair<std::string, const Json*>> FirstItem(const Json& answer,
                                                             std::string_view collection = {});

/// A documented path value as it goes into the path: percent-encoded outside RFC 3986's
/// unreserved characters, so an example such as "a b/c" stays one segment.
std::string PathText(const Json& value);

/// The members an id of parameter `name` of resource `singular` may be called, likeliest first.
std::vector<std::string> IdCandidates(const std::string& name, const std::string& singular);

/// The first object in `answer`, breadth first, with one of `fields` holding a string or an
/// integer: its JSONPath and the field (`$.data.client`, `id`).
std::optional<std::pair<std::string, std::string>> FindId(const Json& answer,
                                                          const std::vector<std::string>& fields);

/// Every RFC 3339 date-time string in a request value made from the spec, replaced by a template
/// of the run's own time: a fixed date goes stale (an API that schedules, silences or expires
/// refuses a window in the past), and two equal ones make an empty window. A member named for an
/// end (`endsAt`, `valid_until`, `expires`, `dateTo`) gets `{{future_datetime_48h}}`, any other
/// `{{future_datetime}}`, so an end comes after its start.
void DateTimesFromNow(Json* value, std::string_view name = {});

/// The JSON type of a value as a schema names it: "integer", "number", "string", "boolean",
/// "array", "object" or "null".
std::string JsonTypeName(const Json& value);

/// `value` made into a `type` (a schema's type name), keeping what it can: "42" → 42, 42 → "42",
/// "true" → true, x → [x]. A template (`{{client_id}}`) is left as it is: what it renders is
/// its variable's, not the sample's.
Json CoercedTo(const Json& value, std::string_view type);

/// Every member of `value`, at any depth, whose name `types` maps to a type, coerced to it.
void CoerceMembers(Json* value, const std::map<std::string, std::string>& types);

}  // namespace verity::derive
