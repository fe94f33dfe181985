// A spec in memory and a one-line way to validate a body against one of its schemas.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "spec/spec_set.h"
#include "spec/validate.h"
#include "support/memory_file_system.h"

namespace verity::spec::testing_support {

class SpecFixture {
 public:
  /// `text` is added as api.yaml; `others` are (path, text) files it may `$ref`.
  explicit SpecFixture(std::string_view text,
                       std::vector<std::pair<std::string, std::string>> others = {}) {
    for (auto& [path, content] : others) fs_.Add(path, content);
    Result<const SpecFile*> added = specs_.AddText("api.yaml", text);
    EXPECT_TRUE(added.ok()) << added.status().ToString();
    if (added.ok()) file_ = *added;
  }

  SchemaRef At(std::string_view pointer) const {
    if (!file_) return {};
    SchemaRef ref = SpecSet::At(*file_, pointer);
    EXPECT_TRUE(ref) << "no schema at " << pointer;
    return ref;
  }

  ValidationResult Validate(std::string_view pointer, std::string_view body,
                            ValidationOptions options = {}) {
    Result<Json> value = ParseJson(body);
    EXPECT_TRUE(value.ok()) << value.status().ToString();
    if (!value.ok()) return {};
    SchemaValidator validator(specs_, options);
    return validator.Validate(At(pointer), *value);
  }

  SpecSet& specs() { return specs_; }

 private:
  verity::testing::MemoryFileSystem fs_;
  SpecSet specs_{fs_};
  const SpecFile* file_ = nullptr;
};

/// "CODE path" per issue, in order: one readable comparison per test.
inline std::vector<std::string> Found(const ValidationResult& result) {
  std::vector<std::string> out;
  for (const SchemaIssue& issue : result.issues) {
    out.push_back(issue.code + " " + issue.instance_path);
  }
  return out;
}

using Lines = std::vector<std::string>;

}  // namespace verity::spec::testing_support
