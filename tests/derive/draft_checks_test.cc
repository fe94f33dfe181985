// The body checks a draft carries: what the passing run's answer showed (a list with items, an
// item read back by the id a producer gave, a write echoing the body it sent), always as
// templates or `not_empty`, never a value of one run; and the text they go into reads back.
#include "derive/draft_checks.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/file_system.h"
#include "derive/recipe.h"
#include "doc/parser.h"
#include "spec/catalog.h"

namespace verity::derive {
namespace {

// A passing document whose test request sent `sent` (a JSON body, or "") and got `answer`.
run::DocumentResult Passed(const std::string& method, const std::string& path,
                           const std::string& answer, const std::string& sent = "") {
  run::DocumentResult r;
  r.source = "spec";
  r.method = method;
  r.path = path;
  r.endpoint = method + " " + path;
  run::StepResult test;
  test.section = "test_request";
  test.endpoint = method + " " + path;
  run::RequestRecord request;
  request.method = method;
  request.body = sent;
  test.request = request;
  run::ResponseRecord response;
  response.status = 200;
  response.body = answer;
  test.response = response;
  r.steps.push_back(test);
  return r;
}

// The same read of an item, its id extracted first by a producer into `variable`.
run::DocumentResult ReadOfProduced(const std::string& variable, const Json& id,
                                   const std::string& answer) {
  run::DocumentResult r = Passed("GET", "/v1/widgets/{widget_id}", answer);
  r.steps[0].endpoint = "GET /v1/widgets/{{" + variable + "}}";
  run::StepResult producer;
  producer.section = "prerequisites";
  producer.endpoint = "GET /v1/widgets";
  producer.extracted[variable] = id;
  r.steps.insert(r.steps.begin(), producer);
  return r;
}

std::vector<std::string> Described(const std::vector<DraftCheck>& checks) {
  std::vector<std::string> out;
  for (const DraftCheck& c : checks) out.push_back(Describe(c));
  return out;
}

TEST(DraftChecks, AListWithItemsIsCheckedNotEmptyUnderTheCollectionsOwnName) {
  run::DocumentResult r =
      Passed("GET", "/v1/widgets", R"({"data":{"tags":[{"a":1}],"widgets":[{"id":"w1"}]}})");
  EXPECT_EQ(Described(ChecksFromResult(r)),
            (std::vector<std::string>{"body $.data.widgets not_empty true"}));
}

TEST(DraftChecks, AListOfValuesUnderTheCollectionsNameIsCheckedNotEmpty) {
  EXPECT_EQ(Described(ChecksFromResult(Passed("GET", "/v1/widgets/{widget_id}/tags",
                                              R"({"data":{"labels":["a"],"tags":["vip"]}})"))),
            (std::vector<std::string>{"body $.data.tags not_empty true"}));
  EXPECT_TRUE(
      ChecksFromResult(Passed("GET", "/v1/widgets/{widget_id}/tags", R"({"data":{"tags":[]}})"))
          .empty());
}

TEST(DraftChecks, AnEmptyListOrAnAnswerThatIsNoJsonGivesNoCheck) {
  EXPECT_TRUE(ChecksFromResult(Passed("GET", "/v1/widgets", R"({"data":{"widgets":[]}})")).empty());
  EXPECT_TRUE(ChecksFromResult(Passed("GET", "/v1/widgets", "widgets: none")).empty());
  run::DocumentResult cut = Passed("GET", "/v1/widgets", R"({"widgets":[{"id":"w1"}]})");
  cut.steps[0].response->body_truncated = true;
  EXPECT_TRUE(ChecksFromResult(cut).empty()) << "a cut answer shows only part of itself";
}

TEST(DraftChecks, AnEchoingCreateChecksEachEchoedMemberAgainstTheBodySent) {
  run::DocumentResult r = Passed(
      "POST", "/v1/widgets",
      R"({"data":{"widget":{"id":"n-91","name":"Ada 17","size":3,"color":"red","password":"pw"}}})",
      R"({"name":"Ada 17","size":3,"color":"blue","password":"pw"})");
  EXPECT_EQ(Described(ChecksFromResult(r)),
            (std::vector<std::string>{R"(body $.data.widget.name equals "{{request.body.name}}")",
                                      R"(body $.data.widget.size equals "{{request.body.size}}")"}))
      << "the color differs, the id was never sent, a password is a credential";
}

TEST(DraftChecks, AValueTheAnswerDoesNotHoldGivesNoCheck) {
  EXPECT_TRUE(
      ChecksFromResult(Passed("POST", "/v1/widgets", R"({"id":"n-91"})", R"({"name":"Ada"})"))
          .empty());
  EXPECT_TRUE(
      ChecksFromResult(Passed("PUT", "/v1/widgets/w1", R"({"name":"Bea"})", R"({"name":"Ada"})"))
          .empty());
  // The run masks a secret it sent wherever it shows it: a masked value is no value to check.
  EXPECT_TRUE(
      ChecksFromResult(Passed("POST", "/v1/widgets", R"({"label":"****"})", R"({"label":"****"})"))
          .empty());
  // Deeper than one wrapper inside the envelope, an object is a part of the resource.
  EXPECT_TRUE(ChecksFromResult(Passed("POST", "/v1/widgets", R"({"a":{"b":{"c":{"name":"Ada"}}}})",
                                      R"({"name":"Ada"})"))
                  .empty());
}

TEST(DraftChecks, AMemberOfAnObjectThatWrapsTheBodySentIsCheckedByItsWholeName) {
  run::DocumentResult r =
      Passed("POST", "/v1/widgets", R"({"data":{"widget":{"id":"n-91","name":"Ada"}}})",
             R"({"widget":{"name":"Ada","password":"Ada"},"credentials":{"name":"Ada"}})");
  EXPECT_EQ(Described(ChecksFromResult(r)),
            (std::vector<std::string>{
                R"(body $.data.widget.name equals "{{request.body.widget.name}}")"}));
}

TEST(DraftChecks, AnEchoIsReadFromTheObjectThatEchoedMost) {
  run::DocumentResult r = Passed("PATCH", "/v1/widgets/w1",
                                 R"({"name":"Ada","data":{"widget":{"name":"Ada","size":3}}})",
                                 R"({"name":"Ada","size":3})");
  EXPECT_EQ(
      Described(ChecksFromResult(r)),
      (std::vector<std::string>{R"(body $.data.widget.name equals "{{request.body.name}}")",
                                R"(body $.data.widget.size equals "{{request.body.size}}")"}));
}

TEST(DraftChecks, AnItemReadBackHoldsTheIdItsProducerGave) {
  run::DocumentResult r =
      ReadOfProduced("widget_id", "w-7", R"({"data":{"widget":{"name":"x","id":"w-7"}}})");
  EXPECT_EQ(Described(ChecksFromResult(r)),
            (std::vector<std::string>{R"(body $.data.widget.id equals "{{widget_id}}")"}));
  EXPECT_EQ(ChecksFromResult(ReadOfProduced("widget_id", 7, R"({"widget_id":7})")).at(0).path,
            "$.widget_id");
}

TEST(DraftChecks, AnItemReadWhoseAnswerLacksTheIdGivesNoCheck) {
  EXPECT_TRUE(ChecksFromResult(ReadOfProduced("widget_id", "w-7", R"({"id":"w-8"})")).empty());
  // The value is there, but under no name an id of a widget goes by.
  EXPECT_TRUE(ChecksFromResult(ReadOfProduced("widget_id", "w-7", R"({"parent":"w-7"})")).empty());
}

TEST(DraftChecks, AWriteThatEchoesMuchKeepsOnlyTheFirstFew) {
  run::DocumentResult r =
      Passed("POST", "/v1/widgets", R"({"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7})",
             R"({"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7})");
  EXPECT_EQ(ChecksFromResult(r).size(), kMaxDraftChecks);
}

