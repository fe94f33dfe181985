#include "derive/operations.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "base/strings.h"
#include "derive/collections.h"
#include "derive/links.h"
#include "doc/naming.h"
#include "doc/parser.h"
#include "doc/scaffold.h"
#include "run/outcome.h"
#include "spec/path_template.h"

namespace verity::derive {
namespace {

// Verbs that, as a path's last segment, name an action with effects outside the API's records:
// money moves, messages go out, accounts change state.
const std::set<std::string, std::less<>>& ActionVerbs() {
  static const std::set<std::string, std::less<>> verbs = {
      "activate", "approve",  "archive", "authorize", "block",     "cancel",     "capture",
      "charge",   "checkout", "close",   "complete",  "confirm",   "deactivate", "decline",
      "disable",  "enable",   "execute", "invite",    "notify",    "pay",        "publish",
      "refund",   "reject",   "resend",  "reset",     "restore",   "revoke",     "send",
      "submit",   "suspend",  "trigger", "unblock",   "unpublish", "void",       "withdraw"};
  return verbs;
}

// What the selection needs to know of an operation before its recipe exists.
doc::Document StandIn(const spec::Operation& op, const std::string& file) {
  doc::Document d;
  d.file = file;
  d.from_spec = true;
  d.frontmatter.endpoint = op.Key();
  d.frontmatter.method = op.method;
  d.frontmatter.path = op.path;
  d.frontmatter.domain = op.domain;
  d.frontmatter.raw_status = "pending";
  d.frontmatter.status = doc::WorkflowStatus::kPending;
  return d;
}

}  // namespace

bool IsActionEndpoint(std::string_view method, std::string_view path) {
  if (method == "GET" || method == "HEAD" || method == "OPTIONS") return false;
  std::vector<std::string_view> parts = Split(path, '/');
  while (!parts.empty() && parts.back().empty()) parts.pop_back();
  if (parts.empty() || parts.back().starts_with('{')) return false;
  std::string last = ToLower(parts.back());
  for (char& c : last)
    if (c == '-') c = '_';
  // `send_sms`, `cancel-booking`: the verb leads.
  std::string first_word = last.substr(0, last.find('_'));
  return ActionVerbs().count(last) > 0 || ActionVerbs().count(first_word) > 0;
}

SpecDocuments DeriveMissing(const kb::KnowledgeBase& kb, spec::Catalog& catalog,
                            const OperationScope& scope) {
  SpecDocuments out;
  std::string root = kb.roots.empty() ? std::string(".") : kb.roots.front();
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  DeriveOptions derive = scope.derive;
  derive.allow_writes = scope.allow_writes;  // one switch for writes, tests and producers alike
  CollectionIndex collections(catalog);
  derive.collections = &collections;
  LinkIndex links(catalog);
  derive.links = &links;
  // A recipe covers its operation whatever it calls the placeholders: `GET /x/{id}` in the
  // knowledge base is `GET /x/{item_uid}` in the spec.
  auto shape = [](std::string_view method, std::string_view path) {
    return ToUpper(method) + " " + spec::PathTemplate::Parse(spec::StripQuery(path)).Shape();
  };
  std::set<std::string> recipes;
  for (const doc::Document& d : kb.documents) {
    std::string method, path;
    if (!d.from_spec && spec::SplitEndpoint(d.frontmatter.endpoint, &method, &path))
      recipes.insert(shape(method, path));
  }
  std::set<std::string> seen;
  for (const spec::Operation& op : catalog.operations()) {
    std::string endpoint = op.Key();
    // Two descriptions may list the same endpoint: one recipe for it.
    if (!seen.insert(endpoint).second || recipes.count(shape(op.method, op.path))) continue;
    std::string file = root + "/" + (op.domain.empty() ? "" : op.domain + "/") +
                       doc::ConventionalFileName(endpoint);
    if (scope.wanted && !scope.wanted(StandIn(op, file))) continue;
    bool named = std::find(scope.named.begin(), scope.named.end(), endpoint) != scope.named.end();
    bool write = op.method != "GET" && op.method != "HEAD" && op.method != "OPTIONS";
    auto leave_out = [&](std::string_view reason, std::string message) {
      doc::Document d = StandIn(op, file);
      d.title = doc::TitleFor(op.method, op.path);
      d.left_out = doc::Document::LeftOut{std::string(reason), message};
      out.left_out.push_back({endpoint, std::string(reason), std::move(message), std::move(d)});
    };
    if (write && !scope.allow_writes) {
      leave_out(run::reason::kWriteNotAllowed, "writes are sent only with --allow-writes");
      continue;
    }
    if (op.method == "DELETE" && !scope.include_delete) {
      leave_out(run::reason::kWriteNotAllowed, "DELETE is sent only with --include-delete");
      continue;
    }
    if (IsActionEndpoint(op.method, op.path) && !named) {
      leave_out(run::reason::kActionNotNamed,
                "an action is called only when its endpoint is named exactly");
      continue;
    }
    DeriveOptions options = derive;
    if (scope.file_exists && scope.file_exists(file)) {
      options.variant = kFromSpecVariant;
      file = root + "/" + (op.domain.empty() ? "" : op.domain + "/") +
             doc::ConventionalFileName(endpoint, options.variant);
    }
    Result<DerivedRecipe> recipe = DeriveRecipe(op, catalog, options);
    if (!recipe.ok()) {
      std::string message = recipe.status().message();
      std::string prefix = std::string(kNoProducer) + ": ";
      if (message.starts_with(prefix)) message.erase(0, prefix.size());
      leave_out(kNoProducer, std::move(message));
      continue;
    }
    doc::Document d = doc::ParseDocument(recipe->text, file);
    d.from_spec = true;
    out.documents.push_back(std::move(d));
    out.recipes.push_back(std::move(*recipe));
  }
  return out;
}

}  // namespace verity::derive
