// Filling in `{{ … }}` placeholders. Rendering never sends a placeholder literally: every name that
// does not resolve, every malformed placeholder and every filter that cannot apply is an error, and
// one render reports all of them (so a step's author sees every missing variable at once).
// Substituted values are data: they are not rendered again, whatever they contain.
//
// Derived secrets: a renderer given a SecretCheck asks it about the input of every placeholder
// that has filters; when the input holds a secret, what the filters made of it (`{{t | slice:
// 0:12}}`, `{{t | base64}}`) is listed in derived_secrets(), so the caller can mask it wherever
// it goes. The check is judged on content: `{{answer.id}}` of an answer that also echoed a token
// elsewhere is no secret.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/status.h"
#include "expr/template.h"
#include "expr/variables.h"

namespace verity::expr {

/// Whether a value's text holds a secret (the run's redactor answers it).
using SecretCheck = std::function<bool(std::string_view text)>;

/// Renders the parts of one step, collecting errors across calls. `where` names the part in
/// messages: "path", "params/business_id", "body/items/0/id", "form_fields/{{field}} (key)".
class Renderer {
 public:
  /// `scope` must outlive the renderer; `step_id` names the step in messages; `is_secret` (may be
  /// empty) tells derived secrets apart.
  Renderer(const Scope& scope, std::string step_id, SecretCheck is_secret = {})
      : scope_(scope), step_id_(std::move(step_id)), is_secret_(std::move(is_secret)) {}

  /// A string with placeholders anywhere: values are put in as text (ToText in expr/filters.h).
  std::string String(std::string_view text, std::string_view where);

  /// A JSON value, recursively: object keys and string values. A string that is exactly one
  /// placeholder takes the value's JSON type ("{{price}}" with price 12 gives 12, not "12").
  /// When two keys render to the same text, the later member wins.
  Json Value(const Json& value, std::string_view where);

  /// A request path ("/clients/{{id}}?q={{q}}"). Each value is percent-encoded as a path segment
  /// ("a/b c" gives "a%2Fb%20c") before the first literal '?', and as a query component after it;
  /// the template's own text is left as written.
  std::string Path(std::string_view path, std::string_view where = "path");

  bool ok() const { return errors_.empty(); }
  /// The texts filters made of secret inputs, each once, in the order rendered: a string output
  /// itself, every string inside an array or object output, any other output's text.
  const std::vector<std::string>& derived_secrets() const { return derived_secrets_; }
  const std::vector<TemplateError>& errors() const { return errors_; }
  /// OK, or InvalidArgument whose message lists every error, one per line as TemplateError's
  /// ToString().
  Status status() const;

 private:
  // `path`: percent-encode the values, as a path segment or a query component.
  std::string Text(std::string_view text, std::string_view where, bool path);
  std::optional<Json> Evaluate(const PlaceholderSpan& span, std::string_view where);
  // ` in step "id" (where)`, for messages.
  std::string Site(std::string_view where) const;
  void Fail(std::string_view code, std::string message, uint32_t column, std::string_view name,
            std::string_view where);
  void AddDerived(const Json& value);

  const Scope& scope_;
  std::string step_id_;
  SecretCheck is_secret_;
  std::vector<TemplateError> errors_;
  std::vector<std::string> derived_secrets_;
};

/// One-shot forms of the Renderer: the rendered value, or an error status listing every problem
/// (also returned one by one in `errors` when given).
Result<std::string> RenderString(std::string_view text, const Scope& scope,
                                 std::string_view step_id, std::string_view where,
                                 std::vector<TemplateError>* errors = nullptr);
Result<Json> RenderJson(const Json& value, const Scope& scope, std::string_view step_id,
                        std::string_view where, std::vector<TemplateError>* errors = nullptr);
Result<std::string> RenderPath(std::string_view path, const Scope& scope, std::string_view step_id,
                               std::vector<TemplateError>* errors = nullptr);

}  // namespace verity::expr
