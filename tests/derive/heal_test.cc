// The healer of requests built from the spec: which change each failed answer calls for, in
// which order, what the rebuilt recipe holds, and how a request that cannot pass ends.
#include "derive/heal.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/file_system.h"
#include "doc/parser.h"
#include "spec/catalog.h"

namespace verity::derive {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kSpec = R"(openapi: 3.0.3
info: {title: heal, version: "1"}
components:
  securitySchemes:
    apiKey: {type: apiKey, in: header, name: X-Api-Key}
    bearer: {type: http, scheme: bearer}
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
      security: [{bearer: []}, {apiKey: []}]
      parameters:
        - {name: dry_run, in: query, schema: {type: boolean}}
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [name, email]
              properties:
                name: {type: string}
                email: {type: string, format: email}
                color: {type: string}
                size: {type: integer}
      responses:
        "201":
          description: created
          content: {application/json: {schema: {type: object, properties: {id: {type: string}}}}}
        "400": {description: bad}
        "409": {description: exists}
  /v1/gadgets:
    get:
      security: [{partner: []}]
      responses: {"200": {description: ok}}
  /v1/widgets/{widget_id}:
    parameters: [{name: widget_id, in: path, required: true, schema: {type: string}}]
    get: {responses: {"200": {description: ok}}}
  /v1/gizmos:
    get:
      responses:
        "200":
          description: a page
          content:
            application/json:
              schema: {type: array, items: {type: object, properties: {id: {type: integer}, uid: {type: string}}}}
  /v1/gizmos/{gizmo_id}:
    parameters: [{name: gizmo_id, in: path, required: true, schema: {type: string}}]
    get: {responses: {"200": {description: ok}}}
)";

run::StepResult Failed(std::string section, int status, std::string body = "",
                       std::string token_type = "") {
  run::StepResult s;
  s.id = section == "prerequisites" ? "list_widget_id" : "call";
  s.section = std::move(section);
  s.endpoint = "GET /v1/widgets";
  s.outcome = run::Outcome::kFail;
  s.reason = status == 0 ? "TIMEOUT" : "UNEXPECTED_STATUS";
  s.message = "the answer";
  s.token_type = std::move(token_type);
  if (status != 0) {
    run::ResponseRecord response;
    response.status = status;
    response.body = std::move(body);
    s.response = std::move(response);
  }
  return s;
}

run::DocumentResult ResultOf(run::StepResult step) {
  run::DocumentResult r;
  r.outcome = step.outcome;
  r.reason = step.reason;
  r.message = step.message;
  r.source = "spec";
  if (step.response) r.http_status = step.response->status;
  r.steps.push_back(std::move(step));
  return r;
}

class HealTest : public ::testing::Test {
 protected:
  HealTest() : catalog_(std::make_shared<spec::Catalog>(fs_)) {
    EXPECT_TRUE(catalog_->AddText("specs/heal.yaml", kSpec, "heal"));
  }

  // A healer for `endpoint`, and its first document.
  void Start(const std::string& endpoint, HealSettings settings) {
    DeriveOptions options;
    options.allow_writes = true;
    Result<DerivedRecipe> recipe =
        DeriveRecipe(*catalog_->FindEndpoint(endpoint), *catalog_, options);
    ASSERT_TRUE(recipe.ok()) << recipe.status().message();
    healer_ = std::make_unique<SpecHealer>(catalog_, options, std::vector{*recipe}, settings);
    current_ = std::make_shared<doc::Document>(doc::ParseDocument(recipe->text, "kb/x.md"));
    current_->from_spec = true;
    tries_.clear();
    change_ = "as built";
  }

  // Heals the current document after `step` failed; on a next version, it becomes current.
  run::HealDecision Fail(run::StepResult step) {
    run::DocumentResult result = ResultOf(std::move(step));
    tries_.push_back({change_, result.outcome, result.reason, result.http_status, ""});
    run::HealDecision decision = healer_->Heal(*current_, result, tries_);
    if (decision.next) {
      change_ = decision.change;
      for (const doc::Diagnostic& d : decision.next->diagnostics)
        ADD_FAILURE() << d.message << "\n" << Text();
      EXPECT_TRUE(decision.next->from_spec);
      EXPECT_EQ("kb/x.md", decision.next->file);
      current_ = std::make_shared<doc::Document>(*decision.next);
    }
    return decision;
  }

  std::string Text() const {
    const DerivedRecipe* latest = healer_->Latest(current_->frontmatter.endpoint);
    return latest ? latest->text : "";
  }

