#include "expr/variables.h"

#include <charconv>

#include "base/strings.h"

namespace verity::expr {

namespace {

// Follows path[first..] down from `root`; nullptr on a miss.
const Json* Walk(const Json& root, const std::vector<std::string>& path, size_t first) {
  const Json* v = &root;
  for (size_t i = first; i < path.size(); ++i) {
    const std::string& seg = path[i];
    if (v->is_object()) {
      auto it = v->find(seg);
      if (it == v->end()) return nullptr;
      v = &*it;
    } else if (v->is_array()) {
      size_t index = 0;
      auto [end, ec] = std::from_chars(seg.data(), seg.data() + seg.size(), index);
      if (ec != std::errc() || end != seg.data() + seg.size() || index >= v->size()) return nullptr;
      v = &(*v)[index];
    } else {
      return nullptr;
    }
  }
  return v;
}

std::vector<std::string> SplitName(std::string_view dotted) {
  std::vector<std::string> path;
  for (std::string_view seg : Split(dotted, '.')) path.emplace_back(seg);
  return path;
}

}  // namespace

void Scope::Set(Layer layer, std::string_view name, Json value) {
  Json* v = &layers_[static_cast<size_t>(layer)];
  std::vector<std::string_view> segs = Split(name, '.');
  for (size_t i = 0; i + 1 < segs.size(); ++i) {
    Json& next = (*v)[std::string(segs[i])];
    if (!next.is_object()) next = Json::object();
    v = &next;
  }
  (*v)[std::string(segs.back())] = std::move(value);
}

void Scope::SetAll(Layer layer, const Json& object) {
  if (!object.is_object()) return;
  for (const auto& [key, value] : object.items()) Set(layer, key, value);
}

std::optional<Json> Scope::Lookup(std::string_view dotted_name) const {
  return Lookup(SplitName(dotted_name));
}

std::optional<Json> Scope::Lookup(const std::vector<std::string>& path) const {
  if (path.empty()) return std::nullopt;
  for (const Json& layer : layers_)
    if (const Json* v = Walk(layer, path, 0)) return *v;
  // `config.params.x` is the config layer's `x`, even when a higher layer also has an `x`.
  const Json& config = layers_[static_cast<size_t>(Layer::kConfig)];
  if (path[0] == "config") {
    if (path.size() == 1) return Json{{"params", config}};
    if (path[1] == "params")
      if (const Json* v = Walk(config, path, 2)) return *v;
  }
  if (!builtins_) return std::nullopt;
  std::optional<Json> value = builtins_->Get(path[0]);
  if (!value || path.size() == 1) return value;
  if (const Json* v = Walk(*value, path, 1)) return *v;
  return std::nullopt;
}

}  // namespace verity::expr
