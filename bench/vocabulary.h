// Word lists taken from the vcita corpus, for the synthetic documents of the benchmark.
#pragma once

#include <string_view>
#include <vector>

namespace verity::bench {

using Words = std::vector<std::string_view>;

struct DomainSpec {
  std::string_view name;
  int weight;                // documents of this domain in the corpus
  std::string_view swagger;  // the swagger file's stem
  Words prefixes;
  Words resources;
};

extern const Words kProse;  // prose words that occur at least twice, most frequent first
const std::vector<DomainSpec>& Domains();
extern const Words kActions;
extern const Words kParams;
extern const Words kGeneratedValues;
extern const Words kTokenTypes;
extern const Words kBodyKeys;

}  // namespace verity::bench
