// The validation knobs of an environment (spec/validation_knobs.h) and the per-spec entries that
// change them for some specs: verity.yaml's `validation:` section (docs/config.md). The run picks
// the knobs for each answer from the operation's spec file.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "spec/operation.h"
#include "spec/validation_knobs.h"

namespace verity::run {

/// One entry of `validation.specs`: the knobs it sets, over the environment's, for the specs its
/// glob matches.
struct SpecValidationRule {
  /// base/glob.h, matched against the spec file's path relative to spec_root (the path as loaded
  /// when it is not under it) and against the spec's domain.
  std::string spec;
  std::optional<bool> optional_nullable;
  std::optional<spec::FindingLevel> check_formats;
  std::optional<spec::FindingLevel> undocumented_fields;
  std::optional<spec::FindingLevel> undocumented_status;

  /// Sets the knobs this entry names in `knobs`, leaving the others.
  void ApplyTo(spec::ValidationKnobs& knobs) const;
};

struct ValidationPolicy {
  spec::ValidationKnobs knobs;            // the environment's
  std::vector<SpecValidationRule> specs;  // the first whose glob matches wins

  /// The knobs for answers of `operation` (the environment's when it is null or no rule matches).
  spec::ValidationKnobs For(const spec::Operation* operation, std::string_view spec_root) const;
};

/// `path` relative to `root` when it is inside it; else `path` as given.
std::string SpecPathUnder(std::string_view path, std::string_view root);

/// For `config check`: {optional_nullable, check_formats, undocumented_fields,
/// undocumented_status, specs: [{spec, <the keys it sets>}]}, check_formats as true/"warn"/false.
Json ValidationPolicyJson(const ValidationPolicy& policy);

}  // namespace verity::run
