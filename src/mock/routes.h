// Finding the operation of a request quickly: the catalog's lookup scores every operation of the
// method (5 µs on GitHub's 1 200), too slow for a mock that should answer 20 000 requests a second,
// so the mock keeps its own tree of path segments, built once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "spec/path_template.h"

namespace verity::mock {

/// What an operation does to the store, read from its method and path shape.
enum class OpKind {
  kOther,    // served from its example or a generated body
  kList,     // GET /things
  kCreate,   // POST /things
  kRead,     // GET /things/{id}
  kReplace,  // PUT /things/{id}
  kMerge,    // PATCH /things/{id}
  kDelete,   // DELETE /things/{id}
};

const char* OpKindName(OpKind kind);

/// The kind an operation would have by its method and template alone; the responder demotes it to
/// kOther when its response has no place for a resource.
OpKind ClassifyOperation(std::string_view method, const spec::PathTemplate& path);

/// The shape of the collection an operation works on: the path without a trailing id, with every
/// placeholder written "{}" ("/clients/{}/notes").
std::string CollectionShape(const spec::PathTemplate& path, OpKind kind);

/// The collection's own path, without the trailing id ("/clients/{client_id}/notes").
std::string CollectionPath(const spec::PathTemplate& path, OpKind kind);

inline constexpr size_t kNoRoute = static_cast<size_t>(-1);

class RouteIndex {
 public:
  /// When two specs give the same method and shape (a legacy spec beside its successor), the first
  /// added serves it unless `replaces(first)` says the later one should.
  void Add(const spec::PathTemplate& path, std::string_view method, size_t route,
           const std::function<bool(size_t first)>& replaces = {});

  struct Match {
    size_t route = kNoRoute;
    bool path_known = false;               // some method serves this path
    std::vector<std::string> allowed;      // the methods that do, when `route` is kNoRoute
    std::vector<std::string_view> params;  // the placeholders' values, in path order
  };
  /// `path` without a query string. Literal segments win over placeholders, as in the catalog.
  Match Find(std::string_view method, std::string_view path) const;

 private:
  struct Node {
    std::unordered_map<std::string, uint32_t> literal;
    uint32_t param = 0;  // 0: none (node 0 is the root, never a child)
    std::vector<std::pair<std::string, size_t>> methods;
  };
  /// Depth first, literals before placeholders; `method` empty accepts a leaf of any method.
  bool Walk(uint32_t node, const std::vector<std::string_view>& segments, size_t at,
            std::string_view method, std::vector<std::string_view>& params, uint32_t* leaf) const;
  std::vector<Node> nodes_{1};
};

}  // namespace verity::mock
