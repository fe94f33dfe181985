#include "derive/collections.h"

#include "derive/shapes.h"

namespace verity::derive {
namespace {

std::string Key(std::string_view method, std::string_view name) {
  std::string key(method);
  key += ' ';
  key += name;
  return key;
}

}  // namespace

CollectionIndex::CollectionIndex(const spec::Catalog& catalog) {
  for (const spec::Operation& op : catalog.operations()) {
    std::vector<Segment> parts = Segments(op.path);
    if (parts.empty() || !parts.back().param.empty()) continue;
    const std::string& last = parts.back().text;
    std::string singular = Singular(last);
    by_key_[Key(op.method, last)].push_back(&op);
    // A name that is its own singular ("staff") is listed once.
    if (singular != last) by_key_[Key(op.method, singular)].push_back(&op);
  }
}

const std::vector<const spec::Operation*>& CollectionIndex::Find(std::string_view method,
                                                                 std::string_view name) const {
  static const std::vector<const spec::Operation*> kNone;
  auto it = by_key_.find(Key(method, name));
  return it == by_key_.end() ? kNone : it->second;
}

}  // namespace verity::derive
