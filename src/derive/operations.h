// Which operations of a spec a run calls through a recipe built from the spec: every operation
// that has no recipe in the knowledge base, within what the person running allows. Reads only by
// default, so pointing Verity at a real API with `--all-operations` changes nothing there:
// POST, PUT and PATCH need `allow_writes`, DELETE needs `include_delete` as well, and an action
// (`POST …/{id}/cancel`, `…/refund`, `…/send`) is called only when named exactly.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "derive/recipe.h"
#include "doc/model.h"
#include "kb/knowledge_base.h"
#include "spec/catalog.h"

namespace verity::derive {

struct OperationScope {
  bool allow_writes = false;
  bool include_delete = false;
  /// Endpoints named exactly ("POST /v1/orders/{id}/cancel"): actions among them are called.
  std::vector<std::string> named;
  /// Its allow_writes is taken from this scope's.
  DeriveOptions derive;
  /// Whether the run wants an operation, asked of a stand-in document (endpoint, method, path,
  /// domain, file) before anything is built: an operation outside the selection is neither
  /// built nor reported. Unset: every operation.
  std::function<bool(const doc::Document&)> wanted;
  /// Whether a file exists at a path: a recipe whose conventional file is taken (by a document
  /// of another endpoint, or one that does not parse) is built as the variant `from-spec`, so
  /// that its draft never overwrites anything. Unset: no file is taken.
  std::function<bool(const std::string&)> file_exists;
};

/// The variant name of a recipe built from the spec whose conventional file name is taken.
inline constexpr const char* kFromSpecVariant = "from-spec";

/// An operation that is left out, and why (NO_PRODUCER, WRITE_NOT_ALLOWED, ACTION_NOT_NAMED).
struct LeftOut {
  std::string endpoint;
  std::string reason;
  std::string message;
  /// A document with no steps that says so (doc::Document::left_out): run, it ends SKIP with this
  /// reason, so that the operation has a result in every report like any other.
  doc::Document document;
};

struct SpecDocuments {
  /// Parsed from the derived text, `from_spec` set, `file` under the knowledge base's first root.
  std::vector<doc::Document> documents;
  std::vector<DerivedRecipe> recipes;  // the same, as built
  std::vector<LeftOut> left_out;
};

/// Recipes for every operation of `catalog` that no document of `kb` names, in catalog order.
SpecDocuments DeriveMissing(const kb::KnowledgeBase& kb, spec::Catalog& catalog,
                            const OperationScope& scope);

/// True for an endpoint whose last segment is a verb acting on a resource (cancel, refund, send,
/// …) rather than a resource: such calls have effects beyond the API's own data.
bool IsActionEndpoint(std::string_view method, std::string_view path);

}  // namespace verity::derive
