// The mock's memory: resources created, read, updated and deleted through the spec's collection
// operations, so a recipe that creates a client can read it back (Prism cannot).
//
// A collection is a path template without its trailing id ("/platform/v1/clients",
// "/clients/{}/notes"); its resources live in buckets keyed by the concrete values of the
// collection's own placeholders (the parent ids), so the notes of one client are not another's.
// Each bucket starts with a few seed items made from the collection's generated resource, so a
// list is never empty before anything was created.
//
// Ids follow the type the spec gives the id property (read from its generated value): integers
// count up, uuids and short strings come from a generator seeded by the mock's seed and the
// collection, so the same sequence of requests gets the same ids in every run.
//
// Thread-safe: one lock for the whole store; every operation is a map lookup and a copy.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/json.h"
#include "base/random.h"
#include "base/status.h"

namespace verity::mock {

enum class IdKind { kInteger, kUuid, kString };

struct CollectionSpec {
  std::string key;       // the collection's template shape, for messages and the id generator
  Json resource;         // a generated resource: the base of every created and seed item
  std::string id_field;  // the member that holds the id ("id", "uid"); may be empty
  IdKind id_kind = IdKind::kString;
  size_t id_length = 16;  // for kString ids
  /// Strict collections (the spec can create into them) answer NOT_FOUND for an id they never
  /// made. Others make up the resource on first use, since no recipe could have created it: an id
  /// from configuration must still be readable.
  bool strict = true;
  size_t seed_items = 2;
  /// What tells the seed items apart (another name, email, date), one per seed item after the
  /// first in turn, each laid over `resource`: a list whose items are all alike looks like no
  /// real API's.
  std::vector<Json> seed_variants;
  /// What the API adds to every resource it creates, laid over the request body (the rules
  /// file's `on_create`: a computed `status`); null: nothing.
  Json on_create = nullptr;
  /// Laid over a resource a DELETE marks instead of removing (the rules file's `on_delete`: an
  /// `expired` state): the resource stays readable and listed. Null: DELETE removes.
  Json on_delete = nullptr;
};

/// A resource and its id (as it appears in a path).
struct StoredItem {
  std::string id;
  Json value;
};

/// Objects merge member by member, recursively; anything else in `patch` replaces. Unlike RFC 7386
/// a null is kept (it clears a nullable field), never a deletion.
void DeepMerge(Json& target, const Json& patch);

/// A stable 64-bit hash (FNV-1a): std::hash differs between standard libraries, and ids must not.
uint64_t StableHash(std::string_view text);

class Store {
 public:
  explicit Store(uint64_t seed = 0);
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  ~Store();

  /// Registers a collection before serving; returns its number. Not thread-safe with the rest.
  size_t AddCollection(CollectionSpec spec);
  size_t collection_count() const { return collections_.size(); }
  const CollectionSpec& collection(size_t index) const;

  /// `parent` is the concrete values of the collection's placeholders joined with '/'.
  StoredItem Create(size_t collection, std::string_view parent, const Json& body);
  /// NOT_FOUND for an id that is not there (deleted, or never made in a strict collection).
  Result<StoredItem> Get(size_t collection, std::string_view parent, std::string_view id);
  std::vector<StoredItem> List(size_t collection, std::string_view parent);
  /// PUT: the generated resource with `body` merged over it, keeping the id.
  Result<StoredItem> Replace(size_t collection, std::string_view parent, std::string_view id,
                             const Json& body);
  /// PATCH: `body` merged over the stored resource.
  Result<StoredItem> Merge(size_t collection, std::string_view parent, std::string_view id,
                           const Json& body);
  /// The resource as it was before removal, or as it is once marked (CollectionSpec::on_delete).
  Result<StoredItem> Delete(size_t collection, std::string_view parent, std::string_view id);

  /// Grows with every change to any collection (seed items made on first use included): an
  /// answer made from the store while this was V holds for as long as it is still V.
  uint64_t version() const { return version_.load(std::memory_order_acquire); }

 private:
  struct Bucket;
  struct Collection;
  Bucket& BucketFor(Collection& c, std::string_view parent);
  std::string NextId(Collection& c);
  /// `variant`: a seed item's (CollectionSpec::seed_variants), or null.
  StoredItem MakeItem(Collection& c, std::string id, const Json* body,
                      const Json* variant = nullptr);
  /// The item's position in the bucket, materializing it for a lenient collection; -1 if absent.
  long Find(Collection& c, Bucket& bucket, std::string_view id);

  /// Under `mu_`, after each change.
  void Changed() { version_.fetch_add(1, std::memory_order_release); }

  uint64_t seed_;
  std::mutex mu_;
  std::atomic<uint64_t> version_{0};
  std::vector<std::unique_ptr<Collection>> collections_;
};

}  // namespace verity::mock
