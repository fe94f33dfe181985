// What the parts of the exporter share: the scope of the workflow being written (which step
// produced which variable, the inputs found so far, the warnings) and the conversions of values,
// JSONPaths and checks into their Arazzo forms.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arazzo/export.h"
#include "base/json.h"
#include "doc/model.h"

namespace verity::arazzo::export_internal {

struct WorkflowScope {
  const ExportOptions* options = nullptr;
  std::vector<ExportWarning>* warnings = nullptr;
  std::string file;  // the recipe, for warnings
  /// Variable → the stepId whose outputs hold it (the last step that set it so far).
  std::map<std::string, std::string> produced;
  /// Input name → its JSON Schema; becomes the workflow's `inputs.properties`.
  Json inputs = Json::object();

  void Warn(uint32_t line, std::string message);
  /// `$inputs.NAME`, declaring the input.
  std::string Input(const std::string& name, Json schema);
};

/// A recipe value with `{{…}}` placeholders in its Arazzo form: a whole-value placeholder becomes
/// a runtime expression, one inside a longer string the embedded `{$…}` form. `kept` is set when
/// a placeholder cannot be expressed (a filter, an unknown `request.` part): the text stays as
/// written and a warning names the line.
Json ConvertValue(const Json& value, WorkflowScope& scope, uint32_t line, bool* kept);

/// The runtime expression for a variable, or nullopt when it has none (`request.` parts other
/// than the body).
std::optional<std::string> ExpressionForName(const std::vector<std::string>& path,
                                             WorkflowScope& scope);

/// "$.a.b[0]['c']" → "/a/b/0/c"; nullopt for anything but names and indices.
std::optional<std::string> SimplePointer(std::string_view jsonpath);

/// A JSON Pointer token, escaped (~0, ~1).
std::string EscapePointerToken(std::string_view token);

/// The literal of a simple condition for a JSON value; nullopt when it has none (an object, an
/// array, a string with a quote in it).
std::optional<std::string> ConditionLiteral(const Json& value);

/// The success criteria of a step's checks; those without an Arazzo form go to `kept` as written.
void ConvertChecks(const doc::Step& step, WorkflowScope& scope, Json* criteria, Json* kept);

}  // namespace verity::arazzo::export_internal
