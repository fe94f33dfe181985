// Schema objects read once into a flat struct for the validator. A response body of 20 000 array
// items visits the same few schema objects 20 000 times; reading their keywords (one pass over
// the members instead of ~35 lookups), resolving their `$ref` and compiling their patterns happen
// on the first visit only. Internal to src/spec.
//
// Not thread-safe: one cache per SchemaValidator, one validator per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/json.h"
#include "base/status.h"
#include "spec/formats.h"
#include "spec/spec_set.h"

namespace re2 {
class RE2;
}

namespace verity::spec::schema_detail {

// `type` as a bit set; 0 means no `type` keyword (any type).
enum TypeBit : uint8_t {
  kTypeString = 1,
  kTypeInteger = 2,
  kTypeNumber = 4,
  kTypeBoolean = 8,
  kTypeObject = 16,
  kTypeArray = 32,
  kTypeNull = 64,
};

enum AccessBit : uint8_t { kReadOnly = 1, kWriteOnly = 2 };

inline constexpr size_t kNoIndex = static_cast<size_t>(-1);

struct SchemaNode {
  SchemaNode();
  ~SchemaNode();
  SchemaNode(const SchemaNode&) = delete;
  SchemaNode& operator=(const SchemaNode&) = delete;

  const SpecFile* file = nullptr;
  const Json* json = nullptr;
  std::string location;  // "file#/pointer", the prefix of every schema_path
  size_t pointer_offset = 0;

  // A boolean schema (3.1, and additionalProperties/items everywhere) or something that is not a
  // schema at all (then it constrains nothing).
  bool is_bool = false;
  bool bool_value = true;

  const std::string* ref = nullptr;
  bool ref_only = false;  // Swagger 2.0 and OpenAPI 3.0 ignore the siblings of `$ref`
  bool ref_resolved = false;
  SchemaNode* ref_target = nullptr;
  std::string ref_error;  // the resolver's message when the ref cannot be followed

  bool nullable = false;  // `nullable: true` or `x-nullable: true`
  uint8_t types = 0;
  uint8_t access = 0;          // own readOnly/writeOnly
  int effective_access = -1;   // including the `$ref` target's; computed on demand
  const Json* type = nullptr;  // for messages
  const Json* enum_values = nullptr;
  const Json* const_value = nullptr;

  bool has_string = false;
  StringFormat format = StringFormat::kNone;
  int64_t min_length = -1, max_length = -1;
  const std::string* pattern = nullptr;

  bool has_number = false;
  const Json* minimum = nullptr;
  const Json* maximum = nullptr;
  bool minimum_exclusive = false;  // the 2.0/3.0 boolean form of exclusiveMinimum
  bool maximum_exclusive = false;
  const Json* exclusive_minimum = nullptr;  // the 3.1 numeric form
  const Json* exclusive_maximum = nullptr;
  const Json* multiple_of = nullptr;

  bool has_array = false;
  const Json* items = nullptr;         // a schema
  const Json* prefix_items = nullptr;  // an array of schemas (also `items: [...]`, draft 4)
  const Json* contains = nullptr;
  int64_t min_items = -1, max_items = -1;
  bool unique_items = false;

  bool has_object = false;
  const Json* required = nullptr;
  const Json* properties = nullptr;
  const Json* pattern_properties = nullptr;
  const Json* additional_properties = nullptr;
  const Json* property_names = nullptr;
  int64_t min_properties = -1, max_properties = -1;

  const Json* all_of = nullptr;
  const Json* any_of = nullptr;
  const Json* one_of = nullptr;
  const Json* not_schema = nullptr;
  const Json* discriminator = nullptr;

  // Children, compiled on first use; indexed like their JSON.
  std::vector<SchemaNode*> property_nodes, pattern_nodes, prefix_nodes, all_of_nodes, any_of_nodes,
      one_of_nodes;
  SchemaNode* items_node = nullptr;
  SchemaNode* additional_node = nullptr;
  SchemaNode* not_node = nullptr;
  SchemaNode* contains_node = nullptr;
  SchemaNode* names_node = nullptr;

  bool regex_compiled = false;
  std::unique_ptr<re2::RE2> regex;  // null when `pattern` does not compile: it is then ignored
  bool pattern_regexes_compiled = false;
  std::vector<std::unique_ptr<re2::RE2>> pattern_regexes;
};

class SchemaCache {
 public:
  explicit SchemaCache(SpecSet& specs);
  ~SchemaCache();

  /// The node for a schema handed in from outside.
  SchemaNode* Root(const SchemaRef& ref);

  SchemaNode* Property(SchemaNode& node, size_t index);
  SchemaNode* PatternProperty(SchemaNode& node, size_t index);
  SchemaNode* PrefixItem(SchemaNode& node, size_t index);
  SchemaNode* AllOf(SchemaNode& node, size_t index);
  SchemaNode* AnyOf(SchemaNode& node, size_t index);
  SchemaNode* OneOf(SchemaNode& node, size_t index);
  SchemaNode* Items(SchemaNode& node);
  SchemaNode* AdditionalProperties(SchemaNode& node);
  SchemaNode* Not(SchemaNode& node);
  SchemaNode* Contains(SchemaNode& node);
  SchemaNode* PropertyNames(SchemaNode& node);

  /// Resolves `node.ref` once (fills ref_target or ref_error). Cycles of pure refs are errors.
  void ResolveRef(SchemaNode& node);
  /// Resolves a `$ref` string found in `from` (a discriminator mapping value); cached by the
  /// address of `text`.
  Result<SchemaNode*> ResolveText(const SchemaNode& from, const std::string& text);
  /// readOnly/writeOnly of a property schema, looking through `$ref`.
  uint8_t EffectiveAccess(SchemaNode& node);

  /// `pattern`, compiled; null when it does not compile.
  const re2::RE2* Pattern(SchemaNode& node);
  /// The key regex of patternProperties member `index`; null when it does not compile.
  const re2::RE2* PropertyKeyPattern(SchemaNode& node, size_t index);

 private:
  SchemaNode* Lookup(const Json& json);
  SchemaNode* Add(const SpecFile* file, const Json& json, std::string location);
  SchemaNode* Sub(SchemaNode*& slot, const SchemaNode& parent, const Json& json,
                  std::string_view keyword);
  SchemaNode* Sub(SchemaNode*& slot, const SchemaNode& parent, const Json& json,
                  std::string_view keyword, std::string_view key);
  SchemaNode* Sub(SchemaNode*& slot, const SchemaNode& parent, const Json& json,
                  std::string_view keyword, size_t index);
  SchemaNode* FromRef(const SchemaRef& ref);

  SpecSet& specs_;
  std::unordered_map<const Json*, std::unique_ptr<SchemaNode>> nodes_;
  std::unordered_map<const std::string*, Result<SchemaNode*>> text_refs_;
};

/// Index of member `key` of object `members`, starting the search at `hint` and wrapping: bodies
/// usually list members in the schema's order, so the search is then one comparison.
size_t FindMember(const Json::object_t& members, std::string_view key, size_t hint);

}  // namespace verity::spec::schema_detail
