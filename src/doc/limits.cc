#include "doc/limits.h"

#include <fmt/format.h>

#include <algorithm>

namespace verity::doc {

yaml::LoadResult LoadDocumentYaml(std::string_view text, Budget& budget) {
  yaml::Limits limits;
  limits.max_nodes = budget.yaml_nodes;
  yaml::LoadResult loaded = yaml::Load(text, limits);
  budget.yaml_nodes -= std::min(loaded.nodes, budget.yaml_nodes);
  for (yaml::Error& e : loaded.errors)
    if (e.code == "YAML_NODE_LIMIT")
      e.message = fmt::format(
          "more than {} YAML nodes in the document (frontmatter and step blocks together)",
          budget.options.max_yaml_nodes);
  return loaded;
}

}  // namespace verity::doc
