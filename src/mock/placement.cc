#include "mock/placement.h"

#include <algorithm>
#include <array>
#include <utility>

#include "base/strings.h"

namespace verity::mock {
namespace {

bool Related(std::string_view key, std::string_view name) {
  if (key.empty() || name.empty()) return false;
  auto ends_with_word = [](std::string_view s, std::string_view word) {
    return s.size() > word.size() && EndsWith(s, word) && s[s.size() - word.size() - 1] == '_';
  };
  return ends_with_word(key, name) || ends_with_word(name, key);
}

bool IsGenericContainer(std::string_view key) {
  static constexpr std::array<std::string_view, 19> kNames = {
      "data",   "item",     "items", "result",    "results",   "records",  "resource",
      "entity", "entities", "list",  "content",   "payload",   "response", "value",
      "values", "objects",  "rows",  "resources", "collection"};
  return std::find(kNames.begin(), kNames.end(), key) != kNames.end();
}

// The evidence that `object`, found under member `key`, is the resource; 0 for none.
double Evidence(const Json& object, std::string_view key, bool list, const SlotHints& hints) {
  double score = 0;
  std::string_view wanted = list ? hints.plural : hints.singular;
  if (!key.empty() && key == wanted) {
    score += 10;
  } else if (!key.empty() && (key == hints.plural || key == hints.singular)) {
    score += 6;
  } else if (Related(key, hints.plural) || Related(key, hints.singular)) {
    score += 4;
  } else if (IsGenericContainer(key)) {
    score += 3;
  }
  size_t overlap = 0;
  for (const std::string& field : hints.fields) overlap += object.contains(field) ? 1 : 0;
  bool has_id = (!hints.id_field.empty() && object.contains(hints.id_field)) ||
                object.contains("id") || object.contains("uid");
  // One shared member is chance ({"status": …} after a delete is no client).
  if (score == 0 && !has_id && overlap < 2) return 0;
  score += 0.5 * static_cast<double>(std::min<size_t>(overlap, 5));
  if (has_id) score += 1;
  return score;
}

struct Best {
  double score = 0;
  Slot slot;
};

void Visit(const Json& value, const std::string& pointer, std::string_view key, int depth,
           bool list, const SlotHints& hints, Best& best) {
  if (depth > 8) return;
  double evidence = 0;
  size_t members = 0;
  if (list && value.is_array() && !value.empty() && value.front().is_object()) {
    evidence = Evidence(value.front(), key, true, hints);
    if (pointer.empty()) evidence += 3;  // a bare array is the list
    members = value.front().size();
  } else if (!list && value.is_object()) {
    // An empty object counts by its name alone (`{"data": {"service": {}}}`: an example that left
    // the resource out still says where it goes).
    evidence = Evidence(value, key, false, hints);
    members = value.size();
  }
  if (evidence > 0) {
    double score = evidence - 0.01 * depth + 0.0001 * static_cast<double>(members);
    if (score > best.score) best = Best{score, Slot{pointer, list}};
  }
  // Some APIs answer one resource as a list of one under its own name (`{"data": {"staff":
  // [{…}]}}` for a read or a create): the item is the resource, not the object around the list.
  if (!list && value.is_array() && value.size() == 1 && value.front().is_object() &&
      (key == hints.singular || key == hints.plural)) {
    Visit(value.front(), pointer + "/0", key, depth + 1, list, hints, best);
  }
  if (!value.is_object()) return;  // the list's items are not where the list goes
  for (const auto& [member, child] : value.items()) {
    if (!child.is_structured()) continue;
    std::string child_pointer = pointer;
    spec::AppendPointerToken(child_pointer, member);
    Visit(child, child_pointer, member, depth + 1, list, hints, best);
  }
}

std::string UnescapeToken(std::string_view token) {
  std::string out;
  for (size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '~' && i + 1 < token.size()) {
      out += token[i + 1] == '1' ? '/' : '~';
      ++i;
    } else {
      out += token[i];
    }
  }
  return out;
}

// Replaces or removes the member of a placed resource that `issue` is about; true if it changed
// anything.
bool Repair(Json& out, const Slot& slot, const Json& item, const spec::SchemaIssue& issue) {
  const std::string& path = issue.instance_path;
  if (path.size() < slot.pointer.size() || path.compare(0, slot.pointer.size(), slot.pointer) ||
      (path.size() > slot.pointer.size() && path[slot.pointer.size()] != '/')) {
    return false;
  }
  std::vector<std::string_view> tokens =
      Split(std::string_view(path).substr(slot.pointer.size()), '/');
  if (!tokens.empty() && tokens.front().empty()) tokens.erase(tokens.begin());
  std::string resource_pointer = slot.pointer;
  if (slot.list) {
    if (tokens.empty()) return false;  // the array itself (minItems, uniqueItems): not a member
    resource_pointer += "/" + std::string(tokens.front());
    tokens.erase(tokens.begin());
  }
  Json& resource = out[Json::json_pointer(resource_pointer)];
  if (tokens.empty()) {
    if (!resource.is_object() || !item.is_object()) {
      if (resource == item) return false;
      resource = item;
      return true;
    }
    bool changed = false;
    for (const auto& [member, value] : item.items()) {
      if (!resource.contains(member)) {
        resource[member] = value;
        changed = true;
      }
    }
    return changed;
  }
  if (!resource.is_object()) return false;
  std::string member = UnescapeToken(tokens.front());
  auto it = resource.find(member);
  if (it == resource.end()) {
    // A missing required member is reported at the member's own path.
    if (!item.is_object() || !item.contains(member)) return false;
    resource[member] = item[member];
    return true;
  }
  if (item.is_object() && item.contains(member)) {
    if (*it == item[member]) return false;
    *it = item[member];
  } else {
    resource.erase(member);
  }
  return true;
}

}  // namespace

