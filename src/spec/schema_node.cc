#include "spec/schema_node.h"

#include <re2/re2.h>

#include <cmath>
#include <utility>

#include "spec/schema_values.h"

namespace verity::spec::schema_detail {
namespace {

// A count keyword (minLength, maxItems …): a non-negative integer, also written 2.0. Anything else
// is a broken schema and constrains nothing.
int64_t Count(const Json& value) {
  if (value.is_number_unsigned()) {
    auto n = value.get_ref<const Json::number_unsigned_t&>();
    return n > static_cast<uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<int64_t>(n);
  }
  if (value.is_number_integer()) {
    auto n = value.get_ref<const Json::number_integer_t&>();
    return n < 0 ? -1 : n;
  }
  if (value.is_number_float() && IsIntegral(value)) {
    double d = value.get_ref<const Json::number_float_t&>();
    if (d < 0) return -1;
    return d >= 9.2e18 ? INT64_MAX : static_cast<int64_t>(d);
  }
  return -1;
}

bool IsTrue(const Json& value) { return value.is_boolean() && value.get<bool>(); }

uint8_t TypeBitOf(std::string_view name) {
  if (name == "string") return kTypeString;
  if (name == "integer") return kTypeInteger;
  if (name == "number") return kTypeNumber;
  if (name == "boolean") return kTypeBoolean;
  if (name == "object") return kTypeObject;
  if (name == "array") return kTypeArray;
  if (name == "null") return kTypeNull;
  return 0;  // "file" (Swagger 2.0), "any", typos: accept every value
}

uint8_t ReadTypes(const Json& type) {
  if (type.is_string()) return TypeBitOf(type.get_ref<const std::string&>());
  if (!type.is_array()) return 0;
  uint8_t bits = 0;
  for (const Json& item : type) {
    uint8_t bit = item.is_string() ? TypeBitOf(item.get_ref<const std::string&>()) : 0;
    if (bit == 0) return 0;
    bits |= bit;
  }
  return bits;
}

const Json* IfObject(const Json& value) { return value.is_object() ? &value : nullptr; }
const Json* IfArray(const Json& value) { return value.is_array() ? &value : nullptr; }
const Json* IfNumber(const Json& value) { return value.is_number() ? &value : nullptr; }
const Json* IfSchema(const Json& value) {
  return value.is_object() || value.is_boolean() ? &value : nullptr;
}

void ReadKeyword(SchemaNode& n, std::string_view key, const Json& v) {
  // Grouped by the first letter so that a schema's few keywords cost a few comparisons each.
  switch (key.empty() ? '\0' : key[0]) {
    case 'a':
      if (key == "allOf")
        n.all_of = IfArray(v);
      else if (key == "anyOf")
        n.any_of = IfArray(v);
      else if (key == "additionalProperties")
        n.additional_properties = IfSchema(v);
      break;
    case 'c':
      if (key == "const")
        n.const_value = &v;
      else if (key == "contains")
        n.contains = IfSchema(v);
      break;
    case 'd':
      if (key == "discriminator" && (v.is_object() || v.is_string())) n.discriminator = &v;
      break;
    case 'e':
      if (key == "enum") {
        n.enum_values = IfArray(v);
      } else if (key == "exclusiveMinimum") {
        if (v.is_boolean())
          n.minimum_exclusive = v.get<bool>();
        else
          n.exclusive_minimum = IfNumber(v);
      } else if (key == "exclusiveMaximum") {
        if (v.is_boolean())
          n.maximum_exclusive = v.get<bool>();
        else
          n.exclusive_maximum = IfNumber(v);
      }
      break;
    case 'f':
      if (key == "format" && v.is_string())
        n.format = ParseStringFormat(v.get_ref<const std::string&>());
      break;
    case 'i':
      if (key == "items") {
        if (v.is_array())
          n.prefix_items = &v;
        else
          n.items = IfSchema(v);
      }
      break;
    case 'm':
      if (key == "minLength")
        n.min_length = Count(v);
      else if (key == "maxLength")
        n.max_length = Count(v);
      else if (key == "minimum")
        n.minimum = IfNumber(v);
      else if (key == "maximum")
        n.maximum = IfNumber(v);
      else if (key == "multipleOf")
        n.multiple_of = IfNumber(v);
      else if (key == "minItems")
        n.min_items = Count(v);
      else if (key == "maxItems")
        n.max_items = Count(v);
      else if (key == "minProperties")
        n.min_properties = Count(v);
      else if (key == "maxProperties")
        n.max_properties = Count(v);
      break;
    case 'n':
      if (key == "nullable")
        n.nullable |= IsTrue(v);
      else if (key == "not")
        n.not_schema = IfSchema(v);
      break;
    case 'o':
      if (key == "oneOf") n.one_of = IfArray(v);
      break;
    case 'p':
      if (key == "properties")
        n.properties = IfObject(v);
      else if (key == "pattern" && v.is_string())
        n.pattern = &v.get_ref<const std::string&>();
      else if (key == "patternProperties")
        n.pattern_properties = IfObject(v);
      else if (key == "prefixItems")
        n.prefix_items = IfArray(v);
      else if (key == "propertyNames")
        n.property_names = IfSchema(v);
      break;
    case 'r':
      if (key == "required")
        n.required = IfArray(v);
      else if (key == "readOnly" && IsTrue(v))
        n.access |= kReadOnly;
      break;
    case 't':
      if (key == "type") {
        n.type = &v;
        n.types = ReadTypes(v);
      }
      break;
    case 'u':
      if (key == "uniqueItems") n.unique_items = IsTrue(v);
      break;
    case 'w':
      if (key == "writeOnly" && IsTrue(v)) n.access |= kWriteOnly;
      break;
    case 'x':
      if (key == "x-nullable") n.nullable |= IsTrue(v);
      break;
    default:
      break;
  }
}

void Compile(SchemaNode& n) {
  const Json& json = *n.json;
  if (!json.is_object()) {
    // `true`/`false` schemas; any other non-object is not a schema and constrains nothing.
    n.is_bool = true;
    n.bool_value = !json.is_boolean() || json.get<bool>();
    return;
  }
  auto ref = json.find("$ref");
  if (ref != json.end() && ref->is_string()) {
    n.ref = &ref->get_ref<const std::string&>();
    n.ref_only = !n.file || n.file->version != SpecVersion::kOpenApi31;
  }
  const auto& members = json.get_ref<const Json::object_t&>();
  for (const auto& [key, value] : members) {
    // `nullable` beside a `$ref` is ignored by OpenAPI 3.0 but written everywhere; honouring it
    // is the leniency users expect.
    if (n.ref_only && key != "nullable" && key != "x-nullable") continue;
    ReadKeyword(n, key, value);
  }
  n.has_string = n.format != StringFormat::kNone || n.min_length >= 0 || n.max_length >= 0 ||
                 n.pattern != nullptr;
  n.has_number =
      n.minimum || n.maximum || n.exclusive_minimum || n.exclusive_maximum || n.multiple_of;
  n.has_array = n.items || n.prefix_items || n.contains || n.min_items >= 0 || n.max_items >= 0 ||
                n.unique_items;
  n.has_object = n.required || n.properties || n.pattern_properties || n.additional_properties ||
                 n.property_names || n.min_properties >= 0 || n.max_properties >= 0;
  if (n.properties) n.property_nodes.assign(n.properties->size(), nullptr);
  if (n.pattern_properties) n.pattern_nodes.assign(n.pattern_properties->size(), nullptr);
  if (n.prefix_items) n.prefix_nodes.assign(n.prefix_items->size(), nullptr);
  if (n.all_of) n.all_of_nodes.assign(n.all_of->size(), nullptr);
  if (n.any_of) n.any_of_nodes.assign(n.any_of->size(), nullptr);
  if (n.one_of) n.one_of_nodes.assign(n.one_of->size(), nullptr);
}

std::unique_ptr<re2::RE2> CompileRegex(const std::string& pattern) {
  RE2::Options options;
  options.set_log_errors(false);
  auto regex = std::make_unique<re2::RE2>(pattern, options);
  if (!regex->ok()) return nullptr;  // lookahead, backreferences …: ignored, not fatal
  return regex;
}

const Json& MemberValue(const Json& object, size_t index) {
  return object.get_ref<const Json::object_t&>().begin()[index].second;
}

const std::string& MemberKey(const Json& object, size_t index) {
  return object.get_ref<const Json::object_t&>().begin()[index].first;
}

}  // namespace

SchemaNode::SchemaNode() = default;
SchemaNode::~SchemaNode() = default;

size_t FindMember(const Json::object_t& members, std::string_view key, size_t hint) {
  size_t n = members.size();
  if (hint >= n) hint = 0;
  for (size_t i = hint; i < n; ++i) {
    if (members.begin()[i].first == key) return i;
  }
  for (size_t i = 0; i < hint; ++i) {
    if (members.begin()[i].first == key) return i;
  }
  return kNoIndex;
}

SchemaCache::SchemaCache(SpecSet& specs) : specs_(specs) {}
SchemaCache::~SchemaCache() = default;

SchemaNode* SchemaCache::Lookup(const Json& json) {
  auto it = nodes_.find(&json);
  return it == nodes_.end() ? nullptr : it->second.get();
}

SchemaNode* SchemaCache::Add(const SpecFile* file, const Json& json, std::string location) {
  auto node = std::make_unique<SchemaNode>();
  node->file = file;
  node->json = &json;
  node->pointer_offset = (file ? file->path.size() : 1) + 1;  // Location(): path '#' pointer
  node->location = std::move(location);
  Compile(*node);
  SchemaNode* raw = node.get();
  nodes_.emplace(&json, std::move(node));
  return raw;
}

SchemaNode* SchemaCache::FromRef(const SchemaRef& ref) {
  if (SchemaNode* found = Lookup(*ref.node)) return found;
  return Add(ref.file, *ref.node, ref.Location());
}

SchemaNode* SchemaCache::Root(const SchemaRef& ref) {
  if (!ref.node) return nullptr;
  return FromRef(ref);
}

SchemaNode* SchemaCache::Sub(SchemaNode*& slot, const SchemaNode& parent, const Json& json,
                             std::string_view keyword) {
  if (slot) return slot;
  if ((slot = Lookup(json))) return slot;
  std::string location = parent.location;
  AppendPointerToken(location, keyword);
  return slot = Add(parent.file, json, std::move(location));
}

SchemaNode* SchemaCache::Sub(SchemaNode*& slot, const SchemaNode& parent, const Json& json,
                             std::string_view keyword, std::string_view key) {
  if (slot) return slot;
  if ((slot = Lookup(json))) return slot;
  std::string location = parent.location;
  AppendPointerToken(location, keyword);
  AppendPointerToken(location, key);
  return slot = Add(parent.file, json, std::move(location));
}

SchemaNode* SchemaCache::Sub(SchemaNode*& slot, const SchemaNode& parent, const Json& json,
                             std::string_view keyword, size_t index) {
  if (slot) return slot;
  if ((slot = Lookup(json))) return slot;
  std::string location = parent.location;
  AppendPointerToken(location, keyword);
  location += '/';
  location += std::to_string(index);
  return slot = Add(parent.file, json, std::move(location));
}

SchemaNode* SchemaCache::Property(SchemaNode& node, size_t index) {
  return Sub(node.property_nodes[index], node, MemberValue(*node.properties, index), "properties",
             MemberKey(*node.properties, index));
}

SchemaNode* SchemaCache::PatternProperty(SchemaNode& node, size_t index) {
  return Sub(node.pattern_nodes[index], node, MemberValue(*node.pattern_properties, index),
             "patternProperties", MemberKey(*node.pattern_properties, index));
}

SchemaNode* SchemaCache::PrefixItem(SchemaNode& node, size_t index) {
  const char* keyword = node.json->contains("prefixItems") ? "prefixItems" : "items";
  return Sub(node.prefix_nodes[index], node, (*node.prefix_items)[index], keyword, index);
}

SchemaNode* SchemaCache::AllOf(SchemaNode& node, size_t index) {
  return Sub(node.all_of_nodes[index], node, (*node.all_of)[index], "allOf", index);
}

SchemaNode* SchemaCache::AnyOf(SchemaNode& node, size_t index) {
  return Sub(node.any_of_nodes[index], node, (*node.any_of)[index], "anyOf", index);
}

SchemaNode* SchemaCache::OneOf(SchemaNode& node, size_t index) {
  return Sub(node.one_of_nodes[index], node, (*node.one_of)[index], "oneOf", index);
}

SchemaNode* SchemaCache::Items(SchemaNode& node) {
  return Sub(node.items_node, node, *node.items, "items");
}

SchemaNode* SchemaCache::AdditionalProperties(SchemaNode& node) {
  return Sub(node.additional_node, node, *node.additional_properties, "additionalProperties");
}

SchemaNode* SchemaCache::Not(SchemaNode& node) {
  return Sub(node.not_node, node, *node.not_schema, "not");
}

SchemaNode* SchemaCache::Contains(SchemaNode& node) {
  return Sub(node.contains_node, node, *node.contains, "contains");
}

SchemaNode* SchemaCache::PropertyNames(SchemaNode& node) {
  return Sub(node.names_node, node, *node.property_names, "propertyNames");
}

void SchemaCache::ResolveRef(SchemaNode& node) {
  if (node.ref_resolved || !node.ref) return;
  node.ref_resolved = true;
  SchemaRef from{node.file, node.json, node.location.substr(node.pointer_offset)};
  // Follow first: it reports cycles of pure refs, which would otherwise recurse here forever.
  Result<SchemaRef> last = specs_.Follow(from);
  if (!last.ok()) {
    node.ref_error = last.status().message();
    return;
  }
  if (node.ref_only) {
    // Siblings are ignored at every hop, so the end of the chain is all that matters.
    node.ref_target = FromRef(*last);
    return;
  }
  Result<SchemaRef> next = specs_.Resolve(from, *node.ref);
  if (!next.ok()) {
    node.ref_error = next.status().message();
    return;
  }
  node.ref_target = FromRef(*next);
}

Result<SchemaNode*> SchemaCache::ResolveText(const SchemaNode& from, const std::string& text) {
  auto it = text_refs_.find(&text);
  if (it != text_refs_.end()) return it->second;
  SchemaRef ref{from.file, from.json, from.location.substr(from.pointer_offset)};
  Result<SchemaRef> target = specs_.Resolve(ref, text);
  Result<SchemaNode*> result =
      target.ok() ? Result<SchemaNode*>(FromRef(*target)) : Result<SchemaNode*>(target.status());
  text_refs_.emplace(&text, result);
  return result;
}

uint8_t SchemaCache::EffectiveAccess(SchemaNode& node) {
  if (node.effective_access >= 0) return static_cast<uint8_t>(node.effective_access);
  node.effective_access = node.access;  // set first: a ref chain back to here ends the recursion
  uint8_t access = node.access;
  if (node.ref) {
    ResolveRef(node);
    if (node.ref_target) access |= EffectiveAccess(*node.ref_target);
  }
  node.effective_access = access;
  return access;
}

const re2::RE2* SchemaCache::Pattern(SchemaNode& node) {
  if (!node.regex_compiled) {
    node.regex_compiled = true;
    if (node.pattern) node.regex = CompileRegex(*node.pattern);
  }
  return node.regex.get();
}

const re2::RE2* SchemaCache::PropertyKeyPattern(SchemaNode& node, size_t index) {
  if (!node.pattern_regexes_compiled) {
    node.pattern_regexes_compiled = true;
    for (size_t i = 0; i < node.pattern_properties->size(); ++i) {
      node.pattern_regexes.push_back(CompileRegex(MemberKey(*node.pattern_properties, i)));
    }
  }
  return node.pattern_regexes[index].get();
}

}  // namespace verity::spec::schema_detail
