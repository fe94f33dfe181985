#include "mock/routes.h"

#include "base/strings.h"

namespace verity::mock {

const char* OpKindName(OpKind kind) {
  switch (kind) {
    case OpKind::kOther:
      return "other";
    case OpKind::kList:
      return "list";
    case OpKind::kCreate:
      return "create";
    case OpKind::kRead:
      return "read";
    case OpKind::kReplace:
      return "replace";
    case OpKind::kMerge:
      return "merge";
    case OpKind::kDelete:
      return "delete";
  }
  return "other";
}

OpKind ClassifyOperation(std::string_view method, const spec::PathTemplate& path) {
  if (path.segments.empty()) return OpKind::kOther;
  bool item = path.segments.back().is_param;
  // A collection needs a literal name before its id ("/clients/{id}", not "/{a}/{b}").
  if (item && (path.segments.size() < 2 || path.segments[path.segments.size() - 2].is_param)) {
    return OpKind::kOther;
  }
  if (item) {
    if (method == "GET") return OpKind::kRead;
    if (method == "PUT") return OpKind::kReplace;
    if (method == "PATCH") return OpKind::kMerge;
    if (method == "DELETE") return OpKind::kDelete;
    return OpKind::kOther;
  }
  if (method == "GET") return OpKind::kList;
  if (method == "POST") return OpKind::kCreate;
  return OpKind::kOther;
}

static bool IsItemKind(OpKind kind) {
  return kind == OpKind::kRead || kind == OpKind::kReplace || kind == OpKind::kMerge ||
         kind == OpKind::kDelete;
}

std::string CollectionShape(const spec::PathTemplate& path, OpKind kind) {
  size_t end = path.segments.size() - (IsItemKind(kind) ? 1 : 0);
  std::string out;
  for (size_t i = 0; i < end; ++i) {
    out += '/';
    out += path.segments[i].is_param ? "{}" : path.segments[i].text;
  }
  return out;
}

std::string CollectionPath(const spec::PathTemplate& path, OpKind kind) {
  size_t end = path.segments.size() - (IsItemKind(kind) ? 1 : 0);
  std::string out;
  for (size_t i = 0; i < end; ++i) out += "/" + path.segments[i].text;
  return out;
}

void RouteIndex::Add(const spec::PathTemplate& path, std::string_view method, size_t route,
                     const std::function<bool(size_t first)>& replaces) {
  uint32_t node = 0;
  for (const spec::PathTemplate::Segment& segment : path.segments) {
    uint32_t next = segment.is_param ? nodes_[node].param : 0;
    if (!segment.is_param) {
      auto it = nodes_[node].literal.find(segment.text);
      if (it != nodes_[node].literal.end()) next = it->second;
    }
    if (next == 0) {
      next = static_cast<uint32_t>(nodes_.size());
      nodes_.emplace_back();
      if (segment.is_param) {
        nodes_[node].param = next;
      } else {
        nodes_[node].literal.emplace(segment.text, next);
      }
    }
    node = next;
  }
  for (auto& [m, r] : nodes_[node].methods) {
    if (m != method) continue;
    if (replaces && replaces(r)) r = route;
    return;
  }
  nodes_[node].methods.emplace_back(std::string(method), route);
}

bool RouteIndex::Walk(uint32_t node, const std::vector<std::string_view>& segments, size_t at,
                      std::string_view method, std::vector<std::string_view>& params,
                      uint32_t* leaf) const {
  const Node& n = nodes_[node];
  if (at == segments.size()) {
    for (const auto& [m, route] : n.methods) {
      if (method.empty() || IEquals(m, method)) {
        *leaf = node;
        return true;
      }
    }
    return false;
  }
  // Heterogeneous lookup needs C++20's transparent unordered_map, which GCC 12 has only for
  // find() with a transparent hash; a short copy per segment is cheaper than that plumbing.
  auto it = n.literal.find(std::string(segments[at]));
  if (it != n.literal.end() && Walk(it->second, segments, at + 1, method, params, leaf))
    return true;
  if (n.param != 0) {
    params.push_back(segments[at]);
    if (Walk(n.param, segments, at + 1, method, params, leaf)) return true;
    params.pop_back();
  }
  return false;
}

RouteIndex::Match RouteIndex::Find(std::string_view method, std::string_view path) const {
  std::vector<std::string_view> segments;
  size_t start = 0;
  while (start < path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > start) segments.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  Match match;
  uint32_t leaf = 0;
  // "GET /clients/bulk" is a read of the client "bulk" when only "PUT /clients/bulk" is literal:
  // a path that fits the method wins before any path at all is taken for a 405.
  if (!Walk(0, segments, 0, method, match.params, &leaf)) {
    match.params.clear();
    if (!Walk(0, segments, 0, {}, match.params, &leaf)) return match;
  }
  match.path_known = true;
  for (const auto& [m, route] : nodes_[leaf].methods) {
    if (IEquals(m, method)) {
      match.route = route;
      return match;
    }
  }
  for (const auto& [m, route] : nodes_[leaf].methods) match.allowed.push_back(m);
  return match;
}

}  // namespace verity::mock
