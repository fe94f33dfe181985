// RFC 9535 JSONPath: a query is compiled once and evaluated many times. Evaluation never fails: a
// query that selects nothing gives an empty nodelist. Compilation fails with the column of the
// offending character. The dialect (RFC 9535 plus the legacy forms real recipes use) is described
// in docs/jsonpath.md.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/status.h"

namespace verity::expr {

namespace jsonpath_detail {
struct Query;  // the compiled form; defined by the implementation
}

/// Why a query text was refused: a message and where (1-based column in code points).
struct JsonPathError {
  std::string message;
  uint32_t column = 1;
  /// "column 7: expected ']'"
  std::string ToString() const;
};

struct JsonPathOptions {
  /// Accept the legacy forms existing recipes use: `[?(@.x=='y')]` and a trailing `| [0]`.
  bool legacy = true;
};

/// One node of a nodelist: the value (pointing into the evaluated document) and its normalized path
/// (RFC 9535 §2.7, e.g. `$['data']['clients'][0]['id']`).
struct JsonPathNode {
  const Json* value = nullptr;
  std::string path;
};

class JsonPath {
 public:
  /// Compiles `text`; on failure `*error` (when given) says why and where.
  static Result<JsonPath> Compile(std::string_view text, const JsonPathOptions& options = {},
                                  JsonPathError* error = nullptr);

  /// The nodelist of the query against `root`, in RFC 9535 order. Pointers stay valid while
  /// `root` is alive and unchanged.
  std::vector<JsonPathNode> Evaluate(const Json& root) const;
  /// Only the values, copied.
  Json Values(const Json& root) const;
  /// Only the values, not copied: the cheapest way to use a result (no paths are built). Pointers
  /// stay valid while `root` is alive and unchanged.
  std::vector<const Json*> Select(const Json& root) const;
  /// Select() of each of `paths` (none null) against one document, in as few passes over it as
  /// their shapes allow: paths that run through the same list with a wildcard or a filter walk it
  /// once together. The result is exactly each path's Select().
  static std::vector<std::vector<const Json*>> SelectEach(const std::vector<const JsonPath*>& paths,
                                                          const Json& root);

  const std::string& text() const { return text_; }
  /// True for a singular query (RFC 9535 §2.3.5.1): at most one node.
  bool singular() const;

 private:
  JsonPath() = default;
  std::string text_;
  std::shared_ptr<const jsonpath_detail::Query> query_;
};

}  // namespace verity::expr
