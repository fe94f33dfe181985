// The OpenAPI 3 links of a catalog, by the operation they lead to: where a spec says outright
// which answer gives a parameter (`getRepository`'s `slug` is `$response.body#/slug` of
// `GET /repositories/{username}`), that beats any producer inferred from names. A link is
// declared under a response of its source operation, possibly as a `$ref` to
// `components/links`, and names its target by `operationId` or `operationRef`. Reading every
// response of every operation for each parameter would make planning quadratic, so the index is
// built once per planning, as the collections are (derive/collections.h).
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "spec/catalog.h"
#include "spec/operation.h"

namespace verity::derive {

/// One parameter a link gives its target.
struct LinkedValue {
  std::string link;                         // the link's name: "userRepository"
  const spec::Operation* source = nullptr;  // the operation whose answer declares it
  std::string status;                       // that answer's status, as written: "200", "201"
  std::string expression;                   // "$response.body#/owner/username"
};

class LinkIndex {
 public:
  /// Reads the links of every 2XX answer of `catalog`'s operations. Links whose target cannot be
  /// found (an operationId no description of the catalog has) are left out. The catalog must
  /// outlive the index and gain no operations meanwhile.
  explicit LinkIndex(spec::Catalog& catalog);

  /// The values links give parameter `name` of `target` (a link may qualify the name:
  /// `path.id`), in catalog order.
  std::vector<LinkedValue> To(const spec::Operation& target, std::string_view name) const;

  bool empty() const { return by_target_.empty(); }

 private:
  struct Entry {
    std::string parameter;  // as the link names it, qualifier included
    LinkedValue value;
  };
  std::unordered_map<const spec::Operation*, std::vector<Entry>> by_target_;
};

/// The JSONPath of a link's `$response.body#/pointer` expression ("$.owner.username"), or empty
/// for any other expression (a header, the request's own values, a constant), which a recipe's
/// extract cannot read. `list` says the answer is an array of items, whose links point into an
/// item (`#/slug` reads the first item's `slug`) unless the pointer starts with an index.
std::string LinkExtractPath(std::string_view expression, bool list);

}  // namespace verity::derive
