// An Arazzo 1.0 document (workflows of API calls over OpenAPI descriptions), read from YAML or
// JSON with the position of every part, so that lint and, later, the runner can point at the line.
// `reference` objects to `components` are resolved as the document is loaded; `x-` extensions are
// accepted and ignored.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/source_pos.h"

namespace verity::arazzo {

enum class Severity { kError, kWarning };

struct Problem {
  std::string file;
  SourcePos pos;
  Severity severity = Severity::kError;
  std::string code;
  std::string message;

  bool is_error() const { return severity == Severity::kError; }
};

/// "file:line:col: error: message [CODE]", as `verity kb lint` prints.
std::string FormatProblem(const Problem& problem);

/// A value as written (any JSON) and where; strings in it may be runtime expressions.
struct Value {
  Json json;
  SourcePos pos;
  /// Where each string inside is written, by JSON Pointer relative to the value ("" = itself).
  std::map<std::string, SourcePos> string_pos;
};

struct SourceDescription {
  std::string name;
  std::string url;
  std::string type = "openapi";  // "openapi" or "arazzo"
  SourcePos pos;
};

struct Parameter {
  std::string name;
  std::string in;  // path, query, header, cookie; empty for a workflow's input
  Value value;
  SourcePos pos;
};

struct Replacement {
  std::string target;  // a JSON Pointer or XPath into the payload
  Value value;
  SourcePos pos;
};

struct RequestBody {
  std::string content_type;
  std::optional<Value> payload;
  std::vector<Replacement> replacements;
  SourcePos pos;
};

struct Criterion {
  std::string condition;
  SourcePos condition_pos;
  std::string context;  // a runtime expression; required unless type is simple
  SourcePos context_pos;
  std::string type = "simple";  // simple, regex, jsonpath, xpath
  std::string version;          // of jsonpath or xpath, when given as {type, version}
  SourcePos pos;
};

struct Action {
  std::string name;
  std::string type;  // end, goto (both kinds); retry (failure actions)
  std::string workflow_id;
  std::string step_id;
  SourcePos target_pos;  // of workflowId or stepId
  std::optional<double> retry_after;
  std::optional<int64_t> retry_limit;
  std::vector<Criterion> criteria;
  SourcePos pos;
};

struct Output {
  std::string name;
  std::string expression;
  SourcePos pos;  // of the value
};

struct Step {
  std::string step_id;
  std::string description;
  std::string operation_id;
  std::string operation_path;
  std::string workflow_id;
  SourcePos target_pos;  // of operationId, operationPath or workflowId
  std::vector<Parameter> parameters;
  std::optional<RequestBody> request_body;
  std::vector<Criterion> success_criteria;
  std::vector<Action> on_success;
  std::vector<Action> on_failure;
  std::vector<Output> outputs;
  SourcePos pos;
};

struct Workflow {
  std::string workflow_id;
  std::string summary;
  std::string description;
  std::optional<Json> inputs;  // a JSON Schema
  std::vector<std::pair<std::string, SourcePos>> depends_on;
  std::vector<Parameter> parameters;
  std::vector<Step> steps;
  std::vector<Action> success_actions;
  std::vector<Action> failure_actions;
  std::vector<Output> outputs;
  SourcePos pos;
};

struct Components {
  std::map<std::string, Json> inputs;
  std::map<std::string, Parameter> parameters;
  std::map<std::string, Action> success_actions;
  std::map<std::string, Action> failure_actions;
};

struct Document {
  std::string path;
  std::string arazzo;  // the version, "1.0.1"
  Json info;
  std::vector<SourceDescription> source_descriptions;
  std::vector<Workflow> workflows;
  Components components;
};

struct LoadResult {
  std::optional<Document> document;  // absent when the text is not YAML or JSON at all
  std::vector<Problem> problems;
};

/// Reads a document; problems of structure and types are collected, not stopped at.
LoadResult LoadDocument(std::string path, std::string_view text);

}  // namespace verity::arazzo
