// The workflow document model: one markdown file per API endpoint, with YAML frontmatter and YAML
// step blocks. The format is specified in docs/workflow-format.md. Everything keeps its source
// position so that diagnostics point at the exact line and column.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/source_pos.h"
#include "doc/diagnostic.h"

namespace verity::doc {

/// The canonical status vocabulary. Real files also say skip, success, pass; they map onto these.
enum class WorkflowStatus { kVerified, kPending, kFailed, kSkipped, kDeprecated };

struct Timestamp {
  std::string text;  // as written
  int64_t epoch_ms = 0;
};

/// One frontmatter entry exactly as written; unknown fields live only here.
struct Field {
  std::string key;
  SourcePos key_pos;
  SourcePos value_pos;
  SourcePos value_end;  // exclusive
  std::string raw;      // the value's source text, verbatim
  Json value;           // typed with the YAML 1.2 core schema
};

struct KnownIssue {
  std::string path;  // JSON Pointer pattern; '*' matches one array index
  Json detail;       // the whole entry as written
};

/// One check of a step's `expect` besides its status (docs/workflow-format.md, "Checks"): a
/// predicate (expr/predicate.h) over a part of the answer. `expect.body` entries with several
/// operators give one Check each, in the order written.
struct Check {
  /// kCriterion: an Arazzo success criterion (`expect.criteria`): `target` is its context (a
  /// runtime expression; empty for a simple condition without one), `op` its type (`simple`,
  /// `regex`, `jsonpath`) and `operand` the condition's text.
  enum class Subject { kBody, kHeader, kDuration, kContentType, kCriterion };
  Subject subject = Subject::kBody;
  std::string target;      // the JSONPath (body) or the header name as written; empty otherwise
  std::string op;          // the operator's name ("equals", "count", …)
  Json operand;            // as written: placeholders are rendered when the step runs
  bool templated = false;  // the operand holds `{{ … }}` placeholders
  SourcePos pos;           // the operator's key, or the entry of a short form
  SourcePos target_pos;    // the path's or header name's first character
};

/// "body", "header", "duration", "content_type", "criterion".
std::string_view CheckSubjectName(Check::Subject subject);

/// What happens after a step instead of the usual (the next step after a success, the end of the
/// workflow after a failure): an Arazzo success or failure action (`onSuccess`, `onFailure`, and
/// the frontmatter's `successActions`/`failureActions` for every step without its own). The
/// first action whose criteria all hold is taken.
struct FlowAction {
  enum class Type { kEnd, kGoto, kRetry };
  std::string name;
  Type type = Type::kEnd;
  std::string step_id;      // goto: the step to go on from (of the same document)
  std::string workflow_id;  // read for messages: a goto to another workflow is not supported
  int64_t retry_after_ms = 0;
  int retry_limit = 1;          // retry: how many times the step is sent again at most
  std::vector<Check> criteria;  // kCriterion checks of the step's answer
  SourcePos pos;
};

struct Frontmatter {
  SourcePos pos;              // the opening "---"
  std::vector<Field> fields;  // every entry, in file order

  std::string endpoint;  // "METHOD /path"
  std::string method;    // upper-cased method part of endpoint
  std::string path;      // path part of endpoint
  // Empty for the endpoint's primary recipe; a name ("missing-key") for another recipe of the same
  // endpoint: a negative case, another shape of the request. `use:` only ever runs a primary.
  std::string variant;
  std::string domain;
  std::vector<std::string> tags;
  std::optional<std::string> swagger;
  std::string raw_status;                // as written ("success", "skip", …)
  std::optional<WorkflowStatus> status;  // canonical; nullopt when missing or unknown
  std::optional<Timestamp> saved_at;
  std::optional<Timestamp> verified_at;
  std::optional<int64_t> times_reused;
  // Failed runs in a row, kept by `verity run` so one flaky run does not demote a recipe.
  std::optional<int64_t> consecutive_failures;
  std::vector<std::string> tokens;
  std::optional<bool> use_fallback_api;
  std::optional<std::string> skip_reason;
  std::vector<int> expected_outcome;  // documented non-2xx outcome that counts as success
  std::optional<std::string> expected_outcome_reason;
  std::optional<bool> requires_test_data;
  std::optional<std::string> test_data_description;
  std::optional<std::string> notes;
  std::vector<KnownIssue> known_issues;
  /// A workflow (an Arazzo workflow written as a recipe, docs/workflow-format.md "Workflows"):
  /// `workflow` its id, which `useWorkflow:` and `dependsOn` name; `inputs` the JSON Schema of
  /// the `{{inputs.NAME}}` values it is given (null: none written); `outputs` what it hands back
  /// when it ends, name → template; the actions every step without its own takes.
  std::string workflow;
  std::vector<std::string> depends_on;
  Json inputs;
  Json outputs = Json::object();
  std::vector<FlowAction> success_actions;
  std::vector<FlowAction> failure_actions;

