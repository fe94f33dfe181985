#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/file_system.h"
#include "doc/markdown.h"
#include "doc/parse_test_support.h"
#include "doc/parser.h"
#include "doc/steps.h"
#include "doc/templates.h"
#include "doc/to_json.h"
#include "kb/knowledge_base.h"
#include "support/paths.h"

namespace verity::doc {
namespace {

// ---------------------------------------------------------------------------------------------
// Sections and step blocks.

TEST(ParseSections, HeadingsInsideFencedCodeAreNotSections) {
  Document doc = ParseDocument(R"(---
endpoint: "GET /platform/v1/clients"
domain: clients
status: verified
---

# Get Clients

## Summary

```markdown
## Prerequisites
# Not a title
```

## Test Request

```yaml
steps:
  - id: list_clients
    method: GET
    path: "/platform/v1/clients"
```
)",
                               "clients.md");
  EXPECT_EQ(std::vector<std::string>{}, Formatted(doc));
  EXPECT_EQ(std::optional<std::string>("Get Clients"), doc.title);
  EXPECT_EQ((std::vector<std::string>{"Summary", "Test Request"}), Titles(doc));
  EXPECT_EQ(nullptr, doc.FindSection(SectionKind::kPrerequisites));
  ASSERT_EQ(2u, doc.blocks.size());
  EXPECT_EQ("markdown", doc.blocks[0].lang);
  EXPECT_EQ("## Prerequisites\n# Not a title\n", doc.blocks[0].text);
  EXPECT_EQ((SourcePos{12, 1}), doc.blocks[0].pos);
  EXPECT_EQ(0, doc.blocks[0].section);
  EXPECT_FALSE(IsStepBlock(doc.blocks[0]));
  EXPECT_EQ((std::vector<std::string>{"list_clients"}),
            StepIds(doc.StepsIn(SectionKind::kTestRequest)));
}

TEST(ParseSections, TestRequestWithASuffixIsATestRequestAndKeepsEveryStep) {
  Document doc = ParseDocument(R"(---
endpoint: "GET /platform/v1/clients/{client_id}/payment/client_packages"
domain: clients
status: deprecated
---

# Get Client packages

## Test Request (WILL FAIL)

```yaml
steps:
  - id: get_client
    method: GET
    path: "/platform/v1/clients"
    extract:
      client_id: "$.data.clients[0].id"
  - id: get_packages
    method: GET
    path: "/platform/v1/clients/{{client_id}}/payment/client_packages"
    expect:
      status: [422]
  - id: get_packages_again
    method: GET
    path: "/platform/v1/clients/{{client_id}}/payment/client_packages"
```
)",
                               "packages.md");
  EXPECT_EQ(std::vector<std::string>{}, Formatted(doc));
  ASSERT_EQ(1u, doc.sections.size());
  EXPECT_EQ("Test Request (WILL FAIL)", doc.sections[0].title);
  EXPECT_EQ(SectionKind::kTestRequest, doc.sections[0].kind);
  EXPECT_EQ((std::vector<std::string>{"get_client", "get_packages", "get_packages_again"}),
            StepIds(doc.StepsIn(SectionKind::kTestRequest)));
  EXPECT_EQ((std::vector<int>{422}), doc.steps[1].expect_status);
  EXPECT_EQ((SourcePos{18, 5}), doc.steps[1].pos);
}

