// The assembly of a run from the spec that `verity run --all-operations` and the dashboard share:
// which operations are built, which are left out and why, what the selection and the named
// endpoints change, and when there is no spec to build from.
#include "derive/spec_run.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/memory_file_system.h"

namespace verity::derive {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kSpec[] = R"(openapi: 3.0.3
info: {title: widgets, version: "1"}
paths:
  /v1/widgets:
    get:
      responses:
        "200":
          description: a page
          content:
            application/json:
              schema: {type: array, items: {type: object, properties: {id: {type: string}}}}
    post:
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {name: {type: string}}}
      responses: {"201": {description: created}}
  /v1/widgets/{widget_id}:
    parameters: [{name: widget_id, in: path, required: true, schema: {type: string}}]
    get: {responses: {"200": {description: one}}}
  /v1/widgets/{widget_id}/cancel:
    parameters: [{name: widget_id, in: path, required: true, schema: {type: string}}]
    post: {responses: {"200": {description: cancelled}}}
)";

constexpr char kRecipe[] = R"(---
endpoint: "GET /v1/widgets/{widget_id}"
domain: widgets
status: verified
---

# Widget

## Test Request

```yaml
steps:
  - id: get
    method: GET
    path: /v1/widgets/w1
```
)";

class SpecRunTest : public ::testing::Test {
 protected:
  SpecRunTest() {
    fs_.Add("specs/widgets/widgets.yaml", kSpec);
    settings_.spec_root = "specs";
    kb_.roots = {"kb"};
  }

  Result<SpecRun> Add(const run::Selection& selection = {}, const SpecRunChoices& choices = {}) {
    return AddSpecDocuments(fs_, settings_, options_, selection, choices, &kb_);
  }

  std::vector<std::string> Endpoints(bool left_out) const {
    std::vector<std::string> out;
    for (const doc::Document& d : kb_.documents)
      if (d.from_spec && d.left_out.has_value() == left_out) out.push_back(d.frontmatter.endpoint);
    return out;
  }

  testing::MemoryFileSystem fs_;
  run::RunSettings settings_;
  run::RunOptions options_;
  kb::KnowledgeBase kb_;
};

TEST_F(SpecRunTest, ReadsAreBuiltAndWritesAndUnnamedActionsAreLeftOutWithTheirReason) {
  Result<SpecRun> run = Add();
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->built, 2u);
  EXPECT_EQ(run->recipes.size(), 2u);
  EXPECT_EQ(run->left_out, (std::map<std::string, size_t>{{"WRITE_NOT_ALLOWED", 2}}));
  EXPECT_THAT(Endpoints(false), ElementsAre("GET /v1/widgets", "GET /v1/widgets/{widget_id}"));
  EXPECT_THAT(Endpoints(true),
              ElementsAre("POST /v1/widgets", "POST /v1/widgets/{widget_id}/cancel"));
  EXPECT_NE(run->catalog, nullptr);
  EXPECT_NE(run->healer, nullptr);
}

TEST_F(SpecRunTest, AnOperationWithARecipeIsNotBuilt) {
  kb_.documents.push_back(doc::ParseDocument(kRecipe, "kb/widgets/get.md"));
  Result<SpecRun> run = Add();
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_THAT(Endpoints(false), ElementsAre("GET /v1/widgets"));
}

TEST_F(SpecRunTest, WithWritesAllowedAnActionIsCalledOnlyWhenNamedExactly) {
  SpecRunChoices writes;
  writes.allow_writes = true;
  Result<SpecRun> run = Add({}, writes);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->left_out, (std::map<std::string, size_t>{{"ACTION_NOT_NAMED", 1}}));

  kb_.documents.clear();
  run::Selection named;
  named.targets = {"POST /v1/widgets/{widget_id}/cancel"};
  run = Add(named, writes);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_TRUE(run->left_out.empty());
  EXPECT_THAT(Endpoints(false), ElementsAre("POST /v1/widgets/{widget_id}/cancel"))
      << "only the operation the selection names";
}

TEST_F(SpecRunTest, NamedEndpointsAreTheTargetsThatNameOneEndpointExactly) {
  EXPECT_THAT(NamedEndpoints({"POST /v1/a/{id}/cancel", "GET /v1/*", "kb/x.md"}),
              ElementsAre("POST /v1/a/{id}/cancel"));
}

TEST_F(SpecRunTest, WithoutASpecRootNothingIsBuilt) {
  settings_.spec_root.clear();
  Result<SpecRun> run = Add();
  ASSERT_FALSE(run.ok());
  EXPECT_EQ(run.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(run.status().message(), HasSubstr("spec_root"));
  EXPECT_TRUE(kb_.documents.empty());
}

TEST_F(SpecRunTest, ASpecRootThatCannotBeReadIsRefusedAndNamed) {
  settings_.spec_root = "missing";
  Result<SpecRun> run = Add();
  ASSERT_FALSE(run.ok());
  EXPECT_THAT(run.status().message(), HasSubstr("cannot read the spec at missing"));
  EXPECT_TRUE(kb_.documents.empty());
}

}  // namespace
}  // namespace verity::derive
