// The collections of a catalog by the resource they hold, for finding a producer named after a
// parameter (`client_uid` → `GET …/clients`) anywhere in the spec. Looking through every
// operation's path for every such parameter made planning quadratic: on GitHub's description
// (1 223 operations) three quarters of `verity run --all-operations`'s planning went to it.
// DeriveMissing builds the index once per call and every recipe it derives shares it.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "spec/catalog.h"
#include "spec/operation.h"

namespace verity::derive {

class CollectionIndex {
 public:
  /// Indexes every operation of `catalog` whose path ends in a literal segment, under its method
  /// and both that segment and its singular ("clients" and "client"). The catalog must outlive
  /// the index and gain no operations meanwhile.
  explicit CollectionIndex(const spec::Catalog& catalog);

  /// The operations of `method` whose path's last segment is `name` or names it in the plural
  /// (`client` finds `/v1/clients` and `/v2/client`), in catalog order.
  const std::vector<const spec::Operation*>& Find(std::string_view method,
                                                  std::string_view name) const;

 private:
  std::unordered_map<std::string, std::vector<const spec::Operation*>> by_key_;
};

}  // namespace verity::derive