TEST(ParseSections, CleanupStepsAndStepsInOtherSectionsGetTheirKinds) {
  Document doc = ParseDocument(R"(---
endpoint: "POST /platform/v1/clients"
domain: clients
status: verified
---

```yaml
steps:
  - id: before_any_section
    method: GET
    path: "/a"
```

## Test Request

```yaml
steps:
  - id: create_client
    method: POST
    path: "/platform/v1/clients"
    extract:
      client_id: "$.data.client.id"
```

## Cleanup

```yaml
steps:
  - id: delete_client
    method: DELETE
    path: "/platform/v1/clients/{{client_id}}"
```

## Notes

```yaml
steps:
  - id: example_only
    method: GET
    path: "/platform/v1/clients"
```

```yaml
# not a step block: no steps key
client_id: abc
```
)",
                               "clients.md");
  EXPECT_EQ(std::vector<std::string>{}, Formatted(doc));
  EXPECT_EQ((std::vector<std::string>{"Test Request", "Cleanup", "Notes"}), Titles(doc));
  EXPECT_EQ((std::vector<std::string>{"delete_client"}),
            StepIds(doc.StepsIn(SectionKind::kCleanup)));
  EXPECT_EQ((std::vector<std::string>{"before_any_section", "example_only"}),
            StepIds(doc.StepsIn(SectionKind::kOther)));
  EXPECT_EQ((std::vector<std::string>{"before_any_section", "create_client", "delete_client",
                                      "example_only"}),
            StepIds(doc));
  ASSERT_EQ(4u, doc.steps.size());
  EXPECT_EQ(-1, doc.steps[0].section);
  EXPECT_EQ(1, doc.steps[2].section);
  EXPECT_EQ(2, doc.steps[3].section);
  ASSERT_EQ(5u, doc.blocks.size());
  EXPECT_FALSE(IsStepBlock(doc.blocks[4]));
  EXPECT_EQ(2, doc.blocks[4].section);
  EXPECT_EQ((SourcePos{29, 5}), doc.steps[2].pos);
}

TEST(ClassifySection, RecognisesSectionKindsByTitlePrefix) {
  EXPECT_EQ(SectionKind::kPrerequisites, ClassifySection("Prerequisites"));
  EXPECT_EQ(SectionKind::kPrerequisites, ClassifySection("prerequisite steps"));
  EXPECT_EQ(SectionKind::kTestRequest, ClassifySection("Test Request"));
  EXPECT_EQ(SectionKind::kTestRequest, ClassifySection("  Test Request (WILL FAIL) "));
  EXPECT_EQ(SectionKind::kCleanup, ClassifySection("Cleanup"));
  EXPECT_EQ(SectionKind::kCleanup, ClassifySection("Clean up"));
  EXPECT_EQ(SectionKind::kCleanup, ClassifySection("Teardown"));
  EXPECT_EQ(SectionKind::kOther, ClassifySection("Notes"));
  EXPECT_EQ(SectionKind::kOther, ClassifySection("Verified Successful Request"));
}

// ---------------------------------------------------------------------------------------------
// Bodies and template references.

TEST(ParseBody, InlineFlowBodyKeepsJsonTypes) {
  Document doc = ParseSteps(R"(  - id: create
    method: POST
    path: "/things"
    body: {"a": 1, "b": [1, 2], "c": "x", "d": null, "e": true}
)");
  EXPECT_EQ(std::vector<std::string>{}, Formatted(doc));
  ASSERT_EQ(1u, doc.steps.size());
  ASSERT_TRUE(doc.steps[0].body);
  EXPECT_EQ(Json::parse(R"({"a": 1, "b": [1, 2], "c": "x", "d": null, "e": true})"),
            *doc.steps[0].body);
}

TEST(ParseBody, BlockLiteralJsonBodyIsParsedAsJson) {
  Document doc = ParseSteps(R"(  - id: create
    method: POST
    path: "/things"
    body: |
      {
        "name": "{{client_name}}",
        "count": 2,
        "tags": ["x", "y"]
      }
)");
  EXPECT_EQ(std::vector<std::string>{}, Formatted(doc));
  ASSERT_EQ(1u, doc.steps.size());
  ASSERT_TRUE(doc.steps[0].body);
  EXPECT_EQ(Json::parse(R"({"name": "{{client_name}}", "count": 2, "tags": ["x", "y"]})"),
            *doc.steps[0].body);
  // Inside a block scalar the position is the scalar's (its "|" on line 14).
  EXPECT_EQ((std::vector<std::string>{"client_name [] @body 14:11"}), Refs(doc.steps[0]));
}

