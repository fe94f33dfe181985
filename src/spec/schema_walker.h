// The walk behind SchemaValidator::Validate: the body and the schema together, one body location
// at a time. Internal to src/spec; validate.cc has the scalar keywords and the driver,
// schema_applicators.cc the keywords that descend (objects, arrays, allOf/anyOf/oneOf/not).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "base/json.h"
#include "spec/schema_node.h"
#include "spec/validate.h"

namespace verity::spec::schema_detail {

// Schema levels applied to one body location (allOf in allOf in $ref …). Real specs use a handful;
// the bound is for generated or hostile ones.
inline constexpr int kMaxSchemaDepth = 256;
// Schema frames in all, body depth included; each body level costs a few frames (a tree schema:
// 3, so trees over 300 levels deep stop with one issue). A frame is about 300 bytes of stack in
// Release but up to ~3 KB under ASan at -O1 (3000 frames overflowed an 8 MB stack there), so this
// keeps a walk within ~0.3 MB (~3 MB) whatever the schema does.
inline constexpr int kMaxFrames = 1000;

// Where issues go. The real sink collects them; a trial (does this oneOf branch match?) only
// counts errors, and never builds a message.
struct Sink {
  ValidationResult* result = nullptr;  // null in a trial
  size_t max_issues = 0;
  bool fail_fast = false;
  size_t errors = 0;
  bool stopped = false;
};

// What the schemas applied to one object say about its members, for UNDOCUMENTED_FIELD.
struct Scope {
  size_t marks = 0;  // offset in Walker::marks_ of one flag per member: declared somewhere
  const SchemaNode* declared_by = nullptr;  // the first schema with `properties`
  bool open = false;                        // some schema says additionalProperties
};

class Walker {
 public:
  Walker(SchemaCache& cache, const ValidationOptions& options, ValidationResult& result);
  void Run(SchemaNode* root, const Json& value) { Value(root, value); }

 private:
  struct MemoKey {
    const SchemaNode* node;
    const Json* value;
    bool operator==(const MemoKey&) const = default;
  };
  struct MemoHash {
    size_t operator()(const MemoKey& k) const {
      return std::hash<const void*>{}(k.node) * 31 + std::hash<const void*>{}(k.value);
    }
  };

  bool Stopped() const { return sink_->stopped || aborted_; }
  // The body's own values in messages, masked (ValidationOptions::mask) before they are cut.
  const QuoteMask* Mask() const { return options_.mask ? &options_.mask : nullptr; }
  std::string Describe(const Json& v) const { return DescribeValue(v, Mask()); }
  std::string Shown(const Json& v, size_t max_chars = 40) const {
    return ShortJson(v, max_chars, Mask());
  }
  bool Trial() const { return sink_->result == nullptr; }

  // `knob`: the ValidationKnobs member that chose `severity` (SchemaIssue::knob), if any.
  template <typename MakeMessage>
  void Emit(const char* code, Severity severity, const SchemaNode& node, std::string_view keyword,
            MakeMessage&& message, const char* knob = nullptr);
  void PushKey(std::string_view key) { AppendPointerToken(path_, key); }
  void PushIndex(size_t index);
  void PopTo(size_t length) { path_.resize(length); }

  // A new body location: applies `node` and then reports undocumented members.
  void Value(SchemaNode* node, const Json& v);
  // One schema applied to the current location; `scope` is null in trials and for non-objects.
  void Apply(SchemaNode* node, const Json& v, Scope* scope, int depth);
  void ApplyRef(SchemaNode& n, const Json& v, Scope* scope, int depth);
  void CheckType(SchemaNode& n, const Json& v, bool& mismatch);
  void CheckEnum(SchemaNode& n, const Json& v);
  void CheckString(SchemaNode& n, const std::string& s);
  void CheckNumber(SchemaNode& n, const Json& v);
  void ReportUnresolved(SchemaNode& n, const std::string& why);

