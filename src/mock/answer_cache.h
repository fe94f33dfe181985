// The serialized answers of reads (a list, an item by id), each kept with the store version it
// was made at. An answer is a function of the operation and the stored data alone, so while the
// store is unchanged a repeated read costs a lookup instead of copying the resources, placing them
// into the template, validating the result and serializing it: the mock's busiest path under load
// (a recipe polling a list, a benchmark) does no JSON work at all.
//
// Thread-safe. Bounded: past `capacity` entries it starts over rather than tracking recency.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>

namespace verity::mock {

class AnswerCache {
 public:
  explicit AnswerCache(size_t capacity = 4096) : capacity_(capacity) {}

  /// The body stored under `key` at `version`; null when there is none or it is older.
  std::shared_ptr<const std::string> Find(const std::string& key, uint64_t version) const {
    std::shared_lock lock(mu_);
    auto it = entries_.find(key);
    if (it == entries_.end() || it->second.version != version) return nullptr;
    return it->second.body;
  }

  /// `version` must have been read before the data the body was made from.
  void Put(const std::string& key, uint64_t version, std::string body) {
    auto shared = std::make_shared<const std::string>(std::move(body));
    std::unique_lock lock(mu_);
    if (entries_.size() >= capacity_ && entries_.find(key) == entries_.end()) entries_.clear();
    Entry& entry = entries_[key];
    // A slower request may finish after a newer answer for the same key was stored.
    if (entry.body != nullptr && entry.version > version) return;
    entry.version = version;
    entry.body = std::move(shared);
  }

 private:
  struct Entry {
    uint64_t version = 0;
    std::shared_ptr<const std::string> body;
  };
  const size_t capacity_;
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace verity::mock