constexpr const char* kSpec = R"(openapi: 3.0.3
info: {title: widgets, version: "1"}
paths:
  /v1/widgets:
    post:
      requestBody:
        content:
          application/json:
            schema: {type: object, required: [name], properties: {name: {type: string}}}
      responses: {"201": {description: created}}
)";

TEST(DraftChecks, TheChecksGoUnderTheTestRequestsExpectAndReadBackAsWritten) {
  PosixFileSystem fs;
  spec::Catalog catalog(fs);
  ASSERT_TRUE(catalog.AddText("specs/widgets.yaml", kSpec, "widgets"));
  DeriveOptions options;
  options.allow_writes = true;
  Result<DerivedRecipe> recipe =
      DeriveRecipe(*catalog.FindEndpoint("POST /v1/widgets"), catalog, options);
  ASSERT_TRUE(recipe.ok()) << recipe.status().message();
  std::vector<DraftCheck> checks = {{"$.data.widget.name", "equals", "{{request.body.name}}"},
                                    {"$['odd key']", "not_empty", true}};
  std::string text = WithChecks(recipe->text, checks);
  doc::Document d = doc::ParseDocument(text, "kb/widgets/post_v1_widgets.md");
  ASSERT_FALSE(d.has_errors()) << text;
  std::vector<const doc::Step*> test = d.StepsIn(doc::SectionKind::kTestRequest);
  ASSERT_EQ(test.size(), 1u);
  EXPECT_EQ(test[0]->expect_status, std::vector<int>{201});
  ASSERT_EQ(test[0]->checks.size(), 2u) << text;
  EXPECT_EQ(test[0]->checks[0].target, "$.data.widget.name");
  EXPECT_EQ(test[0]->checks[0].op, "equals");
  EXPECT_EQ(test[0]->checks[0].operand, "{{request.body.name}}");
  EXPECT_TRUE(test[0]->checks[0].templated);
  EXPECT_EQ(test[0]->checks[1].target, "$['odd key']");
  EXPECT_EQ(test[0]->checks[1].operand, true);
  EXPECT_EQ(WithChecks(recipe->text, {}), recipe->text);
}

}  // namespace
}  // namespace verity::derive