  const Field* Find(std::string_view key) const;
};

enum class SectionKind { kPrerequisites, kTestRequest, kCleanup, kOther };

struct Table {
  SourcePos pos;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

struct Section {
  std::string title;  // heading text ("Expected Response (200)")
  SourcePos pos;      // the heading line
  SectionKind kind = SectionKind::kOther;
  std::string text;  // the section's markdown source, trimmed
  std::vector<Table> tables;
};

struct CodeBlock {
  std::string lang;  // info string's first word ("yaml", "json", "")
  std::string text;
  SourcePos pos;     // first line of the content
  int section = -1;  // index into Document::sections; -1 before the first "##" heading
};

enum class OnFail { kAbort, kSkip, kContinue };

/// A `{{ … }}` placeholder found in a step. Evaluating it belongs to the expression engine; the
/// document model only records it so lint can check that every name has a source.
struct TemplateRef {
  std::string expr;                  // text between the braces, trimmed ("x | slice: -4")
  std::string name;                  // the variable path ("client_id", "config.params.client_uid")
  std::vector<std::string> filters;  // filter names in order ("slice")
  std::string where;                 // "path", "params/business_id", "body/items/0/id", …
  SourcePos pos;
};

struct Extract {
  std::string name;
  std::string path;    // JSONPath text
  SourcePos pos;       // of the variable name
  SourcePos path_pos;  // of the first character of the JSONPath text
  bool path_columns_exact =
      false;              // path_pos.col + i is the column of path[i] (one line, no escapes)
  bool optional = false;  // a miss leaves the variable unset instead of failing the step
  std::optional<Json> default_value =
      std::nullopt;                // the value when the path selects nothing or null
  bool default_shorthand = false;  // written `$.path || 'literal'` (lint shows the canonical form)
  std::string copy_of = {};        // written `{{name}}`: a copy of that variable, no JSONPath
  /// Written `{header: Location, match: "…"}`: the response header's value is read instead of the
  /// body (no JSONPath); `match`, an RE2 expression, keeps its first group, or what it matched
  /// when it has none.
  std::string header = {};
  std::string match = {};
  SourcePos match_pos = {};
  /// Written as an Arazzo runtime expression (`$response.body#/0/id`, `$response.header.Location`,
  /// `$statusCode`, `$outputs.order_id`): evaluated against the step's request and answer
  /// (expr/arazzo_expression.h) instead of a JSONPath. `path` is empty then.
  std::string expression = {};
};

struct FileField {
  std::string field_name;
  std::string file_path;  // relative to the knowledge base
  std::string filename;   // name sent in the part; empty = basename of file_path
  SourcePos pos;
};

struct Step {
  SourcePos pos;
  SectionKind section_kind = SectionKind::kOther;
  int section = -1;  // index into Document::sections
  int block = -1;    // index into Document::blocks

  std::string id;
  std::string description;
  std::string method;
  std::string path;  // may carry a query string
  std::optional<std::string> token;
  Json params = Json::object();
  Json headers = Json::object();
  std::optional<Json> body;
  std::vector<Extract> extract;
  std::vector<int> expect_status;  // empty: not given (any 2xx)
  std::vector<Check> checks;       // expect.body, expect.headers, duration_ms, content_type
  std::string on_fail_text;        // as written
  std::optional<OnFail> on_fail;   // nullopt: not given or not understood
  /// `skip: true`: the step is not run. Only this skips a step; `skipReason` alone does not.
  bool skip = false;
  /// `shared: true`: a request whose 2xx answer every document of the run that sends the very
  /// same request takes, sent once: a read, or a create whose cleanup (a shared DELETE in the
  /// Cleanup section) is deferred to the end of the run (docs/run.md, "Shared requests").
  bool shared = false;
  /// The message of a skipped step: why `skip: true`, or what a failure tolerated by
  /// `onFail: skip` means (real documents write it for the latter).
  std::optional<std::string> skip_reason;
  SourcePos skip_reason_pos;
  std::optional<bool> use_fallback;  // `useFallbackApi` or its older spelling `useFallback`
  std::optional<bool> x_on_behalf_of;
  std::optional<std::string> content_type;
  Json form_fields = Json::object();
  std::vector<FileField> file_fields;
  std::optional<int64_t> sleep_ms;
  /// `use: "METHOD /path"`: run that knowledge-base document instead of a request, and import
  /// the variables it extracts; `with` seeds its variables (templates rendered in this step).
  std::optional<std::string> use;
  SourcePos use_pos;
  /// `useWorkflow: ID`: run the recipe whose frontmatter says `workflow: ID` (an Arazzo workflow
  /// step); `with` gives that workflow's inputs, and what it hands back is `$outputs.NAME`.
  std::optional<std::string> use_workflow;
  Json with = Json::object();
  std::vector<FlowAction> on_success;  // `onSuccess`
  std::vector<FlowAction> on_failure;  // `onFailure`
  Json extra = Json::object();         // keys this version does not know, kept as written
  std::vector<TemplateRef> refs;
};

struct Document {
  std::string file;  // path as given to the parser
  bool has_frontmatter = false;
  bool frontmatter_parsed = false;  // its YAML was read; false leaves `frontmatter` empty
  Frontmatter frontmatter;
  std::optional<std::string> title;
  SourcePos title_pos;
  std::vector<Section> sections;
  std::vector<CodeBlock> blocks;
  std::vector<Step> steps;  // document order: the order the runner executes within a section
  std::vector<Diagnostic> diagnostics;  // found while parsing
  /// Built from the spec for an operation that has no recipe (`verity run --all-operations`):
  /// `file` is the conventional name it would be drafted at, not a file that exists, so nothing
  /// is written back to it.
  bool from_spec = false;
  /// For an operation built from the spec that is not called (from_spec set): why, so that it
  /// still has a result. `reason` is a run reason code (NO_PRODUCER, WRITE_NOT_ALLOWED,
  /// ACTION_NOT_NAMED), `message` says which value or which flag.
  struct LeftOut {
    std::string reason;
    std::string message;
  };
  std::optional<LeftOut> left_out;

  bool has_errors() const;
  const Section* FindSection(SectionKind kind) const;
  /// The first section whose title starts with `title` (case-insensitive).
  const Section* FindSection(std::string_view title) const;
  std::vector<const Step*> StepsIn(SectionKind kind) const;
};

}  // namespace verity::doc
