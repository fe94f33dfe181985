#include "expr/jsonpath_eval.h"

#include <algorithm>
#include <map>
#include <optional>
#include <type_traits>

#include "expr/jsonpath_normalized.h"

namespace verity::expr::jsonpath_detail {
namespace {

// Paths are recorded as a tree of steps shared by all nodes of one evaluation and only turned into
// strings for the nodes of the final result.
struct PathStep {
  uint32_t parent;
  const std::string* key;  // null for an array index
  size_t index;
};

class PathArena {
 public:
  PathArena() { steps_.push_back({0, nullptr, 0}); }  // 0 is `$`
  uint32_t Child(uint32_t parent, const std::string* key, size_t index) {
    steps_.push_back({parent, key, index});
    return static_cast<uint32_t>(steps_.size() - 1);
  }
  std::string Format(uint32_t id, std::vector<uint32_t>* scratch) const {
    scratch->clear();
    for (uint32_t at = id; at != 0; at = steps_[at].parent) scratch->push_back(at);
    std::string out = "$";
    for (auto it = scratch->rbegin(); it != scratch->rend(); ++it) {
      const PathStep& s = steps_[*it];
      if (s.key != nullptr) {
        AppendNameSegment(*s.key, &out);
      } else {
        AppendIndexSegment(s.index, &out);
      }
    }
    return out;
  }

 private:
  std::vector<PathStep> steps_;
};

struct TrackedNode {
  const Json* value;
  uint32_t path;
};

// One walker serves both modes; without paths a node is just the pointer, so filter queries pay
// nothing for path tracking.
template <bool kPaths>
class Walker {
 public:
  using Node = std::conditional_t<kPaths, TrackedNode, const Json*>;

  Walker(const Json* root, const Query* query, PathArena* arena)
      : root_(root), query_(query), arena_(arena) {}

  static const Json* ValueOf(const Node& n) {
    if constexpr (kPaths) {
      return n.value;
    } else {
      return n;
    }
  }

  void Run(const PathQuery& q, Node start, std::vector<Node>* result) {
    std::vector<Node> current{start};
    std::vector<Node> next;
    for (const Segment& segment : q.segments) {
      next.clear();
      ApplySegment(segment, current, &next);
      current.swap(next);
      if (current.empty()) break;
    }
    if (result->empty()) {
      result->swap(current);
    } else {
      result->insert(result->end(), current.begin(), current.end());
    }
  }

 private:
  Node Child(const Node& parent, const Json* value, const std::string* key, size_t index) {
    if constexpr (kPaths) {
      return {value, arena_->Child(parent.path, key, index)};
    } else {
      (void)parent;
      (void)key;
      (void)index;
      return value;
    }
  }

  void ApplySegment(const Segment& segment, const std::vector<Node>& in, std::vector<Node>* out) {
    size_t first = out->size();
    for (const Node& node : in) {
      if (!segment.descendant) {
        ApplySelectors(segment, node, out);
        continue;
      }
      // Pre-order over the node and its descendants, with an explicit stack: documents may be
      // nested far deeper than the call stack allows.
      std::vector<Node> stack{node};
      while (!stack.empty()) {
        Node n = stack.back();
        stack.pop_back();
        ApplySelectors(segment, n, out);
        const Json& v = *ValueOf(n);
        if (v.is_array()) {
          const auto& items = v.get_ref<const Json::array_t&>();
          for (size_t i = items.size(); i-- > 0;) stack.push_back(Child(n, &items[i], nullptr, i));
        } else if (v.is_object()) {
          const auto& members = v.get_ref<const Json::object_t&>();
          for (auto it = members.rbegin(); it != members.rend(); ++it) {
            stack.push_back(Child(n, &it->second, &it->first, 0));
          }
        }
      }
    }
    if (segment.pick) {
      int64_t size = static_cast<int64_t>(out->size() - first);
      int64_t i = *segment.pick >= 0 ? *segment.pick : size + *segment.pick;
      if (i >= 0 && i < size) {
        Node keep = (*out)[first + i];
        out->resize(first + 1);
        (*out)[first] = keep;
      } else {
        out->resize(first);
      }
    }
  }

