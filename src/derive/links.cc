#include "derive/links.h"

#include <cctype>
#include <map>
#include <utility>

#include "derive/shapes.h"

namespace verity::derive {
namespace {

constexpr std::string_view kBodyPointer = "$response.body#";

// JSON Pointer tokens, unescaped (`~1` is `/`, `~0` is `~`); nullopt for a malformed pointer.
std::optional<std::vector<std::string>> PointerTokens(std::string_view pointer) {
  std::vector<std::string> tokens;
  if (pointer.empty()) return tokens;
  if (pointer[0] != '/') return std::nullopt;
  size_t at = 1;
  while (true) {
    size_t end = pointer.find('/', at);
    std::string_view raw = pointer.substr(at, end == std::string_view::npos ? end : end - at);
    std::string token;
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '~') {
        token += raw[i];
        continue;
      }
      if (i + 1 >= raw.size() || (raw[i + 1] != '0' && raw[i + 1] != '1')) return std::nullopt;
      token += raw[++i] == '1' ? '/' : '~';
    }
    tokens.push_back(std::move(token));
    if (end == std::string_view::npos) return tokens;
    at = end + 1;
  }
}

bool IsIndex(const std::string& token) {
  if (token.empty() || token.size() > 9) return false;
  for (char c : token)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

}  // namespace

std::string LinkExtractPath(std::string_view expression, bool list) {
  if (!expression.starts_with(kBodyPointer)) return "";
  std::optional<std::vector<std::string>> tokens =
      PointerTokens(expression.substr(kBodyPointer.size()));
  if (!tokens) return "";
  std::string path = "$";
  if (list && (tokens->empty() || !IsIndex(tokens->front()))) path += "[0]";
  for (const std::string& token : *tokens)
    path += IsIndex(token) ? "[" + token + "]" : MemberPath(token);
  return path;
}

LinkIndex::LinkIndex(spec::Catalog& catalog) {
  spec::SpecSet& specs = catalog.specs();
  // Targets by operationId (within a description first) and by the node an operationRef
  // resolves to.
  std::map<std::pair<const spec::SpecFile*, std::string>, const spec::Operation*> by_id;
  std::map<std::string, const spec::Operation*> by_id_anywhere;
  std::map<const Json*, const spec::Operation*> by_node;
  for (const spec::Operation& op : catalog.operations()) {
    if (!op.operation_id.empty()) {
      by_id.emplace(std::make_pair(op.file, op.operation_id), &op);
      by_id_anywhere.emplace(op.operation_id, &op);
    }
    if (op.node) by_node.emplace(op.node.node, &op);
  }
  auto target_of = [&](const spec::Operation& source,
                       const spec::SchemaRef& link) -> const spec::Operation* {
    const Json& node = *link.node;
    if (node.contains("operationId") && node["operationId"].is_string()) {
      std::string id = node["operationId"].get<std::string>();
      auto here = by_id.find({source.file, id});
      if (here != by_id.end()) return here->second;
      auto anywhere = by_id_anywhere.find(id);
      return anywhere == by_id_anywhere.end() ? nullptr : anywhere->second;
    }
    if (!node.contains("operationRef") || !node["operationRef"].is_string()) return nullptr;
    Result<spec::SchemaRef> target = specs.Resolve(link, node["operationRef"].get<std::string>());
    if (!target.ok()) return nullptr;
    auto it = by_node.find(target->node);
    return it == by_node.end() ? nullptr : it->second;
  };
  for (const spec::Operation& op : catalog.operations()) {
    for (const spec::Response& response : op.responses) {
      if (response.status.empty() || response.status[0] != '2' || !response.node) continue;
      spec::SchemaRef links = response.node.Child("links");
      if (!links || !links->is_object()) continue;
      for (const auto& [name, value] : links->items()) {
        Result<spec::SchemaRef> link = specs.Follow(links.Member(name, value));
        if (!link.ok() || !link->node->is_object()) continue;
        const spec::Operation* target = target_of(op, *link);
        spec::SchemaRef parameters = link->Child("parameters");
        if (target == nullptr || !parameters || !parameters->is_object()) continue;
        for (const auto& [parameter, expression] : parameters->items()) {
          if (!expression.is_string()) continue;  // a constant gives no producer
          by_target_[target].push_back(
              {parameter, {name, &op, response.status, expression.get<std::string>()}});
        }
      }
    }
  }
}

std::vector<LinkedValue> LinkIndex::To(const spec::Operation& target, std::string_view name) const {
  std::vector<LinkedValue> out;
  auto it = by_target_.find(&target);
  if (it == by_target_.end()) return out;
  for (const Entry& entry : it->second) {
    std::string_view parameter = entry.parameter;
    if (parameter.starts_with("path.")) parameter.remove_prefix(5);
    if (parameter == name) out.push_back(entry.value);
  }
  return out;
}

}  // namespace verity::derive
