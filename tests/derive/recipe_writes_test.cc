// What a recipe built from the spec sends and deletes when writes are allowed: a DELETE gets a
// resource of its own making, what a create made is deleted where the id is used, a window of
// time lies ahead of the run, and a required map is not sent empty. The description has the shape
// of Prometheus Alertmanager's: a plural collection (`/silences`) whose items live at a singular
// path (`/silence/{silenceID}`).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/file_system.h"
#include "derive/recipe.h"
#include "doc/parser.h"
#include "spec/catalog.h"

namespace verity::derive {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kSpec = R"(swagger: "2.0"
info: {title: alerts, version: "1"}
basePath: /api/v2
consumes: [application/json]
produces: [application/json]
paths:
  /silences:
    get:
      responses:
        "200": {description: all, schema: {type: array, items: {$ref: '#/definitions/Silence'}}}
    post:
      parameters:
        - {name: silence, in: body, required: true, schema: {$ref: '#/definitions/NewSilence'}}
      responses:
        "200":
          description: made
          schema: {type: object, properties: {silenceID: {type: string}}}
  /silence/{silenceID}:
    parameters: [{name: silenceID, in: path, required: true, type: string, format: uuid}]
    get: {responses: {"200": {description: one, schema: {$ref: '#/definitions/Silence'}}}}
    delete: {responses: {"200": {description: expired}}}
  /widgets:
    post:
      parameters:
        - {name: widget, in: body, required: true, schema: {type: object, required: [name], properties: {name: {type: string}}}}
      responses:
        "200": {description: made, schema: {type: object, properties: {widgetID: {type: string}}}}
  /widget/{widgetID}:
    parameters: [{name: widgetID, in: path, required: true, type: string}]
    get: {responses: {"200": {description: one}}}
    delete: {responses: {"200": {description: gone}}}
  /reports:
    post:
      parameters:
        - {name: report, in: body, required: true, schema: {type: object, required: [title], properties: {title: {type: string}}}}
      responses:
        "201": {description: made, headers: {Location: {type: string}}}
  /reports/{reportId}:
    parameters: [{name: reportId, in: path, required: true, type: string}]
    get: {responses: {"200": {description: one}}}
    delete: {responses: {"204": {description: gone}}}
  /alerts:
    post:
      parameters:
        - name: alerts
          in: body
          required: true
          schema:
            type: array
            items:
              type: object
              required: [labels]
              properties:
                labels: {type: object, additionalProperties: {type: string}}
                annotations: {type: object, additionalProperties: {type: string}}
      responses: {"200": {description: taken}}
definitions:
  NewSilence:
    type: object
    required: [matchers, startsAt, endsAt, comment]
    properties:
      matchers:
        type: array
        minItems: 1
        items: {type: object, required: [name], properties: {name: {type: string}}}
      startsAt: {type: string, format: date-time}
      endsAt: {type: string, format: date-time}
      comment: {type: string}
  Silence:
    type: object
    required: [id]
    properties: {id: {type: string}, comment: {type: string}}
)";

class DeriveWritesTest : public ::testing::Test {
 protected:
  DeriveWritesTest() : catalog_(fs_) {
    EXPECT_TRUE(catalog_.AddText("specs/alerts.yaml", kSpec, "alerts"));
  }

  // The recipe's text, after checking that it parses clean.
  std::string Text(const std::string& endpoint, bool allow_writes) {
    const spec::Operation* op = catalog_.FindEndpoint(endpoint);
    if (op == nullptr) return "no operation " + endpoint;
    DeriveOptions options;
    options.allow_writes = allow_writes;
    Result<DerivedRecipe> recipe = DeriveRecipe(*op, catalog_, options);
    if (!recipe.ok()) return "refused: " + recipe.status().message();
    doc::Document d = doc::ParseDocument(recipe->text, "kb/" + recipe->file);
    for (const doc::Diagnostic& diag : d.diagnostics)
      ADD_FAILURE() << endpoint << ":" << diag.pos.line << ": " << diag.message << "\n"
                    << recipe->text;
    return recipe->text;
  }