  void ApplySelectors(const Segment& segment, const Node& node, std::vector<Node>* out) {
    for (const Selector& s : segment.selectors) ApplySelector(s, node, out);
  }

  void ApplySelector(const Selector& s, const Node& node, std::vector<Node>* out) {
    const Json& v = *ValueOf(node);
    switch (s.kind) {
      case Selector::Kind::kName: {
        if (!v.is_object()) return;
        const auto& members = v.get_ref<const Json::object_t&>();
        if (const auto* member = FindMember(members, s))
          out->push_back(Child(node, &member->second, &member->first, 0));
        return;
      }
      case Selector::Kind::kWildcard:
        if (v.is_array()) {
          const auto& items = v.get_ref<const Json::array_t&>();
          for (size_t i = 0; i < items.size(); ++i)
            out->push_back(Child(node, &items[i], nullptr, i));
        } else if (v.is_object()) {
          for (const auto& [key, value] : v.get_ref<const Json::object_t&>()) {
            out->push_back(Child(node, &value, &key, 0));
          }
        }
        return;
      case Selector::Kind::kIndex: {
        if (!v.is_array()) return;
        const auto& items = v.get_ref<const Json::array_t&>();
        int64_t size = static_cast<int64_t>(items.size());
        int64_t i = s.index >= 0 ? s.index : size + s.index;
        if (i >= 0 && i < size) out->push_back(Child(node, &items[i], nullptr, i));
        return;
      }
      case Selector::Kind::kSlice:
        if (v.is_array()) Slice(s, node, v.get_ref<const Json::array_t&>(), out);
        return;
      case Selector::Kind::kFilter:
        if (v.is_array()) {
          const auto& items = v.get_ref<const Json::array_t&>();
          for (size_t i = 0; i < items.size(); ++i) {
            if (FilterMatches(*s.filter, {&items[i], root_, query_})) {
              out->push_back(Child(node, &items[i], nullptr, i));
            }
          }
        } else if (v.is_object()) {
          for (const auto& [key, value] : v.get_ref<const Json::object_t&>()) {
            if (FilterMatches(*s.filter, {&value, root_, query_})) {
              out->push_back(Child(node, &value, &key, 0));
            }
          }
        }
        return;
    }
  }

  // RFC 9535 §2.3.4.2.2. Bounds are at most 2^53 in magnitude, so none of this overflows.
  void Slice(const Selector& s, const Node& node, const Json::array_t& items,
             std::vector<Node>* out) {
    int64_t len = static_cast<int64_t>(items.size());
    int64_t step = s.step;
    if (step == 0) return;
    auto normalize = [len](int64_t i) { return i >= 0 ? i : len + i; };
    if (step > 0) {
      int64_t lower = std::clamp<int64_t>(s.start ? normalize(*s.start) : 0, 0, len);
      int64_t upper = std::clamp<int64_t>(s.end ? normalize(*s.end) : len, 0, len);
      for (int64_t i = lower; i < upper; i += step) {
        out->push_back(Child(node, &items[i], nullptr, i));
      }
    } else {
      int64_t upper = std::clamp<int64_t>(s.start ? normalize(*s.start) : len - 1, -1, len - 1);
      int64_t lower = std::clamp<int64_t>(s.end ? normalize(*s.end) : -len - 1, -1, len - 1);
      for (int64_t i = upper; lower < i; i += step) {
        out->push_back(Child(node, &items[i], nullptr, i));
      }
    }
  }