TEST(ParseBody, BlockLiteralThatIsNotJsonStaysText) {
  Document doc = ParseSteps(R"(  - id: create
    method: POST
    path: "/things"
    body: |
      {"name": broken
  - id: note
    method: POST
    path: "/notes"
    body: |
      plain text, sent as is
)");
  ASSERT_EQ(2u, doc.steps.size());
  EXPECT_EQ((std::vector<std::string>{
                "steps.md:14:11: warning: body block looks like JSON but does not parse; sent as "
                "text [BODY_NOT_JSON]"}),
            Formatted(doc));
  EXPECT_EQ(Json("{\"name\": broken\n"), *doc.steps[0].body);
  EXPECT_EQ(Json("plain text, sent as is\n"), *doc.steps[1].body);
}

TEST(ParseBody, TemplatesInBodyKeysAndValuesAreRecorded) {
  Document doc = ParseSteps(R"(  - id: submit_form
    method: POST
    path: "/forms/{{form_uid}}/submissions"
    body:
      "{{field_uid}}": "{{field_value}}"
      items:
        - id: "{{item_id}}"
          qty: 2
)");
  EXPECT_EQ(std::vector<std::string>{}, Formatted(doc));
  ASSERT_EQ(1u, doc.steps.size());
  EXPECT_EQ((std::vector<std::string>{
                "form_uid [] @path 13:19",
                "field_uid [] @body/{{field_uid}} (key) 15:8",
                "field_value [] @body/{{field_uid}} 15:25",
                "item_id [] @body/items/0/id 17:16",
            }),
            Refs(doc.steps[0]));
  EXPECT_EQ(Json::parse(R"({"{{field_uid}}": "{{field_value}}", "items": [{"id": "{{item_id}}",
                            "qty": 2}]})"),
            *doc.steps[0].body);
}

TEST(ParseTemplates, FiltersAndDottedNamesAreParsed) {
  Document doc = ParseSteps(R"(  - id: get_client
    method: GET
    path: "/clients/{{ x | slice: -4 }}/{{a.b.c}}"
    params:
      client_uid: "{{config.params.client_uid}}"
      label: "{{ name | upcase | slice: 1, 2 }}"
)");
  EXPECT_EQ(std::vector<std::string>{}, Formatted(doc));
  ASSERT_EQ(1u, doc.steps.size());
  const std::vector<TemplateRef>& refs = doc.steps[0].refs;
  ASSERT_EQ(4u, refs.size());
  EXPECT_EQ("x | slice: -4", refs[0].expr);
  EXPECT_EQ("x", refs[0].name);
  EXPECT_EQ((std::vector<std::string>{"slice"}), refs[0].filters);
  EXPECT_EQ("a.b.c", refs[1].expr);
  EXPECT_EQ("a.b.c", refs[1].name);
  EXPECT_TRUE(refs[1].filters.empty());
  EXPECT_EQ("config.params.client_uid", refs[2].name);
  EXPECT_EQ("name | upcase | slice: 1, 2", refs[3].expr);
  EXPECT_EQ((std::vector<std::string>{"upcase", "slice"}), refs[3].filters);
  EXPECT_EQ((std::vector<std::string>{
                "x [slice] @path 13:21",
                "a.b.c [] @path 13:41",
                "config.params.client_uid [] @params/client_uid 15:20",
                "name [upcase,slice] @params/label 16:15",
            }),
            Refs(doc.steps[0]));
}

TEST(ParseTemplates, MalformedPlaceholdersAreErrorsAtTheirFilePosition) {
  Document doc = ParseSteps(R"(  - id: get_client
    method: GET
    path: "/clients/{{client_id"
    params:
      empty: "{{ }}"
      digits: "{{ 1abc }}"
      filter: "{{ x | }}"
      fine: "{{ok}}"
)");
  EXPECT_EQ((std::vector<std::string>{
                "steps.md:13:21: error: unterminated placeholder in path: \"{{\" without \"}}\" "
                "[TEMPLATE_SYNTAX]",
                "steps.md:15:15: error: empty placeholder: a variable name is missing in "
                "params/empty [TEMPLATE_SYNTAX]",
                "steps.md:16:16: error: invalid variable name \"1abc\" in params/digits "
                "[TEMPLATE_SYNTAX]",
                "steps.md:17:16: error: invalid filter \"\" in \"x |\" in params/filter "
                "[TEMPLATE_SYNTAX]",
            }),
            Formatted(doc));
  ASSERT_EQ(1u, doc.steps.size());
  EXPECT_EQ((std::vector<std::string>{"ok [] @params/fine 18:14"}), Refs(doc.steps[0]));
}

