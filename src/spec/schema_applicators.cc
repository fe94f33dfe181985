// The keywords that descend into the body (items, properties …) or apply other schemas to the
// same place (allOf, anyOf, oneOf, not).
#include <re2/re2.h>

#include <algorithm>
#include <unordered_map>

#include "spec/schema_node.h"
#include "spec/schema_values.h"
#include "spec/schema_walker.h"

namespace verity::spec::schema_detail {
namespace {

const Json::object_t& Members(const Json& object) {
  return object.get_ref<const Json::object_t&>();
}

std::string Quote(std::string_view text) { return ShortJson(Json(std::string(text)), 60); }

// First pair of equal items, or {kNoIndex, kNoIndex}.
std::pair<size_t, size_t> FirstDuplicate(const Json& array) {
  size_t n = array.size();
  if (n < 16) {
    for (size_t j = 1; j < n; ++j) {
      for (size_t i = 0; i < j; ++i) {
        if (JsonEqual(array[i], array[j])) return {i, j};
      }
    }
    return {kNoIndex, kNoIndex};
  }
  std::unordered_multimap<size_t, size_t> seen;
  seen.reserve(n);
  for (size_t j = 0; j < n; ++j) {
    size_t h = JsonHash(array[j]);
    auto [begin, end] = seen.equal_range(h);
    for (auto it = begin; it != end; ++it) {
      if (JsonEqual(array[it->second], array[j])) return {it->second, j};
    }
    seen.emplace(h, j);
  }
  return {kNoIndex, kNoIndex};
}

}  // namespace

void Walker::ApplyArray(SchemaNode& n, const Json& v) {
  auto size = static_cast<int64_t>(v.size());
  if (n.min_items >= 0 && size < n.min_items) {
    Emit(kSchemaMismatch, Severity::kError, n, "minItems", [&] {
      return "expected at least " + std::to_string(n.min_items) +
             (n.min_items == 1 ? " item" : " items") + ", got " + std::to_string(size);
    });
  }
  if (n.max_items >= 0 && size > n.max_items) {
    Emit(kSchemaMismatch, Severity::kError, n, "maxItems", [&] {
      return "expected at most " + std::to_string(n.max_items) +
             (n.max_items == 1 ? " item" : " items") + ", got " + std::to_string(size);
    });
  }
  if (n.unique_items && size > 1) {
    auto [first, second] = FirstDuplicate(v);
    if (first != kNoIndex) {
      Emit(kSchemaMismatch, Severity::kError, n, "uniqueItems",
           [&, first = first, second = second] {
             return "expected unique items, but items " + std::to_string(first) + " and " +
                    std::to_string(second) + " are equal";
           });
    }
  }
  size_t mark = path_.size();
  size_t prefix = 0;
  if (n.prefix_items) {
    prefix = std::min(n.prefix_nodes.size(), v.size());
    for (size_t i = 0; i < prefix && !Stopped(); ++i) {
      PushIndex(i);
      Value(cache_.PrefixItem(n, i), v[i]);
      PopTo(mark);
    }
  }
  if (n.items) {
    SchemaNode* items = cache_.Items(n);
    for (size_t i = prefix; i < v.size() && !Stopped(); ++i) {
      PushIndex(i);
      Value(items, v[i]);
      PopTo(mark);
    }
  }
  if (n.contains) {
    SchemaNode* contains = cache_.Contains(n);
    bool any = false;
    for (size_t i = 0; i < v.size() && !any; ++i) any = Passes(contains, v[i], 0);
    if (!any) {
      Emit(kSchemaMismatch, Severity::kError, n, "contains", [&] {
        return "expected at least one item matching the contains schema, got none of " +
               std::to_string(size);
      });
    }
  }
}

void Walker::CheckRequired(SchemaNode& n, const Json::object_t& members) {
  uint8_t exempt = options_.direction == Direction::kResponse ? kWriteOnly : kReadOnly;
  size_t hint = 0;
  for (const Json& name : *n.required) {
    if (!name.is_string()) continue;
    const std::string& key = name.get_ref<const std::string&>();
    size_t found = FindMember(members, key, hint);
    if (found != kNoIndex) {
      hint = found + 1;
      continue;
    }
    // A writeOnly property is never in a response (nor a readOnly one in a request), required
    // or not.
    if (n.properties) {
      size_t p = FindMember(Members(*n.properties), key, 0);
      if (p != kNoIndex && (cache_.EffectiveAccess(*cache_.Property(n, p)) & exempt)) continue;
    }
    size_t mark = path_.size();
    PushKey(key);
    Emit(kMissingRequiredField, Severity::kError, n, "required",
         [&] { return "missing required field " + Quote(key); });
    PopTo(mark);
  }
}

bool Walker::Requires(SchemaNode* node, const std::string& key,
                      std::vector<const SchemaNode*>& seen) {
  if (!node || node->is_bool || std::find(seen.begin(), seen.end(), node) != seen.end())
    return false;
  seen.push_back(node);
  if (node->required) {
    for (const Json& name : *node->required) {
      if (name.is_string() && name.get_ref<const std::string&>() == key) return true;
    }
  }
  if (node->ref) {
    cache_.ResolveRef(*node);
    if (Requires(node->ref_target, key, seen)) return true;
  }
  if (node->all_of) {
    for (size_t i = 0; i < node->all_of_nodes.size(); ++i) {
      if (Requires(cache_.AllOf(*node, i), key, seen)) return true;
    }
  }
  return false;
}

bool Walker::OptionalNull(SchemaNode& object, const Json& members, const std::string& key,
                          SchemaNode* property, const Json& value) {
  if (!value.is_null() || !options_.knobs.optional_nullable) return false;
  // Required where the property is declared, or anywhere in the allOf/$ref closure of the
  // schema the object was given (`allOf: [Base, {required: [x]}]`). A `required` inside a
  // oneOf branch other than the declaring one is not seen.
  std::vector<const SchemaNode*> seen;
  if (Requires(&object, key, seen)) return false;
  if (!objects_.empty() && objects_.back().second == &members &&
      Requires(objects_.back().first, key, seen))
    return false;
  if (Passes(property, value, 0)) return false;  // nullable after all: checked as usual
  Emit(
      kTypeMismatch, Severity::kWarning, *property, "type",
      [] {
        return std::string(
            "got null for an optional property the schema does not mark nullable; a warning "
            "because optional_nullable is true");
      },
      kKnobOptionalNullable);
  return true;
}

void Walker::ApplyObject(SchemaNode& n, const Json& v, Scope* scope) {
  const Json::object_t& members = Members(v);
  if (n.required) CheckRequired(n, members);
  auto count = static_cast<int64_t>(members.size());
  if (n.min_properties >= 0 && count < n.min_properties) {
    Emit(kSchemaMismatch, Severity::kError, n, "minProperties", [&] {
      return "expected at least " + std::to_string(n.min_properties) + " properties, got " +
             std::to_string(count);
    });
  }
  if (n.max_properties >= 0 && count > n.max_properties) {
    Emit(kSchemaMismatch, Severity::kError, n, "maxProperties", [&] {
      return "expected at most " + std::to_string(n.max_properties) + " properties, got " +
             std::to_string(count);
    });
  }
  if (n.property_names) ApplyPropertyNames(n, members);
  if (!n.properties && !n.pattern_properties && !n.additional_properties) return;

  if (scope) {
    if (n.properties && !n.properties->empty() && !scope->declared_by) scope->declared_by = &n;
    if (n.additional_properties) scope->open = true;
  }
  const Json::object_t* properties = n.properties ? &Members(*n.properties) : nullptr;
  uint8_t forbidden = options_.direction == Direction::kResponse ? kWriteOnly : kReadOnly;
  size_t mark = path_.size();
  size_t hint = 0;
  for (size_t i = 0; i < members.size() && !Stopped(); ++i) {
    // Named, not a structured binding: clang 14 (the fuzzers' compiler) cannot capture those.
    const std::string& key = members.begin()[i].first;
    const Json& value = members.begin()[i].second;
    bool declared = false;
    if (properties) {
      size_t p = FindMember(*properties, key, hint);
      if (p != kNoIndex) {
        declared = true;
        hint = p + 1;
        SchemaNode* child = cache_.Property(n, p);
        PushKey(key);
        if (cache_.EffectiveAccess(*child) & forbidden) {
          bool response = forbidden == kWriteOnly;
          Emit(kSchemaMismatch, Severity::kError, *child, response ? "writeOnly" : "readOnly", [&] {
            return std::string(response ? "writeOnly property returned in a response"
                                        : "readOnly property sent in a request");
          });
        }
        if (!OptionalNull(n, v, key, child, value)) Value(child, value);
        PopTo(mark);
      }
    }
    if (n.pattern_properties) {
      for (size_t j = 0; j < n.pattern_nodes.size(); ++j) {
        const re2::RE2* regex = cache_.PropertyKeyPattern(n, j);
        if (!regex || !RE2::PartialMatch(key, *regex)) continue;
        declared = true;
        PushKey(key);
        Value(cache_.PatternProperty(n, j), value);
        PopTo(mark);
      }
    }
    if (!declared && n.additional_properties) {
      PushKey(key);
      if (n.additional_properties->is_boolean()) {
        if (!n.additional_properties->get<bool>()) {
          // Captured by name: clang before 16 cannot capture a structured binding.
          Emit(kSchemaMismatch, Severity::kError, n, "additionalProperties", [&, &name = key] {
            return "unexpected property " + Shown(Json(name), 60) +
                   " (additionalProperties is false)";
          });
        }
      } else {
        Value(cache_.AdditionalProperties(n), value);
      }
      PopTo(mark);
    }
    if (declared && scope) marks_[scope->marks + i] = 1;
  }
}

void Walker::ApplyPropertyNames(SchemaNode& n, const Json::object_t& members) {
  SchemaNode* names = cache_.PropertyNames(n);
  size_t mark = path_.size();
  for (const auto& member : members) {
    if (Stopped()) break;
    const Json& name = names_.emplace_back(member.first);
    PushKey(member.first);
    Apply(names, name, nullptr, 0);
    PopTo(mark);
  }
}

bool Walker::ApplyDiscriminator(SchemaNode& n, const Json& v, Scope* scope, int depth,
                                bool one_of) {
  const Json& disc = *n.discriminator;
  const Json* mapping = nullptr;
  const std::string* property = nullptr;
  if (disc.is_string()) {
    property = &disc.get_ref<const std::string&>();  // Swagger 2.0: just the property name
  } else {
    auto name = disc.find("propertyName");
    if (name == disc.end() || !name->is_string()) return false;
    property = &name->get_ref<const std::string&>();
    auto map = disc.find("mapping");
    if (map != disc.end() && map->is_object()) mapping = &*map;
  }
  const char* keyword = one_of ? "oneOf" : "anyOf";
  const std::vector<SchemaNode*>& slots = one_of ? n.one_of_nodes : n.any_of_nodes;
  auto branch = [&](size_t i) { return one_of ? cache_.OneOf(n, i) : cache_.AnyOf(n, i); };
  const Json::object_t& members = Members(v);
  size_t mark = path_.size();
  size_t at = FindMember(members, *property, 0);
  if (at == kNoIndex || !members.begin()[at].second.is_string()) {
    // Without a usable value the branches are tried one by one, as if there were no
    // discriminator, so the body is still checked.
    PushKey(*property);
    if (at == kNoIndex) {
      Emit(kMissingRequiredField, Severity::kError, n, "discriminator",
           [&] { return "missing required field " + Quote(*property) + " (the discriminator)"; });
    } else {
      Emit(kSchemaMismatch, Severity::kError, n, "discriminator", [&] {
        return "expected the discriminator " + Quote(*property) + " to be a string, got " +
               Describe(members.begin()[at].second);
      });
    }
    PopTo(mark);
    return false;
  }
  const std::string& value = members.begin()[at].second.get_ref<const std::string&>();
  std::string_view wanted = value;  // the branch name to look for
  SchemaNode* chosen = nullptr;
  if (mapping) {
    auto target = mapping->find(value);
    if (target != mapping->end() && target->is_string()) {
      const std::string& text = target->get_ref<const std::string&>();
      if (text.find_first_of("/#") == std::string::npos) {
        wanted = text;  // a schema name, not a reference
      } else {
        for (size_t i = 0; i < slots.size() && !chosen; ++i) {
          SchemaNode* b = branch(i);
          if (b->ref && *b->ref == text) chosen = b;
        }
        if (!chosen) {
          Result<SchemaNode*> resolved = cache_.ResolveText(n, text);
          if (!resolved.ok()) {
            PushKey(*property);
            ReportUnresolved(n, resolved.status().message());
            PopTo(mark);
            return true;
          }
          chosen = *resolved;
        }
      }
    }
  }
  for (size_t i = 0; i < slots.size() && !chosen; ++i) {
    SchemaNode* b = branch(i);
    if (b->ref && RefName(*b->ref) == wanted) chosen = b;
  }
  if (!chosen) {
    PushKey(*property);
    Emit(kSchemaMismatch, Severity::kError, n, "discriminator", [&] {
      std::string names;
      size_t listed = 0;
      auto add = [&](std::string_view name) {
        if (listed++ >= 5) return;
        if (!names.empty()) names += ", ";
        names += name;
      };
      if (mapping) {
        for (const auto& m : Members(*mapping)) add(m.first);
      } else {
        for (size_t i = 0; i < slots.size(); ++i) {
          if (branch(i)->ref) add(RefName(*branch(i)->ref));
        }
      }
      if (listed > 5) names += ", …";
      return "discriminator " + Quote(*property) + " is " + Shown(Json(value), 60) +
             ", which names none of the " + keyword + " schemas (" + names + ")";
    });
    PopTo(mark);
    return true;
  }
  Apply(chosen, v, scope, depth + 1);
  return true;
}

void Walker::ApplyChoice(SchemaNode& n, const Json& v, Scope* scope, int depth, bool one_of) {
  const std::vector<SchemaNode*>& slots = one_of ? n.one_of_nodes : n.any_of_nodes;
  size_t count = slots.size();
  if (count == 0 || Stopped()) return;
  if (n.discriminator && v.is_object() && ApplyDiscriminator(n, v, scope, depth, one_of)) return;
  auto branch = [&](size_t i) { return one_of ? cache_.OneOf(n, i) : cache_.AnyOf(n, i); };
  const char* keyword = one_of ? "oneOf" : "anyOf";

  // Which branches match, without building any message.
  size_t passing = 0, first = kNoIndex, second = kNoIndex;
  // All anyOf matches are needed only to know the members they declare.
  bool all_matches = one_of || scope != nullptr;
  for (size_t i = 0; i < count; ++i) {
    if (!Passes(branch(i), v, depth + 1)) continue;
    if (passing == 0)
      first = i;
    else if (passing == 1)
      second = i;
    ++passing;
    if (!all_matches) break;
  }
  bool ok = one_of ? passing == 1 : passing >= 1;
  if (Trial()) {
    if (!ok) Emit(kSchemaMismatch, Severity::kError, n, keyword, [] { return std::string(); });
    return;
  }
  if (passing > 0) {
    if (!ok) {
      Emit(kSchemaMismatch, Severity::kError, n, keyword, [&] {
        return "matches " + std::to_string(passing) + " of the " + std::to_string(count) +
               " oneOf schemas (#" + std::to_string(first) + " and #" + std::to_string(second) +
               (passing > 2 ? " …" : "") + "), expected exactly one";
      });
    }
    // Again for real: the branch's warnings (undocumented members inside it) are reported, and the
    // properties of every matching branch count as declared for this object.
    Apply(branch(first), v, scope, depth + 1);
    if (scope) {
      for (size_t i = first + 1; i < count && passing > 1; ++i) {
        if (Passes(branch(i), v, depth + 1)) Declare(branch(i), v, scope, depth + 1);
      }
    }
    return;
  }
  // None matches: say so, then show the issues of the closest branch.
  size_t best = 0, best_errors = SIZE_MAX;
  for (size_t i = 0; i < count && best_errors > 1; ++i) {
    size_t errors = CountErrors(branch(i), v, depth + 1);
    if (errors < best_errors) {
      best = i;
      best_errors = errors;
    }
  }
  Emit(kSchemaMismatch, Severity::kError, n, keyword, [&] {
    SchemaNode* b = branch(best);
    std::string name = b->ref ? std::string(RefName(*b->ref)) : "#" + std::to_string(best);
    return "matches none of the " + std::to_string(count) + " " + keyword +
           " schemas; the closest is " + name + ", whose issues follow";
  });
  Apply(branch(best), v, scope, depth + 1);
}

void Walker::Declare(SchemaNode* n, const Json& v, Scope* scope, int depth) {
  if (!n || n->is_bool || depth > kMaxSchemaDepth) return;
  // Each schema once per value, as in Apply: `X: {allOf: [$ref X, $ref X]}` would otherwise double
  // the work at every level.
  for (auto it = active_.rbegin(); it != active_.rend() && it->second == &v; ++it) {
    if (it->first == n) return;
  }
  active_.emplace_back(n, &v);
  DeclareOwn(n, v, scope, depth);
  active_.pop_back();
}

void Walker::DeclareOwn(SchemaNode* n, const Json& v, Scope* scope, int depth) {
  if (n->ref) {
    cache_.ResolveRef(*n);
    Declare(n->ref_target, v, scope, depth + 1);
    if (n->ref_only) return;
  }
  const Json::object_t& members = Members(v);
  if (n->properties) {
    if (!n->properties->empty() && !scope->declared_by) scope->declared_by = n;
    const Json::object_t& properties = Members(*n->properties);
    for (size_t i = 0; i < members.size(); ++i) {
      if (FindMember(properties, members.begin()[i].first, i) != kNoIndex) {
        marks_[scope->marks + i] = 1;
      }
    }
  }
  if (n->pattern_properties) {
    for (size_t j = 0; j < n->pattern_nodes.size(); ++j) {
      const re2::RE2* regex = cache_.PropertyKeyPattern(*n, j);
      if (!regex) continue;
      for (size_t i = 0; i < members.size(); ++i) {
        if (RE2::PartialMatch(members.begin()[i].first, *regex)) marks_[scope->marks + i] = 1;
      }
    }
  }
  if (n->additional_properties) scope->open = true;
  if (n->all_of) {
    for (size_t i = 0; i < n->all_of_nodes.size(); ++i)
      Declare(cache_.AllOf(*n, i), v, scope, depth + 1);
  }
}

void Walker::ReportUndocumented(const Json& v, const Scope& scope) {
  const Json::object_t& members = Members(v);
  size_t mark = path_.size();
  for (size_t i = 0; i < members.size() && !Stopped(); ++i) {
    if (marks_[scope.marks + i]) continue;
    const std::string& key = members.begin()[i].first;
    PushKey(key);
    bool error = options_.knobs.undocumented_fields == FindingLevel::kError;
    Emit(
        kUndocumentedField, error ? Severity::kError : Severity::kWarning, *scope.declared_by,
        "properties",
        [&] {
          return "field " + Shown(Json(key), 60) + " is not declared in the schema" +
                 (error ? "; an error because undocumented_fields is error" : "");
        },
        error ? kKnobUndocumentedFields : nullptr);
    PopTo(mark);
  }
}

}  // namespace verity::spec::schema_detail
