// Where a stored resource goes in an operation's response, and making the result conform.
//
// Real APIs wrap their resources (`{"data": {"clients": [...]}, "status": "OK"}`), and each
// operation may wrap differently, so the mock works on a generated response (the template) and
// looks inside it for the place of the resource: a *slot*. The heuristic, in order of weight:
//   - the member's name: the collection's own name ("clients") for a list, its singular ("client")
//     for one resource; a name that ends with it or that it ends with ("client_notes" / "notes");
//     then generic containers ("data", "items", "results", …);
//   - how many of the resource's known members the candidate object has (those of the create
//     request's body), and whether it has an id member;
//   - nearer the top, then more members.
// A list slot is an array whose first item is an object (the item is scored); an item slot is an
// object, the response itself included. A candidate needs a name, an id or two known members
// (one shared member is chance: {"status": …} after a delete is no client); with none, the
// operation is answered with its template alone.
//
// Stored data can disagree with a response schema (a request field the response types otherwise,
// a member another operation's response does not declare), so after placing it the response is
// validated and each offending member of a placed resource is replaced by the template's own
// value, or removed when the template has none. What cannot be repaired gives way to the template.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "spec/spec_set.h"
#include "spec/validate.h"

namespace verity::mock {

struct SlotHints {
  std::string plural;               // the collection's last literal segment ("clients")
  std::string singular;             // "client"
  std::vector<std::string> fields;  // members a resource is known to have
  std::string id_field;             // the item path's parameter ("client_id"); "id" and "uid"
                                    // count as ids too
};

/// "categories" → "category", "addresses" → "address", "clients" → "client".
std::string Singular(std::string_view plural);

struct Slot {
  std::string pointer;  // JSON Pointer into the template
  bool list = false;    // an array of resources (else one resource)
};

/// The best place for a resource (list: an array of them) in `response`, or nullopt.
std::optional<Slot> FindSlot(const Json& response, bool list, const SlotHints& hints);

/// The resource the template holds at `slot` (a list's first item).
Json SlotItem(const Json& response, const Slot& slot);
/// Every resource the template holds at a list slot (none for another slot).
std::vector<Json> SlotItems(const Json& response, const Slot& slot);

/// SchemaValidator is not thread-safe and learns as it goes: the mock keeps a few and lends them.
class ValidatorPool {
 public:
  ValidatorPool(spec::SpecSet& specs, spec::ValidationOptions options);
  ~ValidatorPool();

  class Lease {
   public:
    Lease(ValidatorPool& pool, std::unique_ptr<spec::SchemaValidator> v);
    Lease(Lease&&) = default;
    ~Lease();
    spec::SchemaValidator& operator*() { return *validator_; }
    spec::SchemaValidator* operator->() { return validator_.get(); }

   private:
    ValidatorPool* pool_;
    std::unique_ptr<spec::SchemaValidator> validator_;
  };
  Lease Acquire();

 private:
  spec::SpecSet& specs_;
  spec::ValidationOptions options_;
  std::mutex mu_;
  std::vector<std::unique_ptr<spec::SchemaValidator>> free_;
};

/// Puts `data` (a resource, or an array of them for a list slot) into a copy of `response` at
/// `slot`, then repairs it against `schema` (when given) as described above. `item` is the
/// template's resource, the source of replacement values. `fell_back` (when given) says whether
/// the data could not be made to conform and the template came back instead.
Json PlaceAndConform(const Json& response, const Slot& slot, Json data, const Json& item,
                     const spec::SchemaRef& schema, ValidatorPool& validators,
                     bool* fell_back = nullptr);

}  // namespace verity::mock