  PosixFileSystem fs_;
  spec::Catalog catalog_;
};

TEST_F(DeriveWritesTest, ADeleteGetsTheIdOfAResourceItCreatesNotTheFirstOneListed) {
  std::string text = Text("DELETE /api/v2/silence/{silenceID}", true);
  EXPECT_THAT(text, HasSubstr("    method: POST\n    path: \"/api/v2/silences\"\n"));
  EXPECT_THAT(text, HasSubstr("silenceID: \"$.silenceID\""));
  EXPECT_THAT(text, Not(HasSubstr("method: GET")));
  EXPECT_THAT(text, HasSubstr("    method: DELETE\n    path: \"/api/v2/silence/{{silenceID}}\"\n"));
  EXPECT_THAT(text, Not(HasSubstr("## Cleanup")));  // the test itself deletes it
}

TEST_F(DeriveWritesTest, AReadStillTakesAnExistingResourceFromTheList) {
  std::string text = Text("GET /api/v2/silence/{silenceID}", true);
  EXPECT_THAT(text, HasSubstr("    method: GET\n    path: \"/api/v2/silences\"\n"));
  EXPECT_THAT(text, HasSubstr("silenceID: \"$[0].id\""));
  EXPECT_THAT(text, Not(HasSubstr("method: POST")));
}

TEST_F(DeriveWritesTest, WhatACreateMadeIsDeletedAtTheItemPathWhereItsIdIsUsed) {
  // No list gives a widget's id: only creating one does, with writes allowed. The spec deletes a
  // widget at `/widget/{widgetID}`, not under the create's own path `/widgets/…`.
  EXPECT_THAT(Text("GET /api/v2/widget/{widgetID}", false), HasSubstr("refused: NO_PRODUCER"));
  std::string text = Text("GET /api/v2/widget/{widgetID}", true);
  EXPECT_THAT(text, HasSubstr("    method: POST\n    path: \"/api/v2/widgets\"\n"));
  EXPECT_THAT(text, HasSubstr("## Cleanup"));
  EXPECT_THAT(text, HasSubstr("    method: DELETE\n    path: \"/api/v2/widget/{{widgetID}}\"\n"));
  EXPECT_THAT(text, Not(HasSubstr("/api/v2/widgets/{{")));
}

TEST_F(DeriveWritesTest, ATimeWindowLiesAheadOfTheRunAndEndsAfterItStarts) {
  std::string text = Text("POST /api/v2/silences", true);
  EXPECT_THAT(text, HasSubstr("\"startsAt\":\"{{future_datetime}}\""));
  EXPECT_THAT(text, HasSubstr("\"endsAt\":\"{{future_datetime_48h}}\""));
  EXPECT_THAT(text, HasSubstr("\"matchers\":[{\"name\":"));
}

TEST_F(DeriveWritesTest, ARequiredMapIsSentWithOneMemberAndAnOptionalOneNotAtAll) {
  std::string text = Text("POST /api/v2/alerts", true);
  EXPECT_THAT(text, HasSubstr("body: [{\"labels\":{\"key\":\"key\"}}]"));
}

TEST_F(DeriveWritesTest, ACreateThatAnswersWithALocationGivesTheIdFromIt) {
  std::string text = Text("GET /api/v2/reports/{reportId}", true);
  EXPECT_THAT(text, HasSubstr("    method: POST\n    path: \"/api/v2/reports\"\n"));
  EXPECT_THAT(text, HasSubstr("reportId: {header: \"Location\", match: "
                              "\"([^/?#]+)/?(?:[?#].*)?$\"}"));
  EXPECT_THAT(text, HasSubstr("    method: DELETE\n    path: \"/api/v2/reports/{{reportId}}\"\n"));
}

}  // namespace
}  // namespace verity::derive