  PosixFileSystem fs_;
  std::shared_ptr<spec::Catalog> catalog_;
  std::unique_ptr<SpecHealer> healer_;
  std::shared_ptr<doc::Document> current_;
  std::vector<run::HealAttempt> tries_;  // every try so far, as the executor keeps them
  std::string change_;                   // what the current version changed
};

TEST_F(HealTest, ARefusedCredentialGivesWayToTheOperationsOtherSchemesThenTheEnvironmentsOthers) {
  Start("POST /v1/widgets", {{"partner", "bearer", "apiKey"}, false, 10});
  run::HealDecision d = Fail(Failed("test_request", 401, "", "bearer"));
  ASSERT_TRUE(d.next);
  EXPECT_EQ("credential `apiKey` after a 401", d.change);
  EXPECT_THAT(Text(), HasSubstr("tokens: [\"apiKey\"]"));
  EXPECT_EQ(std::vector<std::string>{"apiKey"}, d.next->frontmatter.tokens);

  d = Fail(Failed("test_request", 403, "", "apiKey"));
  ASSERT_TRUE(d.next);
  EXPECT_EQ("credential `partner` after a 403", d.change);
}

TEST_F(HealTest, EveryCredentialRefusedOnThePrimaryIsTriedAgainOnTheFallback) {
  Start("POST /v1/widgets", {{"bearer", "apiKey"}, true, 10});
  ASSERT_TRUE(Fail(Failed("test_request", 401, "", "bearer")).next);
  run::HealDecision d = Fail(Failed("test_request", 401, "", "apiKey"));
  ASSERT_TRUE(d.next);
  EXPECT_EQ("the fallback base URL", d.change);
  EXPECT_THAT(Text(), HasSubstr("useFallbackApi: true"));
  EXPECT_THAT(Text(), Not(HasSubstr("tokens:"))) << "back to the credential it was built with";

  d = Fail(Failed("test_request", 401, "", "bearer"));
  ASSERT_TRUE(d.next);
  EXPECT_EQ("credential `apiKey` after a 401", d.change);
  EXPECT_THAT(Text(), HasSubstr("useFallbackApi: true"));

  d = Fail(Failed("test_request", 401, "", "apiKey"));
  EXPECT_FALSE(d.next);
  EXPECT_EQ("AUTH_REFUSED", d.reason);
  EXPECT_THAT(d.message, HasSubstr("apiKey, bearer"));
  EXPECT_THAT(d.message, HasSubstr("on the primary and the fallback base URL"));
}

TEST_F(HealTest, ARefusalWithoutAFallbackEndsAuthRefusedOnceTheCredentialsAreTried) {
  Start("GET /v1/widgets", {{"bearer"}, false, 10});
  run::HealDecision d = Fail(Failed("test_request", 401, "", "bearer"));
  EXPECT_FALSE(d.next);
  EXPECT_EQ("AUTH_REFUSED", d.reason);
  EXPECT_THAT(d.message, Not(HasSubstr("fallback")));
}

TEST_F(HealTest, A404OnThePrimaryMovesToTheFallbackOnlyWhenOneIsConfigured) {
  Start("GET /v1/widgets", {{}, true, 10});
  run::HealDecision d = Fail(Failed("test_request", 404));
  ASSERT_TRUE(d.next);
  EXPECT_EQ(true, d.next->frontmatter.use_fallback_api);
  EXPECT_FALSE(Fail(Failed("test_request", 404)).next) << "the fallback is tried once";

  Start("GET /v1/widgets", {{}, false, 10});
  d = Fail(Failed("test_request", 404));
  EXPECT_FALSE(d.next);
  EXPECT_EQ("", d.reason) << "a plain 404 keeps its own reason";
}

TEST_F(HealTest, ARefusalThatNamesAnOptionalMemberAddsThatMemberOnly) {
  Start("POST /v1/widgets", {{}, false, 10});
  EXPECT_THAT(Text(), Not(HasSubstr("\"color\"")));
  run::HealDecision d =
      Fail(Failed("test_request", 422, R"({"errors":{"color":["is required"]}})"));
  ASSERT_TRUE(d.next);
  EXPECT_EQ("`color` added, which the answer names", d.change);
  EXPECT_THAT(Text(), HasSubstr("\"color\""));
  EXPECT_THAT(Text(), Not(HasSubstr("\"size\"")));
  EXPECT_THAT(Text(), Not(HasSubstr("dry_run")));
}

