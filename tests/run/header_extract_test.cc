// An extract that reads a response header: a create that answers with where the new resource is
// (`Location: /v1/orders/o-7`) gives the id the next step uses.
#include <gtest/gtest.h>

#include "doc/parser.h"
#include "run/executor_fixture.h"

namespace verity::run::testing {
namespace {

constexpr const char* kCreateThenRead = R"(---
endpoint: "GET /v1/orders/{order_id}"
---
# Read an order

## Prerequisites

```yaml
steps:
  - id: create_order
    method: POST
    path: /v1/orders
    body: {item: tea}
    extract:
      order_id: {header: Location, match: "([^/?#]+)/?(?:[?#].*)?$"}
      where: {header: location}
```

## Test Request

```yaml
steps:
  - id: read
    method: GET
    path: /v1/orders/{{order_id}}
```
)";

TEST_F(ExecutorTest, AnIdTheAnswerGivesOnlyInItsLocationHeaderIsExtractedFromIt) {
  transport.Script("POST", "*/v1/orders",
                   Reply(201, "", {{"Location", "https://primary.test/v1/orders/o-7?v=2"}}));
  transport.Script("GET", "*/v1/orders/o-7", Reply(200, R"({"id":"o-7"})"));
  AddDoc("orders/read.md", kCreateThenRead);
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(Outcome::kPass, d.outcome) << d.reason << ": " << d.message;
  EXPECT_EQ(Json("o-7"), d.steps.at(0).extracted["order_id"]);
  EXPECT_EQ(Json("https://primary.test/v1/orders/o-7?v=2"), d.steps.at(0).extracted["where"])
      << "a header's name is matched in any case";
}

TEST_F(ExecutorTest, ACreateWithoutTheHeaderFailsWithExtractMissSayingSo) {
  transport.Script("POST", "*/v1/orders", Reply(201, ""));
  AddDoc("orders/read.md", kCreateThenRead);
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(Outcome::kFail, d.outcome);
  EXPECT_EQ("EXTRACT_MISS", d.steps.at(0).reason);
  EXPECT_EQ("cannot extract order_id: the response has no Location header", d.steps.at(0).message);
}

TEST(HeaderExtractParseTest, AnExtractReadsAPathOrAHeaderNotBoth) {
  doc::Document d = doc::ParseDocument(
      "---\nendpoint: \"POST /v1/orders\"\n---\n# Create\n\n## Test Request\n\n```yaml\nsteps:\n"
      "  - id: create\n    method: POST\n    path: /v1/orders\n    extract:\n"
      "      id: {path: $.id, header: Location}\n```\n",
      "kb/create.md");
  ASSERT_FALSE(d.diagnostics.empty());
  EXPECT_EQ("STEP_FIELD_TYPE", d.diagnostics[0].code);
  EXPECT_NE(std::string::npos, d.diagnostics[0].message.find("path and header both given"));
}

}  // namespace
}  // namespace verity::run::testing
