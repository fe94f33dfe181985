#include "mock/store.h"

#include <fmt/format.h>

#include <unordered_set>
#include <utility>

namespace verity::mock {

void DeepMerge(Json& target, const Json& patch) {
  if (!target.is_object() || !patch.is_object()) {
    target = patch;
    return;
  }
  for (const auto& [key, value] : patch.items()) {
    auto it = target.find(key);
    if (it == target.end()) {
      target[key] = value;
    } else {
      DeepMerge(*it, value);
    }
  }
}

uint64_t StableHash(std::string_view text) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

struct Store::Bucket {
  std::vector<StoredItem> items;  // in creation order: lists show them so
  std::unordered_map<std::string, size_t> index;
  // Ids deleted from a lenient collection stay gone instead of being made up again.
  std::unordered_set<std::string> deleted;
};

struct Store::Collection {
  explicit Collection(CollectionSpec s, uint64_t seed)
      : spec(std::move(s)), random(seed ^ StableHash(spec.key)) {}
  CollectionSpec spec;
  SeededRandom random;
  uint64_t next_integer = 1;
  std::unordered_map<std::string, Bucket> buckets;
};

Store::Store(uint64_t seed) : seed_(seed) {}
Store::~Store() = default;

size_t Store::AddCollection(CollectionSpec spec) {
  collections_.push_back(std::make_unique<Collection>(std::move(spec), seed_));
  return collections_.size() - 1;
}

const CollectionSpec& Store::collection(size_t index) const { return collections_[index]->spec; }

std::string Store::NextId(Collection& c) {
  switch (c.spec.id_kind) {
    case IdKind::kInteger:
      return std::to_string(c.next_integer++);
    case IdKind::kUuid: {
      uint64_t hi = c.random.Next();
      uint64_t lo = c.random.Next();
      hi = (hi & ~0xF000ull) | 0x4000ull;                         // version 4
      lo = (lo & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;  // RFC 4122 variant
      return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", hi >> 32, (hi >> 16) & 0xFFFF,
                         hi & 0xFFFF, lo >> 48, lo & 0xFFFFFFFFFFFFull);
    }
    case IdKind::kString:
      break;
  }
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string id;
  for (size_t i = 0; i < c.spec.id_length; ++i) id += kAlphabet[c.random.Below(36)];
  return id;
}

StoredItem Store::MakeItem(Collection& c, std::string id, const Json* body, const Json* variant) {
  StoredItem item{std::move(id), c.spec.resource};
  if (variant) DeepMerge(item.value, *variant);
  if (body) DeepMerge(item.value, *body);
  if (!c.spec.id_field.empty() && item.value.is_object()) {
    // The server assigns ids: one in the body is overwritten, as real APIs do.
    if (c.spec.id_kind == IdKind::kInteger) {
      item.value[c.spec.id_field] = std::stoll(item.id);
    } else {
      item.value[c.spec.id_field] = item.id;
    }
  }
  return item;
}

Store::Bucket& Store::BucketFor(Collection& c, std::string_view parent) {
  auto [it, added] = c.buckets.try_emplace(std::string(parent));
  Bucket& bucket = it->second;
  if (added) {
    const std::vector<Json>& variants = c.spec.seed_variants;
    for (size_t i = 0; i < c.spec.seed_items; ++i) {
      // The first is the template itself: the spec's example, when it gave one, shows first.
      const Json* variant =
          i == 0 || variants.empty() ? nullptr : &variants[(i - 1) % variants.size()];
      StoredItem item = MakeItem(c, NextId(c), nullptr, variant);
      bucket.index.emplace(item.id, bucket.items.size());
      bucket.items.push_back(std::move(item));
    }
    Changed();
  }
  return bucket;
}

long Store::Find(Collection& c, Bucket& bucket, std::string_view id) {
  std::string key(id);
  auto it = bucket.index.find(key);
  if (it != bucket.index.end()) return static_cast<long>(it->second);
  if (c.spec.strict || bucket.deleted.count(key) || id.empty()) return -1;
  if (c.spec.id_kind == IdKind::kInteger && key.find_first_not_of("0123456789") != key.npos) {
    return -1;
  }
  if (c.spec.id_kind == IdKind::kInteger && key.size() > 18) return -1;
  StoredItem item = MakeItem(c, key, nullptr);
  bucket.index.emplace(key, bucket.items.size());
  bucket.items.push_back(std::move(item));
  Changed();
  return static_cast<long>(bucket.items.size() - 1);
}

StoredItem Store::Create(size_t collection, std::string_view parent, const Json& body) {
  std::lock_guard<std::mutex> lock(mu_);
  Collection& c = *collections_[collection];
  Bucket& bucket = BucketFor(c, parent);
  StoredItem item = MakeItem(c, NextId(c), &body);
  if (!c.spec.on_create.is_null()) DeepMerge(item.value, c.spec.on_create);
  bucket.index.emplace(item.id, bucket.items.size());
  bucket.items.push_back(item);
  Changed();
  return item;
}

static Status NotFound(const CollectionSpec& spec, std::string_view id) {
  return Status::NotFound(fmt::format("no resource '{}' in {}", id, spec.key));
}

Result<StoredItem> Store::Get(size_t collection, std::string_view parent, std::string_view id) {
  std::lock_guard<std::mutex> lock(mu_);
  Collection& c = *collections_[collection];
  Bucket& bucket = BucketFor(c, parent);
  long at = Find(c, bucket, id);
  if (at < 0) return NotFound(c.spec, id);
  return bucket.items[at];
}

std::vector<StoredItem> Store::List(size_t collection, std::string_view parent) {
  std::lock_guard<std::mutex> lock(mu_);
  Collection& c = *collections_[collection];
  return BucketFor(c, parent).items;
}

Result<StoredItem> Store::Replace(size_t collection, std::string_view parent, std::string_view id,
                                  const Json& body) {
  std::lock_guard<std::mutex> lock(mu_);
  Collection& c = *collections_[collection];
  Bucket& bucket = BucketFor(c, parent);
  long at = Find(c, bucket, id);
  if (at < 0) return NotFound(c.spec, id);
  bucket.items[at] = MakeItem(c, bucket.items[at].id, &body);
  Changed();
  return bucket.items[at];
}

Result<StoredItem> Store::Merge(size_t collection, std::string_view parent, std::string_view id,
                                const Json& body) {
  std::lock_guard<std::mutex> lock(mu_);
  Collection& c = *collections_[collection];
  Bucket& bucket = BucketFor(c, parent);
  long at = Find(c, bucket, id);
  if (at < 0) return NotFound(c.spec, id);
  StoredItem& item = bucket.items[at];
  Json id_value =
      !c.spec.id_field.empty() && item.value.is_object() && item.value.contains(c.spec.id_field)
          ? item.value[c.spec.id_field]
          : Json();
  DeepMerge(item.value, body);
  if (!id_value.is_null()) item.value[c.spec.id_field] = std::move(id_value);
  Changed();
  return item;
}

Result<StoredItem> Store::Delete(size_t collection, std::string_view parent, std::string_view id) {
  std::lock_guard<std::mutex> lock(mu_);
  Collection& c = *collections_[collection];
  Bucket& bucket = BucketFor(c, parent);
  long at = Find(c, bucket, id);
  if (at < 0) return NotFound(c.spec, id);
  if (!c.spec.on_delete.is_null()) {
    DeepMerge(bucket.items[at].value, c.spec.on_delete);
    Changed();
    return bucket.items[at];
  }
  StoredItem removed = std::move(bucket.items[at]);
  bucket.items.erase(bucket.items.begin() + at);
  bucket.index.erase(removed.id);
  for (size_t i = static_cast<size_t>(at); i < bucket.items.size(); ++i) {
    bucket.index[bucket.items[i].id] = i;
  }
  bucket.deleted.insert(removed.id);
  Changed();
  return removed;
}

}  // namespace verity::mock
