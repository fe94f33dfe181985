#include "run/validation_policy.h"

#include <filesystem>

#include "base/glob.h"
#include "base/strings.h"

namespace verity::run {

namespace {

Json CheckFormatsJson(spec::FindingLevel level) {
  switch (level) {
    case spec::FindingLevel::kError:
      return true;
    case spec::FindingLevel::kWarning:
      return "warn";
    case spec::FindingLevel::kIgnore:
      return false;
  }
  return true;
}

}  // namespace

void SpecValidationRule::ApplyTo(spec::ValidationKnobs& knobs) const {
  if (optional_nullable) knobs.optional_nullable = *optional_nullable;
  if (check_formats) knobs.check_formats = *check_formats;
  if (undocumented_fields) knobs.undocumented_fields = *undocumented_fields;
  if (undocumented_status) knobs.undocumented_status = *undocumented_status;
}

std::string SpecPathUnder(std::string_view path, std::string_view root) {
  std::string file = std::filesystem::path(path).lexically_normal().generic_string();
  if (root.empty()) return file;
  std::string folder = std::filesystem::path(root).lexically_normal().generic_string();
  while (folder.size() > 1 && folder.back() == '/') folder.pop_back();
  if (file.size() > folder.size() + 1 && StartsWith(file, folder) && file[folder.size()] == '/')
    return file.substr(folder.size() + 1);
  return file;
}

spec::ValidationKnobs ValidationPolicy::For(const spec::Operation* operation,
                                            std::string_view spec_root) const {
  spec::ValidationKnobs out = knobs;
  if (!operation || specs.empty()) return out;
  std::string path = operation->file ? SpecPathUnder(operation->file->path, spec_root) : "";
  for (const SpecValidationRule& rule : specs) {
    bool matches = (!path.empty() && GlobMatches(rule.spec, path)) ||
                   (!operation->domain.empty() && GlobMatches(rule.spec, operation->domain));
    if (!matches) continue;
    rule.ApplyTo(out);
    break;
  }
  return out;
}

Json ValidationPolicyJson(const ValidationPolicy& policy) {
  Json j = Json::object();
  j["optional_nullable"] = policy.knobs.optional_nullable;
  j["check_formats"] = CheckFormatsJson(policy.knobs.check_formats);
  j["undocumented_fields"] = spec::FindingLevelName(policy.knobs.undocumented_fields);
  j["undocumented_status"] = spec::FindingLevelName(policy.knobs.undocumented_status);
  Json specs = Json::array();
  for (const SpecValidationRule& rule : policy.specs) {
    Json entry = Json::object();
    entry["spec"] = rule.spec;
    if (rule.optional_nullable) entry["optional_nullable"] = *rule.optional_nullable;
    if (rule.check_formats) entry["check_formats"] = CheckFormatsJson(*rule.check_formats);
    if (rule.undocumented_fields)
      entry["undocumented_fields"] = spec::FindingLevelName(*rule.undocumented_fields);
    if (rule.undocumented_status)
      entry["undocumented_status"] = spec::FindingLevelName(*rule.undocumented_status);
    specs.push_back(std::move(entry));
  }
  j["specs"] = std::move(specs);
  return j;
}

}  // namespace verity::run