std::string Singular(std::string_view plural) {
  std::string s(plural);
  if (EndsWith(s, "ies") && s.size() > 3) return s.substr(0, s.size() - 3) + "y";
  for (std::string_view tail : {"sses", "xes", "ches", "shes"}) {
    if (EndsWith(s, tail)) return s.substr(0, s.size() - 2);
  }
  if (EndsWith(s, "ss") || EndsWith(s, "us") || EndsWith(s, "is")) return s;  // status, analysis
  if (EndsWith(s, "s") && s.size() > 1) return s.substr(0, s.size() - 1);
  return s;
}

std::optional<Slot> FindSlot(const Json& response, bool list, const SlotHints& hints) {
  Best best;
  Visit(response, "", "", 0, list, hints, best);
  if (best.score <= 0) return std::nullopt;
  return best.slot;
}

Json SlotItem(const Json& response, const Slot& slot) {
  Json::json_pointer pointer(slot.pointer);
  if (!response.contains(pointer)) return Json::object();
  const Json& at = response[pointer];
  if (!slot.list) return at;
  return at.is_array() && !at.empty() ? at.front() : Json::object();
}

std::vector<Json> SlotItems(const Json& response, const Slot& slot) {
  Json::json_pointer pointer(slot.pointer);
  if (!slot.list || !response.contains(pointer) || !response[pointer].is_array()) return {};
  const Json& at = response[pointer];
  return std::vector<Json>(at.begin(), at.end());
}

ValidatorPool::ValidatorPool(spec::SpecSet& specs, spec::ValidationOptions options)
    : specs_(specs), options_(options) {}
ValidatorPool::~ValidatorPool() = default;

ValidatorPool::Lease::Lease(ValidatorPool& pool, std::unique_ptr<spec::SchemaValidator> v)
    : pool_(&pool), validator_(std::move(v)) {}

ValidatorPool::Lease::~Lease() {
  if (!validator_) return;
  std::lock_guard<std::mutex> lock(pool_->mu_);
  pool_->free_.push_back(std::move(validator_));
}

ValidatorPool::Lease ValidatorPool::Acquire() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!free_.empty()) {
      std::unique_ptr<spec::SchemaValidator> v = std::move(free_.back());
      free_.pop_back();
      return Lease(*this, std::move(v));
    }
  }
  return Lease(*this, std::make_unique<spec::SchemaValidator>(specs_, options_));
}

Json PlaceAndConform(const Json& response, const Slot& slot, Json data, const Json& item,
                     const spec::SchemaRef& schema, ValidatorPool& validators, bool* fell_back) {
  if (fell_back) *fell_back = false;
  Json out = response;
  out[Json::json_pointer(slot.pointer)] = std::move(data);
  if (!schema) return out;
  ValidatorPool::Lease validator = validators.Acquire();
  // Each round fixes every member it can; a member replaced by the template's value is valid
  // unless the template itself is not, so a few rounds settle it.
  for (int round = 0;; ++round) {
    spec::ValidationResult result = validator->Validate(schema, out);
    bool errors = !result.valid();
    bool changed = false;
    for (const spec::SchemaIssue& issue : result.issues) {
      if (round == 4) break;
      if (issue.severity == spec::Severity::kWarning && issue.code != spec::kUndocumentedField) {
        continue;
      }
      changed |= Repair(out, slot, item, issue);
    }
    if (changed) continue;
    if (!errors) return out;
    if (fell_back) *fell_back = true;
    return response;
  }
}

}  // namespace verity::mock
