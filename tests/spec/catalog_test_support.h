// Shared by the catalog tests.
#pragma once

#include <vector>

#include "spec/catalog.h"

namespace verity::spec::testing {

// Problems of structure only: most inline specs in tests document no tokens and no descriptions,
// which is reported too but beside the point of those tests.
inline std::vector<CatalogProblem> Structural(const Catalog& catalog) {
  std::vector<CatalogProblem> out;
  for (const CatalogProblem& p : catalog.problems()) {
    if (p.code != kMissingTokenDocumentation && p.code != "MISSING_DESCRIPTION") out.push_back(p);
  }
  return out;
}

}  // namespace verity::spec::testing
