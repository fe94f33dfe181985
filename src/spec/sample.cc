#include "spec/sample.h"

#include <algorithm>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "spec/sample_internal.h"
#include "spec/schema_values.h"
#include "spec/schema_walker.h"

namespace verity::spec {
namespace sample_detail {

using schema_detail::JsonEqual;

namespace {

const Json kNullValue = nullptr;

}  // namespace

Result<Json> Sampler::Run(const SchemaRef& root) {
  // The root counts as expanded, so that a Tree's children are the first to be cut short.
  ++active_[root.node];
  Json value = Generate({root}, /*minimal=*/false, options_.name);
  if (!error_.ok()) return error_;
  return value;
}

ValidationOptions Sampler::ValidatorOptions(const SampleOptions& options) {
  ValidationOptions v;
  v.direction = options.direction;
  v.undocumented_fields = false;
  v.max_issues = 8;
  return v;
}

void Sampler::Note(std::string text) {
  if (!options_.notes || options_.notes->size() >= kMaxNotes) return;
  if (!noted_.insert(text).second) return;
  options_.notes->push_back(std::move(text));
}

bool Sampler::Spend(size_t nodes) {
  nodes_ += nodes;
  if (nodes_ > options_.max_nodes && error_.ok()) {
    error_ = Status::LimitExceeded("the sample would exceed " + std::to_string(options_.max_nodes) +
                                   " values");
  }
  return error_.ok();
}

const Result<SchemaRef>& Sampler::ResolveRef(const SchemaRef& from, const std::string& text) {
  auto it = refs_.find(&text);
  if (it == refs_.end()) it = refs_.emplace(&text, specs_.Resolve(from, text)).first;
  return it->second;
}

void Sampler::Flatten(const SchemaRef& ref, Plan& plan, int depth) {
  if (!ref) return;
  if (depth > kMaxFlattenDepth || plan.leaves.size() >= kMaxLeaves) {
    Note(ref.Location() + ": schema nesting too deep to sample");
    return;
  }
  const Json& node = *ref.node;
  if (node.is_boolean()) {
    if (!node.get<bool>()) plan.impossible = true;
    return;
  }
  if (!node.is_object()) return;
  auto r = node.find("$ref");
  if (r != node.end() && r->is_string()) {
    const Result<SchemaRef>& target = ResolveRef(ref, r->get_ref<const std::string&>());
    if (!target.ok()) {
      Note(target.status().message());
    } else if (std::find(plan.entered.begin(), plan.entered.end(), target->node) ==
               plan.entered.end()) {
      int& count = active_[target->node];
      if (count >= options_.recursion_limit) plan.recursive = true;
      plan.reentries = std::max(plan.reentries, count);
      ++count;
      plan.entered.push_back(target->node);
      Flatten(*target, plan, depth + 1);
    }
    // Swagger 2.0 and OpenAPI 3.0 ignore the siblings of `$ref` (nullable aside, which only
    // matters to the validator, and it is asked).
    if (!ref.file || ref.file->version != SpecVersion::kOpenApi31) return;
  }
  plan.leaves.push_back(ref);
  auto all_of = node.find("allOf");
  if (all_of != node.end() && all_of->is_array()) {
    SchemaRef parts = ref.Child("allOf");
    for (size_t i = 0; i < all_of->size(); ++i) Flatten(parts.Item(i), plan, depth + 1);
  }
  for (const char* keyword : {"oneOf", "anyOf"}) {
    auto branches = node.find(keyword);
    if (branches != node.end() && branches->is_array() && !branches->empty()) {
      Choose(ref, keyword, *branches, plan, depth);
    }
  }
}

// The branch of a oneOf/anyOf: the one a discriminator names (its property set to match), else
// the first, or the one a retry asked for.
void Sampler::Choose(const SchemaRef& ref, const char* keyword, const Json& branches, Plan& plan,
                     int depth) {
  SchemaRef list = ref.Child(keyword);
  const Json& node = *ref.node;
  auto disc = node.find("discriminator");
  if (disc != node.end()) {
    std::string property;
    const Json* mapping = nullptr;
    if (disc->is_string()) {
      property = disc->get<std::string>();
    } else if (disc->is_object()) {
      auto name = disc->find("propertyName");
      if (name != disc->end() && name->is_string()) property = name->get<std::string>();
      auto map = disc->find("mapping");
      if (map != disc->end() && map->is_object() && !map->empty()) mapping = &*map;
    }
    if (!property.empty()) {
      auto ref_of = [&](size_t i) -> const std::string* {
        const Json& b = branches[i];
        if (!b.is_object()) return nullptr;
        auto r = b.find("$ref");
        return r != b.end() && r->is_string() ? &r->get_ref<const std::string&>() : nullptr;
      };
      if (mapping) {
        const auto& [value, target] = *mapping->get_ref<const Json::object_t&>().begin();
        if (target.is_string()) {
          const std::string& text = target.get_ref<const std::string&>();
          bool is_name = text.find_first_of("/#") == std::string::npos;
          for (size_t i = 0; i < branches.size(); ++i) {
            const std::string* b = ref_of(i);
            if (b && (is_name ? schema_detail::RefName(*b) == text : *b == text)) {
              plan.forced.emplace_back(property, value);
              Flatten(list.Item(i), plan, depth + 1);
              return;
            }
          }
          if (!is_name) {
            const Result<SchemaRef>& resolved = ResolveRef(ref, text);
            if (resolved.ok()) {
              plan.forced.emplace_back(property, value);
              Flatten(*resolved, plan, depth + 1);
              return;
            }
          }
        }
      } else {
        for (size_t i = 0; i < branches.size(); ++i) {
          if (const std::string* b = ref_of(i)) {
            plan.forced.emplace_back(property, std::string(schema_detail::RefName(*b)));
            Flatten(list.Item(i), plan, depth + 1);
            return;
          }
        }
      }
    }
  }
  size_t chosen = override_.first == &branches ? override_.second % branches.size() : 0;
  plan.choices.emplace_back(&branches, branches.size());
  Flatten(list.Item(chosen), plan, depth + 1);
}

// Is `value` valid for every part? Values from the spec are remembered by address.
bool Sampler::Accepts(const Json& value, const std::vector<SchemaRef>& parts, bool from_spec) {
  std::pair<const void*, const void*> key{&value, parts.front().node};
  bool memo = from_spec && parts.size() == 1;
  if (memo) {
    auto it = accepted_.find(key);
    if (it != accepted_.end()) return it->second;
  }
  bool ok = true;
  for (const SchemaRef& part : parts) {
    ValidationResult r = validator_.Validate(part, value);
    if (r.error_count() > 0 || r.truncated) {
      ok = false;
      break;
    }
  }
  if (memo) accepted_.emplace(key, ok);
  return ok;
}

Json Sampler::Generate(const std::vector<SchemaRef>& parts, bool minimal, std::string_view hint) {
  if (!error_.ok() || !Spend(1)) return nullptr;
  struct Depth {
    int& d;
    explicit Depth(int& depth) : d(++depth) {}
    ~Depth() { --d; }
  } depth(depth_);

  Json value;
  std::pair<const Json*, size_t> retry{nullptr, 0};  // the choice tried again, its branch count
  for (size_t attempt = 0; attempt == 0 || attempt < retry.second; ++attempt) {
    Plan plan;
    // The override applies to this value's own schemas, not to those of its members.
    override_ = {retry.first, attempt};
    for (const SchemaRef& part : parts) Flatten(part, plan, 0);
    override_ = {nullptr, 0};
    struct Release {
      Sampler& s;
      Plan& plan;
      ~Release() {
        for (const Json* node : plan.entered) --s.active_[node];
      }
    } release{*this, plan};
    bool smallest = minimal || plan.recursive;
    if (smallest && Accepts(kNullValue, parts, true)) return nullptr;
    if (plan.reentries > options_.recursion_limit + kMaxRequiredRecursion) {
      Note(parts.front().Location() +
           ": required recursion without end (no finite value is valid)");
      return nullptr;
    }
    Json candidate = FromPlan(plan, parts, smallest, hint);
    if (!error_.ok()) return nullptr;
    if (attempt == 0) {
      value = std::move(candidate);
      // Another branch is tried only when the first one's value fails, e.g. because it also
      // matches a second oneOf branch.
      if (plan.choices.empty() || plan.choices.front().second < 2) return value;
      if (Accepts(value, parts, false)) return value;
      retry = plan.choices.front();
    } else if (Accepts(candidate, parts, false)) {
      return candidate;
    }
  }
  Note(parts.front().Location() + ": no oneOf/anyOf branch gave a valid value");
  return value;
}

Json Sampler::FromPlan(const Plan& plan, const std::vector<SchemaRef>& parts, bool minimal,
                       std::string_view hint) {
  if (plan.impossible) {
    Note(parts.front().Location() + ": the schema is false, no value is valid");
    return nullptr;
  }
  Facts f;
  for (size_t i = 0; i < plan.leaves.size(); ++i) ReadLeaf(plan.leaves[i], i, f);
  if (f.constant) return *f.constant;

  std::vector<const Json*> candidates;
  if (options_.use_examples) candidates = f.examples;
  candidates.insert(candidates.end(), f.defaults.begin(), f.defaults.end());
  for (const Json* candidate : candidates) {
    if (Accepts(*candidate, parts, true)) return Vary(*candidate, f);
  }
  if (!f.enums.empty()) return FromEnum(f);

  switch (ChooseType(f, parts.front())) {
    case kNull:
      return nullptr;
    case kBoolean:
      return ordinal_ % 2 == 0;
    case kInteger:
      return MakeNumber(f, true, hint);
    case kNumber:
      return MakeNumber(f, false, hint);
    case kString:
      return MakeString(f, hint, parts.front());
    case kArray:
      return MakeArray(plan, f, minimal, hint);
    case kObject:
      return MakeObject(plan, f, minimal);
    default:
      return Json::object();
  }
}

uint8_t Sampler::ChooseType(const Facts& f, const SchemaRef& where) {
  if (f.typed) {
    uint8_t mask = f.types;
    if ((mask & ~kNull) == 0) {
      if (mask & kNull) return kNull;
      Note(where.Location() + ": the schemas that apply allow no type in common");
      mask = TypeMask(*f.first_type);
    }
    auto pick = [&](const Json& name) -> uint8_t {
      if (!name.is_string()) return 0;
      uint8_t bit = TypeBit(name.get_ref<const std::string&>());
      if (bit == kNull) return 0;
      if (bit == (kNumber | kInteger)) return mask & kNumber ? kNumber : mask & kInteger;
      return mask & bit;
    };
    if (f.first_type->is_array()) {
      for (const Json& name : *f.first_type) {
        if (uint8_t bit = pick(name)) return bit;
      }
    } else if (uint8_t bit = pick(*f.first_type)) {
      return bit;
    }
    for (uint8_t bit : {kObject, kArray, kString, kInteger, kNumber, kBoolean}) {
      if (mask & bit) return bit;
    }
  }
  if (f.object_keywords) return kObject;
  if (f.array_keywords) return kArray;
  if (f.string_keywords) return kString;
  if (f.number_keywords) return kNumber;
  return kObject;  // any value is valid; an empty object is the most neutral one
}

Json Sampler::MakeArray(const Plan& plan, const Facts& f, bool minimal, std::string_view hint) {
  Json out = Json::array();
  if (depth_ >= options_.max_depth) {
    if (f.min_items > 0) Note(plan.leaves.front().Location() + ": too deep for its minItems");
    return out;
  }
  auto count = static_cast<uint64_t>(f.min_items);
  size_t wanted =
      depth_ == 1 && options_.root_array_items ? options_.root_array_items : options_.array_items;
  if (!minimal) count = std::max<uint64_t>(count, wanted);
  if (f.max_items >= 0 && count > static_cast<uint64_t>(f.max_items)) {
    count = std::max<uint64_t>(static_cast<uint64_t>(f.max_items), f.min_items);
  }
  if (count > options_.max_nodes) {
    Spend(count);
    return out;
  }
  bool vary = options_.vary_items || f.unique_items;
  auto repeated = [&](const Json& item) {
    return std::any_of(out.begin(), out.end(), [&](const Json& o) { return JsonEqual(o, item); });
  };
  for (uint64_t i = 0; i < count && error_.ok(); ++i) {
    uint64_t saved = ordinal_;
    if (vary) ordinal_ = ++counter_;
    Json item = MakeItem(f, i, minimal, hint);
    if (f.unique_items && repeated(item)) {
      if (out.size() >= static_cast<size_t>(f.min_items)) {
        ordinal_ = saved;
        continue;  // more items than needed already: a duplicate is dropped, not fixed
      }
      // Realistic values repeat once their table runs out; plain ones carry the item's number.
      bool was_plain = plain_;
      plain_ = true;
      item = MakeItem(f, i, minimal, hint);
      plain_ = was_plain;
    }
    ordinal_ = saved;
    out.push_back(std::move(item));
  }
  return out;
}

Json Sampler::MakeItem(const Facts& f, uint64_t index, bool minimal, std::string_view hint) {
  size_t prefix = f.prefix_items ? f.prefix_items->size() : 0;
  if (index < prefix) return Generate({f.prefix_items.Item(index)}, minimal, hint);
  if (!f.items.empty()) return Generate(f.items, minimal, hint);
  return hint.empty() ? std::string("item") : std::string(hint);
}

uint8_t Sampler::Access(SchemaRef ref) {
  uint8_t access = 0;
  for (int hop = 0; hop < 16 && ref && ref->is_object(); ++hop) {
    const Json& node = *ref.node;
    auto ro = node.find("readOnly");
    if (ro != node.end() && IsTrue(*ro)) access |= 1;
    auto wo = node.find("writeOnly");
    if (wo != node.end() && IsTrue(*wo)) access |= 2;
    auto r = node.find("$ref");
    if (r == node.end() || !r->is_string()) break;
    const Result<SchemaRef>& target = ResolveRef(ref, r->get_ref<const std::string&>());
    if (!target.ok()) break;
    ref = *target;
  }
  return access;
}

Json Sampler::MakeObject(const Plan& plan, const Facts& f, bool minimal) {
  Json out = Json::object();
  if (depth_ >= options_.max_depth) {
    if (!f.required.empty())
      Note(plan.leaves.front().Location() + ": too deep for its required properties");
    return out;
  }
  const uint8_t forbidden = options_.direction == Direction::kResponse ? 2 : 1;
  std::unordered_set<std::string_view> present;
  std::vector<std::string_view> optional_added;
  auto forced_value = [&](std::string_view name) -> const std::string* {
    for (const auto& [property, value] : plan.forced) {
      if (property == name) return &value;
    }
    return nullptr;
  };
  auto schemas_of = [&](const Facts::Property& p) {
    std::vector<SchemaRef> refs;
    refs.reserve(p.leaves.size());
    for (size_t leaf : p.leaves)
      refs.push_back(plan.leaves[leaf].Child("properties").Child(p.name));
    return refs;
  };
  auto add = [&](const Facts::Property& p, bool required) {
    if (!present.insert(p.name).second) return;
    if (const std::string* value = forced_value(p.name)) {
      AppendMember(out, std::string(p.name), *value);
      return;
    }
    std::vector<SchemaRef> refs = schemas_of(p);
    for (const SchemaRef& r : refs) {
      if (Access(r) & forbidden) return;
    }
    AppendMember(out, std::string(p.name), Generate(refs, minimal, p.name));
    if (!required) optional_added.push_back(p.name);
  };
  auto is_required = [&](std::string_view name) {
    return std::find(f.required.begin(), f.required.end(), name) != f.required.end();
  };

  for (const Facts::Property& p : f.properties) {
    bool required = is_required(p.name) || forced_value(p.name);
    if (required || (options_.all_properties && !minimal)) add(p, required);
    if (!error_.ok()) return out;
  }
  auto undeclared = [&](std::string_view name) {
    if (!present.insert(name).second) return;
    Json value = f.additional ? Generate({f.additional}, minimal, name) : Json(std::string(name));
    AppendMember(out, std::string(name), std::move(value));
  };
  for (std::string_view name : f.required) {
    if (!f.property_index.count(name)) undeclared(name);
  }
  for (const auto& [property, value] : plan.forced) {
    if (present.insert(property).second) AppendMember(out, property, value);
  }
  std::deque<std::string> made_up;  // keys held by `present`
  if (f.properties.empty() && f.additional && (options_.all_properties || options_.fill_maps) &&
      !minimal) {
    undeclared(made_up.emplace_back(ordinal_ ? "key-" + std::to_string(ordinal_) : "key"));
  }
  // minProperties: the optional properties first, then made-up ones where allowed.
  for (const Facts::Property& p : f.properties) {
    if (static_cast<int64_t>(out.size()) >= f.min_properties || !error_.ok()) break;
    add(p, false);
  }
  for (int64_t k = 1; static_cast<int64_t>(out.size()) < f.min_properties &&
                      !f.additional_forbidden && k <= f.min_properties && error_.ok();
       ++k) {
    undeclared(made_up.emplace_back("property" + std::to_string(k)));
  }
  while (f.max_properties >= 0 && static_cast<int64_t>(out.size()) > f.max_properties &&
         !optional_added.empty()) {
    out.erase(std::string(optional_added.back()));
    optional_added.pop_back();
  }
  return out;
}

}  // namespace sample_detail

Result<Json> SampleValue(SpecSet& specs, const SchemaRef& schema, const SampleOptions& options) {
  if (!schema) return Status::InvalidArgument("no schema to sample");
  return sample_detail::Sampler(specs, options).Run(schema);
}

}  // namespace verity::spec
