// A spec in memory for the sampler's tests: the schema at a JSON Pointer, its sample, and what the
// validator says of a value.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "spec/sample.h"
#include "spec/spec_set.h"
#include "spec/validate.h"
#include "support/memory_file_system.h"

namespace verity::spec::testing {

class SampleSpec {
 public:
  explicit SampleSpec(std::string_view text) {
    Result<const SpecFile*> added = specs_.AddText("api.yaml", text);
    EXPECT_TRUE(added.ok()) << added.status().ToString();
    if (added.ok()) file_ = *added;
  }

  SchemaRef At(std::string_view pointer) const {
    SchemaRef ref = file_ ? SpecSet::At(*file_, pointer) : SchemaRef{};
    EXPECT_TRUE(ref) << "no schema at " << pointer;
    return ref;
  }

  Json Sample(std::string_view pointer, SampleOptions options = {}) {
    Result<Json> value = SampleValue(specs_, At(pointer), options);
    EXPECT_TRUE(value.ok()) << value.status().ToString();
    return value.ok() ? *value : Json();
  }

  /// "CODE path: message" per issue: empty when the value is valid and declares nothing extra.
  std::vector<std::string> Issues(std::string_view pointer, const Json& value,
                                  Direction direction = Direction::kResponse) {
    ValidationOptions options;
    options.direction = direction;
    SchemaValidator validator(specs_, options);
    std::vector<std::string> out;
    for (const SchemaIssue& issue : validator.Validate(At(pointer), value).issues) {
      out.push_back(issue.code + " " + issue.instance_path + ": " + issue.message);
    }
    return out;
  }

  SpecSet& specs() { return specs_; }

 private:
  verity::testing::MemoryFileSystem fs_;
  SpecSet specs_{fs_};
  const SpecFile* file_ = nullptr;
};

}  // namespace verity::spec::testing