  void ApplyArray(SchemaNode& n, const Json& v);
  void ApplyObject(SchemaNode& n, const Json& v, Scope* scope);
  void CheckRequired(SchemaNode& n, const Json::object_t& members);
  void ApplyPropertyNames(SchemaNode& n, const Json::object_t& members);
  void ApplyChoice(SchemaNode& n, const Json& v, Scope* scope, int depth, bool one_of);
  bool ApplyDiscriminator(SchemaNode& n, const Json& v, Scope* scope, int depth, bool one_of);
  // Marks the members `node` declares, without checking anything (a further matching branch).
  void Declare(SchemaNode* node, const Json& v, Scope* scope, int depth);
  void DeclareOwn(SchemaNode* node, const Json& v, Scope* scope, int depth);
  void ReportUndocumented(const Json& v, const Scope& scope);
  // `null` for a property its object does not require, under ValidationKnobs::optional_nullable:
  // true when it was dealt with (accepted, or reported as a warning).
  bool OptionalNull(SchemaNode& object, const Json& members, const std::string& key,
                    SchemaNode* property, const Json& value);
  // Whether `node`, its `$ref` or an `allOf` part (recursively) lists `key` in `required`.
  bool Requires(SchemaNode* node, const std::string& key, std::vector<const SchemaNode*>& seen);

  // Does `node` accept `v`? Fail-fast and remembered per (schema, value).
  bool Passes(SchemaNode* node, const Json& v, int depth);
  // Errors of `node` on `v`, up to max_issues: to pick the closest failing branch.
  size_t CountErrors(SchemaNode* node, const Json& v, int depth);

  SchemaCache& cache_;
  const ValidationOptions& options_;
  Sink real_;
  Sink* sink_;
  std::string path_;  // JSON Pointer of the current body location, grown and shrunk in place
  // Schemas being applied, with their body value. Meeting a pair again is a cycle that consumes
  // no body (`Loop: {allOf: [$ref: Loop]}`); it is skipped, since the application already under
  // way checks the same things.
  std::vector<std::pair<const SchemaNode*, const Json*>> active_;
  std::vector<uint8_t> marks_;
  // The schema each object being walked was given (Value), for `required` written beside the
  // part of an allOf that declares a property.
  std::vector<std::pair<SchemaNode*, const Json*>> objects_;
  std::unordered_map<MemoKey, bool, MemoHash> memo_;
  std::unordered_set<const SchemaNode*> reported_refs_;
  std::deque<Json> names_;  // propertyNames candidates: stable addresses for memo keys
  int frames_ = 0;
  // Set when kMaxFrames is reached: the whole walk stops with one issue, rather than every
  // enclosing oneOf reporting that no branch matched.
  bool aborted_ = false;
  // Cycle skips and depth stops: a trial that saw one depends on the stack, so is not remembered.
  size_t context_events_ = 0;
};

template <typename MakeMessage>
void Walker::Emit(const char* code, Severity severity, const SchemaNode& node,
                  std::string_view keyword, MakeMessage&& message, const char* knob) {
  Sink& sink = *sink_;
  if (sink.stopped) return;
  if (!sink.result) {
    if (severity == Severity::kError && ++sink.errors >= (sink.fail_fast ? 1 : sink.max_issues)) {
      sink.stopped = true;
    }
    return;
  }
  if (sink.result->issues.size() >= sink.max_issues) {
    sink.result->truncated = true;
    sink.stopped = true;
    return;
  }
  SchemaIssue& issue = sink.result->issues.emplace_back();
  issue.code = code;
  issue.severity = severity;
  issue.instance_path = path_;
  issue.schema_path = node.location;
  if (!keyword.empty()) {
    issue.schema_path += '/';
    issue.schema_path += keyword;
  }
  issue.message = message();
  if (knob) issue.knob = knob;
}

/// "Cat" for "#/components/schemas/Cat", "Cat" for "./Cat.yaml": how a discriminator value and
/// messages name a branch.
std::string_view RefName(std::string_view ref);

}  // namespace verity::spec::schema_detail
