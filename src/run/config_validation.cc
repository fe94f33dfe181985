// verity.yaml's `validation:` section: the environment's knobs and its per-spec entries
// (docs/config.md).
#include <fmt/format.h>

#include "base/yaml_json.h"
#include "run/config_reader.h"

namespace verity::run::config_internal {

using yaml::Node;

namespace {

constexpr const char* kBadValidation = "CONFIG_BAD_VALIDATION";

const std::vector<std::string_view> kValidationKeys = {
    spec::kKnobOptionalNullable, spec::kKnobCheckFormats, spec::kKnobUndocumentedFields,
    spec::kKnobUndocumentedStatus, "specs"};
const std::vector<std::string_view> kSpecRuleKeys = {
    "spec", spec::kKnobOptionalNullable, spec::kKnobCheckFormats, spec::kKnobUndocumentedFields,
    spec::kKnobUndocumentedStatus};

void Bad(const Node& v, std::string_view at, std::string_view expected, Problems& problems) {
  problems.Add(v.pos, kBadValidation,
               fmt::format("{}: expected {}, got {}", at, expected, yaml::Describe(v)));
}

// Reads one knob into `rule`'s optional of that name; false when `key` names no knob.
bool ReadKnob(const std::string& key, const Node& v, const std::string& at, Problems& problems,
              SpecValidationRule* rule) {
  Json j = v.is_scalar() && !v.is_null() ? yaml::ScalarToJson(v) : Json();
  std::string word = j.is_string() ? j.get<std::string>() : "";
  if (key == spec::kKnobOptionalNullable) {
    if (j.is_boolean())
      rule->optional_nullable = j.get<bool>();
    else
      Bad(v, at, "true or false", problems);
  } else if (key == spec::kKnobCheckFormats) {
    if (j.is_boolean())
      rule->check_formats =
          j.get<bool>() ? spec::FindingLevel::kError : spec::FindingLevel::kIgnore;
    else if (word == "warn")
      rule->check_formats = spec::FindingLevel::kWarning;
    else
      Bad(v, at, "true (format mismatches are errors), warn or false (not checked)", problems);
  } else if (key == spec::kKnobUndocumentedFields) {
    if (std::optional<spec::FindingLevel> level = spec::ParseFindingLevel(word))
      rule->undocumented_fields = *level;
    else
      Bad(v, at, "warn, error or ignore", problems);
  } else if (key == spec::kKnobUndocumentedStatus) {
    if (std::optional<spec::FindingLevel> level = spec::ParseFindingLevel(word);
        level && *level != spec::FindingLevel::kIgnore)
      rule->undocumented_status = *level;
    else
      Bad(v, at, "warn or error", problems);
  } else {
    return false;
  }
  return true;
}

std::optional<SpecValidationRule> ReadSpecRule(const Node& v, const std::string& at,
                                               Problems& problems) {
  if (!v.is_mapping()) {
    problems.TypeError(v, at, "a mapping with spec and the knobs it sets");
    return std::nullopt;
  }
  SpecValidationRule rule;
  bool ok = true;
  size_t knobs = 0;
  for (auto [k, value] : problems.Entries(v, at)) {
    std::string where = at + "." + k->value;
    if (k->value == "spec") {
      std::optional<std::string> glob =
          ReadText(*value, where, "a glob of spec paths or domains (\"legacy/*\")", problems);
      if (glob) rule.spec = *glob;
      ok = ok && glob.has_value();
    } else if (ReadKnob(k->value, *value, where, problems, &rule)) {
      ++knobs;
    } else {
      problems.UnknownKey(*k, at, kSpecRuleKeys);
      ok = false;
    }
  }
  if (!v.Find("spec")) {
    problems.Add(v.pos, kBadValidation,
                 fmt::format("{}: spec is required: the glob of the spec files (relative to "
                             "spec_root) or domains the entry is for",
                             at));
    ok = false;
  } else if (knobs == 0 && ok) {
    problems.Add(v.pos, kBadValidation,
                 fmt::format("{}: the entry sets no knob ({})", at,
                             JoinNames({kSpecRuleKeys.begin() + 1, kSpecRuleKeys.end()})));
    ok = false;
  }
  if (!ok) return std::nullopt;
  return rule;
}

}  // namespace

void ReadValidation(const Node& v, const std::string& at, Problems& problems,
                    ValidationPolicy* out) {
  if (!v.is_mapping())
    return problems.TypeError(v, at,
                              "a mapping of optional_nullable, check_formats, "
                              "undocumented_fields, undocumented_status and specs");
  SpecValidationRule own;  // the environment's knobs, set over the inherited ones key by key
  for (auto [k, value] : problems.Entries(v, at)) {
    std::string where = at + "." + k->value;
    if (k->value == "specs") {
      if (!value->is_sequence()) {
        problems.TypeError(*value, where, "a list of {spec: GLOB, <knobs>} entries");
        continue;
      }
      // A list replaces an inherited one, as bases do: the first match decides, so merging
      // entries would make the order hard to see.
      out->specs.clear();
      for (size_t i = 0; i < value->items.size(); ++i) {
        std::string item_at = fmt::format("{}[{}]", where, i);
        if (auto rule = ReadSpecRule(value->items[i], item_at, problems))
          out->specs.push_back(std::move(*rule));
      }
    } else if (!ReadKnob(k->value, *value, where, problems, &own)) {
      problems.UnknownKey(*k, at, kValidationKeys);
    }
  }
  own.ApplyTo(out->knobs);
}

}  // namespace verity::run::config_internal