TEST(ParseTemplates, UnknownFiltersAndBadFilterArgumentsAreSyntaxErrors) {
  Document doc = ParseSteps(R"(  - id: get_client
    method: GET
    path: "/clients/{{ x | capitalize }}"
    params:
      a: "{{ x | slice: 'a' }}"
      b: "{{ x | default: 'y' | upcase }}"
)");
  EXPECT_EQ((std::vector<std::string>{
                "steps.md:13:21: error: unknown filter \"capitalize\" in \"x | capitalize\" in "
                "path [TEMPLATE_SYNTAX]",
                "steps.md:15:11: error: filter \"slice\" needs integer arguments, got \"a\" in "
                "params/a [TEMPLATE_SYNTAX]",
            }),
            Formatted(doc));
  ASSERT_EQ(1u, doc.steps.size());
  EXPECT_EQ((std::vector<std::string>{"x [default,upcase] @params/b 16:11"}), Refs(doc.steps[0]));
}

TEST(ParseTemplates, ColumnsCountCodePointsAndEscapedScalarsPointAtTheirStart) {
  Document doc = ParseSteps(R"(  - id: get_client
    method: GET
    path: "/caf\u00e9/{{a}}"
    params:
      q: 'it''s {{b}}'
      r: "é{{c}}"
      s: plain {{d}}
)");
  EXPECT_EQ(std::vector<std::string>{}, Formatted(doc));
  ASSERT_EQ(1u, doc.steps.size());
  EXPECT_EQ("/café/{{a}}", doc.steps[0].path);
  // Escapes make the value shorter than its source, so columns inside it cannot be counted: the
  // refs point at the first character of the value instead of at a wrong column.
  EXPECT_EQ((std::vector<std::string>{
                "a [] @path 13:12",
                "b [] @params/q 15:11",
                "c [] @params/r 16:12",
                "d [] @params/s 17:16",
            }),
            Refs(doc.steps[0]));
}

TEST(ParsePlaceholder, ReadsNamesAndFilters) {
  Placeholder p;
  std::string error;
  ASSERT_TRUE(ParsePlaceholder(" timestamp | slice: -4 ", &p, &error));
  EXPECT_EQ("timestamp", p.name);
  EXPECT_EQ((std::vector<std::string>{"slice"}), p.filters);
  ASSERT_TRUE(ParsePlaceholder("data.items.0.id", &p, &error));
  EXPECT_EQ("data.items.0.id", p.name);
  EXPECT_TRUE(p.filters.empty());
  ASSERT_TRUE(ParsePlaceholder("future-date | default: x | upcase", &p, &error));
  EXPECT_EQ((std::vector<std::string>{"default", "upcase"}), p.filters);
}

TEST(ParsePlaceholder, RejectsMalformedExpressionsWithAReason) {
  Placeholder p;
  std::string error;
  EXPECT_FALSE(ParsePlaceholder("  ", &p, &error));
  EXPECT_EQ("empty placeholder: a variable name is missing", error);
  EXPECT_FALSE(ParsePlaceholder("a..b", &p, &error));
  EXPECT_EQ("invalid variable name \"a..b\"", error);
  EXPECT_FALSE(ParsePlaceholder("client id", &p, &error));
  EXPECT_EQ("invalid variable name \"client id\"", error);
  EXPECT_FALSE(ParsePlaceholder("x | 2x", &p, &error));
  EXPECT_EQ("invalid filter \"2x\" in \"x | 2x\"", error);
  EXPECT_FALSE(ParsePlaceholder("| slice", &p, &error));
  EXPECT_EQ("empty placeholder: a variable name is missing", error);
}

}  // namespace
}  // namespace verity::doc