  const Json* root_;
  const Query* query_;
  PathArena* arena_;
};

const Json* WalkSingular(const PathQuery& query, const Json* v, std::string* path) {
  for (const Segment& segment : query.segments) {
    const Selector& s = segment.selectors[0];
    if (s.kind == Selector::Kind::kName) {
      if (!v->is_object()) return nullptr;
      const auto* member = FindMember(v->get_ref<const Json::object_t&>(), s);
      if (member == nullptr) return nullptr;
      v = &member->second;
      if (path != nullptr) AppendNameSegment(s.name, path);
    } else {
      if (!v->is_array()) return nullptr;
      const auto& items = v->get_ref<const Json::array_t&>();
      int64_t size = static_cast<int64_t>(items.size());
      int64_t i = s.index >= 0 ? s.index : size + s.index;
      if (i < 0 || i >= size) return nullptr;
      v = &items[i];
      if (path != nullptr) AppendIndexSegment(i, path);
    }
  }
  return v;
}

template <typename Node>
void PickOne(std::optional<int64_t> pick, std::vector<Node>* nodes) {
  if (!pick) return;
  int64_t size = static_cast<int64_t>(nodes->size());
  int64_t i = *pick >= 0 ? *pick : size + *pick;
  if (i < 0 || i >= size) {
    nodes->clear();
    return;
  }
  if (i != 0) (*nodes)[0] = std::move((*nodes)[i]);
  nodes->resize(1);
}

}  // namespace

const Json::object_t::value_type* FindMember(const Json::object_t& object, const Selector& s) {
  // ordered_map's operator[] takes a key; its storage is a vector of members.
  const Json::object_t::value_type* members = object.data();
  size_t hint = s.slot.get();
  if (hint < object.size() && members[hint].first == s.name) return &members[hint];
  for (size_t i = 0; i < object.size(); ++i) {
    if (members[i].first == s.name) {
      s.slot.set(static_cast<uint32_t>(i));
      return &members[i];
    }
  }
  return nullptr;
}

void SelectValues(const PathQuery& query, const FilterContext& ctx, std::vector<const Json*>* out) {
  const Json* start = query.absolute ? ctx.root : ctx.current;
  if (query.singular) {
    if (const Json* v = WalkSingular(query, start, nullptr)) out->push_back(v);
    return;
  }
  Walker<false>(ctx.root, ctx.query, nullptr).Run(query, start, out);
}

const Json* SelectSingular(const PathQuery& query, const FilterContext& ctx) {
  return WalkSingular(query, query.absolute ? ctx.root : ctx.current, nullptr);
}

std::vector<const Json*> EvaluateValues(const Query& query, const Json& root) {
  std::vector<const Json*> out;
  SelectValues(query.path, {&root, &root, &query}, &out);
  PickOne(query.pick, &out);
  return out;
}

namespace {

bool IsChildStep(const Segment& segment) {
  return !segment.descendant && !segment.pick && segment.selectors.size() == 1 &&
         (segment.selectors[0].kind == Selector::Kind::kName ||
          segment.selectors[0].kind == Selector::Kind::kIndex);
}

// The index of the one wildcard or filter segment of a query that can share a pass, or nullopt.
std::optional<size_t> SharedPassSplit(const Query& query) {
  if (query.pick || !query.path.absolute || query.path.singular) return std::nullopt;
  const std::vector<Segment>& segments = query.path.segments;
  std::optional<size_t> split;
  for (size_t i = 0; i < segments.size(); ++i) {
    if (IsChildStep(segments[i])) continue;
    const Segment& s = segments[i];
    bool spreads = !s.descendant && !s.pick && s.selectors.size() == 1 &&
                   (s.selectors[0].kind == Selector::Kind::kWildcard ||
                    s.selectors[0].kind == Selector::Kind::kFilter);
    if (!spreads || split) return std::nullopt;
    split = i;
  }
  return split;
}

// Name and index steps from `begin` to `end`, from `v`; null when one is missing.
const Json* WalkSteps(const std::vector<Segment>& segments, size_t begin, size_t end,
                      const Json* v) {
  for (size_t i = begin; i < end && v != nullptr; ++i) {
    const Selector& s = segments[i].selectors[0];
    if (s.kind == Selector::Kind::kName) {
      if (!v->is_object()) return nullptr;
      const auto* member = FindMember(v->get_ref<const Json::object_t&>(), s);
      v = member == nullptr ? nullptr : &member->second;
    } else {
      if (!v->is_array()) return nullptr;
      const auto& items = v->get_ref<const Json::array_t&>();
      int64_t size = static_cast<int64_t>(items.size());
      int64_t at = s.index >= 0 ? s.index : size + s.index;
      v = at < 0 || at >= size ? nullptr : &items[at];
    }
  }
  return v;
}

// The prefix's steps as text, to group queries that walk to the same node.
std::string PrefixKey(const std::vector<Segment>& segments, size_t end) {
  std::string key;
  for (size_t i = 0; i < end; ++i) {
    const Selector& s = segments[i].selectors[0];
    key += s.kind == Selector::Kind::kName ? "." + std::to_string(s.name.size()) + ":" + s.name
                                           : "[" + std::to_string(s.index) + "]";
  }
  return key;
}

struct Shared {
  size_t index;  // into the queries
  size_t split;
};

// One pass over the children of the node the group's common prefix selects.
void SelectTogether(const std::vector<const Query*>& queries, const std::vector<Shared>& group,
                    const Json& root, std::vector<std::vector<const Json*>>* out) {
  const Query& first = *queries[group.front().index];
  const Json* parent = WalkSteps(first.path.segments, 0, group.front().split, &root);
  if (parent == nullptr) return;
  auto visit = [&](const Json& child) {
    for (const Shared& member : group) {
      const Query& query = *queries[member.index];
      const std::vector<Segment>& segments = query.path.segments;
      const Selector& spread = segments[member.split].selectors[0];
      if (spread.kind == Selector::Kind::kFilter &&
          !FilterMatches(*spread.filter, {&child, &root, &query}))
        continue;
      const Json* v = WalkSteps(segments, member.split + 1, segments.size(), &child);
      if (v != nullptr) (*out)[member.index].push_back(v);
    }
  };
  if (parent->is_array()) {
    for (const Json& child : parent->get_ref<const Json::array_t&>()) visit(child);
  } else if (parent->is_object()) {
    for (const auto& [key, child] : parent->get_ref<const Json::object_t&>()) visit(child);
  }
}

}  // namespace

std::vector<std::vector<const Json*>> EvaluateValuesTogether(
    const std::vector<const Query*>& queries, const Json& root) {
  std::vector<std::vector<const Json*>> out(queries.size());
  std::map<std::string, std::vector<Shared>> groups;
  for (size_t i = 0; i < queries.size(); ++i) {
    std::optional<size_t> split = SharedPassSplit(*queries[i]);
    if (split)
      groups[PrefixKey(queries[i]->path.segments, *split)].push_back({i, *split});
    else
      out[i] = EvaluateValues(*queries[i], root);
  }
  for (const auto& [key, group] : groups) {
    if (group.size() == 1)
      out[group.front().index] = EvaluateValues(*queries[group.front().index], root);
    else
      SelectTogether(queries, group, root, &out);
  }
  return out;
}

std::vector<JsonPathNode> EvaluateNodes(const Query& query, const Json& root) {
  std::vector<JsonPathNode> out;
  if (query.path.singular) {
    std::string path = "$";
    if (const Json* v = WalkSingular(query.path, &root, &path)) {
      if (!query.pick || *query.pick == 0 || *query.pick == -1) {
        out.push_back({v, std::move(path)});
      }
    }
    return out;
  }
  PathArena arena;
  std::vector<TrackedNode> nodes;
  Walker<true>(&root, &query, &arena).Run(query.path, TrackedNode{&root, 0}, &nodes);
  PickOne(query.pick, &nodes);
  out.reserve(nodes.size());
  std::vector<uint32_t> scratch;
  for (const TrackedNode& n : nodes) out.push_back({n.value, arena.Format(n.path, &scratch)});
  return out;
}

}  // namespace verity::expr::jsonpath_detail
