// The parts of a recipe built from the spec (derive/recipe.h), between finding its values and
// writing its text: the producers run first, the request, the cleanup. recipe.cc finds them;
// recipe_text.cc writes them as a knowledge-base document. Internal to derive/.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/json.h"
#include "derive/recipe.h"
#include "spec/operation.h"

namespace verity::derive {

/// Where a value is taken from before the request: a list's item, or a create's answer.
struct Producer {
  std::string endpoint;         // "GET /clients"
  std::string path;             // its request path, parameters templated
  std::string item_path;        // "$.data.clients[0]"; with no id_field, the whole extract path
  std::string id_field;         // a member name, or a union selector (`['uid','id']`)
  Json query = Json::object();  // the list's required query parameters
  std::string method = "GET";   // POST: a create, run only with writes allowed
  std::optional<Json> body;     // a create's body
  std::string cleanup;          // the DELETE path of what a create made, its id templated; or ""
  /// The other id the same item has (`uid` beside the `id` read): what a heal may read instead.
  std::string other_id = {};
  /// Non-empty: the value is read from this header of the answer (`Location`), not its body;
  /// `match` keeps the part of it that is the id.
  std::string header = {};
  std::string match = {};
};

/// A producer in the recipe, and the variable its value goes in.
struct PlannedProducer {
  std::string variable;
  Producer producer;
  /// Further variables from the same answer, and their extract paths.
  std::vector<std::pair<std::string, std::string>> also;
};

/// The JSONPath a producer's id is extracted by; for one read from a header, "header <name>".
std::string ExtractPath(const Producer& p);
/// The RE2 expression that keeps the last segment of a URL's path (`/v1/orders/o-7?x=1` → `o-7`).
inline constexpr const char* kLastSegment = "([^/?#]+)/?(?:[?#].*)?$";
/// The id of a producer's step: `list_<variable>` or `create_<variable>`.
std::string ProducerStepId(const PlannedProducer& p);
/// Whether header `name` carries a credential of `op` (Authorization, or an apiKey scheme's).
bool IsCredentialHeader(const spec::Operation& op, const std::string& name);
/// The JSON media type of `op`'s request body with a schema, or null.
const spec::MediaSchema* JsonRequestMedia(const spec::Operation& op);

/// Everything the text of a recipe says.
struct RecipeParts {
  const spec::Operation* op = nullptr;
  const DeriveOptions* options = nullptr;
  std::vector<PlannedProducer> producers;  // in the order they run
  std::string request_path;
  Json query = Json::object();
  Json headers = Json::object();
  std::optional<Json> body;
  std::vector<int> statuses;  // expected
  // A create under test that deletes what it made: the variable its id goes in, the path that
  // extracts it, and the DELETE's path. Empty when there is none.
  std::string own_variable, own_extract, own_delete;
};

/// The whole knowledge-base document: frontmatter, summary, prerequisites, test request, cleanup.
std::string RecipeText(const RecipeParts& parts);

}  // namespace verity::derive
