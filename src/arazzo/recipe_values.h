// The pieces of a recipe step that come from Arazzo values (internal to recipes.cc): runtime
// expressions in what is sent become `{{…}}` templates, and criteria and actions become the
// recipe's `expect` and `onSuccess`/`onFailure` entries.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "arazzo/model.h"
#include "arazzo/sources.h"
#include "base/json.h"
#include "expr/arazzo_expression.h"

namespace verity::arazzo {

/// Codes of the problems a conversion reports (docs/arazzo.md, "Workflows as recipes").
inline constexpr const char* kRecipeTemplate = "ARAZZO_RECIPE_TEMPLATE";
inline constexpr const char* kRecipeOperation = "ARAZZO_RECIPE_OPERATION";
inline constexpr const char* kRecipeParameter = "ARAZZO_RECIPE_PARAMETER";
inline constexpr const char* kRecipeBody = "ARAZZO_RECIPE_BODY";
inline constexpr const char* kRecipeEndpoint = "ARAZZO_RECIPE_ENDPOINT";

/// Turns values that are sent into template form, collecting a problem for each expression that
/// cannot be one.
class TemplateWriter {
 public:
  TemplateWriter(const Document& doc, const Sources& sources, std::vector<Problem>& problems)
      : doc_(doc), sources_(sources), problems_(problems) {}

  /// Every string of the value converted; nullopt when one cannot be (reported).
  std::optional<Json> Value(const arazzo::Value& value);
  /// One string as written at `pos`: `$inputs.x` → `{{inputs.x}}`, `"a {$inputs.x}"` →
  /// `"a {{inputs.x}}"`, other text unchanged.
  std::optional<std::string> String(const std::string& text, SourcePos pos);

  void Error(SourcePos pos, std::string code, std::string message);
  void Warning(SourcePos pos, std::string code, std::string message);

 private:
  std::optional<Json> Walk(const Json& json, const arazzo::Value& value, std::string& pointer);
  std::optional<std::string> Placeholder(const Expression& e, SourcePos pos);

  const Document& doc_;
  const Sources& sources_;
  std::vector<Problem>& problems_;
};

/// The recipe's `expect` for a step's success criteria: `status` when every criterion that names
/// `$statusCode` is `$statusCode == N` (or an `||` of those), `criteria` for the others as written.
/// Empty when there are none.
Json ExpectFor(const std::vector<Criterion>& criteria);

/// A criterion as written in Arazzo: `condition`, `context`, `type` (absent for simple).
Json CriterionJson(const Criterion& criterion);
/// An action as written in Arazzo, components already resolved.
Json ActionJson(const Action& action);
Json ActionsJson(const std::vector<Action>& actions);

/// A workflow's `inputs` schema with every `$ref: "#/components/inputs/NAME"` replaced by that
/// component (nested ones too); other references are kept.
Json ResolveInputs(const Json& schema, const Components& components);

}  // namespace verity::arazzo