TEST_F(HealTest, AMemberTheAnswerSaysHasAnotherTypeIsSentAsThatType) {
  Start("POST /v1/widgets", {{}, false, 10});
  run::StepResult step =
      Failed("test_request", 422, R"({"error":"name: must be an integer, got string"})");
  run::RequestRecord sent;
  sent.body = R"({"name":"Ada","email":"ada@example.com"})";
  step.request = sent;
  run::HealDecision d = Fail(std::move(step));
  ASSERT_TRUE(d.next);
  EXPECT_EQ("`name` as integer, as the answer says", d.change);
  EXPECT_THAT(Text(), HasSubstr("\"name\":1")) << "a word that is no number becomes 1";
  EXPECT_THAT(Text(), HasSubstr("\"email\":\"")) << "what the answer did not name stays";
}

TEST_F(HealTest, TheTypeAnAnswerSaysIsReadNearTheFieldItNames) {
  EXPECT_EQ("integer", TypeNamedFor("amount must be an integer", "amount"));
  EXPECT_EQ("string", TypeNamedFor(R"({"errors":{"zip":["expected string, got number"]}})", "zip"));
  EXPECT_EQ("boolean", TypeNamedFor("Invalid value for 'active': not a valid boolean", "active"));
  EXPECT_EQ("", TypeNamedFor("amount is required", "amount"));
  EXPECT_EQ("", TypeNamedFor("amounts must be integers", "amount")) << "not the field's own word";
  // Two fields, two types: each gets the word nearest to it.
  std::string both = "count must be an integer; label must be a string";
  EXPECT_EQ("integer", TypeNamedFor(both, "count"));
  EXPECT_EQ("string", TypeNamedFor(both, "label"));
}

TEST_F(HealTest, AnItemNotFoundByItsIdIsAskedForByItsOtherIdOnce) {
  Start("GET /v1/gizmos/{gizmo_id}", {{}, false, 10});
  EXPECT_THAT(Text(), HasSubstr("gizmo_id: \"$[0].id\""));
  run::HealDecision d = Fail(Failed("test_request", 404, "no such gizmo"));
  ASSERT_TRUE(d.next);
  EXPECT_EQ("`gizmo_id` read from `uid` instead of `id`", d.change);
  EXPECT_THAT(Text(), HasSubstr("gizmo_id: \"$[0].uid\""));
  // Not swapped back: the 404 stands.
  d = Fail(Failed("test_request", 404, "no such gizmo"));
  EXPECT_FALSE(d.next);
}

TEST_F(HealTest, ARefusalThatNamesNoFieldTriesTheOtherIdBeforeEveryOptionalField) {
  Start("GET /v1/gizmos/{gizmo_id}", {{}, false, 10});
  run::HealDecision d = Fail(Failed("test_request", 400, "malformed identifier"));
  ASSERT_TRUE(d.next);
  EXPECT_THAT(d.change, HasSubstr("read from `uid` instead of `id`"));
}

TEST_F(HealTest, AValueTheRefusalNamesComesFromTheNextProducer) {
  Start("GET /v1/widgets/{widget_id}", {{}, false, 10});
  EXPECT_THAT(Text(), HasSubstr("id: list_widget_id"));
  run::HealDecision d = Fail(Failed("test_request", 400, R"({"error":"widget_id is not valid"})"));
  ASSERT_TRUE(d.next);
  EXPECT_EQ("another producer than GET /v1/widgets for `widget_id`, which the answer names",
            d.change);
  EXPECT_THAT(Text(), HasSubstr("id: create_widget_id"));
}

TEST_F(HealTest, AWordThatOnlyContainsAFieldsNameDoesNotNameIt) {
  Start("POST /v1/widgets", {{}, false, 10});
  run::HealDecision d = Fail(Failed("test_request", 400, "colors and sizes are wrong"));
  ASSERT_TRUE(d.next);
  EXPECT_THAT(d.change, HasSubstr("every optional parameter and member"));
}

TEST_F(HealTest, ARefusalThatNamesNothingAddsEveryOptionalFieldOnceThenIsRequestRejected) {
  Start("POST /v1/widgets", {{}, false, 10});
  run::HealDecision d = Fail(Failed("test_request", 400, "invalid request"));
  ASSERT_TRUE(d.next);
  EXPECT_EQ("every optional parameter and member added (`dry_run`, `color`, `size`)", d.change);
  EXPECT_THAT(Text(), HasSubstr("\"size\""));
  EXPECT_THAT(Text(), HasSubstr("dry_run"));

  d = Fail(Failed("test_request", 400, "invalid request, still"));
  EXPECT_FALSE(d.next);
  EXPECT_EQ("REQUEST_REJECTED", d.reason);
  EXPECT_THAT(d.message, HasSubstr("invalid request, still"));
}

TEST_F(HealTest, AConflictSendsFreshValuesThatStayValid) {
  Start("POST /v1/widgets", {{}, false, 10});
  run::HealDecision d = Fail(Failed("test_request", 409, "already exists"));
  ASSERT_TRUE(d.next);
  EXPECT_EQ("fresh values", d.change);
  EXPECT_THAT(Text(), HasSubstr("-{{unique_id}}\""));
  EXPECT_THAT(Text(), HasSubstr("+{{unique_id}}@")) << "an email stays an email";
  EXPECT_FALSE(Fail(Failed("test_request", 409, "already exists")).next);
}

TEST_F(HealTest, AProducerThatFailsOtherwiseEndsProducerFailedNamingIt) {
  Start("GET /v1/widgets/{widget_id}", {{}, false, 10});
  EXPECT_THAT(Text(), HasSubstr("GET /v1/widgets"));
  run::HealDecision d = Fail(Failed("prerequisites", 500));
  EXPECT_FALSE(d.next);
  EXPECT_EQ("PRODUCER_FAILED", d.reason);
  EXPECT_THAT(d.message, HasSubstr("the producer GET /v1/widgets (step \"list_widget_id\")"));
}

TEST_F(HealTest, AProducerThatGaveNoValueGivesWayToTheNextCandidateThenEndsProducerFailed) {
  Start("GET /v1/widgets/{widget_id}", {{}, false, 10});
  run::StepResult empty_list = Failed("prerequisites", 200, "[]");
  empty_list.reason = "EXTRACT_MISS";
  run::HealDecision d = Fail(empty_list);
  ASSERT_TRUE(d.next);
  EXPECT_EQ("another producer than GET /v1/widgets", d.change);
  EXPECT_THAT(Text(), HasSubstr("id: create_widget_id"));
  EXPECT_THAT(Text(), HasSubstr("method: POST"));

  run::StepResult refused = Failed("prerequisites", 400, "no");
  refused.id = "create_widget_id";
  d = Fail(refused);
  EXPECT_FALSE(d.next) << "no candidate is left";
  EXPECT_EQ("PRODUCER_FAILED", d.reason);
  EXPECT_THAT(d.message, HasSubstr("(step \"create_widget_id\")"));
}

TEST_F(HealTest, ASecuritySchemeTheEnvironmentLacksIsMetByTheCredentialsItHas) {
  Start("GET /v1/gadgets", {{"staff", "admin"}, false, 10});
  run::StepResult unmet = Failed("test_request", 0);
  unmet.reason = "MISSING_TOKEN";
  run::HealDecision d = Fail(unmet);
  ASSERT_TRUE(d.next);
  EXPECT_EQ("credential `staff` (the environment configures none of the operation's)", d.change);
  EXPECT_EQ(std::vector<std::string>{"staff"}, d.next->frontmatter.tokens);
}

TEST_F(HealTest, NothingIsTriedAgainWhenNoAnswerCame) {
  Start("POST /v1/widgets", {{"bearer", "apiKey"}, true, 10});
  run::HealDecision d = Fail(Failed("test_request", 0));
  EXPECT_FALSE(d.next) << "a timeout after sending may have had its effect";
  EXPECT_EQ("", d.reason);
}

TEST_F(HealTest, TheTriesAreBoundedAndTheLastOneListsThemAll) {
  Start("POST /v1/widgets", {{"bearer", "apiKey", "partner"}, true, 2});
  ASSERT_TRUE(Fail(Failed("test_request", 401, "", "bearer")).next);
  run::HealDecision d = Fail(Failed("test_request", 401, "", "apiKey"));
  EXPECT_FALSE(d.next);
  EXPECT_EQ("HEAL_EXHAUSTED", d.reason);
  EXPECT_THAT(d.message, HasSubstr("2 tries, none passed"));
  EXPECT_THAT(d.message, HasSubstr("credential `apiKey` after a 401: 401 UNEXPECTED_STATUS"));
  EXPECT_THAT(d.message, HasSubstr("the next would have been: credential `partner`"));
}

TEST_F(HealTest, WithOneTryNothingIsHealedAndTheDocumentKeepsItsOwnReason) {
  Start("POST /v1/widgets", {{"bearer", "apiKey"}, true, 1});
  run::HealDecision d = Fail(Failed("test_request", 401, "", "bearer"));
  EXPECT_FALSE(d.next);
  EXPECT_EQ("", d.reason) << d.message;
}

TEST_F(HealTest, ARecipeFromTheKnowledgeBaseIsNeverHealed) {
  Start("GET /v1/widgets", {{"bearer", "apiKey"}, true, 10});
  current_->from_spec = false;
  run::HealDecision d = Fail(Failed("test_request", 401, "", "bearer"));
  EXPECT_FALSE(d.next);
  EXPECT_EQ("", d.reason);
}

}  // namespace
}  // namespace verity::derive
